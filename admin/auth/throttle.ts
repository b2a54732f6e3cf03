/**
 * Login throttling (OWASP ASVS v4 §2.2.1): after 10 failures for one account name or one client address inside a
 * 10-minute window, that bucket is refused for 10 minutes (HTTP 429). Account buckets use the submitted name,
 * whether or not the account exists, so throttling reveals nothing about which accounts exist. A success clears
 * the account bucket but not the address bucket (an attacker's own valid login must not reset its address).
 */
import type { DB } from '../db/open.ts';

export const THROTTLE_MAX_FAILURES = 10;
export const THROTTLE_WINDOW_MS = 10 * 60_000;
export const THROTTLE_LOCK_MS = 10 * 60_000;

export function throttleBuckets(username: string, ip: string): string[] {
  return [`user:${username.trim().toLowerCase().slice(0, 100)}`, `ip:${ip || 'unknown'}`];
}

/** The latest lock end among the buckets (ms), or null when none is locked at `now`. */
export function lockedUntil(db: DB, buckets: string[], now: Date): number | null {
  let until: number | null = null;
  const stmt = db.prepare('SELECT locked_until FROM login_throttle WHERE bucket = ?');
  for (const b of buckets) {
    const row = stmt.get(b) as { locked_until: number | null } | undefined;
    if (row?.locked_until != null && row.locked_until > now.getTime()) until = Math.max(until ?? 0, row.locked_until);
  }
  return until;
}

/** Counts one failure in every bucket; locks the ones reaching the limit. */
export function recordFailure(db: DB, buckets: string[], now: Date): void {
  const t = now.getTime();
  const get = db.prepare('SELECT failures, window_start, locked_until FROM login_throttle WHERE bucket = ?');
  const upsert = db.prepare(
    `INSERT INTO login_throttle (bucket, failures, window_start, locked_until) VALUES (@bucket, @failures, @windowStart, @lockedUntil)
     ON CONFLICT (bucket) DO UPDATE SET failures = @failures, window_start = @windowStart, locked_until = @lockedUntil`,
  );
  for (const bucket of buckets) {
    const row = get.get(bucket) as { failures: number; window_start: number; locked_until: number | null } | undefined;
    const fresh = !row || t - row.window_start >= THROTTLE_WINDOW_MS;
    const failures = (fresh ? 0 : row!.failures) + 1;
    const windowStart = fresh ? t : row!.window_start;
    const lock = failures >= THROTTLE_MAX_FAILURES ? t + THROTTLE_LOCK_MS : null;
    upsert.run({ bucket, failures: lock ? 0 : failures, windowStart: lock ? t : windowStart, lockedUntil: lock });
  }
}

export function clearBucket(db: DB, bucket: string): void {
  db.prepare('DELETE FROM login_throttle WHERE bucket = ?').run(bucket);
}

/** Drops buckets whose window and lock are over (the sweep in server.ts), so sprayed names do not pile up. */
export function pruneThrottle(db: DB, now: Date): number {
  const t = now.getTime();
  return db
    .prepare('DELETE FROM login_throttle WHERE window_start <= ? AND (locked_until IS NULL OR locked_until <= ?)')
    .run(t - THROTTLE_WINDOW_MS, t).changes;
}
