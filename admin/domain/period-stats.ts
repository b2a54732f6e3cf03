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
import { compareVi } from './collation.ts';
import { addToCounts, type Counts, emptyCounts, finishCounts, RULES_VERSION } from './counts.ts';
import { addDays, type IsoDate } from './dates.ts';
import { classifyAsOf, settledStatus, type TaskStatus } from './status.ts';
import { deadlineCalendarOf } from './holidays.ts';
import { countsJson } from './stats.ts';
import { FACTS_COLUMNS, type FactsRow, factsFromRow } from './tasks.ts';
import { statement } from '../db/statements.ts';
import { forEachSettledBefore, type SettledFilter } from './period-settled.ts';

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

export const UNKNOWN_GROUP_NAME = 'Chưa xác định';

/** Thrown for a query the function cannot answer (from > to, asOf outside [from, to]); period-input.ts checks first. */
export class PeriodError extends RangeError {}

type Key = number | string | null;

class ViewBuilder {
  readonly totals = emptyCounts();
  readonly agencies = new Map<Key, Counts>();
  readonly leaders = new Map<Key, Counts>();
  readonly sectors = new Map<Key, Counts>();
  readonly documentTypes = new Map<Key, Counts>();

  add(s: TaskStatus, n: number, leader: Key, sector: Key, docType: Key): void {
    addToCounts(this.totals, s, n);
    addToCounts(bucket(this.agencies, s.agencyId), s, n);
    addToCounts(bucket(this.leaders, leader), s, n);
    addToCounts(bucket(this.sectors, sector), s, n);
    addToCounts(bucket(this.documentTypes, docType), s, n);
  }

  /** Adds the tasks settled (completed) before the period, by dimension; returns how many. */
  addSettled(db: DB, f: SettledFilter, types: Map<number, string>): number {
    const tally = [
      new Map<Key, number[]>(),
      new Map<Key, number[]>(),
      new Map<Key, number[]>(),
      new Map<Key, number[]>(),
    ];
    const bump = (m: Map<Key, number[]>, k: Key, late: 0 | 1) => {
      let c = m.get(k);
      if (!c) m.set(k, (c = [0, 0]));
      c[late]! += 1;
    };
    const n = forEachSettledBefore(db, f, (agency, leader, sector, document, late) => {
      bump(tally[0]!, agency, late);
      bump(tally[1]!, leader, late);
      bump(tally[2]!, sector, late);
      bump(tally[3]!, docType(types, document), late);
    });
    const maps = [this.agencies, this.leaders, this.sectors, this.documentTypes];
    tally.forEach((t, i) => {
      for (const [k, [onTime, late]] of t) {
        const agency = i === 0 ? (k as number) : 0;
        const targets = i === 0 ? [bucket(maps[i]!, k), this.totals] : [bucket(maps[i]!, k)];
        for (const c of targets) {
          if (onTime) addToCounts(c, settledStatus('completedOnTime', agency), onTime);
          if (late) addToCounts(c, settledStatus('completedLate', agency), late);
        }
      }
    });
    return n;
  }

  build(names: Names): PeriodView {
    return {
      totals: finishCounts(this.totals),
      agencies: groups(this.agencies, (id) => names.agency(id)).sort((a, b) => compareVi(a.code ?? '', b.code ?? '')),
      leaders: groups(this.leaders, (id) => names.leader(id)).sort((a, b) => (a.id ?? 1e12) - (b.id ?? 1e12)),
      sectors: groups(this.sectors, (id) => names.sector(id)).sort(byNameUnknownLast),
      documentTypes: groups(this.documentTypes, (t) => ({
        id: null,
        code: t === null ? null : String(t),
        name: t === null ? UNKNOWN_GROUP_NAME : String(t),
      })).sort(byNameUnknownLast),
    };
  }
}

function bucket(m: Map<Key, Counts>, key: Key): Counts {
  let c = m.get(key);
  if (!c) m.set(key, (c = emptyCounts()));
  return c;
}

type GroupName = Pick<GroupCounts, 'id' | 'code' | 'name'> & { title?: string };

function groups(m: Map<Key, Counts>, name: (key: Key) => GroupName): GroupCounts[] {
  return [...m.entries()].map(([k, c]) => ({ ...name(k), ...finishCounts(c) }));
}

function byNameUnknownLast(a: GroupCounts, b: GroupCounts): number {
  if ((a.code === null) !== (b.code === null)) return a.code === null ? 1 : -1;
  return compareVi(a.name, b.name);
}

