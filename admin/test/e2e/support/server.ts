/**
 * Starts the REAL admin server (admin/server.ts in a child process, as `npm start` does) on a random 127.0.0.1
 * port, with a temporary database from the real migrations, three agencies with one task each (or your own seed)
 * and one demo account per role. Reused by every admin browser test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DB } from '../../../db/open.ts';
import { createDemoUsers, type DemoUser } from '../../../auth/demo-users.ts';
import { createPasswordHasher, TEST_ARGON_PARAMS } from '../../../auth/password.ts';
import { createTask } from '../../../domain/tasks.ts';
import { today } from '../../../domain/dates.ts';
import { spawnAdminServer } from '../../support/server-process.ts';

export interface AdminServer {
  url: string;
  dbPath: string;
  tmpDir: string;
  users: DemoUser[];
  /** task code per agency code (default seed) */
  tasksByAgency: Record<string, string>;
  /** the demo user of a role (first agency user for 'agency') */
  user(role: DemoUser['role'], n?: number): DemoUser;
  /** child output so far, for diagnosing failures */
  output(): string;
  stop(): Promise<void>;
}

function defaultSeed(db: DB): Record<string, string> {
  const ins = db.prepare('INSERT INTO agencies (code, name, kind) VALUES (?, ?, ?)');
  const agencies: Array<[string, string]> = [
    ['STC', 'Sở Tài chính'],
    ['SYT', 'Sở Y tế'],
    ['SXD', 'Sở Xây dựng'],
  ];
  const out: Record<string, string> = {};
  const t = today();
  for (const [code, name] of agencies) {
    const id = Number(ins.run(code, name, 'department').lastInsertRowid);
    const taskId = createTask(db, {
      title: `Báo cáo chuyên đề của ${name}`,
      leadAgencyId: id,
      assignedOn: t,
      deadline: null,
      noDeadlineReason: 'Nhiệm vụ thường xuyên',
    });
    out[code] = (db.prepare('SELECT code FROM tasks WHERE id = ?').get(taskId) as { code: string }).code;
  }
  return out;
}

export async function startAdminServer(
  options: { seed?: (db: DB) => Record<string, string>; env?: Record<string, string> } = {},
): Promise<AdminServer> {
  const tmpDir = mkdtempSync(join(tmpdir(), 'admin-e2e-'));
  const dbPath = join(tmpDir, 'app.db');
  const db = openDatabase(dbPath);
  const tasksByAgency = (options.seed ?? defaultSeed)(db);
  const users = createDemoUsers(db, createPasswordHasher(TEST_ARGON_PARAMS)); // light hashes: test speed only
  db.close();

  const { url, child, output } = await spawnAdminServer({
    dbPath,
    // <root>/current, the link a build from the publish page switches (site-build-common.ts siteDirFromEnv)
    siteDir: join(tmpDir, 'site', 'current'),
    ...(options.env ? { env: options.env } : {}),
  });

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`admin server exited early:\n${output()}`);
    try {
      const res = await fetch(`${url}/admin/login`);
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`admin server did not start in 30 s:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }

  return {
    url,
    dbPath,
    tmpDir,
    users,
    tasksByAgency,
    user(role, n = 1) {
      const u = users.filter((x) => x.role === role)[n - 1];
      if (!u) throw new Error(`no demo user for ${role} #${n}`);
      return u;
    },
    output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(tmpDir, { recursive: true, force: true });
    },
  };
}
