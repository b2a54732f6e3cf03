/**
 * The real admin server in a child process on the bench database, with a signed-in Office specialist (the whole
 * province: the heaviest pages) or a leader, for the HTTP benchmarks (http.bench.ts, task-list.bench.ts). Not a
 * bench module.
 */
import { join } from 'node:path';
import { createPasswordHasher, generatePassword } from '../../admin/auth/password.ts';
import { insertUser } from '../../admin/auth/users.ts';
import { spawnAdminServer } from '../../admin/test/support/server-process.ts';
import type { BenchContext } from './types.ts';

export interface BenchServer {
  url: string;
  /** Cookie header value of the signed-in user */
  cookie: string;
  stop(): Promise<void>;
}

export async function startBenchServer(
  ctx: Pick<BenchContext, 'db' | 'dbPath' | 'tmpDir'>,
  name: string,
  /** who signs in: the Office specialist by default; 'leader' for the leaders' overview */
  role: 'specialist' | 'leader' = 'specialist',
): Promise<BenchServer> {
  const password = generatePassword();
  const username = `bench-${name}-${Date.now()}`;
  insertUser(
    ctx.db,
    { username, displayName: 'Bench', email: null, role, agencyId: null },
    await createPasswordHasher().hash(password),
    false,
    new Date(),
  );

  const { url, child, output } = await spawnAdminServer({
    dbPath: ctx.dbPath,
    siteDir: join(ctx.tmpDir, 'no-site', 'current'),
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited: ${output()}`);
      const ok = await fetch(`${url}/admin/login`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`server did not start: ${output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const login = await fetch(`${url}/admin/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    if (login.status !== 303 || !cookie) throw new Error(`bench login failed: ${login.status}`);
    return { url, cookie, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
