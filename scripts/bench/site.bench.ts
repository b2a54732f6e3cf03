/**
 * Public site benchmarks (issue 5) on the generated ten-year province, on a copy of the bench database:
 * - publish: median ms to freeze one month (≈30,000 public tasks);
 * - full build of every published period, three times, the first from a cold cache (≈30,000 task pages): seconds
 *   and Astro pages/s (targets ≤ 90 s, ≥ 750 pages/s);
 * - rebuild after publishing one more period (issue 14: incremental, from the previous period's live release, the
 *   new period's open data and the share images made anew), three times: seconds until live (target ≤ 5 s);
 * - rebuild with nothing changed, three times (target ≤ 2 s); the load average at the start and the end beside them;
 * - share image render ms each when new (issue 14: ≤ 35 ms): 25 new cards rendered one after the other at a quiet
 *   moment (satori + resvg, fonts loaded), beside the same cards' times inside the cold full build, where they share
 *   the thread with the open data and the cores with Astro;
 * - home page bytes transferred, gzip, including HTML, CSS, scripts and fonts (target ≤ 150 KB).
 * - Lighthouse (npm package, Debian's Chromium, default mobile settings) performance and accessibility on the home page
 *   and an agency page of the rebuilt release, served by the product's own server (targets ≥ 95 and 100).
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openDatabase } from '../../admin/db/open.ts';
import { addMonths, endOfMonth } from '../../admin/domain/dates.ts';
import { publishMonthEnds, readSummary } from '../../admin/publication/publish.ts';
import { buildSite, type BuildResult, prepareBuildCaches, switchCurrent } from '../../admin/publication/site-build.ts';
import { Resvg } from '@resvg/resvg-js';
import { type CardData, cardSvg, RESVG_OPTIONS } from '../../admin/publication/share-images.ts';
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
    // The time until the new release is live: up to its switch (old releases are pruned after; the bench keeps
    // ten releases so that no run pays for deleting one).
    const timed = async (full: boolean) => {
      const t0 = performance.now();
      let liveMs = 0;
      const result = await buildSite({
        db,
        siteDir,
        trigger: 'bench',
        full,
        keepReleases: 10,
        onProgress: (p) => {
          if ((p.phase === 'prune' || p.phase === 'done') && liveMs === 0) liveMs = performance.now() - t0;
          progress(p);
        },
      });
      return { result, liveMs };
    };
    const load = () =>
      os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(' ');
    const loadStart = os.loadavg()[0]!;
    ctx.log(`site: load average at start ${load()}`);

    ctx.log('site: full build ×3 (the first from a cold cache)…');
    const fulls: Array<{ result: BuildResult; liveMs: number }> = [];
    for (let run = 0; run < 3; run++) {
      const r = await timed(true);
      fulls.push(r);
      ctx.log(
        `site: full build ${r.result.pages} pages in ${(r.liveMs / 1000).toFixed(1)} s (Astro ${(r.result.astroMs / 1000).toFixed(1)} s, ${Math.round(r.result.pages / (r.result.astroMs / 1000))} pages/s)`,
      );
    }
    const full = fulls[0]!.result;
    const base = fulls.at(-1)!.result.releaseId;
    // the share images of the periods published so far; a run removes only those made since (the new period's
    // cards: home, each agency at the new cutoff, the new report), which the first rebuild after a publication makes
    const ogDir = join(siteDir, 'cache', 'og');
    const ogBefore = new Set(existsSync(ogDir) ? readdirSync(ogDir) : []);
    const forgetNewCaches = () => {
      rmSync(join(siteDir, 'cache', 'data', newest.sha256), { recursive: true, force: true });
      if (existsSync(ogDir)) for (const f of readdirSync(ogDir)) if (!ogBefore.has(f)) rmSync(join(ogDir, f));
    };
    const phases = (r: BuildResult) =>
      Object.entries(r.phases)
        .map(([k, v]) => `${k} ${Math.round(v)}`)
        .join(', ');

    t = performance.now();
    publishMonthEnds(db, { fromPeriod: lastPeriod, until: ctx.asOf });
    publishMs.push(performance.now() - t);
    const newest = db
      .prepare('SELECT id, sha256 FROM publications ORDER BY period DESC, revision DESC LIMIT 1')
      .get() as {
      id: number;
      sha256: string;
    };
    const newestHeader = readSummary(db, newest.id);
    // Each run starts from the release of the previous period, live, and pays what the first rebuild after a
    // publication pays: the new period's open data and its share images are made anew (removed from the cache).
    ctx.log('site: rebuild after one more period ×3…');
    const rebuilds: Array<{ result: BuildResult; liveMs: number }> = [];
    for (let run = 0; run < 3; run++) {
      switchCurrent(siteDir, base, db);
      forgetNewCaches();
      const r = await timed(false);
      rebuilds.push(r);
      ctx.log(
        `site: rebuild (${r.result.mode}) in ${(r.liveMs / 1000).toFixed(1)} s: Astro ${(r.result.astroMs / 1000).toFixed(1)} s, ${r.result.carried} files carried over, ${r.result.redated} re-dated, ${r.result.scanned} searched, ${r.result.images.rendered} images new`,
      );
      ctx.log(`site:   phases (ms; openData, images, carry and astro overlap): ${phases(r.result)}`);
    }
    const rebuild = rebuilds[0]!.result;
    // The same with the new period's open data and share images made right after publishing (prepareBuildCaches,
    // for the publishing worker): the rebuild only renders and carries pages.
    ctx.log('site: rebuild after one more period, caches made after publishing, ×3…');
    const warmed: Array<{ result: BuildResult; liveMs: number }> = [];
    const warmMs: number[] = [];
    for (let run = 0; run < 3; run++) {
      switchCurrent(siteDir, base, db);
      forgetNewCaches();
      const w0 = performance.now();
      const made = await prepareBuildCaches(db, { siteDir });
      warmMs.push(performance.now() - w0);
      ctx.log(
        `site:   caches: open data ${Math.round(made.openDataMs)} ms, ${made.images.rendered} images ${Math.round(made.imagesMs)} ms, ${made.staged} carried pages linked ahead ${Math.round(made.stagedMs)} ms`,
      );
      const r = await timed(false);
      warmed.push(r);
      ctx.log(
        `site: caches made in ${(warmMs.at(-1)! / 1000).toFixed(1)} s, then rebuild (${r.result.mode}) in ${(r.liveMs / 1000).toFixed(1)} s: Astro ${(r.result.astroMs / 1000).toFixed(1)} s`,
      );
      ctx.log(`site:   phases (ms; carry and astro overlap): ${phases(r.result)}`);
    }
    ctx.log('site: rebuild with nothing changed ×3…');
    const unchanged: Array<{ result: BuildResult; liveMs: number }> = [];
    for (let run = 0; run < 3; run++) {
      const r = await timed(false);
      unchanged.push(r);
      ctx.log(`site: rebuild with nothing changed (${r.result.mode}) in ${(r.liveMs / 1000).toFixed(1)} s`);
    }
    const loadEnd = os.loadavg()[0]!;
    ctx.log(`site: load average at end ${load()}`);
    const secs = (xs: Array<{ liveMs: number }>) => +(median(xs.map((x) => x.liveMs)) / 1000).toFixed(2);

    // share images alone, on this thread with nothing else running: rendered directly (no cache), each card's total
    // one more than the last
    const card = (i: number): CardData => ({
      kicker: newestHeader.province,
      title: 'Theo dõi nhiệm vụ UBND tỉnh giao',
      asOf: newestHeader.asOf,
      counts: { ...newestHeader.totals, total: newestHeader.totals.total + i },
    });
    const cardMs: number[] = [];
    const split: Record<'satori' | 'resvg' | 'png', number[]> = { satori: [], resvg: [], png: [] };
    for (let i = 1; i <= 25; i++) {
      // renderCard's three steps, timed apart (share-images.ts)
      const t0 = performance.now();
      const svg = await cardSvg(card(i));
      const t1 = performance.now();
      const image = new Resvg(svg, RESVG_OPTIONS).render();
      const t2 = performance.now();
      image.asPng();
      const t3 = performance.now();
      split.satori.push(t1 - t0);
      split.resvg.push(t2 - t1);
      split.png.push(t3 - t2);
      cardMs.push(t3 - t0);
    }
    ctx.log(
      `site: 25 new share images alone: median ${median(cardMs).toFixed(1)} ms each (satori ${median(split.satori).toFixed(1)}, resvg ${median(split.resvg).toFixed(1)}, PNG ${median(split.png).toFixed(1)} ms)`,
    );

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
      { name: 'site: load average (1 min) at the start of the site bench', value: +loadStart.toFixed(2), unit: 'load' },
      { name: 'site: load average (1 min) at the end of the site bench', value: +loadEnd.toFixed(2), unit: 'load' },
      {
        name: 'site: full build, every period (cold cache)',
        value: +(fulls[0]!.liveMs / 1000).toFixed(1),
        unit: 's',
        target: '≤ 90 s',
      },
      { name: 'site: full build, every period (median of 3)', value: secs(fulls), unit: 's' },
      { name: 'site: pages built', value: full.pages, unit: 'pages' },
      {
        name: 'site: full build speed (Astro pages, median of 3)',
        value: Math.round(median(fulls.map((f) => f.result.pages / (f.result.astroMs / 1000)))),
        unit: 'pages/s',
        target: '≥ 750 pages/s',
      },
      {
        name: 'site: rebuild after one more period, until live (median of 3)',
        value: secs(rebuilds),
        unit: 's',
        target: '≤ 5 s',
      },
      {
        name: 'site: rebuild after one more period, open data and images made after publishing (median of 3)',
        value: secs(warmed),
        unit: 's',
        target: '≤ 5 s',
      },
      {
        name: 'site: after publishing, the new period’s open data, share images and carried pages linked ahead (prepareBuildCaches, median of 3)',
        value: +(median(warmMs) / 1000).toFixed(2),
        unit: 's',
      },
      {
        name: 'site: rebuild after one more period, caches made after publishing: Astro until done (median of 3)',
        value: +(median(warmed.map((r) => r.result.astroMs)) / 1000).toFixed(2),
        unit: 's',
      },
      {
        name: 'site: rebuild after one more period, caches made after publishing: check after Astro (median of 3)',
        value: +(median(warmed.map((r) => r.result.phases.check ?? 0)) / 1000).toFixed(2),
        unit: 's',
      },
      {
        name: 'site: rebuild after one more period, Astro part (median of 3)',
        value: +(median(rebuilds.map((r) => r.result.astroMs)) / 1000).toFixed(2),
        unit: 's',
      },
      {
        name: 'site: rebuild after one more period, files carried over',
        value: rebuild.carried,
        unit: 'files',
        target: `of ${rebuild.files}`,
      },
      {
        name: 'site: rebuild with nothing changed (median of 3)',
        value: secs(unchanged),
        unit: 's',
        target: '≤ 2 s',
      },
      {
        name: 'site: share image when new (satori + resvg, 25 alone, median)',
        value: +median(cardMs).toFixed(1),
        unit: 'ms',
        target: '≤ 35 ms',
      },
      {
        name: 'site: share image when new, inside the cold full build (beside open data and Astro, median)',
        value: Math.round(median(full.images.times)),
        unit: 'ms',
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
