/**
 * The task list's narrowing on the live index (live-status.ts) for lists as of its day: the index says which tasks
 * can match the status, the "updated since" day and the free text, and SQL then reads only those ids (or, when they
 * are many, scans and the ids are kept in JS). The free text is matched here on each task's folded search text,
 * lead and coordinating agencies, exactly as task-query-where.ts does in SQL (a token matches the text, or the name
 * or code of the lead or of a coordinating agency); live-status.props.test.ts holds the two paths equal.
 */
import type { DB } from '../db/open.ts';
import { liveKept, liveMatching, type LiveIndex, type LiveTask } from './live-status.ts';
import type { TaskFilter } from './task-filter.ts';
import { prepared } from './task-query-cache.ts';
import { agenciesMatching, localDayStartUtc, queryTokens } from './task-query-where.ts';

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
