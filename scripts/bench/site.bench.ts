/**
 * Public site benchmarks (issue 5) on the generated ten-year province, on a copy of the bench database:
 * - publish: median ms to freeze one month (≈30,000 public tasks);
 * - full build of every published period from a cold cache (≈30,000 task pages): seconds and pages/s (target ≤ 90 s);
 * - rebuild after publishing one more period (warm image and open-data caches): seconds (target: no slower);
 * - share image render ms each when new (target ≤ 100 ms);
 * - home page bytes transferred, gzip, including HTML, CSS, scripts and fonts (target ≤ 150 KB).
 * - Lighthouse (npm package, Debian's Chromium, default mobile settings) performance and accessibility on the home page
 *   and an agency page of the rebuilt release, served by the product's own server (targets ≥ 95 and 100).
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openDatabase } from '../../admin/db/open.ts';
import { addMonths, endOfMonth } from '../../admin/domain/dates.ts';
import { publishMonthEnds } from '../../admin/publication/publish.ts';
import { buildSite, type BuildResult } from '../../admin/publication/site-build.ts';
import { lighthouseScores } from './lighthouse.ts';

import type { BenchContext, BenchResult } from './types.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Bytes a browser transfers for the home page with gzip: the HTML and every same-site asset it references. */
export function homeTransferBytes(releaseDir: string): { total: number; parts: Record<string, number> } {
  const html = readFileSync(join(releaseDir, 'index.html'));
  const parts: Record<string, number> = { 'index.html': gzipSync(html).length };
  const refs = new Set<string>();
  for (const m of html.toString('utf8').matchAll(/(?:href|src)="(\/[^"]+\.(?:css|js|svg))"/g)) refs.add(m[1]!);
  const css = readFileSync(join(releaseDir, 'css/site.css'), 'utf8');
  for (const m of css.matchAll(/url\((\/fonts\/[^)]+)\)/g)) refs.add(m[1]!);
  for (const ref of refs) {
    const buf = readFileSync(join(releaseDir, ref));
    parts[ref] = ref.endsWith('.woff2') ? buf.length : gzipSync(buf).length;
    // chart bundle may import shared chunks
    if (ref.endsWith('.js')) {
      // static imports and the lazily imported chart module (fetched as soon as a chart comes into view)
      for (const m of buf.toString('utf8').matchAll(/(?:from|import\()\s*"\.\/([^"]+\.js)"/g)) {
        const chunk = join(ref.slice(0, ref.lastIndexOf('/')), m[1]!);
        parts[chunk] = gzipSync(readFileSync(join(releaseDir, chunk))).length;
      }
    }
  }
  return { total: Object.values(parts).reduce((a, b) => a + b, 0), parts };
}

