/**
 * Fast without page caches (issue 14), run by `npm run bench` (alone: `npm run bench -- --only live`): the real
 * server in a child process on the ten-year province, autocannon at 50 connections, in a mode where every connection
 * writes one event (an urge through the API, on a rotating open task) every 20 requests, so no per-version cache
 * survives, and the server's rendered-page caches turned off (ADMIN_PAGE_CACHE=off). For each page: throughput and
 * p99 (median of 3 windows of 4 s of one run on the same 50 connections, after 2 s in which they open: steadyRun),
 * and the first request after a change (a write, then the page, sequentially: median of 15). Pages: the dashboard of
 * each role, the task list with filters (status as of today + a search; an agency's list), the leaders' overview
 * (year to date). A trivial signed-in page (/admin/account/password: session check and layout) measured the same way
 * is the control. BENCH_LIVE_PAGES=a,b measures only the pages whose name contains a or b (and the control). Also
 * GET /api/v1/stats (as of today, all agencies) at 10 connections, read only. Targets: p99 ≤ 50 ms; first request
 * after a change ≤ 30 ms; /api/v1/stats ≥ 300 answers/s. Two more runs, the full task list and the overview, write
 * differently: every write moves a task between two units (a reassignment), so each one changes figures and rows
 * the pages show; they have no target and show what a mode of urges alone could hide. */
import { join } from 'node:path';
import autocannon from 'autocannon';
import { openDatabase } from '../../admin/db/open.ts';
import { addMonths, endOfMonth } from '../../admin/domain/dates.ts';
import { publishPeriod } from '../../admin/publication/publish.ts';
import type { Role } from '../../admin/auth/permissions.ts';
import { startBenchServerProcess } from './server.ts';
import type { BenchContext, BenchResult } from './types.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const WRITE_EVERY = 20;

/** Seconds of a steady run before its windows: the 50 connections open then (see steadyRun). */
const SETTLE_S = 2;
const WINDOW_S = 4;
const WINDOWS = 3;

/**
 * One autocannon run on the same 50 connections: SETTLE_S seconds, then WINDOWS windows of WINDOW_S seconds, each
 * window's throughput and p99 from every request that started in it (timed here: sent → answered). Separate runs
 * each opened 50 new connections, and some were accepted ≈ 0.5 s late while the server was not busy (its event
 * loop never stalled over 45 ms, no request took over 100 ms inside it: measured with a preload), which put
 * connection set-up, not the server, into each run's p99. The whole run's own figures are printed beside.
 */
async function steadyRun(
  url: string,
  requests: autocannon.Request[],
): Promise<{ windows: Array<{ rps: number; p99: number }>; whole: autocannon.Result }> {
  const started: number[] = [];
  const took: number[] = [];
  let t0 = 0;
  type Timed = { start?: number };
  const timed = requests.map(
    (r): autocannon.Request => ({
      ...r,
      setupRequest: (req, context) => {
        (context as Timed).start = performance.now();
        return typeof r.setupRequest === 'function' ? r.setupRequest(req, context) : req;
      },
      onResponse: (_status, _body, context) => {
        const start = (context as Timed).start!;
        started.push(start - t0);
        took.push(performance.now() - start);
      },
    }),
  );
  t0 = performance.now();
  const whole = (await autocannon({
    url,
    connections: 50,
    duration: SETTLE_S + WINDOWS * WINDOW_S,
    requests: timed,
  })) as autocannon.Result;
  const windows = Array.from({ length: WINDOWS }, (_, w) => {
    const from = (SETTLE_S + w * WINDOW_S) * 1000;
    const to = from + WINDOW_S * 1000;
    const lat = took.filter((_, i) => started[i]! >= from && started[i]! < to).sort((a, b) => a - b);
    const p99 = lat.length === 0 ? Number.NaN : lat[Math.ceil(lat.length * 0.99) - 1]!;
    return { rps: lat.length / WINDOW_S, p99: Math.round(p99) };
  });
  return { windows, whole };
}

interface LivePage {
  name: string;
  path: string;
  role: Role;
  agency?: string;
  expect: string;
  /** every write moves a task between two units (figures, rows and counts change), not an urge */
  moving?: boolean;
}

