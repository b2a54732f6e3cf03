/**
 * The task query's scan (task-query.ts): every task matching a filter, classified as of its cutoff, sorted. The
 * statuses come from the rows (SQL narrows, status.ts classifies each) or, for lists as of today, from the live
 * index (live-status.ts), where SQL only narrows to ids. The sorted ids are cached per data version; a list made
 * from the index is, after a write, brought up to date by the tasks that changed (patched) instead of made again.
 */
import type { DB } from '../db/open.ts';
import type { ScopedPrincipal } from '../auth/permissions.ts';
import { classifyAsOf } from './status.ts';
import { factsFromRow, FACTS_COLUMNS, type FactsRow } from './tasks.ts';
import type { IsoDate } from './dates.ts';
import { TASK_STATUSES, type TaskFilter } from './task-filter.ts';
import { buildWhere } from './task-query-where.ts';
import { CACHE_TTL_MS, cachedScan, prepared, rememberScan, staleScan, taskDataVersion } from './task-query-cache.ts';
import { emptyListCounts, liveChangedSince, type ListCounts, type LiveIndex, type LiveTask } from './live-status.ts';
import { type LivePlan, livePlan } from './task-query-live.ts';
import { statusMatches } from './task-list-status.ts';
import { agencyCodes } from './agency-table.ts';
import type { TaskListRow } from './task-query.ts';

/**
 * Counts per status for the filter without its status part: `all` is the tasks assigned on or before asOf matching
 * the filter apart from its status (cancelled included). The live index's list counts have the same shape.
 */
export type StatusCounts = ListCounts;

type Scoped = ScopedPrincipal;

interface ScanRow extends FactsRow {
  id: number;
  code: string;
  last_update_at: string | null;
}

/** One task as the scan sees it: from its row (classified here) or from the live index (classified there). */
type Candidate = Pick<LiveTask, 'id' | 'code' | 'assignedOn' | 'deadline' | 'lastUpdateAt' | 'reassigned' | 'status'>;

interface Match {
  id: number;
  code: string;
  agencyId: number;
  assignedOn: IsoDate;
  deadline: IsoDate | null;
  /** the deadline the list shows and sorts by: extension included, as written (before the working-day rule) */
  listedDeadline: IsoDate | null;
  lastUpdateAt: string | null;
}

export interface ScanResult {
  /**
   * matching task ids in list order (a typed array: 4 bytes a task, so 64 cached province-wide lists stay ~8 MB);
   * only the first ones when the scan was asked for its first rows (`firstRows`)
   */
  ids: Int32Array;
  /** the ids held (ids and live.all): its size in the cache */
  size: number;
  /** how many tasks match (ids.length unless only the first rows were kept) */
  total: number;
  counts: StatusCounts | null;
  at: number;
  version: string;
  /** display rows of the pages already shown ('page:pageSize'), valid as long as the scan itself */
  pages: Map<string, TaskListRow[]>;
  /** made from this live index, which can bring it up to date (patched); `all`: every match of a first-rows scan */
  live?: { index: LiveIndex; all: Int32Array | undefined };
  /** the pages of the scan this one was patched from, and the tasks changed since (their rows are read again) */
  reuse?: { pages: Map<string, TaskListRow[]>; changed: Set<number> };
}

function compareNullable(a: string | null, b: string | null, dir: 1 | -1): number {
  if (a === b) return 0;
  if (a === null) return 1; // nulls last in both directions
  if (b === null) return -1;
  return (a < b ? -1 : 1) * dir;
}

/** The list's order: the filter's sort, then the code (unique), so any two tasks have one order. */
function comparator(f: TaskFilter, agencyCodes: ReadonlyMap<number, string>): (a: Match, b: Match) => number {
  const dir = f.dir === 'asc' ? 1 : -1;
  const byCode = (a: Match, b: Match) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) * dir;
  let key: (a: Match, b: Match) => number;
  switch (f.sort) {
    case 'code':
      key = () => 0;
      break;
    case 'assigned_on':
      key = (a, b) => compareNullable(a.assignedOn, b.assignedOn, dir);
      break;
    case 'deadline':
      key = (a, b) => compareNullable(a.deadline, b.deadline, dir);
      break;
    case 'effective_deadline':
      key = (a, b) => compareNullable(a.listedDeadline, b.listedDeadline, dir);
      break;
    case 'agency':
      key = (a, b) => compareNullable(agencyCodes.get(a.agencyId) ?? null, agencyCodes.get(b.agencyId) ?? null, dir);
      break;
    case 'last_update':
      key = (a, b) => compareNullable(a.lastUpdateAt, b.lastUpdateAt, dir);
      break;
  }
  return (a, b) => key(a, b) || byCode(a, b);
}

