/**
 * Notices (issue 11), run by `npm run bench` (alone: `npm run bench -- --only notices`), on a copy of the ten-year
 * province (VACUUM INTO, so later modules see the database unchanged) with one focal point per agency and three
 * members of the working group:
 * - the daily notice job (runNoticeJob) as of the last day: the first run (writes the day's cases) and reruns (the
 *   steady state: every case already there), median of 5; target ≤ 2 s;
 * - the header bell: the unread count query (countUnread) for a user with 20,000 notices (half unread), median of
 *   2,000 calls, beside a control in the same conditions (a primary-key lookup of the user, the least a page does);
 *   target: adds ≤ 1 ms to a page;
 * - the dashboard (/admin) and the task list (/admin/tasks) over HTTP as a signed-in member of the working group
 *   with 20,000 notices: p99 at 50 connections, median of 3 runs of 5 s after a 3 s warm-up; target ≤ 50 ms.
 */
import { join } from 'node:path';
import autocannon from 'autocannon';
import { insertUser } from '../../admin/auth/users.ts';
import { openDatabase, type DB } from '../../admin/db/open.ts';
import { countUnread } from '../../admin/domain/notices-read.ts';
import { runNoticeJob } from '../../admin/jobs/notice-job.ts';
import { startBenchServer } from './server.ts';
import type { BenchContext, BenchResult } from './types.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const NOTICES_PER_USER = 20_000;

function addPeople(db: DB): void {
  const now = new Date();
  const agencies = db
    .prepare('SELECT id, code FROM agencies WHERE merged_on IS NULL AND dissolved_on IS NULL')
    .all() as Array<{
    id: number;
    code: string;
  }>;
  db.transaction(() => {
    for (const a of agencies) {
      insertUser(
        db,
        {
          username: `daumoi-${a.code}`,
          displayName: `Đầu mối ${a.code}`,
          email: `${a.code}@bench.vn`,
          role: 'agency',
          agencyId: a.id,
        },
        'x',
        false,
        now,
      );
    }
    for (let i = 1; i <= 3; i++) {
      insertUser(
        db,
        {
          username: `tocongtac-${i}`,
          displayName: `Tổ công tác ${i}`,
          email: `tct${i}@bench.vn`,
          role: 'confirmer',
          agencyId: null,
        },
        'x',
        false,
        now,
      );
    }
  })();
}

/** Many notices for one user (half read), spread over the province's tasks: the bell's worst case. */
function fillNotices(db: DB, userId: number, scope: string): void {
  const taskIds = db.prepare('SELECT id FROM tasks ORDER BY id LIMIT ?').pluck().all(NOTICES_PER_USER) as number[];
  const ins = db.prepare(
    `INSERT OR IGNORE INTO notices (user_id, scope, task_id, kind, dedupe_key, data, created_at, read_at, mail_state)
     VALUES (?, ?, ?, 'report_waiting', ?, '{}', ?, ?, 'queued')`,
  );
  const at = new Date().toISOString();
  db.transaction(() => {
    for (let i = 0; i < NOTICES_PER_USER; i++) {
      ins.run(userId, scope, taskIds[i % taskIds.length]!, String(i), at, i % 2 === 0 ? at : null);
    }
  })();
}