export default async function liveBench(shared: BenchContext): Promise<BenchResult[]> {
  // this module writes (urges, publications): on a copy, so the other modules measure the generated province
  const dbPath = join(shared.tmpDir, 'live.db');
  shared.db.exec(`VACUUM INTO '${dbPath}'`);
  const db = openDatabase(dbPath);
  const ctx = { ...shared, db, dbPath };
  try {
    return await measure(ctx);
  } finally {
    db.close();
  }
}

async function measure(ctx: BenchContext): Promise<BenchResult[]> {
  // rendered-page caches off: the pages must be fast without them (issue 14)
  // the server as `npm start` runs it (one process) unless BENCH_ADMIN_PROCESSES says otherwise
  const processes = process.env.BENCH_ADMIN_PROCESSES ?? '1';
  const server = await startBenchServerProcess(ctx, 'live', { ADMIN_PAGE_CACHE: 'off', ADMIN_PROCESSES: processes });
  ctx.log(`live: ${processes} server process(es), rendered-page caches off, one write every ${WRITE_EVERY} requests`);
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
    // the harder mode of two extra runs: every write moves one of Sở Tài chính's open tasks to Sở Y tế or back
    // (a reassignment), so each write changes figures, rows and counts the pages show
    const movable = ctx.db
      .prepare(
        `SELECT t.code FROM tasks t JOIN agencies a ON a.id = t.lead_agency_id
          WHERE a.code = 'STC' AND t.confirmed_on IS NULL AND t.cancelled_on IS NULL AND t.completed_on IS NULL
          ORDER BY t.id DESC LIMIT 300`,
      )
      .pluck()
      .all() as string[];
    const ledBy = new Map(movable.map((code) => [code, 'STC']));
    let m = 0;
    const moveWrite = () => {
      const code = movable[m++ % movable.length]!;
      const to = ledBy.get(code) === 'STC' ? 'SYT' : 'STC';
      ledBy.set(code, to);
      return {
        path: `/api/v1/tasks/${encodeURIComponent(code)}/events`,
        body: JSON.stringify({ kind: 'reassigned', toAgency: to, note: 'Chuyển đơn vị chủ trì (đo hiệu năng)' }),
      };
    };
    const write = async (moving = false) => {
      const next = moving ? moveWrite() : { path: writePath(), body: writeBody };
      const r = await fetch(`${server.url}${next.path}`, { method: 'POST', headers: writeHeaders, body: next.body });
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
      {
        name: 'task list all open, each write moving a task',
        path: '/admin/tasks?status=open',
        role: 'specialist',
        expect: 'Danh sách nhiệm vụ',
        moving: true,
      },
      {
        name: 'leaders overview, each write moving a task',
        path: '/admin/overview',
        role: 'leader',
        expect: 'id="bang-don-vi"',
        moving: true,
      },
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
        await write(page.moving);
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
        setupRequest: (req) => (page.moving ? { ...req, ...moveWrite() } : { ...req, path: writePath() }),
      });
      const { windows, whole } = await steadyRun(server.url, requests);
      if (whole.non2xx > 0 || whole.errors > 0)
        throw new Error(`${page.name}: ${whole.non2xx} non-2xx, ${whole.errors} errors`);
      const rps = windows.map((w) => w.rps);
      const p99 = windows.map((w) => w.p99);
      const afterMs = Number(median(after).toFixed(1));
      ctx.log(
        `live ${page.name}: ${Math.round(median(rps))} req/s (${rps.map((x) => x.toFixed(0)).join(', ')}), ` +
          `p99 ${median(p99)} ms (${p99.join(', ')}), first after a change ${afterMs} ms, ${Math.round(html.length / 1024)} KB; ` +
          `the whole run with its connections opening: p99 ${whole.latency.p99} ms, max ${whole.latency.max} ms`,
      );
      results.push(
        {
          name: `live.${page.name}: throughput (1 write / ${WRITE_EVERY})`,
          value: Math.round(median(rps)),
          unit: 'req/s',
        },
        // the moving runs are more than the mode asks: shown beside it, without its targets
        { name: `live.${page.name}: p99`, value: median(p99), unit: 'ms', ...(page.moving ? {} : { target: '≤ 50' }) },
        {
          name: `live.${page.name}: first after a change`,
          value: afterMs,
          unit: 'ms',
          ...(page.moving ? {} : { target: '≤ 30' }),
        },
      );
    }

    results.push(...(await publishWhileServing(ctx, server)));

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

