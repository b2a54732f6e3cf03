import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open.ts';
import { lockedUntil, pruneThrottle, recordFailure, THROTTLE_LOCK_MS, throttleBuckets } from './throttle.ts';
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
});
