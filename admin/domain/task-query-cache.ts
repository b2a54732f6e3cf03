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

/**
 * Scans kept per database: at most CACHE_MAX, holding at most CACHE_IDS task ids in all (4 bytes each: ≈ 8 MB),
 * the least recently used going first. Bounded by ids, not by count: a hundred units' dashboards keep hundreds of
 * short lists, the Office a few of the whole province.
 */
const CACHE_MAX = 1_024;
const CACHE_IDS = 2_000_000;
export const CACHE_TTL_MS = 60_000;
const scanCache = new WeakMap<DB, { scans: Map<string, CachedScan>; ids: number }>();

/** What the scan cache keeps: anything stamped with the data version and the time it was made. */
export interface CachedScan {
  version: string;
  at: number;
  /** how many task ids it holds (its size in the cache) */
  size: number;
}

/** The cached scan for `key` while the data version holds and for at most CACHE_TTL_MS. */
export function cachedScan<T extends CachedScan>(db: DB, key: string, version: string, now: number): T | undefined {
  const perDb = scanCache.get(db);
  const hit = perDb?.scans.get(key);
  if (!hit || hit.version !== version || now - hit.at >= CACHE_TTL_MS) return undefined;
  // most recently used last
  perDb!.scans.delete(key);
  perDb!.scans.set(key, hit);
  return hit as T;
}

/** The scan kept for `key` whatever its version (one made from the live index can be brought up to date). */
export function staleScan<T extends CachedScan>(db: DB, key: string): T | undefined {
  return scanCache.get(db)?.scans.get(key) as T | undefined;
}

/** Keeps a scan in place of the one kept for `key` (the least recently used go beyond CACHE_MAX or CACHE_IDS). */
export function rememberScan(db: DB, key: string, scan: CachedScan): void {
  let perDb = scanCache.get(db);
  if (!perDb) scanCache.set(db, (perDb = { scans: new Map(), ids: 0 }));
  const before = perDb.scans.get(key);
  if (before) {
    perDb.scans.delete(key);
    perDb.ids -= before.size;
  }
  while (perDb.scans.size > 0 && (perDb.scans.size >= CACHE_MAX || perDb.ids + scan.size > CACHE_IDS)) {
    const [oldest, gone] = perDb.scans.entries().next().value!;
    perDb.scans.delete(oldest);
    perDb.ids -= gone.size;
  }
  perDb.scans.set(key, scan);
  perDb.ids += scan.size;
}

/** Runs `fn` with no scan kept, then puts back those kept before (a test compares made and kept lists). */
export function withScansAside<T>(db: DB, fn: () => T): T {
  const kept = scanCache.get(db);
  scanCache.delete(db);
  try {
    return fn();
  } finally {
    if (kept) scanCache.set(db, kept);
    else scanCache.delete(db);
  }
}

export function clearTaskQueryCache(db?: DB): void {
  if (db) scanCache.delete(db);
}
