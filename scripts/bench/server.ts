/**
 * The real admin server in a child process on the bench database, with a signed-in Office specialist (the whole
 * province: the heaviest pages), for the HTTP benchmarks (http.bench.ts, task-list.bench.ts). Not a bench module.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createPasswordHasher, generatePassword } from '../../admin/auth/password.ts';
import { insertUser } from '../../admin/auth/users.ts';
import type { BenchContext } from './types.ts';

const ROOT = resolve(import.meta.dirname, '../..');

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => res(port));
    });
  });
}

export interface BenchServer {
  url: string;
  /** Cookie header value of the signed-in specialist */
  cookie: string;
  stop(): Promise<void>;
}

export async function startBenchServer(
  ctx: Pick<BenchContext, 'db' | 'dbPath' | 'tmpDir'>,
  name: string,
): Promise<BenchServer> {
  const password = generatePassword();
  const username = `bench-${name}-${Date.now()}`;
  insertUser(
    ctx.db,
    { username, displayName: 'Bench', email: null, role: 'specialist', agencyId: null },
    await createPasswordHasher().hash(password),
    false,
    new Date(),
  );

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let out = '';
  // node itself with tsx's loader: no relaying parent process between the signal and the server
  const child = spawn(process.execPath, ['--import', 'tsx', 'admin/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      ORIGIN: url,
      DATABASE_PATH: ctx.dbPath,
      SITE_DIR: join(ctx.tmpDir, 'no-site', 'current'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited: ${out}`);
      const ok = await fetch(`${url}/admin/login`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`server did not start: ${out}`);
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
