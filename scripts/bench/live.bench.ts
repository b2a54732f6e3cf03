/**
 * Fast without page caches (issue 14), run by `npm run bench` (alone: `npm run bench -- --only live`): the real
 * server in a child process on the ten-year province, autocannon at 50 connections, in a mode where every connection
 * writes one event (an urge through the API, on a rotating open task) every 20 requests, so no per-version cache
 * survives. For each page: throughput and p99 (median of 3 runs of 4 s after a 2 s warm-up), and the first request
 * after a change (a write, then the page, sequentially: median of 15). Pages: the dashboard of each role, the task
 * list with filters (status as of today + a search; an agency's list), the leaders' overview (year to date). A
 * trivial signed-in page (/admin/account/password: session check and layout) measured the same way is the control.
 * BENCH_LIVE_PAGES=a,b measures only the pages whose name contains a or b (and the control). Also GET /api/v1/stats (as of today, all agencies) at 10 connections, read only. Targets: p99 ≤ 50 ms; first
 * request after a change ≤ 30 ms; /api/v1/stats ≥ 300 answers/s.
 */
import autocannon from 'autocannon';
import type { Role } from '../../admin/auth/permissions.ts';
import { startBenchServerProcess } from './server.ts';
import type { BenchContext, BenchResult } from './types.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const WRITE_EVERY = 20;

interface LivePage {
  name: string;
  path: string;
  role: Role;
  agency?: string;
  expect: string;
}

