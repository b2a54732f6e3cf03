/**
 * Every task's status as of one day, kept in memory and brought up to date by what changed (issue 14: fast without
 * page caches). The pages people open all day — the dashboard, the task list as of today, GET /api/v1/stats — ask
 * the same question ("where does each task stand today?") and used to answer it by reading every task row's facts
 * (≈ 37 ms of SQL on ten years, most of it turning columns into JS strings) and classifying each one again, after
 * every write. Here the answer is kept per (database, day) and, when the data version moves, only the tasks whose
 * events or rows are newer than the last look are read again and reclassified (a write touches one task).
 *
 * Correctness: every change to a task appends an event or creates a task (DESIGN.md §3; task-query-cache.ts), so
 * the tasks with an event id or task id above the last seen ones are exactly the tasks that can have changed. A
 * change of the holiday calendar or of agency names/successors (the other parts of the data version), a new day
 * (another index), or a delta bigger than REBUILD_OVER (live-follow.ts: an import) rebuilds the whole index.
 * Classification is status.ts classifyAsOf with the database's calendar, as computeStats does: the same rules, nothing copied.
 * Property tests (live-status.props.test.ts) compare every use with the SQL path on random histories.
 */
import type { DB } from '../db/open.ts';
import { statement } from '../db/statements.ts';
import { follow, rowsOf, type Seen, seenAt } from './live-follow.ts';
import type { IsoDate } from './dates.ts';
import { deadlineCalendarOf } from './holidays.ts';
import { addToCounts, emptyCounts, type Counts } from './counts.ts';
import { classifyAsOf, type TaskStatus } from './status.ts';
import { FACTS_COLUMNS, factsFromRow, type FactsRow } from './tasks.ts';
import { taskDataVersion } from './task-query-cache.ts';
import { TASK_STATUSES, type TaskStatusFilter } from './task-filter.ts';
import { statusMatches } from './task-list-status.ts';

/** What the lists and counts need of one task as of the index's day (its display fields are read per page). */
export interface LiveTask {
  id: number;
  code: string;
  assignedOn: IsoDate;
  deadline: IsoDate | null;
  lastUpdateAt: string | null;
  /** ever reassigned (the lead on the day may differ from the current lead) */
  reassigned: boolean;
  confidential: boolean;
  /** folded title, code, document … (tasks.search_text), for the list's free text */
  searchText: string;
  /** the current lead (the free text matches it; the lead on the day is status.agencyId) */
  leadAgencyId: number;
  /** coordinating agencies' ids */
  coordinators: number[];
  /** not acknowledged, not confirmed, not cancelled (the dashboard's "new, not yet received" count) */
  unreceived: boolean;
  /** the day the lead acknowledged it (the task list's "received" filter) */
  receivedOn: IsoDate | null;
  status: TaskStatus;
}

/** Running counts of the index's day per lead agency on that day: every task, and the public ones only. */
export interface LiveCounts {
  all: Map<number, Counts>;
  public: Map<number, Counts>;
  /** open tasks not yet acknowledged, per lead agency */
  unreceived: Map<number, number>;
  /** the task list's counts per status over every task assigned by the day (task-query-scan.ts, no filter) */
  byStatus: ListCounts;
}

export interface LiveIndex {
  day: IsoDate;
  /** id → task, every task of the database */
  tasks: Map<number, LiveTask>;
  /** kept up to date with `tasks`: a task's old contribution is taken out and its new one added on each change */
  counts: LiveCounts;
}

interface State extends LiveIndex {
  /** ids per status filter, as of this version (dropped on any change) */
  matching: Map<TaskStatusFilter, number[]>;
  /** tasks open on the day (counted, not completed): the only ones an open-only status filter can match */
  open: Set<number>;
  /** ids passing a test (the task list's free text), per key, followed task by task (liveKept) */
  kept: Map<string, Kept>;
  seen: Seen;
  /** the last deltas followed, oldest first, each from the version before to the next (liveChangedSince) */
  log: Array<{ from: string; changed: number[] }>;
}

/** A kept set (liveKept) and, once asked for, its counts per status (liveKeptCounts), both followed task by task. */
interface Kept {
  test: (t: LiveTask) => boolean;
  ids: Set<number>;
  counts?: ListCounts;
}

/** The task list's counts per status (task-query-scan.ts StatusCounts): every task assigned by the day, and those
 * matching each status filter. */
export type ListCounts = { all: number; byStatus: Record<TaskStatusFilter, number> };

interface Row extends FactsRow {
  id: number;
  code: string;
  search_text: string;
  last_update_at: string | null;
  confidential: number;
}

/** Days kept per database: today and two more (the day just ended, read by a report or the job at midnight). */
const DAYS_KEPT = 3;

const states = new WeakMap<DB, Map<IsoDate, State>>();

const SELECT = `SELECT id, code, last_update_at, confidential, search_text, ${FACTS_COLUMNS} FROM tasks`;

