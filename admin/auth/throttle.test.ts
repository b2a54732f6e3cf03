import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open.ts';
import {
  lockedUntil,
  pruneThrottle,
  recordFailure,
  reserveAttempt,
  type Reservation,
  settleFailure,
  settleSuccess,
  THROTTLE_LOCK_MS,
  throttleBuckets,
} from './throttle.ts';
import { createSession, deleteExpiredSessions, SESSION_IDLE_MS } from './session.ts';

describe('throttle buckets', () => {
  it('locks at the 10th failure inside the window, not before; failures spread over more than 10 minutes do not lock', () => {
    const db = openDatabase(':memory:');
    const t0 = Date.parse('2026-03-01T00:00:00Z');
    const b = throttleBuckets('Ai Do', '192.0.2.1');
    expect(b).toEqual(['user:ai do', 'ip:192.0.2.1']);
    for (let i = 0; i < 9; i++) recordFailure(db, b, new Date(t0 + i * 1000));
    expect(lockedUntil(db, b, new Date(t0 + 9000))).toBeNull();
    recordFailure(db, b, new Date(t0 + 9000));
    expect(lockedUntil(db, b, new Date(t0 + 9000))).toBe(t0 + 9000 + THROTTLE_LOCK_MS);
    const slow = throttleBuckets('cham', '192.0.2.2');
    for (let i = 0; i < 12; i++) recordFailure(db, slow, new Date(t0 + i * 70_000));
    expect(lockedUntil(db, slow, new Date(t0 + 12 * 70_000))).toBeNull();
  });

  it('prunes stale buckets and expired sessions', () => {
    const db = openDatabase(':memory:');
    const t0 = Date.parse('2026-03-01T00:00:00Z');
    recordFailure(db, throttleBuckets('x', '1.1.1.1'), new Date(t0));
    expect(pruneThrottle(db, new Date(t0 + 60_000))).toBe(0);
    expect(pruneThrottle(db, new Date(t0 + 11 * 60_000))).toBe(2);
    db.prepare(
      "INSERT INTO users (username, display_name, role, password_hash) VALUES ('u', 'U', 'leader', 'x')",
    ).run();
    createSession(db, 1, new Date(t0));
    expect(deleteExpiredSessions(db, new Date(t0 + SESSION_IDLE_MS - 1))).toBe(0);
    expect(deleteExpiredSessions(db, new Date(t0 + SESSION_IDLE_MS))).toBe(1);
  });

  it('reserves before the check: an 11th attempt while 10 are in flight is refused and writes nothing', () => {
    const db = openDatabase(':memory:');
    const t0 = new Date('2026-03-01T00:00:00Z');
    const b = throttleBuckets('ai', '192.0.2.3');
    const held: Reservation[] = [];
    for (let i = 0; i < 10; i++) {
      const r = reserveAttempt(db, b, t0);
      expect(r.ok).toBe(true);
      if (r.ok) held.push(r.reservation);
    }
    const before = db.prepare('SELECT * FROM login_throttle ORDER BY bucket').all();
    expect(reserveAttempt(db, b, t0).ok).toBe(false);
    expect(reserveAttempt(db, throttleBuckets('khac', '192.0.2.3'), t0).ok).toBe(false); // the address is full too
    expect(db.prepare('SELECT * FROM login_throttle ORDER BY bucket').all()).toEqual(before);
    // in flight is not locked yet: the address gets its places back as other accounts' logins succeed
    expect(lockedUntil(db, b, t0)).toBeNull();
    settleSuccess(db, held.pop()!, t0);
    expect(reserveAttempt(db, throttleBuckets('khac', '192.0.2.3'), t0).ok).toBe(true);
  });

  it('a failure recorded after the lock keeps the lock (it used to write locked_until back to NULL)', () => {
    const db = openDatabase(':memory:');
    const t0 = Date.parse('2026-03-01T00:00:00Z');
    const b = throttleBuckets('ai', '192.0.2.6');
    for (let i = 0; i < 10; i++) recordFailure(db, b, new Date(t0));
    expect(lockedUntil(db, b, new Date(t0))).toBe(t0 + THROTTLE_LOCK_MS);
    recordFailure(db, b, new Date(t0 + 1000));
    expect(lockedUntil(db, b, new Date(t0 + 1000))).toBe(t0 + THROTTLE_LOCK_MS);
  });

  it('a late failure never unlocks or shortens a lock', () => {
    const db = openDatabase(':memory:');
    const t0 = Date.parse('2026-03-01T00:00:00Z');
    const b = throttleBuckets('ai', '192.0.2.4');
    const held: Reservation[] = [];
    for (let i = 0; i < 10; i++) {
      const r = reserveAttempt(db, b, new Date(t0));
      if (r.ok) held.push(r.reservation);
    }
    expect(held).toHaveLength(10);
    // the first settled failure finds the bucket full (failures + in flight) and locks it
    settleFailure(db, held[0]!, new Date(t0 + 1000));
    const until = t0 + 1000 + THROTTLE_LOCK_MS;
    expect(lockedUntil(db, b, new Date(t0 + 1000))).toBe(until);
    // the other nine arrive late, in any order; a success of the same account does not lift the lock either
    for (const r of held.slice(1, 9)) settleFailure(db, r, new Date(t0 + 2000));
    settleSuccess(db, held[9]!, new Date(t0 + 3000));
    expect(lockedUntil(db, b, new Date(t0 + 3000))).toBe(until);
    expect(reserveAttempt(db, b, new Date(until - 1)).ok).toBe(false);
    // and a failure settled long after (a stale reservation) neither removes nor shortens it
    settleFailure(db, held[0]!, new Date(t0 + 5000));
    expect(lockedUntil(db, b, new Date(until - 1))).toBe(until);
    expect(reserveAttempt(db, b, new Date(until)).ok).toBe(true);
  });

  it('a success clears the account bucket and gives the address its place back', () => {
    const db = openDatabase(':memory:');
    const t = new Date('2026-03-01T00:00:00Z');
    for (let i = 0; i < 9; i++) recordFailure(db, throttleBuckets('ai', '192.0.2.5'), t);
    const r = reserveAttempt(db, throttleBuckets('ai', '192.0.2.5'), t);
    expect(r.ok).toBe(true);
    if (r.ok) settleSuccess(db, r.reservation, t);
    const rows = db.prepare('SELECT bucket, failures FROM login_throttle ORDER BY bucket').all();
    expect(rows).toEqual([{ bucket: 'ip:192.0.2.5', failures: 9 }]);
    // the address still counts its nine failures: the tenth locks it
    expect(recordFailure(db, throttleBuckets('khac', '192.0.2.5'), t)).toBe(true);
    expect(lockedUntil(db, throttleBuckets('ai-nua', '192.0.2.5'), t)).toBe(t.getTime() + THROTTLE_LOCK_MS);
  });
});
