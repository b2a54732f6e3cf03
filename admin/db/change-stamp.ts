/**
 * A stamp that changes whenever the database may have changed: the rows this connection changed
 * (total_changes()) and the commits of every other connection, in this process or another (PRAGMA data_version;
 * several server processes share the file, admin/server-cluster.ts). While the stamp holds the database is as it
 * was, so a value read from it may be served again: one cheap statement instead of the reads it stands for.
 * Conservative: any change at all, a notice or a session's touch, moves it.
 */
import type { DB } from './open.ts';

const statements = new WeakMap<DB, { changes: () => number; version: () => number }>();

/**
 * PRAGMA data_version as read in the current stretch of synchronous work, forgotten at its end (a microtask):
 * another connection's commit seen a moment later is the same as a commit made a moment later, and reading the
 * pragma a dozen times a request cost ≈ 8 µs each under load (the WAL index is read each time). This connection's
 * own changes are never deferred: total_changes() is read on every call.
 */
const versionThisTick = new Map<DB, number>();
let forgetScheduled = false;
const forget = () => {
  versionThisTick.clear();
  forgetScheduled = false;
};

export function changeStamp(db: DB): string {
  let s = statements.get(db);
  if (!s) {
    const changes = db.prepare('SELECT total_changes()').pluck();
    const version = db.prepare('PRAGMA data_version').pluck();
    s = { changes: () => changes.get() as number, version: () => version.get() as number };
    statements.set(db, s);
  }
  let version = versionThisTick.get(db);
  if (version === undefined) {
    versionThisTick.set(db, (version = s.version()));
    if (!forgetScheduled) {
      forgetScheduled = true;
      queueMicrotask(forget);
    }
  }
  return `${s.changes()}.${version}`;
}

/** `read()`, kept per database until its change stamp moves (one value per store). */
export function keptUntilChange<T>(store: WeakMap<DB, { stamp: string; value: T }>, db: DB, read: () => T): T {
  const stamp = changeStamp(db);
  const hit = store.get(db);
  if (hit?.stamp === stamp) return hit.value;
  const value = read();
  store.set(db, { stamp, value });
  return value;
}