export default async function liveBench(ctx: BenchContext): Promise<BenchResult[]> {
  const server = await startBenchServerProcess(ctx, 'live');
  const results: BenchResult[] = [];
  try {
    const token = server.apiToken('specialist');
    const open = ctx.db
      .prepare(
        `SELECT code FROM tasks WHERE confirmed_on IS NULL AND cancelled_on IS NULL AND completed_on IS NULL
          ORDER BY id DESC LIMIT 400`,
      )
      .pluck()
      .all() as string[];
    let w = 0;
    const writePath = () => `/api/v1/tasks/${encodeURIComponent(open[w++ % open.length]!)}/events`;
    const writeBody = JSON.stringify({ kind: 'urged', note: 'Đôn đốc (đo hiệu năng)' });
    const writeHeaders = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const write = async () => {
      const r = await fetch(`${server.url}${writePath()}`, { method: 'POST', headers: writeHeaders, body: writeBody });
      if (r.status !== 201) throw new Error(`bench write answered ${r.status}: ${await r.text()}`);
    };

    const pages: LivePage[] = [
      { name: 'control (account page)', path: '/admin/account/password', role: 'specialist', expect: 'Đổi mật khẩu' },
      { name: 'dashboard specialist', path: '/admin', role: 'specialist', expect: 'Tổng quan' },
      { name: 'dashboard leader', path: '/admin', role: 'leader', expect: 'Tổng quan' },
      { name: 'dashboard confirmer', path: '/admin', role: 'confirmer', expect: 'Tổng quan' },
      { name: 'dashboard agency', path: '/admin', role: 'agency', agency: 'STC', expect: 'Tổng quan' },
      { name: 'dashboard head', path: '/admin', role: 'head', agency: 'STC', expect: 'Tổng quan' },
      { name: 'dashboard officer', path: '/admin', role: 'officer', agency: 'STC', expect: 'Tổng quan' },
      { name: 'dashboard admin', path: '/admin', role: 'admin', expect: 'Tổng quan' },
      {
        name: 'task list overdue + search',
        path: `/admin/tasks?status=overdue&q=${encodeURIComponent('so tai chinh')}`,
        role: 'specialist',
        expect: 'Danh sách nhiệm vụ',
      },
      {
        name: 'task list all open',
        path: '/admin/tasks?status=open',
        role: 'specialist',
        expect: 'Danh sách nhiệm vụ',
      },
      { name: 'task list agency', path: '/admin/tasks', role: 'agency', agency: 'STC', expect: 'Danh sách nhiệm vụ' },
      { name: 'leaders overview', path: '/admin/overview', role: 'leader', expect: 'id="bang-don-vi"' },
    ];
    // BENCH_LIVE_PAGES=dashboard,overview: only the pages whose name contains one of these (the control always)
    const only = process.env.BENCH_LIVE_PAGES?.split(',').filter(Boolean);
    for (const page of pages.filter((p, i) => i === 0 || !only || only.some((o) => p.name.includes(o)))) {
      const cookie = await server.signIn(page.role, page.agency);
      const url = `${server.url}${page.path}`;
      const first = await fetch(url, { headers: { cookie } });
      const html = await first.text();
      if (first.status !== 200 || !html.includes(page.expect))
        throw new Error(`${page.name} answered ${first.status}: ${html.slice(0, 200)}`);
      // the first request after a change: write, then read (sequential, nothing else running)
      const after: number[] = [];
      for (let i = 0; i < 15; i++) {
        await write();
        const t0 = performance.now();
        const r = await fetch(url, { headers: { cookie } });
        await r.arrayBuffer();
        after.push(performance.now() - t0);
      }
      const requests: autocannon.Request[] = [];
      for (let i = 0; i < WRITE_EVERY - 1; i++) requests.push({ method: 'GET', path: page.path, headers: { cookie } });
      requests.push({
        method: 'POST',
        headers: writeHeaders,
        body: writeBody,
        setupRequest: (req) => ({ ...req, path: writePath() }),
      });
      const run = (duration: number) =>
        autocannon({ url: server.url, connections: 50, duration, requests }) as Promise<autocannon.Result>;
      await run(2);
      const rps: number[] = [];
      const p99: number[] = [];
      for (let i = 1; i <= 3; i++) {
        const r = await run(4);
        if (r.non2xx > 0 || r.errors > 0)
          throw new Error(`${page.name} run ${i}: ${r.non2xx} non-2xx, ${r.errors} errors`);
        rps.push(r.requests.average);
        p99.push(r.latency.p99);
      }
      const afterMs = Number(median(after).toFixed(1));
      ctx.log(
        `live ${page.name}: ${Math.round(median(rps))} req/s (${rps.map((x) => x.toFixed(0)).join(', ')}), ` +
          `p99 ${median(p99)} ms (${p99.join(', ')}), first after a change ${afterMs} ms, ${Math.round(html.length / 1024)} KB`,
      );
      results.push(
        {
          name: `live.${page.name}: throughput (1 write / ${WRITE_EVERY})`,
          value: Math.round(median(rps)),
          unit: 'req/s',
        },
        { name: `live.${page.name}: p99`, value: median(p99), unit: 'ms', target: '≤ 50' },
        { name: `live.${page.name}: first after a change`, value: afterMs, unit: 'ms', target: '≤ 30' },
      );
    }

    // the integration API's statistics, read only, 10 connections
    const statsRun = (duration: number) =>
      autocannon({
        url: `${server.url}/api/v1/stats`,
        connections: 10,
        duration,
        headers: { authorization: `Bearer ${token}` },
      }) as Promise<autocannon.Result>;
    await statsRun(2);
    const srps: number[] = [];
    const sp50: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await statsRun(4);
      if (r.non2xx > 0 || r.errors > 0) throw new Error(`/api/v1/stats: ${r.non2xx} non-2xx, ${r.errors} errors`);
      srps.push(r.requests.average);
      sp50.push(r.latency.p50);
    }
    ctx.log(`live /api/v1/stats: ${Math.round(median(srps))} answers/s, p50 ${median(sp50)} ms`);
    results.push(
      {
        name: 'live./api/v1/stats, 10 connections',
        value: Math.round(median(srps)),
        unit: 'answers/s',
        target: '≥ 300',
      },
      { name: 'live./api/v1/stats, 10 connections: p50', value: median(sp50), unit: 'ms' },
    );
  } finally {
    await server.stop();
  }
  return results;
}
