/**
 * Statistics by period (DESIGN.md §3 "periods"; issue 10): for [from, to] with cutoff C = asOf ?? to, every task
 * counted as of C falls in exactly one of three populations, judged on the day before the period (from − 1):
 *
 *   assigned on ≤ C, not cancelled on C (lũy kế, cumulative = computeStats(C))
 *     ├─ assigned in [from, C] ─────────────────────────────▶ assigned   (giao trong kỳ)
 *     └─ assigned before from, and on from − 1 it was …
 *          ├─ open (not completed, not cancelled) ──────────▶ backlog    (tồn đọng từ kỳ trước; openAtStart also
 *          │                                                    counts those cancelled in the period)
 *          ├─ completed ────────────────────────────────────▶ completedBeforePeriod (in cumulative only)
 *          └─ cancelled ────────────────────────────────────▶ counted nowhere
 *
 * Each view is a Counts as of C (status.ts classifies, counts.ts adds up) in total and by lead agency (as of C),
 * assigning leader, sector and document type. Tasks settled before `from` (status.ts settledAsOf) are counted by
 * group in SQL; only the others are classified one by one, as computeStats does.
 */
import type { DB } from '../db/open.ts';
import { type Counts, emptyCounts, finishCounts, RULES_VERSION } from './counts.ts';
import { addDays, type IsoDate } from './dates.ts';
import { classifyAsOf, type TaskFacts, type TaskStatus } from './status.ts';
import type { DeadlineCalendar } from './holidays-history.ts';
import { deadlineCalendarOf } from './holidays.ts';
import { countsJson } from './stats.ts';
import { FACTS_COLUMNS, type FactsRow, factsFromRow } from './tasks.ts';
import { statement } from '../db/statements.ts';
import { docType, documentTypes, type Key, loadNames, ViewBuilder } from './period-views.ts';

export { docType, documentTypes, ViewBuilder } from './period-views.ts';

export interface PeriodQuery {
  from: IsoDate;
  to: IsoDate;
  /** cutoff inside [from, to]; default `to` */
  asOf?: IsoDate;
  /** only tasks this agency leads as of C */
  agencyId?: number;
  /** only tasks this leader assigned */
  leaderId?: number;
  /** leave confidential tasks out (public snapshot) */
  publicOnly?: boolean;
}

/** One row of a breakdown: agencies (id, code, name), leaders (id, name, title), sectors (id, code, name),
 * document types (id null, code = the type, name = the type). id null = not recorded ("Chưa xác định"). */
export interface GroupCounts extends Counts {
  id: number | null;
  code: string | null;
  name: string;
  title?: string;
}

export interface PeriodView {
  totals: Counts;
  agencies: GroupCounts[];
  leaders: GroupCounts[];
  sectors: GroupCounts[];
  documentTypes: GroupCounts[];
}

export interface BacklogView extends PeriodView {
  /** open (not completed, not cancelled) on from − 1: totals.total + cancelledInPeriod */
  openAtStart: number;
  /** of those, cancelled in [from, C] (not in totals) */
  cancelledInPeriod: number;
}

export interface PeriodStats {
  from: IsoDate;
  to: IsoDate;
  asOf: IsoDate;
  rulesVersion: number;
  assigned: PeriodView;
  backlog: BacklogView;
  cumulative: PeriodView;
  /** assigned before the period and completed by from − 1: cumulative − assigned − backlog */
  completedBeforePeriod: number;
}

export { UNKNOWN_GROUP_NAME } from './period-views.ts';

/** Thrown for a query the function cannot answer (from > to, asOf outside [from, to]); period-input.ts checks first. */
export class PeriodError extends RangeError {}

interface PeriodRow extends FactsRow {
  leader_id: number | null;
  sector_id: number | null;
  document_id: number | null;
}

/** The one function behind every period figure: CLI, API, dashboard, report, snapshot. */
export function computePeriodStats(db: DB, q: PeriodQuery): PeriodStats {
  const asOf = q.asOf ?? q.to;
  if (q.from > q.to) throw new PeriodError(`from (${q.from}) is after to (${q.to})`);
  if (asOf < q.from || asOf > q.to) throw new PeriodError(`asOf (${asOf}) is outside [${q.from}, ${q.to}]`);
  const dayBefore = addDays(q.from, -1);
  const params = { from: q.from, asOf, agencyId: q.agencyId ?? null, leaderId: q.leaderId ?? null };
  const filters =
    (q.publicOnly ? ' AND t.confidential = 0' : '') + (q.leaderId !== undefined ? ' AND t.leader_id = @leaderId' : '');

  // the tasks not settled before the period, classified one by one on C (and on from − 1 if assigned before)
  const rows = statement(
    db,
    `SELECT ${FACTS_COLUMNS.split(', ')
      .map((c) => `t.${c}`)
      .join(', ')}, t.leader_id, t.sector_id, t.document_id
     FROM tasks t
     WHERE (t.settled_on IS NULL OR t.settled_on >= @from) AND t.assigned_on <= @asOf${filters}
     ${q.agencyId !== undefined ? 'AND (t.lead_agency_id = @agencyId OR t.agency_history IS NOT NULL)' : ''}`,
  ).all(params) as PeriodRow[];
  const docTypes = documentTypes(db);

  const acc = new PeriodAccumulator();

  // Settled before the period: completed on from − 1 and ever after (a settled task is never reassigned, so its
  // agency is the current one); cancelled ones (settled_category NULL) are counted nowhere. One pass over the
  // covering index serves the four breakdowns (period-settled.ts).
  acc.completedBeforePeriod += acc.cumulative.addSettled(db, q, docTypes);
  const calendar = deadlineCalendarOf(db); // cached per calendar version; one view per cutoff
  const scope = { from: q.from, asOf, dayBefore, agencyId: q.agencyId };
  for (const r of rows)
    acc.apply(
      periodPlace(factsFromRow(r), r.assigned_on, scope, calendar),
      r.leader_id,
      r.sector_id,
      docType(docTypes, r.document_id),
      1,
    );
  return acc.result(db, q, asOf);
}

