/**
 * National roll-up (issue 13, "Numbers": 34 provinces, each ten years, ≤ 60 s). Generating and building 34
 * ten-year provinces would take far longer than the bench itself, so ONE province is used: the bench's ten-year
 * database, its last PERIODS months published and its site built once (buildSite, a real release); its open data
 * (du-lieu-mo/, all the roll-up reads) is then copied 34 times, changing only the province and office names in
 * each copy's snapshots, packages and catalogue and recomputing their sizes and SHA-256 (rewrite-release.ts).
 * Measured: `runRollup` over the 34 folder sources, reading and checking every file (size, SHA-256, the zod
 * snapshot schema) and writing the national site. The copies share the original's figures; only names differ.
 */
import { join } from 'node:path';
import { realpathSync, statSync } from 'node:fs';
import { openDatabase } from '../../admin/db/open.ts';
import { addMonths } from '../../admin/domain/dates.ts';
import { publishMonthEnds } from '../../admin/publication/publish.ts';
import { buildSite } from '../../admin/publication/site-build.ts';
import { openSource, runRollup, type Source } from '../../admin/rollup/index.ts';
import { rewriteRelease } from '../../admin/rollup/rewrite-release.ts';
import type { BenchContext, BenchResult } from './types.ts';

const PROVINCES = 34;
/** months published per province (each snapshot holds the whole ten-year history as of its cutoff) */
const PERIODS = 3;

export default async function rollupBench(ctx: BenchContext): Promise<BenchResult[]> {
  const copyPath = join(ctx.tmpDir, 'rollup-bench.db');
  ctx.db.exec(`VACUUM INTO '${copyPath.replace(/'/g, "''")}'`);
  const db = openDatabase(copyPath);
  const siteDir = join(ctx.tmpDir, 'rollup-site');
  try {
    const last = ctx.asOf.slice(0, 7);
    publishMonthEnds(db, {
      fromPeriod: addMonths(`${last}-01`, -(PERIODS - 1)).slice(0, 7),
      until: ctx.asOf,
      onProgress: (r) =>
        ctx.log(`rollup: published ${r.period} (${r.taskCount} tasks, ${(r.bytes / 1e6).toFixed(1)} MB)`),
    });
    ctx.log('rollup: building the one province’s site (once; not measured)…');
    const built = await buildSite({ db, siteDir, trigger: 'bench' });
    ctx.log(`rollup: site built in ${(built.durationMs / 1000).toFixed(1)} s`);
  } finally {
    db.close();
  }
  const release = realpathSync(join(siteDir, 'current'));
  ctx.log(
    `rollup: copying its open data ${PROVINCES} times, changing only the province/office names and recomputing hashes ` +
      '(one generated province stands for 34; its figures repeat)',
  );
  const sources: Source[] = [];
  for (let i = 1; i <= PROVINCES; i++) {
    const name = `Ủy ban nhân dân tỉnh Thử Nghiệm ${String(i).padStart(2, '0')}`;
    const dest = join(ctx.tmpDir, 'rollup-copies', `p${i}`);
    rewriteRelease(
      release,
      dest,
      (s) => {
        s.province = name;
        s.office = `Văn phòng ${name}`;
      },
      (c) => {
        c.title = `Dữ liệu mở theo dõi nhiệm vụ UBND tỉnh giao — ${name}`;
        c.publisher = `Văn phòng ${name}`;
      },
    );
    const r = await openSource(dest);
    if (!r.ok) throw new Error(r.message);
    sources.push(r.source);
  }
  const snapshotMb = statSync(join(release, 'du-lieu-mo', ctx.asOf.slice(0, 7), 'ban-1.json')).size / 1e6;
  ctx.log(
    `rollup: latest snapshot ${snapshotMb.toFixed(1)} MB; rolling up ${PROVINCES} provinces × ${PERIODS} periods…`,
  );
  let checked = 0;
  const result = await runRollup(sources, join(ctx.tmpDir, 'rollup-out'), (m) => {
    if (m.endsWith('đạt kiểm tra') && !m.includes(': kỳ ')) ctx.log(`rollup: ${++checked}/${PROVINCES} ${m}`);
  });
  const seconds = Number((result.durationMs / 1000).toFixed(2));
  ctx.log(
    `rollup: ${result.rollup.provinces.length} provinces, ${result.rollup.refused.length} refused, ` +
      `${result.rollup.commonPeriods.length} common periods in ${seconds} s`,
  );
  return [
    { name: 'rollup.seconds', value: seconds, unit: 's', target: '≤ 60 s (34 provinces)' },
    { name: 'rollup.provinces', value: result.rollup.provinces.length, unit: 'provinces', target: '34' },
    { name: 'rollup.periodsPerProvince', value: PERIODS, unit: 'periods' },
    { name: 'rollup.snapshotMB', value: Number(snapshotMb.toFixed(1)), unit: 'MB' },
  ];
}