function medianMicros(fn: () => unknown, runs = 2000): number {
  for (let i = 0; i < 200; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return Math.round(median(times) * 1000 * 10) / 10;
}

async function p99(ctx: BenchContext, url: string, cookie: string, path: string, expect: string): Promise<number> {
  const first = await fetch(`${url}${path}`, { headers: { cookie } });
  const html = await first.text();
  if (first.status !== 200 || !html.includes(expect) || !html.includes('notice-bell'))
    throw new Error(`${path} answered ${first.status}`);
  const run = (duration: number) =>
    autocannon({ url: `${url}${path}`, connections: 50, duration, headers: { cookie } }) as Promise<autocannon.Result>;
  await run(3);
  const xs: number[] = [];
  for (let i = 1; i <= 3; i++) {
    const r = await run(5);
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${path} run ${i}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    xs.push(r.latency.p99);
    ctx.log(`notices: ${path} run ${i}/3: ${r.requests.average.toFixed(0)} req/s, p99 ${r.latency.p99} ms`);
  }
  return median(xs);
}

export default async function noticesBench(ctx: BenchContext): Promise<BenchResult[]> {
  const dbPath = join(ctx.tmpDir, 'notices.db');
  ctx.db.exec(`VACUUM INTO '${dbPath.replace(/'/g, "''")}'`);
  const db = openDatabase(dbPath);
  try {
    addPeople(db);
    const job = () => runNoticeJob(db, { today: ctx.asOf, now: new Date(), waitingDays: 5 });
    let t0 = performance.now();
    const first = job();
    const firstMs = performance.now() - t0;
    ctx.log(
      `notices: daily job, first run ${Math.round(firstMs)} ms: ${first.tasks} open tasks, ${first.dueSoon} due soon, ${first.overdue} overdue, ${first.waiting} waiting`,
    );
    const reruns: number[] = [];
    for (let i = 0; i < 5; i++) {
      t0 = performance.now();
      const r = job();
      reruns.push(performance.now() - t0);
      if (r.dueSoon + r.overdue + r.waiting !== 0) throw new Error('a rerun wrote notices again');
    }
    const rerunMs = median(reruns);
    ctx.log(`notices: daily job rerun median ${Math.round(rerunMs)} ms`);

    const heavy = db
      .prepare("SELECT id, COALESCE(unit_role, role) AS role, agency_id FROM users WHERE username = 'tocongtac-1'")
      .get() as {
      id: number;
      role: 'confirmer';
    };
    fillNotices(db, heavy.id, 'confirmer:');
    db.exec('ANALYZE');
    const reader = { id: heavy.id, username: 'tocongtac-1', role: heavy.role, agencyId: null };
    const unread = countUnread(db, reader);
    const bellUs = medianMicros(() => countUnread(db, reader));
    const control = db.prepare('SELECT id, username FROM users WHERE id = ?');
    const controlUs = medianMicros(() => control.get(heavy.id));
    ctx.log(
      `notices: bell count (${unread} shown of ${NOTICES_PER_USER / 2} unread) ${bellUs} µs; control ${controlUs} µs`,
    );

    // over HTTP: the bench server signs in a new confirmer; give them the same notices
    db.pragma('wal_checkpoint(TRUNCATE)');
    const server = await startBenchServer({ db, dbPath, tmpDir: ctx.tmpDir }, 'notices', 'specialist');
    const results: BenchResult[] = [
      {
        name: 'notices: daily job, first run (ten-year province)',
        value: Math.round(firstMs),
        unit: 'ms',
        target: '≤ 2000',
      },
      { name: 'notices: daily job, rerun (median of 5)', value: Math.round(rerunMs), unit: 'ms', target: '≤ 2000' },
      { name: 'notices: bell unread count query (median)', value: bellUs, unit: 'µs', target: '≤ 1000' },
      { name: 'notices: control, primary-key lookup (median)', value: controlUs, unit: 'µs' },
    ];
    try {
      const bench = db
        .prepare("SELECT id FROM users WHERE username LIKE 'bench-notices-%' ORDER BY id DESC")
        .pluck()
        .get() as number;
      fillNotices(db, bench, 'specialist:');
      const dash = await p99(ctx, server.url, server.cookie, '/admin', 'Tổng quan');
      const list = await p99(ctx, server.url, server.cookie, '/admin/tasks', 'Nhiệm vụ');
      results.push(
        {
          name: 'notices: dashboard /admin p99, 50 connections, 20,000 notices',
          value: dash,
          unit: 'ms',
          target: '≤ 50',
        },
        {
          name: 'notices: task list /admin/tasks p99, 50 connections, 20,000 notices',
          value: list,
          unit: 'ms',
          target: '≤ 50',
        },
      );
    } finally {
      await server.stop();
    }
    return results;
  } finally {
    db.close();
  }
}
