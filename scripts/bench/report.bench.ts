/**
 * The monthly meeting report on the ten-year dataset (issue 10): the time a user waits for one file — building the
 * view model (public: from the published snapshot; internal: computed from the database) and rendering it — as DOCX
 * and as PDF. The last month is published first on a copy of the database. Medians of 3 runs after 1 warm-up run.
 * Target on the 2-core machine: each ≤ 2 s.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../admin/db/open.ts';
import { publishPeriod } from '../../admin/publication/publish.ts';
import {
  buildMeetingReport,
  type ReportFormat,
  type ReportVersion,
  renderMeetingReport,
} from '../../admin/report/index.ts';
import type { BenchContext, BenchResult } from './types.ts';

async function medianMs(fn: () => Promise<unknown>, runs = 3, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(runs / 2)]!);
}

export default async function reportBench(ctx: BenchContext): Promise<BenchResult[]> {
  const copyPath = join(ctx.tmpDir, 'report-bench.db');
  rmSync(copyPath, { force: true });
  ctx.db.exec(`VACUUM INTO '${copyPath.replace(/'/g, "''")}'`);
  const db = openDatabase(copyPath);
  try {
    const period = ctx.asOf.slice(0, 7);
    const now = new Date(`${ctx.asOf}T12:00:00+07:00`);
    const pub = publishPeriod(db, { period, asOf: ctx.asOf, now });
    ctx.log(`report: published ${period} (${pub.taskCount} public tasks)`);
    const results: BenchResult[] = [];
    for (const version of ['public', 'internal'] as ReportVersion[]) {
      for (const format of ['docx', 'pdf'] as ReportFormat[]) {
        let bytes = 0;
        let listed = 0;
        const ms = await medianMs(async () => {
          const report = buildMeetingReport(db, {
            period,
            version,
            reader: { role: 'confirmer', agencyId: null },
            now,
          });
          const [file] = await renderMeetingReport(report, [format]);
          bytes = file!.bytes.length;
          listed = report.overdue.reduce((n, g) => n + g.tasks.length, 0);
        });
        ctx.log(
          `report: ${version} ${format.toUpperCase()} ${ms} ms, ${(bytes / 1024).toFixed(0)} KB, ${listed} overdue tasks listed`,
        );
        results.push({ name: `report.${format}.${version}`, value: ms, unit: 'ms', target: '≤ 2000 ms' });
      }
    }
    return results;
  } finally {
    db.close();
    rmSync(copyPath, { force: true });
  }
}
