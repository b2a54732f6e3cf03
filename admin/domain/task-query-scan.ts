/**
 * The task query's scan (task-query.ts): every task matching a filter, classified as of its cutoff, sorted. The
 * statuses come from the rows (SQL narrows, status.ts classifies each) or, for lists as of today, from the live
 * index (live-status.ts), where SQL only narrows to ids. The sorted ids are cached per data version.
 */
import type { DB } from '../db/open.ts';
import type { ScopedPrincipal } from '../auth/permissions.ts';
import { classifyAsOf } from './status.ts';
import { factsFromRow, FACTS_COLUMNS, type FactsRow } from './tasks.ts';
import type { IsoDate } from './dates.ts';
import { TASK_STATUSES, type TaskFilter } from './task-filter.ts';
import { buildWhere } from './task-query-where.ts';
import { cachedScan, prepared, rememberScan, taskDataVersion } from './task-query-cache.ts';
import {
  emptyListCounts,
  liveIndex,
  liveKept,
  liveKeptCounts,
  liveMatching,
  type ListCounts,
  type LiveTask,
} from './live-status.ts';
import { liveCandidates, liveTests, liveText, liveUpdatedSince } from './task-query-live.ts';
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
  /** how many tasks match (ids.length unless only the first rows were kept) */
  total: number;
  counts: StatusCounts | null;
  at: number;
  version: string;
  /** display rows of the pages already shown ('page:pageSize'), valid as long as the scan itself */
  pages: Map<string, TaskListRow[]>;
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
  const key = JSON.stringify([who, principal.agencyId, withCounts, firstRows ?? 0, { ...f, page: 0, pageSize: 0 }]);
  const now = Date.now();
  const hit = cachedScan<ScanResult>(db, key, version, now);
  if (hit) return hit;

  // counts need every status, so no status prefilter then; the live index knows the statuses (and matches the
  // free text) itself
  const { sql, params, agencyId, narrowed, onlyScope, unitScope } = buildWhere(
    db,
    principal,
    f,
    !withCounts && !live,
    live,
  );
  const C = f.asOf;
  const matches: Match[] = [];
  let counts = withCounts ? emptyListCounts() : null;
  // counted here unless the live index already holds them (a list of every task: see below)
  let countHere = withCounts;
  const consider = (t: Candidate) => {
    const s = t.status;
    // lead agency as of C for the 'lead' role (reassigned tasks were let through by SQL)
    if (agencyId !== null && f.role !== 'coordinator' && t.reassigned && s.agencyId !== agencyId) {
      if (f.role === 'lead') return;
      // 'any': lead as of C, or a coordinator
      const isCoordinator = prepared(db, 'SELECT 1 FROM task_coordinators WHERE task_id = ? AND agency_id = ?').get(
        t.id,
        agencyId,
      );
      if (!isCoordinator) return;
    }
    if (countHere && counts) {
      counts.all++;
      for (const st of TASK_STATUSES) if (statusMatches(s, st, t.assignedOn, C)) counts.byStatus[st]++;
    }
    if (f.status !== undefined && !statusMatches(s, f.status, t.assignedOn, C)) return;
    matches.push({
      id: t.id,
      code: t.code,
      agencyId: s.agencyId,
      assignedOn: t.assignedOn,
      deadline: t.deadline,
      listedDeadline: s.statedDeadline,
      lastUpdateAt: t.lastUpdateAt,
    });
  };
  if (live) {
    // SQL narrows to ids only (no row turned into JS strings); statuses and the free text come from the live index
    const index = liveIndex(db, C);
    // "received" and "updated since" are checked on the index (buildWhere left them out of the SQL)
    const tests = liveTests(f);
    // the free text, matched by the index (kept, followed task by task); null when the filter has none
    const text = liveText(db, index, f);
    const passes = (t: LiveTask) => (text === null || text.has(t.id)) && tests.every((test) => test(t));
    // the smaller of a kept set and the text's matches is gone over, the other checked by `passes`
    const smaller = (ids: Iterable<number> & { size?: number; length?: number }) =>
      text && text.size < (ids.size ?? ids.length ?? Number.POSITIVE_INFINITY) ? text : ids;
    // the counts per status of a set the index keeps, when nothing else narrows it: kept with it, not made here
    const keptCounts = (ids: Set<number>) => {
      if (!withCounts || tests.length > 0) return;
      counts = liveKeptCounts(index, ids);
      countHere = false;
    };
    if (!narrowed) {
      // every task, for a principal who reads them all: the candidates are the index's status matches or the
      // text's, no SQL at all, and with nothing else asked the counts are the index's or the text's own
      if (text) keptCounts(text);
      else if (withCounts && tests.length === 0) {
        const c = index.counts.byStatus;
        counts = { all: c.all, byStatus: { ...c.byStatus } };
        countHere = false;
      }
      if (f.status !== undefined && !countHere) {
        for (const id of smaller(liveMatching(index, f.status))) {
          const t = index.tasks.get(id)!;
          // a text match of another status is left to consider(), which checks the status
          if (t.assignedOn <= C && passes(t)) consider(t);
        }
      } else {
        const recent = liveUpdatedSince(index, f);
        const ids = recent ? smaller(recent) : text;
        if (ids)
          for (const id of ids) {
            const t = index.tasks.get(id)!;
            if (t.assignedOn <= C && passes(t)) consider(t);
          }
        else for (const t of index.tasks.values()) if (t.assignedOn <= C && passes(t)) consider(t);
      }
    } else if (onlyScope && unitScope) {
      // a unit's own list: its tasks kept by the index (the scope of taskScopeSql, held equal by the property test)
      const a = unitScope.agencyId;
      const mine = liveKept(index, `scope:${unitScope.kind}:${a}`, (t) =>
        unitScope.kind === 'lead' ? t.leadAgencyId === a : t.leadAgencyId === a || t.coordinators.includes(a),
      );
      if (!text) keptCounts(mine);
      const status = f.status !== undefined && !countHere ? liveMatching(index, f.status) : null;
      // the smallest of the unit's set, the status matches and the text's matches is gone over
      const over = smaller(status && status.length < mine.size ? status : mine);
      for (const id of over) {
        const t = index.tasks.get(id)!;
        if (t.assignedOn <= C && mine.has(id) && passes(t)) consider(t);
      }
    } else
      for (const id of liveCandidates(db, index, f, withCounts, sql, params)) {
        const t = index.tasks.get(id);
        if (t) consider(t);
      }
  } else {
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
  const cmp = comparator(f, agencyCodes(db));
  const listed =
    firstRows !== undefined && firstRows < matches.length ? firstInOrder(matches, firstRows, cmp) : matches.sort(cmp);
  const result: ScanResult = {
    ids: Int32Array.from(listed, (m) => m.id),
    total: matches.length,
    counts,
    at: now,
    version,
    pages: new Map(),
  };
  rememberScan(db, key, result);
  return result;
}
