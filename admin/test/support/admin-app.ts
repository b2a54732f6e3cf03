/**
 * Route-test support for the admin app (issue 3; reused by issue 4's route tests): an in-memory database from the
 * real migrations, three agencies, three tasks, one account per role (light argon2 parameters — tests only), a
 * movable clock, and helpers to log in and send same-origin form posts.
 */
import type { Hono } from 'hono';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DB } from '../../db/open.ts';
import { createApp } from '../../app.ts';
import { loadEnv, type Env } from '../../env.ts';
import { createPasswordHasher, TEST_ARGON_PARAMS, type PasswordHasher } from '../../auth/password.ts';
import { insertUser } from '../../auth/users.ts';
import { createTask } from '../../domain/tasks.ts';
import { insertDelegation } from '../../domain/unit-steps.ts';
import type { Role } from '../../auth/permissions.ts';
import type { AppEnv } from '../../context.ts';

export const TEST_ORIGIN = 'http://localhost:3000';
export const TEST_PASSWORD = 'mật khẩu thử nghiệm đủ dài';

export interface TestUser {
  id: number;
  role: Role;
  username: string;
  agencyId: number | null;
}

export interface TestApp {
  app: Hono<AppEnv>;
  db: DB;
  env: Env;
  clock: { now: Date };
  hasher: PasswordHasher;
  agencies: { a: number; b: number; c: number };
  /** task codes: own = led by agency A (B coordinates), coordinated = led by B with A coordinating, other = led by C */
  tasks: { own: string; coordinated: string; other: string };
  /**
   * one per role; the agency user (focal point), the head and the officer belong to agency A (the officer has the
   * `own` and `coordinated` tasks delegated to them); `agencyB` belongs to B
   */
  users: Record<Role | 'agencyB', TestUser>;
  login(username: string, password?: string, headers?: Record<string, string>): Promise<Response>;
  /** logs in and returns the Cookie header value */
  cookieFor(who: Role | 'agencyB'): Promise<string>;
  /** a same-origin form POST */
  post(
    path: string,
    form: Record<string, string>,
    cookie?: string,
    headers?: Record<string, string>,
  ): Promise<Response>;
  get(path: string, cookie?: string): Promise<Response>;
}

export function cookieFrom(res: Response): string {
  const set = res.headers.get('set-cookie');
  if (!set) throw new Error(`no Set-Cookie (status ${res.status})`);
  return set.split(';')[0]!;
}

export function makeTestApp(
  /** dbPath: a database file instead of memory (work that goes to a worker thread needs a file to share) */
  options: { env?: Record<string, string>; start?: string; dbPath?: string } = {},
): TestApp {
  const db = openDatabase(options.dbPath ?? ':memory:');
  const clock = { now: new Date(options.start ?? '2026-03-02T02:00:00Z') };
  // uploads of each test app go to their own temporary folder (admin/files/store.ts)
  const uploadDir = mkdtempSync(join(tmpdir(), 'admin-test-uploads-'));
  const env = loadEnv({
    NODE_ENV: 'test',
    ORIGIN: TEST_ORIGIN,
    SITE_DIR: '/nonexistent-site-dir',
    UPLOAD_DIR: uploadDir,
    ...options.env,
  });
  const hasher = createPasswordHasher(TEST_ARGON_PARAMS);
  const ins = db.prepare('INSERT INTO agencies (code, name, kind) VALUES (?, ?, ?)');
  const a = Number(ins.run('STC', 'Sở Tài chính', 'department').lastInsertRowid);
  const b = Number(ins.run('SYT', 'Sở Y tế', 'department').lastInsertRowid);
  const c = Number(ins.run('UBND-HX', 'UBND huyện X', 'district').lastInsertRowid);
  const mk = (leadAgencyId: number, coordinatorIds: number[], title: string) =>
    createTask(db, { title, leadAgencyId, coordinatorIds, assignedOn: '2026-01-10', deadline: '2026-06-30' });
  const ids = [
    mk(a, [b], 'Rà soát kế hoạch tài chính'),
    mk(b, [a], 'Kiểm tra y tế học đường'),
    mk(c, [], 'Sắp xếp đơn vị hành chính'),
  ];
  const code = (id: number) => (db.prepare('SELECT code FROM tasks WHERE id = ?').get(id) as { code: string }).code;
  const hash = hasher.hashSync(TEST_PASSWORD);
  const mkUser = (role: Role, username: string, agencyId: number | null): TestUser => ({
    id: insertUser(
      db,
      { username, displayName: `Người dùng ${username}`, email: null, role, agencyId },
      hash,
      false,
      clock.now,
    ),
    role,
    username,
    agencyId,
  });
  const users = {
    agency: mkUser('agency', 'donvi-a', a),
    head: mkUser('head', 'truong-a', a),
    officer: mkUser('officer', 'chuyenvien-a', a),
    agencyB: mkUser('agency', 'donvi-b', b),
    specialist: mkUser('specialist', 'chuyenvien', null),
    confirmer: mkUser('confirmer', 'tocongtac', null),
    leader: mkUser('leader', 'lanhdao', null),
    admin: mkUser('admin', 'quantri', null),
  };
  for (const taskId of [ids[0]!, ids[1]!])
    insertDelegation(db, {
      taskId,
      userId: users.officer.id,
      agencyId: a,
      delegatedBy: users.agency.id,
      at: clock.now,
    });
  const app = createApp({ db, env, clock: () => clock.now, passwords: hasher, log: { info() {}, error() {} } });
  const post = (path: string, form: Record<string, string>, cookie?: string, headers: Record<string, string> = {}) =>
    Promise.resolve(
      app.request(path, {
        method: 'POST',
        headers: {
          origin: TEST_ORIGIN,
          'content-type': 'application/x-www-form-urlencoded',
          ...(cookie ? { cookie } : {}),
          ...headers,
        },
        body: new URLSearchParams(form).toString(),
      }),
    );
  const login = (username: string, password = TEST_PASSWORD, headers: Record<string, string> = {}) =>
    post('/admin/login', { username, password }, undefined, headers);
  return {
    app,
    db,
    env,
    clock,
    hasher,
    agencies: { a, b, c },
    tasks: { own: code(ids[0]!), coordinated: code(ids[1]!), other: code(ids[2]!) },
    users,
    login,
    async cookieFor(who) {
      const res = await login(users[who].username);
      if (res.status !== 303) throw new Error(`login failed for ${who}: ${res.status}`);
      return cookieFrom(res);
    },
    post,
    get: (path, cookie) => Promise.resolve(app.request(path, cookie ? { headers: { cookie } } : {})),
  };
}
