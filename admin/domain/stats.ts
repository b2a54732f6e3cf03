/**
 * Statistics as of a cutoff date, per agency and in total, through status.ts: the settled tasks counted by group
 * (settled-index.ts), the others read and classified; or, for the present, from the live index (live-status.ts).
 */
import type { DB } from '../db/open.ts';
import {
  addToCounts,
  classifyAsOf,
  emptyCounts,
  finishCounts,
  settledStatus,
  type Counts,
  type TaskStatus,
} from './status.ts';
import { factsFromRow, FACTS_COLUMNS, type FactsRow } from './tasks.ts';
import { deadlineCalendarOf } from './holidays.ts';
import type { IsoDate } from './dates.ts';
import { liveIndex } from './live-status.ts';
import { settledCounts } from './settled-index.ts';
import { mergeCounts } from './counts.ts';
import { statement } from '../db/statements.ts';
import { derived, type AgencyTable } from './agency-table.ts';

export interface AgencyCounts extends Counts {
  agencyId: number;
  code: string;
  name: string;
}

export interface Stats {
  asOf: IsoDate;
  totals: Counts;
  agencies: AgencyCounts[];
}

export interface StatsOptions {
  /** only this agency (by id): tasks it leads as of the cutoff */
  agencyId?: number;
  /** leave confidential tasks out (public snapshot); internal statistics include them */
  publicOnly?: boolean;
  /**
   * Count from the in-memory index of asOf (live-status.ts) instead of reading the rows: for the present, asked
   * all day (dashboards, the API as of today). The same figures either way (live-status.props.test.ts).
   */
  live?: boolean;
}

/**
 * Counts as of `asOf`. Settled tasks (completed or cancelled, nothing after: status.ts settledAsOf) keep one status for
 * every later cutoff, so they are counted by group (settled-index.ts); the others are classified one by one. With `agencyId`,
 * only tasks whose lead agency on that day is this one are read: those it leads now plus the few ever reassigned
 * (filtered by their history). A settled task's agency is its current one (reassignment after settling is refused).
 */
export function computeStats(db: DB, asOf: IsoDate, options: StatsOptions = {}): Stats {
  if (options.live) return liveStats(db, asOf, options);
  const params = { asOf, agencyId: options.agencyId ?? null };
  const onlyPublic = options.publicOnly ? ' AND confidential = 0' : '';
  // settled by C: counted by group from the days kept in memory (settled-index.ts), not row by row
  const settled = settledCounts(db, asOf, options);
  // the tasks not settled on C: never settled (partial index tasks_unsettled), or settled after C
  const select = (where: string) =>
    statement(db, `SELECT ${FACTS_COLUMNS} FROM tasks WHERE ${where}${onlyPublic}`).all(params) as FactsRow[];
  const rows =
    options.agencyId === undefined
      ? [
          ...select('settled_on IS NULL AND assigned_on <= @asOf'),
          ...select('settled_on > @asOf AND assigned_on <= @asOf'),
        ]
      : [
          ...select('settled_on IS NULL AND lead_agency_id = @agencyId AND assigned_on <= @asOf'),
          ...select(
            'settled_on IS NULL AND agency_history IS NOT NULL AND lead_agency_id <> @agencyId AND assigned_on <= @asOf',
          ),
          ...select(
            'settled_on > @asOf AND assigned_on <= @asOf AND (lead_agency_id = @agencyId OR agency_history IS NOT NULL)',
          ),
        ];

  // the holiday calendar of this database (cached per version; its view caches one deadline per distinct date)
  const calendar = deadlineCalendarOf(db);
  const byAgency = new Map<number, Counts>();
  const totals = emptyCounts();
  const add = (s: TaskStatus, n: number) => {
    let c = byAgency.get(s.agencyId);
    if (!c) byAgency.set(s.agencyId, (c = emptyCounts()));
    addToCounts(c, s, n);
    addToCounts(totals, s, n);
  };
  for (const g of settled) add(settledStatus(g.category, g.agencyId), g.n);
  for (const r of rows) {
    const s = classifyAsOf(factsFromRow(r), asOf, calendar);
    if (!s.counted) continue;
    if (options.agencyId !== undefined && s.agencyId !== options.agencyId) continue;
    add(s, 1);
  }
  return finishStats(db, asOf, byAgency, totals, options.agencyId);
}

