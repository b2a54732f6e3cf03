/**
 * The task query's caches (admin/domain/task-query.ts): prepared statements per SQL text, the data version, and the
 * sorted id lists of recent (scope, filter) scans. Every change to a task appends an event or creates a task
 * (DESIGN.md §3), so (max event id, max task id) is the data version; a scan is reused while it holds, and for at
 * most CACHE_TTL_MS in any case (a bound on staleness for changes made outside the event path, e.g. a rename).
 */
import type { Statement } from 'better-sqlite3';
import type { DB } from '../db/open.ts';
import { keptUntilChange } from '../db/change-stamp.ts';
import { statement } from '../db/statements.ts';

/** Prepared once per database and SQL text (list pages repeat the same few shapes; compiling costs ~0.1 ms each). */
export function prepared(db: DB, sql: string): Statement {
  return statement(db, sql);
}

const versionStatements = new WeakMap<DB, Statement<[], unknown>>();
/** Changes on every write that can change a list: an event appended, a task created or a calendar change. */
export function taskDataVersion(db: DB): string {
  // asked many times a request (every in-memory copy checks it): read again only when the database changed
  return keptUntilChange(lastVersion, db, () => readTaskDataVersion(db));
}

const lastVersion = new WeakMap<DB, { stamp: string; value: string }>();

function readTaskDataVersion(db: DB): string {
  let stmt = versionStatements.get(db);
  if (!stmt)
    versionStatements.set(
      db,
      // a holiday calendar change moves upcoming deadlines, so it changes lists too (holidays.ts); a rename or a
      // merger changes the names shown (agency-names.ts: a name row, or a successor recorded)
      (stmt = db.prepare(
        `SELECT (SELECT max(id) FROM task_events) AS e, (SELECT max(id) FROM tasks) AS t, (SELECT max(id) FROM calendar_changes) AS c,
           (SELECT count(*) FROM agency_names) || '.' || (SELECT total(successor_id) FROM agencies) AS n`,
      )),
    );
  const r = stmt.get() as { e: number | null; t: number | null; c: number | null; n: string };
  return `${r.e ?? 0}:${r.t ?? 0}:${r.c ?? 0}:${r.n}`;
}

const CACHE_MAX = 64;
const CACHE_TTL_MS = 60_000;
const scanCache = new WeakMap<DB, Map<string, CachedScan>>();

/** What the scan cache keeps: anything stamped with the data version and the time it was made. */
export interface CachedScan {
  version: string;
  at: number;
}

/** The cached scan for `key` while the data version holds and for at most CACHE_TTL_MS. */
export function cachedScan<T extends CachedScan>(db: DB, key: string, version: string, now: number): T | undefined {
  const hit = scanCache.get(db)?.get(key);
  return hit && hit.version === version && now - hit.at < CACHE_TTL_MS ? (hit as T) : undefined;
}

/** Keeps a scan (the oldest goes when CACHE_MAX are kept). */
export function rememberScan(db: DB, key: string, scan: CachedScan): void {
  let perDb = scanCache.get(db);
  if (!perDb) scanCache.set(db, (perDb = new Map()));
  if (perDb.size >= CACHE_MAX) perDb.delete(perDb.keys().next().value!);
  perDb.set(key, scan);
}

export function clearTaskQueryCache(db?: DB): void {
  if (db) scanCache.delete(db);
}
