/**
 * Admin server benchmarks (issue 3), run by `npm run bench` on the generated ten-year dataset:
 * - argon2id hash time with the production parameters (median of 7);
 * - authenticated throughput and p99 latency of the dashboard (/admin, a specialist: the whole province) with
 *   autocannon, 50 connections on 127.0.0.1, against the real server in a child process (median of 3 runs).
 * Targets on the 2-core machine: hash ≤ 250 ms; ≥ 1,000 req/s; p99 ≤ 50 ms.
 */
import autocannon from 'autocannon';
import { createPasswordHasher } from '../../admin/auth/password.ts';
import { startBenchServer } from './server.ts';

import type { BenchContext, BenchResult } from './types.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

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

  const { url, cookie, stop } = await startBenchServer(ctx, 'dashboard');
  try {
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
      {
        name: 'dashboard /admin, 50 connections: throughput',
        value: Math.round(median(rps)),
        unit: 'req/s',
        target: '≥ 1000',
      },
      { name: 'dashboard /admin, 50 connections: p99 latency', value: median(p99), unit: 'ms', target: '≤ 50' },
    ];
    ctx.log(`http bench: hash ${result[0]!.value} ms, dashboard ${result[1]!.value} req/s, p99 ${result[2]!.value} ms`);
    return result;
  } finally {
    await stop();
  }
}
