/**
 * The task list's narrowing on the live index (live-status.ts) for lists as of its day: the index says which tasks
 * can match the status, the "updated since" day and the free text, and SQL then reads only those ids (or, when they
 * are many, scans and the ids are kept in JS). The free text is matched here on each task's folded search text,
 * lead and coordinating agencies, exactly as task-query-where.ts does in SQL (a token matches the text, or the name
 * or code of the lead or of a coordinating agency); live-status.props.test.ts holds the two paths equal.
 */
import type { DB } from '../db/open.ts';
import {
  liveIndex,
  liveKept,
  liveKeptCounts,
  liveMatching,
  type ListCounts,
  type LiveIndex,
  type LiveTask,
} from './live-status.ts';
import type { TaskFilter } from './task-filter.ts';
import { prepared } from './task-query-cache.ts';
import { agenciesMatching, type buildWhere, localDayStartUtc, queryTokens } from './task-query-where.ts';

/** Above this many candidates, an index scan and a JS check is cheaper than looking each id up. */
const LIVE_CANDIDATES_MAX = 8_000;

/**
 * The filter's parts the live index answers instead of SQL (buildWhere leaves them out in live mode), besides the
 * free text: "received" as of the list's day and "updated since" — the same conditions as task-query-where.ts.
 */
export function liveTests(f: TaskFilter): Array<(t: LiveTask) => boolean> {
  const tests: Array<(t: LiveTask) => boolean> = [];
  if (f.received !== undefined) {
    const C = f.asOf;
    tests.push(
      f.received ? (t) => t.receivedOn !== null && t.receivedOn <= C : (t) => t.receivedOn === null || t.receivedOn > C,
    );
  }
  if (f.updatedFrom !== undefined) tests.push(updatedSince(localDayStartUtc(f.updatedFrom)));
  return tests;
}

const updatedSince = (since: string) => (t: LiveTask) => t.lastUpdateAt !== null && t.lastUpdateAt >= since;

/**
 * The tasks updated since the filter's "updated since" day, kept by the index and followed task by task (the
 * dashboard's "recently updated" list: going over every task after each write cost ≈ 3 ms), or null when the
 * filter does not ask.
 */
export function liveUpdatedSince(index: LiveIndex, f: TaskFilter): Set<number> | null {
  if (f.updatedFrom === undefined) return null;
  const since = localDayStartUtc(f.updatedFrom);
  return liveKept(index, `updated:${since}`, updatedSince(since));
}

/**
 * The tasks whose text, lead or coordinating agency match every token of the filter's free text (task-query-where.ts
 * in SQL), kept by the index and followed task by task: only the changed tasks are matched again after a write.
 * Null when the filter has no free text.
 */
export function liveText(db: DB, index: LiveIndex, f: TaskFilter): Set<number> | null {
  const tokens = queryTokens(f.q);
  if (tokens.length === 0) return null;
  const agencies = agenciesMatching(db, tokens).map((ids) => new Set(ids));
  return liveKept(index, `q:${tokens.join(' ')}`, (t) =>
    tokens.every(
      (tok, i) =>
        t.searchText.includes(tok) ||
        agencies[i]!.has(t.leadAgencyId) ||
        t.coordinators.some((c) => agencies[i]!.has(c)),
    ),
  );
}

/** Ids of the tasks matching the filter's SQL part `sql` and what the index knows of the rest. */
export function liveCandidates(
  db: DB,
  index: LiveIndex,
  f: TaskFilter,
  withCounts: boolean,
  sql: string,
  params: unknown[],
): number[] {
  let wanted: number[] | null = !withCounts && f.status !== undefined ? liveMatching(index, f.status) : null;
  const tests = liveTests(f);
  const text = liveText(db, index, f);
  if (text) {
    if (tests.length === 0 && wanted === null) wanted = [...text];
    else tests.push((t) => text.has(t.id));
  }
  if (tests.length > 0) {
    const ok = (t: LiveTask | undefined) => t !== undefined && tests.every((test) => test(t));
    const recent = liveUpdatedSince(index, f);
    wanted = wanted
      ? wanted.filter((id) => ok(index.tasks.get(id)))
      : recent
        ? [...recent].filter((id) => ok(index.tasks.get(id)))
        : [...index.tasks.values()].filter(ok).map((t) => t.id);
  }
  const idSql = `SELECT t.id FROM tasks t WHERE ${sql}`;
  if (wanted === null)
    return prepared(db, idSql)
      .pluck()
      .all(...params) as number[];
  if (wanted.length <= LIVE_CANDIDATES_MAX)
    return prepared(db, `${idSql} AND t.id IN (SELECT value FROM json_each(?))`)
      .pluck()
      .all(...params, JSON.stringify(wanted)) as number[];
  const keep = new Set(wanted);
  return (
    prepared(db, idSql)
      .pluck()
      .all(...params) as number[]
  ).filter((id) => keep.has(id));
}

