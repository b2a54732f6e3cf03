/**
 * What the leaders' overview shows (admin/routes/overview.tsx, views/overview-*.tsx), as one typed view model:
 *
 *   period ──computePeriodStats──▶ three views (assigned in the period, backlog, cumulative) × agency / leader
 *          ──computePeriodStats per month (12)──▶ trend (assigned in the month; as of its last day: completion
 *            rate, overdue)
 *   tasks.reported_on ──▶ the confirmers' backlog (reports waiting for the working group, by age, oldest first)
 *
 * Every figure comes from computePeriodStats (period-stats.ts): no counting rule lives here. The figures are cached
 * per (period, cutoff) while the task data version holds (every write that can move a count appends an event:
 * dashboard.ts explains the version), so leaders opening the page many times a day pay the ~tens of ms of counting
 * once per change. Figures that did not change keep their identity across versions (structural-share.ts), and the
 * views remember the markup of a part by the identity of its figures (views/markup-memo.ts): there is no page
 * cache, no write clears anything, and a write that moves a figure re-renders the parts that show it.
 */
import type { DB } from '../db/open.ts';
import { statement } from '../db/statements.ts';
import { MIN_DUE_FOR_RANKING, type Counts } from './counts.ts';
import { compareVi } from './collation.ts';
import { addDays, addMonths, diffDays, endOfMonth, type IsoDate } from './dates.ts';
import { livePeriodStats } from './live-period.ts';
import { computePeriodStats, type GroupCounts, type PeriodStats } from './period-stats.ts';
import { firstTaskDay } from './period-input.ts';
import type { DataRange, OverviewPeriod } from './overview-period.ts';
import { listPendingReports } from './queues.ts';
import { share } from './structural-share.ts';
import { taskDataVersion } from './task-query.ts';

export type ViewKey = 'assigned' | 'backlog' | 'cumulative';

export function isViewKey(s: string): s is ViewKey {
  return s === 'assigned' || s === 'backlog' || s === 'cumulative';
}

/** One agency (or leader) across the three views; a view it has no task in is null. */
export interface GroupRow {
  id: number | null;
  code: string | null;
  name: string;
  title?: string;
  assigned: Counts | null;
  backlog: Counts | null;
  cumulative: Counts | null;
}

export interface TrendPoint {
  /** 'YYYY-MM' */
  month: string;
  from: IsoDate;
  /** the month's last day, or the cutoff for the running month */
  to: IsoDate;
  assigned: number;
  due: number;
  completionRate: number | null;
  overdue: number;
}

export interface ConfirmationWait {
  code: string;
  title: string;
  agencyName: string;
  reportedOn: IsoDate;
  daysWaiting: number;
}

export interface ConfirmationBacklog {
  /** live queue: pending reports today */
  total: number;
  /** waiting ≤ 7 days, 8–30 days, over 30 days */
  byAge: { upTo7: number; upTo30: number; over30: number };
  oldest: ConfirmationWait[];
}

export interface OverviewData {
  period: OverviewPeriod;
  stats: PeriodStats;
  agencies: GroupRow[];
  leaders: GroupRow[];
  trend: TrendPoint[];
  confirmation: ConfirmationBacklog;
}

const TREND_MONTHS = 12;
const OLDEST_WAITING = 10;
const CACHE_MAX = 32;
// per database (tests open many; a version string alone could match across two of them)
const caches = new WeakMap<DB, Map<string, { version: string; value: unknown }>>();
const pastCaches = new WeakMap<DB, Map<string, TrendPoint>>();

function mapFor<V>(m: WeakMap<DB, Map<string, V>>, db: DB): Map<string, V> {
  let c = m.get(db);
  if (!c) m.set(db, (c = new Map()));
  return c;
}

function cached<T>(db: DB, key: string, compute: () => T): T {
  const cache = mapFor(caches, db);
  const version = taskDataVersion(db);
  const hit = cache.get(key);
  if (hit && hit.version === version) return hit.value as T;
  // what did not change keeps its identity (the views remember markup by it: structural-share.ts)
  const value = hit ? share(hit.value as T, compute()) : compute();
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, { version, value });
  return value;
}

export function clearOverviewCache(db: DB): void {
  caches.delete(db);
  pastCaches.delete(db);
}

/** The first day of the data (earliest assignment) and today: a period must overlap them. */
export function overviewDataRange(db: DB, today: IsoDate): DataRange {
  return { firstDay: cached(db, 'firstDay', () => firstTaskDay(db)), today };
}

