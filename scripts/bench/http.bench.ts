/**
 * Admin server benchmarks (issues 3 and 10), run by `npm run bench` on the generated ten-year dataset:
 * - argon2id hash time with the production parameters (median of 7);
 * - authenticated throughput and p99 latency with autocannon, 50 connections on 127.0.0.1, against the real server
 *   in a child process (median of 3 runs after a warm-up), of
 *   - the dashboard (/admin, a specialist: the whole province; target ≥ 1,000 req/s, p99 ≤ 50 ms);
 *   - the leaders' overview (/admin/overview, a leader, the year to date: three views × every agency and leader,
 *     12-month trend; rendered on every request, no page cache; target ≥ 500 req/s, p99 ≤ 50 ms).
 * Hash target on the 2-core machine: ≤ 250 ms.
 */
import autocannon from 'autocannon';
import { createPasswordHasher } from '../../admin/auth/password.ts';
import { startBenchServer } from './server.ts';

import type { BenchContext, BenchResult } from './types.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface PageTarget {
  /** short name in the log and the results */
  name: string;
  path: string;
  role: 'specialist' | 'leader';
  /** text the page must contain (a sign it is the real page, not an error or a redirect) */
  expect: string;
  minRps: number;
}

async function measurePage(ctx: BenchContext, page: PageTarget): Promise<BenchResult[]> {
  const { url, cookie, stop } = await startBenchServer(ctx, page.name.replace(/\W+/g, '-'), page.role);
  try {
    const t0 = performance.now();
    const first = await fetch(`${url}${page.path}`, { headers: { cookie } });
    const html = await first.text();
    const firstMs = performance.now() - t0;
    if (first.status !== 200 || !html.includes(page.expect)) throw new Error(`${page.name} answered ${first.status}`);
    ctx.log(`${page.name}: first request ${Math.round(firstMs)} ms (${Math.round(html.length / 1024)} KB)`);
    const run = (duration: number) =>
      autocannon({
        url: `${url}${page.path}`,
        connections: 50,
        duration,
        headers: { cookie },
      }) as Promise<autocannon.Result>;
    ctx.log(`${page.name}: warm-up 3 s (JIT, caches)`);
    await run(3);
    const rps: number[] = [];
    const p99: number[] = [];
    for (let i = 1; i <= 3; i++) {
      const r = await run(5);
      if (r.non2xx > 0 || r.errors > 0)
        throw new Error(`${page.name} run ${i}: ${r.non2xx} non-2xx, ${r.errors} errors`);
      rps.push(r.requests.average);
      p99.push(r.latency.p99);
      ctx.log(`${page.name} run ${i}/3: ${r.requests.average.toFixed(0)} req/s, p99 ${r.latency.p99} ms`);
    }
    return [
      {
        name: `${page.name} ${page.path}, 50 connections: throughput`,
        value: Math.round(median(rps)),
        unit: 'req/s',
        target: `≥ ${page.minRps}`,
      },
      {
        name: `${page.name} ${page.path}, 50 connections: p99 latency`,
        value: median(p99),
        unit: 'ms',
        target: '≤ 50',
      },
      { name: `${page.name} ${page.path}: first request (figures computed)`, value: Math.round(firstMs), unit: 'ms' },
    ];
  } finally {
    await stop();
  }
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

  const results: BenchResult[] = [
    { name: 'argon2id hash (login cost)', value: Math.round(hashMs * 10) / 10, unit: 'ms', target: '≤ 250' },
    ...(await measurePage(ctx, {
      name: 'dashboard',
      path: '/admin',
      role: 'specialist',
      expect: 'Tổng quan',
      minRps: 1000,
    })),
    ...(await measurePage(ctx, {
      name: 'leaders overview',
      path: '/admin/overview',
      role: 'leader',
      expect: 'id="bang-don-vi"',
      minRps: 500,
    })),
  ];
  ctx.log(`http bench: ${results.map((r) => `${r.name} ${r.value} ${r.unit}`).join('; ')}`);
  return results;
}
