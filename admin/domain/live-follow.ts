/**
 * Following the task data version (task-query-cache.ts taskDataVersion) task by task: what a copy kept in memory
 * has seen, which tasks changed since, and their rows. Shared by the live index (live-status.ts), the period views
 * (live-period.ts) and the settled index (settled-index.ts): each keeps its own copy and brings it up to date
 * with only the tasks that changed, or rebuilds when the calendar or names changed or the delta is big.
 */
import type { DB } from '../db/open.ts';
import { statement } from '../db/statements.ts';

/** A delta above this many tasks (an import, a merger) is read as a whole rebuild: one scan is cheaper then. */
const REBUILD_OVER = 2_000;

/** What a copy kept in memory has seen of the data (task-query-cache.ts taskDataVersion, parsed). */
export interface Seen {
  version: string;
  maxEvent: number;
  maxTask: number;
  /** the parts of the version that force a rebuild (calendar, names) */
  rest: string;
}

export function seenAt(version: string): Seen {
  const [e, t, ...rest] = version.split(':');
  return { version, maxEvent: Number(e), maxTask: Number(t), rest: rest.join(':') };
}

/**
 * The ids of the tasks that can have changed between `seen` and `version` (an event or the task itself newer than
 * seen), or null when the copy should be rebuilt (calendar or names changed, ids went back, or a big delta).
 */
export function changedSince(db: DB, seen: Seen, version: string): number[] | null {
  const next = seenAt(version);
  if (next.rest !== seen.rest || next.maxEvent < seen.maxEvent || next.maxTask < seen.maxTask) return null;
  // no DISTINCT: with it SQLite scans the whole task_id index instead of the rowid range; the Set dedupes
  const changed = new Set<number>(
    statement(db, 'SELECT task_id FROM task_events WHERE id > ?').pluck().all(seen.maxEvent) as number[],
  );
  for (const id of statement(db, 'SELECT id FROM tasks WHERE id > ?').pluck().all(seen.maxTask) as number[])
    changed.add(id);
  return changed.size > REBUILD_OVER ? null : [...changed];
}

/**
 * Brings a copy that has seen `copy.seen` up to `version`: `apply` gets the ids of the tasks that can have changed
 * (called only when there are some). False when the copy must be rebuilt instead (changedSince gave up).
 */
export function follow(db: DB, copy: { seen: Seen }, version: string, apply: (changed: number[]) => void): boolean {
  if (copy.seen.version === version) return true;
  const changed = changedSince(db, copy.seen, version);
  if (changed === null) return false;
  if (changed.length > 0) apply(changed);
  copy.seen = seenAt(version);
  return true;
}

/** Rows of `ids` through `sql` (… WHERE <column> IN (…) appended), in chunks. */
export function rowsOf<R>(db: DB, sql: string, ids: number[], column = 'id'): R[] {
  const out: R[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    out.push(...(statement(db, `${sql} WHERE ${column} IN (${chunk.map(() => '?').join(', ')})`).all(...chunk) as R[]));
  }
  return out;
}