/** Where one task stands in a period's three views (computePeriodStats; live-period.ts keeps one per task). */
export type PeriodPlace =
  | { kind: 'none' }
  | { kind: 'assigned' | 'backlog' | 'completedBefore'; s: TaskStatus }
  | { kind: 'cancelledInPeriod' };

const NOWHERE: PeriodPlace = { kind: 'none' };

export interface PeriodScope {
  from: IsoDate;
  asOf: IsoDate;
  /** from − 1 */
  dayBefore: IsoDate;
  agencyId?: number | undefined;
}

/** The one rule placing a task in the period's views (the diagram at the top of this file). */
export function periodPlace(
  facts: TaskFacts,
  assignedOn: IsoDate,
  q: PeriodScope,
  calendar: DeadlineCalendar,
): PeriodPlace {
  const s = classifyAsOf(facts, q.asOf, calendar);
  if (q.agencyId !== undefined && s.agencyId !== q.agencyId) return NOWHERE;
  if (assignedOn >= q.from) return s.counted ? { kind: 'assigned', s } : NOWHERE;
  const before = classifyAsOf(facts, q.dayBefore, calendar);
  if (!before.counted) return NOWHERE; // cancelled before the period
  if (before.category === 'completedOnTime' || before.category === 'completedLate')
    return { kind: 'completedBefore', s };
  return s.counted ? { kind: 'backlog', s } : { kind: 'cancelledInPeriod' };
}

/** The three views being summed: a place is added (n = 1) or, when a task changes, taken out again (n = -1). */
export class PeriodAccumulator {
  readonly assigned = new ViewBuilder();
  readonly backlog = new ViewBuilder();
  readonly cumulative = new ViewBuilder();
  completedBeforePeriod = 0;
  openAtStart = 0;
  cancelledInPeriod = 0;

  apply(p: PeriodPlace, leader: Key, sector: Key, type: Key, n: 1 | -1): void {
    switch (p.kind) {
      case 'none':
        return;
      case 'assigned':
        this.assigned.add(p.s, n, leader, sector, type);
        this.cumulative.add(p.s, n, leader, sector, type);
        return;
      case 'completedBefore':
        this.completedBeforePeriod += n;
        this.cumulative.add(p.s, n, leader, sector, type);
        return;
      case 'cancelledInPeriod':
        this.openAtStart += n;
        this.cancelledInPeriod += n;
        return;
      case 'backlog':
        this.openAtStart += n;
        this.backlog.add(p.s, n, leader, sector, type);
        this.cumulative.add(p.s, n, leader, sector, type);
        return;
    }
  }

  /** The figures as they stand (the accumulator is left as it is, so it can go on being updated). */
  result(db: DB, q: PeriodQuery, asOf: IsoDate): PeriodStats {
    const names = loadNames(db);
    const views = {
      assigned: this.assigned.build(names),
      backlog: this.backlog.build(names),
      cumulative: this.cumulative.build(names),
    };
    if (q.agencyId !== undefined) {
      // an agency with nothing in a view still gets its (empty) row, as computeStats does
      for (const v of Object.values(views))
        if (v.agencies.length === 0) v.agencies.push({ ...names.agency(q.agencyId), ...finishCounts(emptyCounts()) });
    }
    return {
      from: q.from,
      to: q.to,
      asOf,
      rulesVersion: RULES_VERSION,
      assigned: views.assigned,
      backlog: { ...views.backlog, openAtStart: this.openAtStart, cancelledInPeriod: this.cancelledInPeriod },
      cumulative: views.cumulative,
      completedBeforePeriod: this.completedBeforePeriod,
    };
  }
}

function groupJson(g: GroupCounts) {
  return {
    id: g.id,
    code: g.code,
    name: g.name,
    ...(g.title !== undefined ? { title: g.title } : {}),
    ...countsJson(g),
  };
}

function viewJson(v: PeriodView) {
  return {
    totals: countsJson(v.totals),
    agencies: v.agencies.map(groupJson),
    leaders: v.leaders.map(groupJson),
    sectors: v.sectors.map(groupJson),
    documentTypes: v.documentTypes.map(groupJson),
  };
}

/** Period statistics as JSON: one shape for `npm run stats -- --from … --to …` and GET /api/v1/stats?from=&to=. */
export function periodStatsJson(p: PeriodStats, label: string | null = null) {
  return {
    from: p.from,
    to: p.to,
    asOf: p.asOf,
    label,
    rulesVersion: p.rulesVersion,
    assigned: viewJson(p.assigned),
    backlog: {
      openAtStart: p.backlog.openAtStart,
      cancelledInPeriod: p.backlog.cancelledInPeriod,
      ...viewJson(p.backlog),
    },
    cumulative: viewJson(p.cumulative),
    completedBeforePeriod: p.completedBeforePeriod,
  };
}

export type PeriodStatsJson = ReturnType<typeof periodStatsJson>;