/** How a list as of the index's day is made from the live index (task-query-scan.ts). */
export interface LivePlan {
  index: LiveIndex;
  /** visits every candidate of the list (what SQL or the index narrowed to), for the scan's own checks */
  each: (visit: (t: LiveTask) => void) => void;
  /**
   * whether one task is a candidate, the same test `each` applies (a list made earlier is brought up to date by
   * the tasks changed since: task-query-scan.ts), or null when only SQL can tell
   */
  member: ((t: LiveTask) => boolean) | null;
  /** the counts per status, when the index keeps them (countHere false): the scan counts otherwise */
  counts: ListCounts | null;
  countHere: boolean;
}

/**
 * The candidates of a list as of the index's day, and its counts when the index keeps them. SQL narrows to ids
 * only where the index cannot (no row turned into JS strings); statuses and the free text come from the index.
 */
export function livePlan(db: DB, f: TaskFilter, withCounts: boolean, where: ReturnType<typeof buildWhere>): LivePlan {
  const C = f.asOf;
  const index = liveIndex(db, C);
  // "received" and "updated since" are checked on the index (buildWhere left them out of the SQL)
  const tests = liveTests(f);
  // the free text, matched by the index (kept, followed task by task); null when the filter has none
  const text = liveText(db, index, f);
  const passes = (t: LiveTask) => (text === null || text.has(t.id)) && tests.every((test) => test(t));
  // the smaller of a kept set and the text's matches is gone over, the other checked by `passes`
  const smaller = (ids: Iterable<number> & { size?: number; length?: number }) =>
    text && text.size < (ids.size ?? ids.length ?? Number.POSITIVE_INFINITY) ? text : ids;
  let counts: ListCounts | null = null;
  let countHere = withCounts;
  // the counts per status of a set the index keeps, when nothing else narrows it: kept with it, not made here
  const keptCounts = (ids: Set<number>) => {
    if (!withCounts || tests.length > 0) return;
    counts = liveKeptCounts(index, ids);
    countHere = false;
  };
  const over =
    (ids: Iterable<number>, member: (t: LiveTask) => boolean) =>
    (visit: (t: LiveTask) => void): void => {
      for (const id of ids) {
        const t = index.tasks.get(id)!;
        if (member(t)) visit(t);
      }
    };
  const plan = (each: LivePlan['each'], member: LivePlan['member']): LivePlan => ({
    index,
    each,
    member,
    counts,
    countHere,
  });
  if (!where.narrowed) {
    // every task, for a principal who reads them all: the candidates are the index's status matches or the
    // text's, no SQL at all, and with nothing else asked the counts are the index's or the text's own
    const member = (t: LiveTask) => t.assignedOn <= C && passes(t);
    if (text) keptCounts(text);
    else if (withCounts && tests.length === 0) {
      const c = index.counts.byStatus;
      counts = { all: c.all, byStatus: { ...c.byStatus } };
      countHere = false;
    }
    // a text match of another status is left to the scan, which checks the status
    if (f.status !== undefined && !countHere) return plan(over(smaller(liveMatching(index, f.status)), member), member);
    const recent = liveUpdatedSince(index, f);
    const ids = recent ? smaller(recent) : text;
    if (ids) return plan(over(ids, member), member);
    return plan((visit) => {
      for (const t of index.tasks.values()) if (member(t)) visit(t);
    }, member);
  }
  if (where.onlyScope || where.agencyOnly) {
    // a unit's own list, or the tasks of one agency (a unit's dashboard): their sets kept by the index (the
    // scope of taskScopeSql and the agency condition of buildWhere, held equal by the property test)
    const unit = where.unitScope;
    const sets: Array<Set<number>> = [];
    if (unit) {
      const a = unit.agencyId;
      sets.push(
        liveKept(index, `scope:${unit.kind}:${a}`, (t) =>
          unit.kind === 'lead' ? t.leadAgencyId === a : t.leadAgencyId === a || t.coordinators.includes(a),
        ),
      );
    }
    if (where.agencyOnly) {
      const a = where.agencyId!;
      // led (or reassigned: the lead on the day is checked by the scan), coordinated, or either
      const lead = (t: LiveTask) => t.leadAgencyId === a || t.reassigned;
      const coordinates = (t: LiveTask) => t.coordinators.includes(a);
      const role = f.role;
      sets.push(
        liveKept(
          index,
          `agency:${role}:${a}`,
          role === 'lead' ? lead : role === 'coordinator' ? coordinates : (t) => lead(t) || coordinates(t),
        ),
      );
    }
    if (!text && sets.length === 1 && !where.agencyOnly) keptCounts(sets[0]!);
    const status = f.status !== undefined && !countHere ? liveMatching(index, f.status) : null;
    const member = (t: LiveTask) => t.assignedOn <= C && sets.every((set) => set.has(t.id)) && passes(t);
    // the smallest of the sets, the status matches and the text's matches is gone over
    let least: Iterable<number> & { size?: number; length?: number } = status ?? sets[0]!;
    for (const set of sets) if (set.size < (least.size ?? least.length ?? 0)) least = set;
    return plan(over(smaller(least), member), member);
  }
  return plan((visit) => {
    for (const id of liveCandidates(db, index, f, withCounts, where.sql, where.params)) {
      const t = index.tasks.get(id);
      if (t) visit(t);
    }
  }, null);
}