function toLive(
  r: Row,
  day: IsoDate,
  calendar: ReturnType<typeof deadlineCalendarOf>,
  coordinators: Map<number, number[]>,
): LiveTask {
  return {
    id: r.id,
    code: r.code,
    assignedOn: r.assigned_on,
    deadline: r.deadline,
    lastUpdateAt: r.last_update_at,
    reassigned: r.agency_history !== null,
    confidential: r.confidential === 1,
    searchText: r.search_text,
    leadAgencyId: r.lead_agency_id,
    coordinators: coordinators.get(r.id) ?? [],
    unreceived: r.received_on === null && r.cancelled_on === null && r.confirmed_on === null,
    receivedOn: r.received_on,
    status: classifyAsOf(factsFromRow(r), day, calendar),
  };
}

const isOpen = (s: TaskStatus) =>
  s.counted && (s.category === 'inProgress' || s.category === 'overdue' || s.category === 'noDeadline');

export const emptyListCounts = (): ListCounts => ({
  all: 0,
  byStatus: Object.fromEntries(TASK_STATUSES.map((st) => [st, 0])) as Record<TaskStatusFilter, number>,
});

/** Adds (n = 1) or takes out (n = -1) one task's part of a list's counts per status as of `day`. */
function countInList(list: ListCounts, t: LiveTask, n: 1 | -1, day: IsoDate): void {
  if (t.assignedOn > day) return;
  list.all += n;
  for (const st of TASK_STATUSES) if (statusMatches(t.status, st, t.assignedOn, day)) list.byStatus[st] += n;
}

/** Adds (n = 1) or takes out (n = -1) one task's part of the running counts and the open set. */
function account(state: State, t: LiveTask, n: 1 | -1): void {
  const s = t.status;
  if (isOpen(s)) {
    if (n === 1) state.open.add(t.id);
    else state.open.delete(t.id);
  }
  if (t.unreceived && t.assignedOn <= state.day)
    state.counts.unreceived.set(s.agencyId, (state.counts.unreceived.get(s.agencyId) ?? 0) + n);
  countInList(state.counts.byStatus, t, n, state.day);
  if (!s.counted || s.category === null || t.assignedOn > state.day) return;
  const add = (m: Map<number, Counts>) => {
    let c = m.get(s.agencyId);
    if (!c) m.set(s.agencyId, (c = emptyCounts()));
    addToCounts(c, s, n);
  };
  add(state.counts.all);
  if (!t.confidential) add(state.counts.public);
}

function put(state: State, t: LiveTask): void {
  const old = state.tasks.get(t.id);
  if (old) account(state, old, -1);
  state.tasks.set(t.id, t);
  account(state, t, 1);
  for (const k of state.kept.values()) {
    const was = k.ids.has(t.id);
    const is = k.test(t);
    if (is) k.ids.add(t.id);
    else k.ids.delete(t.id);
    if (k.counts) {
      if (was && old) countInList(k.counts, old, -1, state.day);
      if (is) countInList(k.counts, t, 1, state.day);
    }
  }
}

/** task id → coordinating agency ids, of every task (ids null) or of these. */
function coordinatorsOf(db: DB, ids: number[] | null): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const rows =
    ids === null
      ? (statement(db, 'SELECT task_id, agency_id FROM task_coordinators').raw(true).all() as Array<[number, number]>)
      : rowsOf<{ task_id: number; agency_id: number }>(
          db,
          'SELECT task_id, agency_id FROM task_coordinators',
          ids,
          'task_id',
        ).map((r) => [r.task_id, r.agency_id] as [number, number]);
  for (const [task, agency] of rows) {
    let list = out.get(task);
    if (!list) out.set(task, (list = []));
    list.push(agency);
  }
  return out;
}

function build(db: DB, day: IsoDate, version: string): State {
  const calendar = deadlineCalendarOf(db);
  const state: State = {
    day,
    tasks: new Map(),
    counts: {
      all: new Map(),
      public: new Map(),
      unreceived: new Map(),
      byStatus: emptyListCounts(),
    },
    matching: new Map(),
    open: new Set(),
    kept: new Map(),
    seen: seenAt(version),
    log: [],
  };
  const coordinators = coordinatorsOf(db, null);
  for (const r of statement(db, SELECT).iterate() as IterableIterator<Row>)
    put(state, toLive(r, day, calendar, coordinators));
  return state;
}

/** Brings `s` to `version` by reading again the tasks changed since; false when a rebuild is the better way. */
function update(db: DB, s: State, version: string): boolean {
  const from = s.seen.version;
  let delta: number[] = [];
  const ok = follow(db, s, version, (changed) => {
    delta = changed;
    const calendar = deadlineCalendarOf(db);
    const coordinators = coordinatorsOf(db, changed);
    for (const r of rowsOf<Row>(db, SELECT, changed)) put(s, toLive(r, s.day, calendar, coordinators));
    refreshMatching(s, changed);
  });
  if (ok && from !== version) {
    s.log.push({ from, changed: delta });
    if (s.log.length > LOG_MAX) s.log.shift();
  }
  return ok;
}

/** Deltas kept for liveChangedSince: a list made a few writes ago is brought up to date, an older one made again. */
const LOG_MAX = 64;

