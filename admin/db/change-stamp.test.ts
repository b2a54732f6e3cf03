/**
 * The change stamp and what is served again while it holds: the session's row, the task data version. Each must
 * follow a change made through this connection and one committed by another connection (another server process).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DB } from './open.ts';
import { changeStamp } from './change-stamp.ts';
import { createSession, validateSessionToken } from '../auth/session.ts';
import { insertUser } from '../auth/users.ts';
import { taskDataVersion } from '../domain/task-query-cache.ts';
import { countUnread } from '../domain/notices-read.ts';
import { noticeScope } from '../domain/notices.ts';
import { makeTestApp } from '../test/support/admin-app.ts';

const dirs: string[] = [];
const open: DB[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function twoConnections(): [DB, DB] {
  const dir = mkdtempSync(join(tmpdir(), 'stamp-'));
  dirs.push(dir);
  const a = openDatabase(join(dir, 'app.db'));
  const b = openDatabase(join(dir, 'app.db'));
  open.push(a, b);
  return [a, b];
}

/** the end of the current stretch of synchronous work (as between two requests) */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function signedIn(db: DB) {
  const userId = insertUser(
    db,
    { username: 'chuyenvien', displayName: 'Chuyên viên', email: null, role: 'specialist', agencyId: null },
    'x',
    false,
    new Date(),
  );
  return { userId, ...createSession(db, userId, new Date()) };
}

describe('changeStamp', () => {
  it('holds across reads, moves on a change here at once and on a commit by another connection from the next tick', async () => {
    const [a, b] = twoConnections();
    const s0 = changeStamp(a);
    a.prepare('SELECT count(*) FROM tasks').get();
    expect(changeStamp(a)).toBe(s0);
    a.prepare("INSERT INTO settings (key, value) VALUES ('k', '1')").run();
    const s1 = changeStamp(a);
    expect(s1).not.toBe(s0); // this connection's own change: in the same stretch of work
    b.prepare("UPDATE settings SET value = '2' WHERE key = 'k'").run();
    // another connection's commit: seen once this stretch of synchronous work has ended (data_version read once)
    expect(changeStamp(a)).toBe(s1);
    await tick();
    expect(changeStamp(a)).not.toBe(s1);
  });
});

describe('served again while the stamp holds', () => {
  it('a session ended or an account disabled by another process is refused at the next request', async () => {
    const [a, b] = twoConnections();
    const { token, userId } = signedIn(a);
    expect(validateSessionToken(a, token, new Date())?.user.id).toBe(userId);
    expect(validateSessionToken(a, token, new Date())?.user.id).toBe(userId); // from the kept row
    b.prepare('UPDATE users SET disabled = 1 WHERE id = ?').run(userId);
    await tick();
    expect(validateSessionToken(a, token, new Date())).toBeNull();

    const second = createSession(a, userId, new Date());
    a.prepare('UPDATE users SET disabled = 0 WHERE id = ?').run(userId);
    expect(validateSessionToken(a, second.token, new Date())?.user.id).toBe(userId);
    b.prepare('DELETE FROM sessions WHERE id = ?').run(second.session.id);
    await tick();
    expect(validateSessionToken(a, second.token, new Date())).toBeNull();
  });

  it('the kept row still goes through every check: a wrong secret, the idle expiry', () => {
    const [a] = twoConnections();
    const { token } = signedIn(a);
    const [id, secret] = token.split('.') as [string, string];
    expect(validateSessionToken(a, token, new Date())).not.toBeNull();
    const wrong = `${id}.${secret.slice(0, -1)}${secret.endsWith('a') ? 'b' : 'a'}`;
    expect(validateSessionToken(a, wrong, new Date())).toBeNull();
    expect(validateSessionToken(a, token, new Date(Date.now() + 31 * 60_000))).toBeNull();
  });

  it('the task data version follows a calendar change committed by another connection', async () => {
    const [a, b] = twoConnections();
    const v0 = taskDataVersion(a);
    expect(taskDataVersion(a)).toBe(v0);
    b.prepare("INSERT INTO calendar_changes (day, action, name) VALUES ('2026-12-24', 'day_off', 'thử')").run();
    await tick();
    expect(taskDataVersion(a)).not.toBe(v0);
  });

  it("the bell's unread count follows a notice written and one read by another connection", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stamp-'));
    dirs.push(dir);
    const t = makeTestApp({ dbPath: join(dir, 'app.db') });
    const other = openDatabase(join(dir, 'app.db'));
    open.push(t.db, other);
    const user = t.users.agency;
    const taskId = t.db.prepare('SELECT id FROM tasks WHERE code = ?').pluck().get(t.tasks.own) as number;
    const before = countUnread(t.db, user);
    expect(countUnread(t.db, user)).toBe(before);
    other
      .prepare(
        "INSERT INTO notices (user_id, scope, task_id, kind, created_at) VALUES (?, ?, ?, 'urged', '2026-03-02T02:00:00Z')",
      )
      .run(user.id, noticeScope(user), taskId);
    await tick();
    expect(countUnread(t.db, user)).toBe(before + 1);
    other.prepare('UPDATE notices SET read_at = created_at WHERE user_id = ?').run(user.id);
    await tick();
    expect(countUnread(t.db, user)).toBe(0);
  });
});
