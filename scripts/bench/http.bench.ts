/**
 * Admin server benchmarks (issue 3), run by `npm run bench` on the generated ten-year dataset:
 * - argon2id hash time with the production parameters (median of 7);
 * - authenticated throughput and p99 latency of the dashboard (/admin, a specialist: the whole province) with
 *   autocannon, 50 connections on 127.0.0.1, against the real server in a child process (median of 3 runs).
 * Targets on the 2-core machine: hash ≤ 250 ms; ≥ 1,000 req/s; p99 ≤ 50 ms.
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createPasswordHasher, generatePassword } from '../../admin/auth/password.ts';
import { insertUser } from '../../admin/auth/users.ts';
import type { DB } from '../../admin/db/open.ts';

// Same shapes as scripts/bench/types.ts (the runner's contract), declared here so this module stands alone.
interface BenchContext {
  dbPath: string;
  tmpDir: string;
  db: DB;
  asOf: string;
  log: (msg: string) => void;
}
interface BenchResult {
  name: string;
  value: number;
  unit: string;
  target?: string;
}

const ROOT = resolve(import.meta.dirname, '../..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

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

export default async function httpBench(ctx: BenchContext): Promise<BenchResult[]> {
  const hasher = createPasswordHasher();
  await hasher.hash('khởi động');
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    await hasher.hash(`mật khẩu thử số ${i}`);
    times.push(performance.now() - t0);
  }
  const hashMs = median(times);
  ctx.log(`argon2id (m=19456, t=2, p=1) hash: median ${hashMs.toFixed(1)} ms`);

  // a bench account in the generated database (the whole province: the heaviest dashboard)
  const password = generatePassword();
  const username = `bench-${Date.now()}`;
  insertUser(ctx.db, { username, displayName: 'Bench', email: null, role: 'specialist', agencyId: null }, await hasher.hash(password), false, new Date());

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let out = '';
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['admin/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'development', HOST: '127.0.0.1', PORT: String(port), ORIGIN: url, DATABASE_PATH: ctx.dbPath, SITE_DIR: join(ctx.tmpDir, 'no-site') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited: ${out}`);
      const ok = await fetch(`${url}/admin/login`).then((r) => r.ok, () => false);
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
    const first = await fetch(`${url}/admin`, { headers: { cookie } });
    const html = await first.text();
    if (first.status !== 200 || !html.includes('Tổng quan')) throw new Error(`dashboard answered ${first.status}`);

    const run = (duration: number) =>
      autocannon({ url: `${url}/admin`, connections: 50, duration, headers: { cookie } }) as Promise<autocannon.Result>;
    ctx.log('dashboard: warm-up 3 s (JIT, caches)');
    await run(3);
    const rps: number[] = [];
    const p99: number[] = [];
    for (let i = 1; i <= 3; i++) {
      const r = await run(5);
      if (r.non2xx > 0 || r.errors > 0) throw new Error(`dashboard run ${i}: ${r.non2xx} non-2xx, ${r.errors} errors`);
      rps.push(r.requests.average);
      p99.push(r.latency.p99);
      ctx.log(`dashboard run ${i}/3: ${r.requests.average.toFixed(0)} req/s, p99 ${r.latency.p99} ms`);
    }
    const result: BenchResult[] = [
      { name: 'argon2id hash (login cost)', value: Math.round(hashMs * 10) / 10, unit: 'ms', target: '≤ 250' },
      { name: 'dashboard /admin, 50 connections: throughput', value: Math.round(median(rps)), unit: 'req/s', target: '≥ 1000' },
      { name: 'dashboard /admin, 50 connections: p99 latency', value: median(p99), unit: 'ms', target: '≤ 50' },
    ];
    ctx.log(`http bench: hash ${result[0]!.value} ms, dashboard ${result[1]!.value} req/s, p99 ${result[2]!.value} ms`);
    return result;
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}