/**
 * The ids of the tasks that changed in the index since it stood at `version` (none when it still does), or null
 * when that version is not among the last LOG_MAX it followed (or the index was made again since): a list made
 * from the index then (task-query-scan.ts) is brought up to date by these tasks alone.
 */
export function liveChangedSince(index: LiveIndex, version: string): number[] | null {
  const s = index as State;
  if (version === s.seen.version) return [];
  const i = s.log.findIndex((e) => e.from === version);
  if (i < 0) return null;
  const out = new Set<number>();
  for (let j = i; j < s.log.length; j++) for (const id of s.log[j]!.changed) out.add(id);
  return [...out];
}

/**
 * The kept status lists (liveMatching) brought up to date with the changed tasks, each kept ascending: making them
 * again after every write went over the open set or every task (≈ 0.3 ms a list on ten years).
 */
function refreshMatching(s: State, changed: number[]): void {
  for (const [wanted, ids] of s.matching)
    for (const id of changed) {
      const t = s.tasks.get(id);
      let lo = 0;
      let hi = ids.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (ids[mid]! < id) lo = mid + 1;
        else hi = mid;
      }
      const present = ids[lo] === id;
      const matches = t !== undefined && statusMatches(t.status, wanted, t.assignedOn, s.day);
      if (present && !matches) ids.splice(lo, 1);
      else if (!present && matches) ids.splice(lo, 0, id);
    }
}

/**
 * The index for `day`, up to date with the database as it stands on this connection now. The first call of a day
 * reads every task (≈ 40 ms on ten years); later calls read only what changed.
 */
export function liveIndex(db: DB, day: IsoDate): LiveIndex {
  let perDb = states.get(db);
  if (!perDb) states.set(db, (perDb = new Map()));
  const version = taskDataVersion(db);
  const s = perDb.get(day);
  if (s && update(db, s, version)) {
    // most recently used last, so the oldest day is the one dropped
    perDb.delete(day);
    perDb.set(day, s);
    return s;
  }
  const fresh = build(db, day, version);
  perDb.delete(day);
  if (perDb.size >= DAYS_KEPT) perDb.delete(perDb.keys().next().value!);
  perDb.set(day, fresh);
  return fresh;
}

/** Status filters only an open task can match (task-list-status.ts statusMatches). */
const OPEN_ONLY: ReadonlySet<TaskStatusFilter> = new Set([
  'open',
  'inProgress',
  'overdue',
  'noDeadline',
  'dueSoon',
  'awaitingConfirmation',
]);

/**
 * Ids of the tasks matching a status filter on the index's day (ascending), kept while the index lives and brought
 * up to date with each changed task (refreshMatching). Callers must not modify the list.
 */
export function liveMatching(index: LiveIndex, wanted: TaskStatusFilter): number[] {
  const s = index as State;
  let ids = s.matching.get(wanted);
  if (!ids) {
    ids = [];
    if (OPEN_ONLY.has(wanted)) {
      for (const id of s.open) {
        const t = s.tasks.get(id)!;
        if (statusMatches(t.status, wanted, t.assignedOn, s.day)) ids.push(id);
      }
      ids.sort((a, b) => a - b);
    } else {
      for (const t of s.tasks.values()) if (statusMatches(t.status, wanted, t.assignedOn, s.day)) ids.push(t.id);
      ids.sort((a, b) => a - b); // ascending, which refreshMatching keeps
    }
    s.matching.set(wanted, ids);
  }
  return ids;
}

const KEPT_MAX = 32;

/**
 * Ids of the tasks passing `test`, kept under `key` while the index lives and brought up to date with each changed
 * task (the free text of a list: matching it against every task again after each write cost ≈ 5–15 ms). `test` must
 * depend only on the task and on what a rebuild renews (agency names: a rename rebuilds the index).
 */
export function liveKept(index: LiveIndex, key: string, test: (t: LiveTask) => boolean): Set<number> {
  const s = index as State;
  let k = s.kept.get(key);
  if (k) {
    s.kept.delete(key); // most recently used last
  } else {
    const ids = new Set<number>();
    for (const t of s.tasks.values()) if (test(t)) ids.add(t.id);
    k = { test, ids };
    if (s.kept.size >= KEPT_MAX) s.kept.delete(s.kept.keys().next().value!);
  }
  s.kept.set(key, k);
  return k.ids;
}

/**
 * The counts per status of a kept set (as liveKept returned it) over its tasks assigned by the index's day, kept
 * with the set and followed task by task (the same counts task-query-scan.ts would make going over the set).
 */
export function liveKeptCounts(index: LiveIndex, ids: Set<number>): ListCounts {
  const s = index as State;
  for (const k of s.kept.values()) {
    if (k.ids !== ids) continue;
    if (!k.counts) {
      const counts = emptyListCounts();
      for (const id of ids) countInList(counts, s.tasks.get(id)!, 1, s.day);
      k.counts = counts;
    }
    return { all: k.counts.all, byStatus: { ...k.counts.byStatus } };
  }
  throw new Error('liveKeptCounts: a set the index does not keep');
}

/** Drops the indexes of a database (tests that rewrite rows behind the event path). */
export function clearLiveIndex(db: DB): void {
  states.delete(db);
}