/**
 * The first `k` matches in the list's order, without sorting the rest: the dashboard shows five of each list's
 * hundreds or thousands (a full sort of each list after every write was most of its time). The same k tasks in
 * the same order as the full sort's first k, since the order is total (ties broken by the unique code).
 */
function firstInOrder(matches: Match[], k: number, cmp: (a: Match, b: Match) => number): Match[] {
  if (k <= 0) return [];
  const top: Match[] = [];
  for (const m of matches) {
    if (top.length === k && cmp(m, top[k - 1]!) >= 0) continue;
    let i = top.length < k ? top.length : k - 1;
    if (top.length < k) top.push(m);
    while (i > 0 && cmp(m, top[i - 1]!) < 0) {
      top[i] = top[i - 1]!;
      i--;
    }
    top[i] = m;
  }
  return top;
}

/** One task as the list sorts it. */
const matchOf = (t: Candidate): Match => ({
  id: t.id,
  code: t.code,
  agencyId: t.status.agencyId,
  assignedOn: t.assignedOn,
  deadline: t.deadline,
  listedDeadline: t.status.statedDeadline,
  lastUpdateAt: t.lastUpdateAt,
});

/** Patches made and scans made in full, per database (the property test checks that it patches). */
const tally = new WeakMap<DB, { full: number; patched: number }>();
export function scanTally(db: DB): { full: number; patched: number } {
  let t = tally.get(db);
  if (!t) tally.set(db, (t = { full: 0, patched: 0 }));
  return t;
}

/**
 * A list made from the live index a few writes ago, brought up to date by the tasks changed since (liveChangedSince):
 * they are taken out and, those still candidates and matching, put back in order; the others keep their place,
 * since an unchanged task sorts and matches as it did (the index holds it unchanged; a rename, a calendar change
 * or a new day makes the index again, and a scan older than CACHE_TTL_MS is made again). After each write the
 * whole list was gone over and sorted again (a unit's own list: ≈ 2,000 tasks, ≈ 5 ms a write, a quarter of the
 * list page's time under the bench's writes). Null when it cannot be patched.
 */
function patched(
  db: DB,
  before: ScanResult | undefined,
  plan: LivePlan,
  accept: (t: LiveTask) => Match | null,
  cmp: (a: Match, b: Match) => number,
  firstRows: number | undefined,
  version: string,
  now: number,
): ScanResult | null {
  if (!before?.live || before.live.index !== plan.index || !plan.member || now - before.at >= CACHE_TTL_MS) return null;
  const changed = liveChangedSince(plan.index, before.version);
  if (changed === null) return null;
  const gone = new Set(changed);
  const added: Match[] = [];
  for (const id of gone) {
    const t = plan.index.tasks.get(id);
    const m = t && plan.member(t) ? accept(t) : null;
    if (m) added.push(m);
  }
  const tasks = plan.index.tasks;
  const keep = (ids: Int32Array) => ids.filter((id) => !gone.has(id));
  let ids: Int32Array;
  let all: Int32Array | undefined;
  let total: number;
  if (firstRows === undefined) {
    // the full list in order: the added ones put in their places
    const kept = Array.from(keep(before.ids));
    for (const m of added.sort(cmp)) {
      let lo = 0;
      let hi = kept.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cmp(matchOf(tasks.get(kept[mid]!)!), m) < 0) lo = mid + 1;
        else hi = mid;
      }
      kept.splice(lo, 0, m.id);
    }
    ids = Int32Array.from(kept);
    total = ids.length;
  } else {
    // the first rows: picked again from every match (kept unsorted)
    const rest = keep(before.live.all!);
    all = new Int32Array(rest.length + added.length);
    all.set(rest);
    all.set(
      added.map((m) => m.id),
      rest.length,
    );
    total = all.length;
    if (before.ids.some((id) => gone.has(id))) {
      // one of the first rows changed: the next ones may move up, so they are picked again from every match
      const matches = Array.from(all, (id) => matchOf(tasks.get(id)!));
      const listed = firstRows < matches.length ? firstInOrder(matches, firstRows, cmp) : matches.sort(cmp);
      ids = Int32Array.from(listed, (m) => m.id);
    } else {
      // the first rows are still the first of the unchanged matches: only the added ones can come in among them
      const top = Array.from(before.ids, (id) => matchOf(tasks.get(id)!));
      ids = Int32Array.from(firstInOrder(top.concat(added), firstRows, cmp), (m) => m.id);
    }
  }
  scanTally(db).patched++;
  return {
    ids,
    size: ids.length + (all?.length ?? 0),
    total,
    counts: plan.counts,
    at: before.at,
    version,
    pages: new Map(),
    live: { index: plan.index, all },
    reuse: { pages: before.pages, changed: gone },
  };
}

