/**
 * The real admin server in a child process on the bench database, with signed-in users of any role, for the HTTP
 * benchmarks (http.bench.ts, task-list.bench.ts, live.bench.ts). Not a bench module.
 */
import { join } from 'node:path';
import { createApiClient, issueApiToken } from '../../admin/auth/api-tokens.ts';
import { createPasswordHasher, generatePassword } from '../../admin/auth/password.ts';
import type { Role } from '../../admin/auth/permissions.ts';
import { insertUser } from '../../admin/auth/users.ts';
import { spawnAdminServer } from '../../admin/test/support/server-process.ts';
import type { BenchContext } from './types.ts';

export interface BenchServer {
  url: string;
  /** Cookie header value of the signed-in user */
  cookie: string;
  stop(): Promise<void>;
}

export interface BenchServerProcess {
  url: string;
  /** a new account of `role` (of the agency with code `agencyCode` for agency roles), signed in: its Cookie header */
  signIn(role: Role, agencyCode?: string): Promise<string>;
  /** a bearer token of a new API client with this scope */
  apiToken(role: 'specialist' | 'leader' | 'confirmer'): string;
  stop(): Promise<void>;
}

export async function startBenchServerProcess(
  ctx: Pick<BenchContext, 'db' | 'dbPath' | 'tmpDir'>,
  name: string,
  /** extra environment of the server (e.g. ADMIN_PAGE_CACHE=off) */
  env: Record<string, string> = {},
): Promise<BenchServerProcess> {
  const hasher = createPasswordHasher();
  const { url, child, output } = await spawnAdminServer({
    dbPath: ctx.dbPath,
    siteDir: join(ctx.tmpDir, 'no-site', 'current'),
    env,
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  let n = 0;
  const signIn = async (role: Role, agencyCode?: string) => {
    const password = generatePassword();
    const username = `bench-${name}-${role}-${++n}-${Date.now()}`;
    const agencyId = agencyCode
      ? (ctx.db.prepare('SELECT id FROM agencies WHERE code = ?').pluck().get(agencyCode) as number)
      : null;
    insertUser(
      ctx.db,
      { username, displayName: `Bench ${role}`, email: null, role, agencyId },
      await hasher.hash(password),
      false,
      new Date(),
    );
    const login = await fetch(`${url}/admin/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    if (login.status !== 303 || !cookie) throw new Error(`bench login (${role}) failed: ${login.status}`);
    return cookie;
  };
  const apiToken = (role: 'specialist' | 'leader' | 'confirmer') => {
    const clientId = createApiClient(ctx.db, {
      name: `bench ${name} ${role} ${++n}`,
      role,
      agencyId: null,
      createdBy: null,
    });
    return issueApiToken(ctx.db, clientId, new Date()).token;
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
    return { url, signIn, apiToken, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export async function startBenchServer(
  ctx: Pick<BenchContext, 'db' | 'dbPath' | 'tmpDir'>,
  name: string,
  /** who signs in: the Office specialist by default; 'leader' for the leaders' overview */
  role: 'specialist' | 'leader' = 'specialist',
): Promise<BenchServer> {
  const server = await startBenchServerProcess(ctx, name);
  try {
    return { url: server.url, cookie: await server.signIn(role), stop: server.stop };
  } catch (err) {
    await server.stop();
    throw err;
  }
}