export default async function siteBench(ctx: BenchContext): Promise<BenchResult[]> {
  const copyPath = join(ctx.tmpDir, 'site-bench.db');
  const siteDir = join(ctx.tmpDir, 'site-bench');
  rmSync(copyPath, { force: true });
  rmSync(siteDir, { recursive: true, force: true });
  ctx.db.exec(`VACUUM INTO '${copyPath.replace(/'/g, "''")}'`);
  const db = openDatabase(copyPath);
  try {
    // the last twelve months: the newest holds every task (≈30,000 task pages); the last one is kept for the rebuild
    const lastPeriod = ctx.asOf.slice(0, 7);
    const firstPeriod = addMonths(`${lastPeriod}-01`, -11).slice(0, 7);
    const beforeLast = addMonths(`${lastPeriod}-01`, -1);
    const publishMs: number[] = [];
    let t = performance.now();
    publishMonthEnds(db, {
      fromPeriod: firstPeriod,
      until: endOfMonth(beforeLast.slice(0, 7)),
      onProgress: (r) => {
        const now = performance.now();
        publishMs.push(now - t);
        t = now;
        ctx.log(
          `site: published ${r.period} (${r.taskCount} tasks, ${(r.bytes / 1e6).toFixed(1)} MB) in ${Math.round(publishMs.at(-1)!)} ms`,
        );
      },
    });

    const progress = (p: { message: string; phase: string }) => {
      if (p.phase !== 'pages') ctx.log(`site: ${p.message}`);
    };
    ctx.log('site: full build from a cold cache…');
    const full: BuildResult = await buildSite({ db, siteDir, trigger: 'bench', onProgress: progress });
    ctx.log(
      `site: full build ${full.pages} pages in ${(full.durationMs / 1000).toFixed(1)} s (Astro ${(full.astroMs / 1000).toFixed(1)} s)`,
    );

    t = performance.now();
    publishMonthEnds(db, { fromPeriod: lastPeriod, until: ctx.asOf });
    publishMs.push(performance.now() - t);
    ctx.log('site: rebuild after one more period…');
    const rebuild = await buildSite({ db, siteDir, trigger: 'bench', onProgress: progress });
    ctx.log(`site: rebuild ${rebuild.pages} pages in ${(rebuild.durationMs / 1000).toFixed(1)} s`);

    const home = homeTransferBytes(join(siteDir, 'current'));
    ctx.log(`site: home page transfer ${JSON.stringify(home.parts)}`);
    const releaseBytes = statSync(join(siteDir, 'current', 'index.html')).size;
    // Lighthouse: three runs per page, median score (its simulated throttling still feels the machine's load)
    ctx.log('site: Lighthouse on / and /co-quan/stc/ (3 runs each)…');
    const lh: Record<string, { perf: number[]; a11y: number[] }> = {};
    for (let run = 0; run < 3; run++) {
      let scores: Awaited<ReturnType<typeof lighthouseScores>> = [];
      try {
        scores = await lighthouseScores(join(siteDir, 'current'), ['/', '/co-quan/stc/']);
      } catch (err) {
        // the build figures above still count; a Lighthouse run that cannot record is reported, not fatal
        ctx.log(`site: Lighthouse run ${run + 1} failed: ${(err as Error).message}`);
      }
      for (const s of scores) {
        (lh[s.path] ??= { perf: [], a11y: [] }).perf.push(s.performance);
        lh[s.path]!.a11y.push(s.accessibility);
        ctx.log(
          `site: Lighthouse ${s.path} performance ${s.performance}, accessibility ${s.accessibility} ${JSON.stringify(s.metrics)}`,
        );
      }
    }
    const lhResults: BenchResult[] = Object.entries(lh).flatMap(([path, v]) => [
      {
        name: `site: Lighthouse performance ${path} (median of 3)`,
        value: median(v.perf),
        unit: 'score',
        target: '≥ 95',
      },
      {
        name: `site: Lighthouse accessibility ${path} (median of 3)`,
        value: median(v.a11y),
        unit: 'score',
        target: '100',
      },
    ]);
    return [
      { name: 'site: publish one month (≈30,000 public tasks)', value: Math.round(median(publishMs)), unit: 'ms' },
      {
        name: 'site: full build, every period (cold cache)',
        value: +(full.durationMs / 1000).toFixed(1),
        unit: 's',
        target: '≤ 90 s',
      },
      { name: 'site: pages built', value: full.pages, unit: 'pages' },
      {
        name: 'site: full build speed (Astro pages)',
        value: Math.round(full.pages / (full.astroMs / 1000)),
        unit: 'pages/s',
      },
      {
        name: 'site: rebuild after one more period',
        value: +(rebuild.durationMs / 1000).toFixed(1),
        unit: 's',
        target: `≤ ${(full.durationMs / 1000).toFixed(1)} s (full build)`,
      },
      {
        name: 'site: share image when new (satori + resvg, median of each)',
        value: Math.round(median(full.images.times)),
        unit: 'ms',
        target: '≤ 100 ms',
      },
      { name: 'site: share image, first (cold fonts)', value: Math.round(full.images.times[0] ?? 0), unit: 'ms' },
      {
        name: 'site: home page transferred (gzip, with CSS, JS, fonts)',
        value: +(home.total / 1024).toFixed(1),
        unit: 'KB',
        target: '≤ 150 KB',
      },
      { name: 'site: home page HTML (uncompressed)', value: +(releaseBytes / 1024).toFixed(1), unit: 'KB' },
      ...lhResults,
    ];
  } finally {
    db.close();
  }
}
