/**
 * The two facts the meeting report needs that no domain function gives yet: the last urging of each task on or
 * before the cutoff (Phụ lục III) and how many confidential tasks the internal figures count. Read-only.
 */
import type { DB } from '../db/open.ts';
import type { IsoDate } from '../domain/dates.ts';

/** task id → the day of its last 'urged' event on or before `asOf`. */
export function lastUrgedOn(db: DB, taskIds: readonly number[], asOf: IsoDate): Map<number, IsoDate> {
  const out = new Map<number, IsoDate>();
  if (taskIds.length === 0) return out;
  // one lookup per task on the (task_id, occurred_on) index: undated open tasks are a few hundred at most
  const stmt = db.prepare(
    `SELECT max(occurred_on) AS last FROM task_events WHERE task_id = ? AND kind = 'urged' AND occurred_on <= ?`,
  );
  for (const id of taskIds) {
    const r = stmt.get(id, asOf) as { last: IsoDate | null };
    if (r.last) out.set(id, r.last);
  }
  return out;
}

/** Confidential tasks counted as of `asOf` (assigned by then, not cancelled by then: status.ts "counted"). */
export function confidentialCounted(db: DB, asOf: IsoDate): number {
  const row = db
    .prepare(
      `SELECT count(*) AS n FROM tasks
       WHERE confidential = 1 AND assigned_on <= ? AND (cancelled_on IS NULL OR cancelled_on > ?)`,
    )
    .get(asOf, asOf) as { n: number };
  return row.n;
}