/** computeStats from the live index: its running counts per agency (copied: finishCounts writes into them). */
function liveStats(db: DB, asOf: IsoDate, options: StatsOptions): Stats {
  const counts = liveIndex(db, asOf).counts;
  const source = options.publicOnly ? counts.public : counts.all;
  const byAgency = new Map<number, Counts>();
  const totals = emptyCounts();
  for (const [agencyId, c] of source) {
    if (options.agencyId !== undefined && agencyId !== options.agencyId) continue;
    if (c.total === 0) continue;
    const copy = { ...c };
    byAgency.set(agencyId, copy);
    mergeCounts(totals, copy);
  }
  return finishStats(db, asOf, byAgency, totals, options.agencyId);
}

type AgencyName = { id: number; code: string; name: string };
const agencyOrders = new WeakMap<AgencyTable, { names: ReadonlyMap<number, AgencyName>; rank: Map<number, number> }>();

/**
 * The agencies' names and their place in code order (localeCompare), kept until the database changes: every
 * statistics call lists the agencies in that order, and sorting them with localeCompare each time cost more than
 * the live counts themselves.
 */
function agencyOrder(db: DB) {
  return derived(agencyOrders, db, (t) => {
    const rank = new Map([...t.rows].sort((a, b) => a.code.localeCompare(b.code)).map((a, i) => [a.id, i]));
    return { names: t.byId, rank };
  });
}

function finishStats(
  db: DB,
  asOf: IsoDate,
  byAgency: Map<number, Counts>,
  totals: Counts,
  agencyId: number | undefined,
): Stats {
  finishCounts(totals);
  const { names, rank } = agencyOrder(db);
  const agencies: AgencyCounts[] = [...byAgency.entries()]
    .map(([agencyId, c]) => {
      const a = names.get(agencyId);
      return { agencyId, code: a?.code ?? String(agencyId), name: a?.name ?? '', ...finishCounts(c) };
    })
    .sort(
      (a, b) => (rank.get(a.agencyId) ?? Infinity) - (rank.get(b.agencyId) ?? Infinity) || a.code.localeCompare(b.code),
    );
  if (agencyId !== undefined && agencies.length === 0) {
    const a = names.get(agencyId);
    if (a) agencies.push({ agencyId: a.id, code: a.code, name: a.name, ...finishCounts(emptyCounts()) });
  }
  return { asOf, totals, agencies };
}

/** The published keys of one set of counts, in the order `npm run stats --format json` and GET /api/v1/stats give them. */
export function countsJson(c: Counts) {
  return {
    total: c.total,
    completedOnTime: c.completedOnTime,
    completedLate: c.completedLate,
    inProgress: c.inProgress,
    overdue: c.overdue,
    noDeadline: c.noDeadline,
    awaitingConfirmation: c.awaitingConfirmation,
    dueSoon: c.dueSoon,
    overdueOver30: c.overdueOver30,
    overdueOver60: c.overdueOver60,
    overdueOver120: c.overdueOver120,
    due: c.due,
    completionRate: c.completionRate,
    onTimeRate: c.onTimeRate,
    overdueRate: c.overdueRate,
  };
}

/** Statistics as JSON: one shape for the command line and the integration API. */
export function statsJson(stats: Stats) {
  return {
    asOf: stats.asOf,
    totals: countsJson(stats.totals),
    agencies: stats.agencies.map((a) => ({ code: a.code, name: a.name, ...countsJson(a) })),
  };
}