/**
 * Publishing never blocks the server: the last generated month published through the admin page (its preview
 * first, then the publication, which takes the preview over when nothing was written since; a correction note from
 * the second run on), the month before it published already, while a trivial page is read at 10 connections. Then
 * three corrections published without a preview (computed again), each after a pause in which the preparation for
 * the next build that follows a publication ends. Median of 3: each publication's time and the trivial page's p99
 * while it ran.
 */
async function publishWhileServing(
  ctx: BenchContext,
  server: Awaited<ReturnType<typeof startBenchServerProcess>>,
): Promise<BenchResult[]> {
  const lead = await server.signIn('confirmer');
  const reader = await server.signIn('specialist');
  const period = ctx.asOf.slice(0, 7);
  const asOf = ctx.asOf;
  // the month before is published first (not measured), as the Office's would be: a month's publication reads the
  // previous one for its "since last month" figures, which is a third of its work
  const before = addMonths(`${period}-01`, -1);
  publishPeriod(ctx.db, { period: before.slice(0, 7), asOf: endOfMonth(before.slice(0, 7)) });
  const publishMs: number[] = [];
  const coldMs: number[] = [];
  const previewMs: number[] = [];
  const p99: number[] = [];
  for (let i = 0; i < 6; i++) {
    const cold = i >= 3;
    // the preparation after the last publication (open data, share images, carried pages) runs in a worker of its
    // own, seconds on ten years: a correction without a preview is timed after it, as one made minutes later
    if (cold) await new Promise((r) => setTimeout(r, 12_000));
    const load = autocannon({
      url: `${server.url}/admin/account/password`,
      connections: 10,
      duration: 30,
      headers: { cookie: reader },
    }) as autocannon.Instance & Promise<autocannon.Result>;
    await new Promise((r) => setTimeout(r, 300));
    let t0 = performance.now();
    const preview = cold
      ? null
      : await fetch(`${server.url}/admin/publish/preview?period=${period}&as_of=${asOf}`, {
          headers: { cookie: lead },
        });
    await preview?.text();
    if (!cold) previewMs.push(performance.now() - t0);
    t0 = performance.now();
    const res = await fetch(`${server.url}/admin/publish`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: lead, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ period, as_of: asOf, note: i === 0 ? '' : `Đính chính lần ${i} (đo hiệu năng)` }),
    });
    (cold ? coldMs : publishMs).push(performance.now() - t0);
    load.stop();
    const r = await load;
    if ((preview && preview.status !== 200) || res.status !== 303)
      throw new Error(`publish while serving: preview ${preview?.status}, publish ${res.status}`);
    p99.push(r.latency.p99);
  }
  // which publications took their preview over (the audit row says so), oldest first: the three published after
  // their previews should have, the three corrections without one cannot
  const taken = (
    ctx.db
      .prepare("SELECT details FROM audit_log WHERE action LIKE 'publication.%' ORDER BY id DESC LIMIT 6")
      .pluck()
      .all() as string[]
  )
    .reverse()
    .map((d) => (JSON.parse(d) as { asPreviewed?: boolean }).asPreviewed === true);
  const pub = Math.round(median(publishMs));
  const unprepared = Math.round(median(coldMs));
  const pre = Math.round(median(previewMs));
  const list = (a: number[]) => a.map(Math.round).join(', ');
  ctx.log(
    `live publish ${period}: preview ${pre} ms (${list(previewMs)}), publish after it ${pub} ms (${list(publishMs)}; ` +
      `the preview taken over ${taken.slice(0, 3).filter(Boolean).length} of 3), ` +
      `without a preview ${unprepared} ms (${list(coldMs)}); ` +
      `trivial page meanwhile p99 ${median(p99)} ms (${p99.join(', ')}), 10 connections`,
  );
  return [
    { name: 'live.publish one month after its preview (admin page, worker)', value: pub, unit: 'ms', target: '≤ 1500' },
    { name: 'live.publish one month without a preview (computed)', value: unprepared, unit: 'ms', target: '≤ 1500' },
    { name: 'live.publish preview (admin page, worker thread)', value: pre, unit: 'ms' },
    { name: 'live.trivial page while publishing, 10 connections: p99', value: median(p99), unit: 'ms', target: '≤ 50' },
  ];
}
