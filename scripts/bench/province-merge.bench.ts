/**
 * Province merger (issue 12, "Numbers"): a second ten-year province (another seed, history to 30/06/2025) generated
 * into its own database and merged into a copy of the bench's province on 01/07/2025, with a map for the departments
 * that continue, as `npm run merge-province` does (mergeProvince). Measured: the merger itself (target ≤ 60 s for
 * ≈ 65k tasks and ≈ 630k events in all), then statistics on the merged database (foundation targets: all agencies
 * ≤ 100 ms, one agency ≤ 10 ms; medians of 9 runs after 2 warm-ups). The bench's own database is not changed.
 */
import { join } from 'node:path';
import { openDatabase } from '../../admin/db/open.ts';
import { generateProvince } from '../../admin/demo/generate.ts';
import { computeStats } from '../../admin/domain/stats.ts';
import { mergeProvince } from '../../admin/domain/province-merge.ts';
import type { BenchContext, BenchResult } from './types.ts';

const ON = '2025-07-01';
const MAP = ['STC', 'SNV', 'STP', 'SCT', 'SXD', 'SGDDT', 'SYT', 'SVHTTDL', 'SKHCN', 'VPUBND']
  .map((c) => `${c},${c}`)
  .join('\n');

function medianMs(fn: () => unknown, runs = 9, warmup = 2): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return Number(times[Math.floor(runs / 2)]!.toFixed(2));
}

export default async function provinceMergeBench(ctx: BenchContext): Promise<BenchResult[]> {
  const targetPath = join(ctx.tmpDir, 'merged.db');
  const otherPath = join(ctx.tmpDir, 'other', 'app.db');
  ctx.db.prepare('VACUUM INTO ?').run(targetPath);
  ctx.log('province-merge: generating the former province (ten years to 30/06/2025, another seed)');
  const other = openDatabase(otherPath);
  const g = generateProvince(other, {
    years: 10,
    seed: 'bench-former',
    endDate: '2025-06-30',
    now: new Date('2025-07-01T00:00:00Z'),
    onProgress: (p) => ctx.log(`province-merge: former ${p.year}: ${p.tasks} tasks`),
  });
  other.pragma('wal_checkpoint(TRUNCATE)');
  other.close();

  const db = openDatabase(targetPath);
  const t0 = performance.now();
  const result = mergeProvince(
    { db, dbPath: targetPath, uploadDir: join(ctx.tmpDir, 'merged-uploads') },
    { fromPath: otherPath, prefix: 'BD', on: ON, mapText: MAP, mapName: 'bench map' },
    {
      dryRun: false,
      today: ctx.asOf > ON ? ctx.asOf : ON,
      now: new Date(),
      onProgress: (m) => ctx.log(`province-merge: ${((performance.now() - t0) / 1000).toFixed(1)} s ${m}`),
    },
  );
  const seconds = Number(((performance.now() - t0) / 1000).toFixed(2));
  const tasks = result.rows.find((r) => r.label === 'Nhiệm vụ')!.after;
  const events = result.rows.find((r) => r.label === 'Sự kiện')!.after;
  ctx.log(
    `province-merge: merged ${g.tasks} tasks, ${g.events} events in ${seconds} s → ${tasks} tasks, ${events} events; ` +
      `${result.tasksMoved} open tasks moved`,
  );

  for (const w of result.warnings) ctx.log(`province-merge: warning: ${w}`);
  db.exec('ANALYZE');
  const biggest = db
    .prepare('SELECT lead_agency_id AS id, count(*) AS n FROM tasks GROUP BY lead_agency_id ORDER BY n DESC LIMIT 1')
    .get() as { id: number; n: number };
  const all = medianMs(() => computeStats(db, ctx.asOf));
  const one = medianMs(() => computeStats(db, ctx.asOf, { agencyId: biggest.id }));
  ctx.log(`province-merge: stats on the merged database: all agencies ${all} ms, one agency ${one} ms`);
  db.close();
  return [
    { name: 'provinceMerge.seconds', value: seconds, unit: 's', target: '≤ 60 s' },
    { name: 'provinceMerge.tasks', value: tasks, unit: 'tasks', target: '≈ 65k' },
    { name: 'provinceMerge.events', value: events, unit: 'events', target: '≈ 630k' },
    { name: 'provinceMerge.stats.allAgencies', value: all, unit: 'ms', target: '≤ 100 ms' },
    { name: 'provinceMerge.stats.oneAgency', value: one, unit: 'ms', target: '≤ 10 ms' },
  ];
}
