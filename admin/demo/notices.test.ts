import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open.ts';
import { generateProvince } from './generate.ts';
import { createDemoUsers } from '../auth/demo-users.ts';
import { createPasswordHasher, TEST_ARGON_PARAMS } from '../auth/password.ts';
import { seedDemoNotices } from './notices.ts';

describe('the demo writes the notices a running server would have', () => {
  it('new tasks of the last two weeks and one daily job run; a rerun writes nothing more', () => {
    const now = new Date('2026-10-30T02:00:00.000Z');
    const db = openDatabase(':memory:');
    generateProvince(db, { years: 1, seed: 'notices', endDate: '2026-10-30', now });
    createDemoUsers(db, createPasswordHasher(TEST_ARGON_PARAMS), now);
    const first = seedDemoNotices(db, '2026-10-30', now);
    expect(first.newTasks).toBeGreaterThan(0);
    expect(first.overdue + first.dueSoon).toBeGreaterThan(0);
    const byKind = db.prepare('SELECT kind, count(*) AS n FROM notices GROUP BY kind').all() as Array<{
      kind: string;
      n: number;
    }>;
    expect(byKind.map((k) => k.kind)).toEqual(expect.arrayContaining(['task_new']));
    // only the accounts of the units concerned (and never an administrator or a leader)
    const roles = db
      .prepare('SELECT DISTINCT COALESCE(u.unit_role, u.role) FROM notices n JOIN users u ON u.id = n.user_id')
      .pluck()
      .all() as string[];
    for (const r of roles) expect(['agency', 'head', 'officer', 'confirmer']).toContain(r);
    const total = db.prepare('SELECT count(*) FROM notices').pluck().get();
    const again = seedDemoNotices(db, '2026-10-30', now);
    expect(again.newTasks).toBe(0);
    expect(db.prepare('SELECT count(*) FROM notices').pluck().get()).toBe(total);
  });
});