interface Names {
  agency(id: Key): GroupName;
  leader(id: Key): GroupName;
  sector(id: Key): GroupName;
}

function loadNames(db: DB): Names {
  const agencies = new Map(
    (db.prepare('SELECT id, code, name FROM agencies').all() as Array<{ id: number; code: string; name: string }>).map(
      (a) => [a.id, a],
    ),
  );
  const leaders = new Map(
    (db.prepare('SELECT id, name, title FROM leaders').all() as Array<{ id: number; name: string; title: string }>).map(
      (l) => [l.id, l],
    ),
  );
  const sectors = new Map(
    (db.prepare('SELECT id, code, name FROM sectors').all() as Array<{ id: number; code: string; name: string }>).map(
      (s) => [s.id, s],
    ),
  );
  const unknown = { id: null, code: null, name: UNKNOWN_GROUP_NAME };
  return {
    agency: (id) => {
      const a = typeof id === 'number' ? agencies.get(id) : undefined;
      return a ? { id: a.id, code: a.code, name: a.name } : { id: Number(id), code: String(id), name: '' };
    },
    leader: (id) => {
      const l = typeof id === 'number' ? leaders.get(id) : undefined;
      return l ? { id: l.id, code: null, name: l.name, title: l.title } : unknown;
    },
    sector: (id) => {
      const s = typeof id === 'number' ? sectors.get(id) : undefined;
      return s ? { id: s.id, code: s.code, name: s.name } : unknown;
    },
  };
}

interface PeriodRow extends FactsRow {
  leader_id: number | null;
  sector_id: number | null;
  document_id: number | null;
}

const documentTypeCache = new WeakMap<DB, { version: string; types: Map<number, string> }>();

/**
 * Document id → type. Documents are only ever inserted (no code updates or deletes them), so (max id, count) tells
 * whether the map read earlier still holds; it is re-read when not.
 */
function documentTypes(db: DB): Map<number, string> {
  const v = statement(db, 'SELECT max(id) AS m, count(*) AS n FROM documents').get() as { m: number | null; n: number };
  const version = `${v.m}:${v.n}`;
  const hit = documentTypeCache.get(db);
  if (hit && hit.version === version) return hit.types;
  const types = new Map(statement(db, 'SELECT id, doc_type FROM documents').raw(true).all() as Array<[number, string]>);
  documentTypeCache.set(db, { version, types });
  return types;
}

function docType(types: Map<number, string>, documentId: number | null): string | null {
  return documentId === null ? null : (types.get(documentId) ?? null);
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

  const assigned = new ViewBuilder();
  const backlog = new ViewBuilder();
  const cumulative = new ViewBuilder();
  let completedBeforePeriod = 0;
  let openAtStart = 0;
  let cancelledInPeriod = 0;

  // Settled before the period: completed on from − 1 and ever after (a settled task is never reassigned, so its
  // agency is the current one); cancelled ones (settled_category NULL) are counted nowhere. One pass over the
  // covering index serves the four breakdowns (period-settled.ts).
  completedBeforePeriod += cumulative.addSettled(db, q, docTypes);
  const calendar = deadlineCalendarOf(db); // cached per calendar version; one view per cutoff
  for (const r of rows) {
    const facts = factsFromRow(r);
    const s = classifyAsOf(facts, asOf, calendar);
    if (q.agencyId !== undefined && s.agencyId !== q.agencyId) continue;
    const type = docType(docTypes, r.document_id);
    if (r.assigned_on >= q.from) {
      if (!s.counted) continue;
      assigned.add(s, 1, r.leader_id, r.sector_id, type);
      cumulative.add(s, 1, r.leader_id, r.sector_id, type);
      continue;
    }
    const before = classifyAsOf(facts, dayBefore, calendar);
    if (!before.counted) continue; // cancelled before the period
    if (before.category === 'completedOnTime' || before.category === 'completedLate') {
      completedBeforePeriod += 1;
      cumulative.add(s, 1, r.leader_id, r.sector_id, type);
      continue;
    }
    openAtStart += 1;
    if (!s.counted) {
      cancelledInPeriod += 1;
      continue;
    }
    backlog.add(s, 1, r.leader_id, r.sector_id, type);
    cumulative.add(s, 1, r.leader_id, r.sector_id, type);
  }

  const names = loadNames(db);
  const views = { assigned: assigned.build(names), backlog: backlog.build(names), cumulative: cumulative.build(names) };
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
    backlog: { ...views.backlog, openAtStart, cancelledInPeriod },
    cumulative: views.cumulative,
    completedBeforePeriod,
  };
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