/**
 * All tasks matching the filter (paging ignored), sorted, with their as-of facts; optionally counts per status.
 * With `firstRows`, only that many first ids are kept in order (and the total counted): a list's first page.
 */
export function scan(
  db: DB,
  principal: Scoped,
  f: TaskFilter,
  withCounts: boolean,
  live = false,
  firstRows?: number,
): ScanResult {
  const version = taskDataVersion(db);
  // an officer's scope is per person (their delegations), everyone else's per role and agency
  const who = principal.role === 'officer' ? `officer:${principal.id ?? ''}` : principal.role;
  const key = JSON.stringify([
    who,
    principal.agencyId,
    withCounts,
    firstRows ?? 0,
    live,
    { ...f, page: 0, pageSize: 0 },
  ]);
  const now = Date.now();
  const hit = cachedScan<ScanResult>(db, key, version, now);
  if (hit) return hit;

  // counts need every status, so no status prefilter then; the live index knows the statuses (and matches the
  // free text) itself
  const where = buildWhere(db, principal, f, !withCounts && !live, live);
  const { sql, params, agencyId } = where;
  const C = f.asOf;
  const plan = live ? livePlan(db, f, withCounts, where) : null;
  // counted here unless the live index already holds them
  const countHere = plan ? plan.countHere : withCounts;
  const counts = countHere ? emptyListCounts() : (plan?.counts ?? null);
  const cmp = comparator(f, agencyCodes(db));
  /** the task's match, or null: not led by the agency as of C, or not of the status (counted on the way) */
  const accept = (t: Candidate): Match | null => {
    const s = t.status;
    // lead agency as of C for the 'lead' role (reassigned tasks were let through by SQL)
    if (agencyId !== null && f.role !== 'coordinator' && t.reassigned && s.agencyId !== agencyId) {
      if (f.role === 'lead') return null;
      // 'any': lead as of C, or a coordinator
      const isCoordinator = prepared(db, 'SELECT 1 FROM task_coordinators WHERE task_id = ? AND agency_id = ?').get(
        t.id,
        agencyId,
      );
      if (!isCoordinator) return null;
    }
    if (countHere && counts) {
      counts.all++;
      for (const st of TASK_STATUSES) if (statusMatches(s, st, t.assignedOn, C)) counts.byStatus[st]++;
    }
    if (f.status !== undefined && !statusMatches(s, f.status, t.assignedOn, C)) return null;
    return matchOf(t);
  };
  if (plan && !countHere) {
    const result = patched(db, staleScan<ScanResult>(db, key), plan, accept, cmp, firstRows, version, now);
    if (result) {
      rememberScan(db, key, result);
      return result;
    }
  }
  const matches: Match[] = [];
  const consider = (t: Candidate) => {
    const m = accept(t);
    if (m) matches.push(m);
  };
  if (plan) plan.each(consider);
  else {
    const rows = prepared(
      db,
      `SELECT t.id, t.code, t.last_update_at, ${FACTS_COLUMNS.split(', ')
        .map((c) => `t.${c}`)
        .join(', ')} FROM tasks t WHERE ${sql}`,
    ).all(...params) as ScanRow[];
    for (const r of rows)
      consider({
        id: r.id,
        code: r.code,
        assignedOn: r.assigned_on,
        deadline: r.deadline,
        lastUpdateAt: r.last_update_at,
        reassigned: r.agency_history !== null,
        status: classifyAsOf(factsFromRow(r), C),
      });
  }
  // a list from the index whose counts the index keeps can be patched later: the first rows' scan keeps every match
  const patchable = plan !== null && plan.member !== null && !countHere;
  const all = patchable && firstRows !== undefined ? Int32Array.from(matches, (m) => m.id) : undefined;
  const listed =
    firstRows !== undefined && firstRows < matches.length ? firstInOrder(matches, firstRows, cmp) : matches.sort(cmp);
  scanTally(db).full++;
  const ids = Int32Array.from(listed, (m) => m.id);
  const result: ScanResult = {
    ids,
    size: ids.length + (all?.length ?? 0),
    total: matches.length,
    counts,
    at: now,
    version,
    pages: new Map(),
  };
  if (patchable) result.live = { index: plan.index, all };
  rememberScan(db, key, result);
  return result;
}