/** Joins the three views' breakdowns by id (agencies: id; leaders: id, "not recorded" as null). */
function joinGroups(stats: PeriodStats, pick: (v: PeriodStats['assigned']) => GroupCounts[]): GroupRow[] {
  const rows = new Map<number | null, GroupRow>();
  for (const view of ['assigned', 'backlog', 'cumulative'] as const) {
    for (const g of pick(stats[view])) {
      let row = rows.get(g.id);
      if (!row) {
        row = { id: g.id, code: g.code, name: g.name, assigned: null, backlog: null, cumulative: null };
        if (g.title !== undefined) row.title = g.title;
        rows.set(g.id, row);
      }
      row[view] = g;
    }
  }
  return [...rows.values()];
}

/**
 * Figures as of a day before today only change when tasks are added with past dates (an Excel import): every other
 * write is dated the day it is made, and a merger recorded late moves tasks between agencies, not the totals the
 * trend shows (DESIGN.md §3, the past is not rewritten). So a month that ended before today is cached per highest
 * task id, across the writes of the day, and a write costs the overview only the running month and the period.
 */
const PAST_POINTS_MAX = 512;

function trendPoint(db: DB, from: IsoDate, to: IsoDate, live = false): TrendPoint {
  const s = live ? livePeriodStats(db, { from, to }) : computePeriodStats(db, { from, to });
  return {
    month: from.slice(0, 7),
    from,
    to,
    assigned: s.assigned.totals.total,
    due: s.cumulative.totals.due,
    completionRate: s.cumulative.totals.completionRate,
    overdue: s.cumulative.totals.overdue,
  };
}

function trend(db: DB, asOf: IsoDate, today: IsoDate): TrendPoint[] {
  return cached(db, `trend|${asOf}|${today}`, () => {
    const maxTaskId = (statement(db, 'SELECT max(id) AS n FROM tasks').get() as { n: number | null }).n ?? 0;
    const pastPoints = mapFor(pastCaches, db);
    const points: TrendPoint[] = [];
    const thisMonth = `${asOf.slice(0, 7)}-01`;
    for (let i = TREND_MONTHS - 1; i >= 0; i--) {
      const from = addMonths(thisMonth, -i);
      const end = endOfMonth(from.slice(0, 7));
      const to = end > asOf ? asOf : end;
      if (to >= today) {
        // the running month changes with every write: kept up to date in memory (live-period.ts)
        points.push(trendPoint(db, from, to, true));
        continue;
      }
      const key = `${from}|${to}|${maxTaskId}`;
      let p = pastPoints.get(key);
      if (!p) {
        p = trendPoint(db, from, to);
        if (pastPoints.size >= PAST_POINTS_MAX) pastPoints.delete(pastPoints.keys().next().value!);
        pastPoints.set(key, p);
      }
      points.push(p);
    }
    return points;
  });
}

/** The reports waiting for the working group now, by age and oldest first (the unit is not blamed for these). */
export function confirmationBacklog(db: DB, today: IsoDate): ConfirmationBacklog {
  return cached(db, `confirm|${today}`, () => {
    const days = statement(
      db,
      `SELECT reported_on AS d, count(*) AS n FROM tasks WHERE reported_on IS NOT NULL AND cancelled_on IS NULL
         GROUP BY reported_on`,
    ).all() as Array<{ d: string; n: number }>;
    const byAge = { upTo7: 0, upTo30: 0, over30: 0 };
    let total = 0;
    for (const { d, n } of days) {
      const age = Math.max(0, diffDays(d, today));
      total += n;
      if (age <= 7) byAge.upTo7 += n;
      else if (age <= 30) byAge.upTo30 += n;
      else byAge.over30 += n;
    }
    const oldest = listPendingReports(db, OLDEST_WAITING).rows.map((r) => ({
      code: r.code,
      title: r.title,
      agencyName: r.lead_name,
      reportedOn: r.reported_on ?? r.event_on,
      daysWaiting: Math.max(0, diffDays(r.reported_on ?? r.event_on, today)),
    }));
    return { total, byAge, oldest };
  });
}

