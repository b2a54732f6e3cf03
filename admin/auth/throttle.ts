/**
 * Login throttling (OWASP ASVS v4 §2.2.1): after 10 failures for one account name or one client address inside a
 * 10-minute window, that bucket is refused for 10 minutes (HTTP 429). Account buckets use the submitted name,
 * whether or not the account exists, so throttling reveals nothing about which accounts exist. A success clears
 * the account bucket but not the address bucket (an attacker's own valid login must not reset its address).
 *
 * Concurrency (issue 9, item 1): the password check is asynchronous, so a check-then-record scheme lets any number
 * of parallel guesses through. Instead every attempt is counted as a failure up front, in one synchronous
 * transaction, before the password is checked (`reserveAttempt`), and refused when its bucket already holds 10
 * failures and attempts in flight. Afterwards it is settled: a failure stays counted and locks the bucket once it
 * is full (`settleFailure`); a success clears the account bucket and gives back its place in the address bucket
 * (`settleSuccess`). `locked_until` only ever grows: nothing written after a lock shortens or removes it.
 */
import type { DB } from '../db/open.ts';

export const THROTTLE_MAX_FAILURES = 10;
export const THROTTLE_WINDOW_MS = 10 * 60_000;
export const THROTTLE_LOCK_MS = 10 * 60_000;

export function throttleBuckets(username: string, ip: string): string[] {
  return [`user:${username.trim().toLowerCase().slice(0, 100)}`, `ip:${ip || 'unknown'}`];
}

/** An attempt counted in its buckets before the password check; settle it with settleFailure or settleSuccess. */
export interface Reservation {
  buckets: string[];
  /** ms; a window started after this no longer holds the attempt */
  at: number;
}

export type ReserveResult = { ok: true; reservation: Reservation } | { ok: false; lockedUntil: number };

interface Row {
  failures: number;
  window_start: number;
  locked_until: number | null;
}

const statements = new WeakMap<DB, ReturnType<typeof prepare>>();
function prepare(db: DB) {
  return {
    get: db.prepare('SELECT failures, window_start, locked_until FROM login_throttle WHERE bucket = ?'),
    // failures and window only; locked_until is never written here
    count: db.prepare(
      `INSERT INTO login_throttle (bucket, failures, window_start, locked_until) VALUES (@bucket, @failures, @windowStart, NULL)
       ON CONFLICT (bucket) DO UPDATE SET failures = @failures, window_start = @windowStart`,
    ),
    // the lock grows only, whatever order late writers arrive in
    lock: db.prepare(
      `UPDATE login_throttle SET failures = 0, window_start = @t, locked_until = max(coalesce(locked_until, 0), @until)
        WHERE bucket = @bucket`,
    ),
    refund: db.prepare(
      'UPDATE login_throttle SET failures = max(failures - 1, 0) WHERE bucket = ? AND window_start <= ? AND failures > 0',
    ),
    clearUnlocked: db.prepare(
      'DELETE FROM login_throttle WHERE bucket = ? AND (locked_until IS NULL OR locked_until <= ?)',
    ),
    prune: db.prepare(
      'DELETE FROM login_throttle WHERE window_start <= ? AND (locked_until IS NULL OR locked_until <= ?)',
    ),
  };
}
function stmts(db: DB) {
  let s = statements.get(db);
  if (!s) statements.set(db, (s = prepare(db)));
  return s;
}

function isLocked(row: Row | undefined, t: number): row is Row & { locked_until: number } {
  return row?.locked_until != null && row.locked_until > t;
}

/** The latest lock end among the buckets (ms), or null when none is locked at `now`. */
export function lockedUntil(db: DB, buckets: string[], now: Date): number | null {
  const t = now.getTime();
  let until: number | null = null;
  for (const b of buckets) {
    const row = stmts(db).get.get(b) as Row | undefined;
    if (isLocked(row, t)) until = Math.max(until ?? 0, row.locked_until);
  }
  return until;
}

/**
 * Counts one attempt as a failure in every bucket, or refuses it when a bucket is locked or already holds
 * THROTTLE_MAX_FAILURES failures and attempts in flight (then nothing is written). One immediate transaction, so
 * two concurrent requests can never both take the last place.
 */
export function reserveAttempt(db: DB, buckets: string[], now: Date): ReserveResult {
  const t = now.getTime();
  const s = stmts(db);
  return db
    .transaction((): ReserveResult => {
      const rows = buckets.map((b) => s.get.get(b) as Row | undefined);
      const locked = rows.filter((r) => isLocked(r, t)).map((r) => r!.locked_until!);
      if (locked.length > 0) return { ok: false, lockedUntil: Math.max(...locked) };
      const counts = rows.map((row) => {
        const fresh = !row || t - row.window_start >= THROTTLE_WINDOW_MS;
        return { failures: fresh ? 0 : row.failures, windowStart: fresh ? t : row.window_start };
      });
      // full of attempts still being checked: refused for as long as the longest of them could still lock it
      if (counts.some((c) => c.failures >= THROTTLE_MAX_FAILURES))
        return { ok: false, lockedUntil: t + THROTTLE_LOCK_MS };
      buckets.forEach((bucket, i) => {
        s.count.run({ bucket, failures: counts[i]!.failures + 1, windowStart: counts[i]!.windowStart });
      });
      return { ok: true, reservation: { buckets: [...buckets], at: t } };
    })
    .immediate();
}

/** The attempt failed: it stays counted; a bucket that is full is locked for THROTTLE_LOCK_MS from `now`. */
export function settleFailure(db: DB, r: Reservation, now: Date): void {
  const t = now.getTime();
  const s = stmts(db);
  db.transaction(() => {
    for (const bucket of r.buckets) {
      const row = s.get.get(bucket) as Row | undefined;
      // a bucket cleared or restarted meanwhile no longer holds this attempt: count it again there
      if (!row || row.window_start > r.at || t - row.window_start >= THROTTLE_WINDOW_MS) {
        if (isLocked(row, t)) continue;
        const fresh = !row || t - row.window_start >= THROTTLE_WINDOW_MS;
        s.count.run({ bucket, failures: (fresh ? 0 : row.failures) + 1, windowStart: fresh ? t : row.window_start });
      }
      const now_ = s.get.get(bucket) as Row;
      if (now_.failures >= THROTTLE_MAX_FAILURES) s.lock.run({ bucket, t, until: t + THROTTLE_LOCK_MS });
    }
  }).immediate();
}

/** The attempt succeeded: the account bucket is cleared (unless locked meanwhile), the address gets its place back. */
export function settleSuccess(db: DB, r: Reservation, now: Date): void {
  const t = now.getTime();
  const s = stmts(db);
  const [account, ...others] = r.buckets;
  db.transaction(() => {
    if (account) s.clearUnlocked.run(account, t);
    for (const bucket of others) s.refund.run(bucket, r.at);
  }).immediate();
}

/** One failed attempt counted and settled at once (tools and tests; the login route reserves first). */
export function recordFailure(db: DB, buckets: string[], now: Date): boolean {
  const r = reserveAttempt(db, buckets, now);
  if (r.ok) settleFailure(db, r.reservation, now);
  return r.ok;
}

/** Drops buckets whose window and lock are over (the sweep in server.ts), so sprayed names do not pile up. */
export function pruneThrottle(db: DB, now: Date): number {
  const t = now.getTime();
  return stmts(db).prune.run(t - THROTTLE_WINDOW_MS, t).changes;
}
