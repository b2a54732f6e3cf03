/**
 * The build's cached files made ahead of the build: every publication's open data (JSON, CSV, XLSX, cached by its
 * SHA-256), the share images of the periods as published (cached by content), and the next build's carried pages
 * linked ahead (site-build-stage.ts). A new period's open data (≈ 3 s for 30,000 tasks), its share images (≈ 2 s)
 * and linking ≈ 29,000 unchanged pages (≈ 2-3 s of a core) are most of what a rebuild after one more period does
 * besides rendering; made right after publishing (in the publishing worker, off the request path), the rebuild that
 * follows finds them and only renders pages. Optional: a build makes whatever is missing itself.
 */
import { join, resolve } from 'node:path';
import type { DB } from '../db/open.ts';
import { siteUrlFromEnv } from '../env.ts';
import { listPublications } from './publish.ts';
import type { StoredSnapshot, StoredSnapshotHeader as SnapshotHeader } from './schema.ts';
import { readSiteInputs } from './site-build-data.ts';
import { planBuild, readSource } from './site-build-plan.ts';
import { stageCarried } from './site-build-stage.ts';
import type { CardStats } from './share-images.ts';
import { siteDirFromEnv } from './site-build-common.ts';
import { prepareOpenData, prepareShareImages } from './site-build-inputs.ts';
import { acquireLock } from './site-build-lock.ts';
import { latestSummaries } from './snapshot.ts';

export async function prepareBuildCaches(
  db: DB,
  options: { siteDir?: string; siteUrl?: string } = {},
): Promise<{ openDataMs: number; imagesMs: number; images: CardStats; stagedMs: number; staged: number }> {
  const siteDir = resolve(options.siteDir ?? siteDirFromEnv());
  const siteUrl = options.siteUrl ?? siteUrlFromEnv();
  // under the build lock: never beside a build that links from the same cache
  const release = acquireLock(siteDir);
  try {
    const cacheDir = join(siteDir, 'cache');
    const rows = listPublications(db);
    const periods = latestSummaries(db);
    const latest = periods[periods.length - 1];
    const images: CardStats = { rendered: 0, reused: 0, renderMs: 0, times: [] };
    if (!latest) return { openDataMs: 0, imagesMs: 0, images, stagedMs: 0, staged: 0 };
    const headers = new Map<number, SnapshotHeader>();
    for (const r of rows) {
      const h = periods.find((p) => p.period === r.period && p.revision === r.revision);
      if (h) headers.set(r.id, h);
    }
    let t = performance.now();
    await prepareOpenData(db, cacheDir, rows, headers, () => {}, siteUrl);
    const openDataMs = performance.now() - t;
    t = performance.now();
    await prepareShareImages(cacheDir, latest, periods, images);
    const imagesMs = performance.now() - t;
    t = performance.now();
    // the next build's plan, as it will make it (same inputs, same live release)
    const inputs = readSiteInputs(db, cacheDir, siteUrl, rows)!;
    const tasks = (JSON.parse(inputs.snapshotText()) as StoredSnapshot).tasks;
    const plan = planBuild(readSource(siteDir), inputs.computed, tasks);
    const staged = await stageCarried(siteDir, plan, inputs.computed);
    return { openDataMs, imagesMs, images, stagedMs: performance.now() - t, staged };
  } finally {
    release();
  }
}