/** Everything the overview shows for one period. */
export function loadOverview(db: DB, period: OverviewPeriod, today: IsoDate): OverviewData {
  const core = cached(db, `period|${period.from}|${period.to}|${period.asOf}`, () => {
    // kept in memory and brought up to date by the tasks changed since (live-period.ts): a write costs the next
    // overview the changed task, not every row
    const stats = livePeriodStats(db, { from: period.from, to: period.to, asOf: period.asOf });
    return {
      stats,
      agencies: joinGroups(stats, (v) => v.agencies).sort((a, b) => compareVi(a.name, b.name)),
      leaders: joinGroups(stats, (v) => v.leaders),
    };
  });
  return { period, ...core, trend: trend(db, period.asOf, today), confirmation: confirmationBacklog(db, today) };
}

// ---- sorting the per-agency table ----------------------------------------------------------------------------

export const METRICS = [
  'total',
  'completedOnTime',
  'completedLate',
  'inProgress',
  'overdue',
  'noDeadline',
  'awaitingConfirmation',
  'completed',
  'due',
  'completionRate',
  'onTimeRate',
  'overdueRate',
] as const;
export type Metric = (typeof METRICS)[number];

/** A sortable column: the name, or a view's metric ('assigned.overdue'). */
export type SortKey = 'name' | `${ViewKey}.${Metric}`;

export function isSortKey(s: string): s is SortKey {
  if (s === 'name') return true;
  const parts = s.split('.');
  if (parts.length !== 2) return false;
  const [view, metric] = parts;
  return (
    (view === 'assigned' || view === 'backlog' || view === 'cumulative') &&
    (METRICS as readonly string[]).includes(metric ?? '')
  );
}

export function metricValue(c: Counts | null, m: Metric): number | null {
  if (c === null) return m.endsWith('Rate') ? null : 0;
  if (m === 'completed') return c.completedOnTime + c.completedLate;
  return c[m];
}

const RATE = (m: Metric) => m.endsWith('Rate');

/** rows in Vietnamese name order and each row's place in it, per rows array (the cached ones come back per request) */
const nameOrders = new WeakMap<readonly GroupRow[], { sorted: GroupRow[]; place: Map<GroupRow, number> }>();

function nameOrder(rows: readonly GroupRow[]) {
  let o = nameOrders.get(rows);
  if (!o) {
    const sorted = [...rows].sort((a, b) => compareVi(a.name, b.name));
    o = { sorted, place: new Map(sorted.map((r, i) => [r, i])) };
    nameOrders.set(rows, o);
  }
  return o;
}

/** the sorted orders of each cached row list (the rows of one data version), per sort: a pure function's memo */
const sortedOrders = new WeakMap<readonly GroupRow[], Map<string, readonly GroupRow[]>>();

/**
 * Rows sorted by a column. Names sort in Vietnamese order; numbers with ties broken by name. A rate ranks only units
 * with at least MIN_DUE_FOR_RANKING due tasks (DESIGN.md §3): the others follow, by name, whatever the direction.
 * Remembered per list and sort (the cached lists come back on every request; callers do not change the result).
 */
export function sortGroupRows(rows: readonly GroupRow[], key: SortKey, dir: 'asc' | 'desc'): readonly GroupRow[] {
  let orders = sortedOrders.get(rows);
  if (!orders) sortedOrders.set(rows, (orders = new Map()));
  const k = `${key}|${dir}`;
  let out = orders.get(k);
  if (!out) orders.set(k, (out = sortRows(rows, key, dir)));
  return out;
}

function sortRows(rows: readonly GroupRow[], key: SortKey, dir: 'asc' | 'desc'): GroupRow[] {
  const { sorted, place } = nameOrder(rows);
  if (key === 'name') return dir === 'asc' ? [...sorted] : [...sorted].reverse();
  const sign = dir === 'asc' ? 1 : -1;
  const [view, metric] = key.split('.') as [ViewKey, Metric];
  const ranked = (r: GroupRow) => !RATE(metric) || (r[view]?.due ?? 0) >= MIN_DUE_FOR_RANKING;
  const byName = (a: GroupRow, b: GroupRow) => place.get(a)! - place.get(b)!;
  return [...sorted].sort((a, b) => {
    const ra = ranked(a);
    const rb = ranked(b);
    if (ra !== rb) return ra ? -1 : 1;
    if (!ra) return byName(a, b);
    const x = metricValue(a[view], metric) ?? -1;
    const y = metricValue(b[view], metric) ?? -1;
    return x !== y ? sign * (x - y) : byName(a, b);
  });
}

/** The day before a period (the backlog is judged on it). */
export function dayBefore(period: Pick<OverviewPeriod, 'from'>): IsoDate {
  return addDays(period.from, -1);
}
