/**
 * The build's cached files made ahead of the build: every publication's open data (JSON, CSV, XLSX, cached by its
 * SHA-256) and the share images of the periods as published (cached by content). A new period's open data (≈ 3 s
 * for 30,000 tasks) and its share images (≈ 2 s) are most of what a rebuild after one more period does besides
 * rendering; made right after publishing (in the publishing worker, off the request path), the rebuild that follows
 * finds them and only renders and carries pages. Optional: a build makes whatever is missing itself.
 */
import { join, resolve } from 'node:path';
import type { DB } from '../db/open.ts';
import { siteUrlFromEnv } from '../env.ts';
import { listPublications } from './publish.ts';
import type { StoredSnapshotHeader as SnapshotHeader } from './schema.ts';
import type { CardStats } from './share-images.ts';
import { siteDirFromEnv } from './site-build-common.ts';
import { prepareOpenData, prepareShareImages } from './site-build-inputs.ts';
import { acquireLock } from './site-build-lock.ts';
import { latestSummaries } from './snapshot.ts';

export async function prepareBuildCaches(
  db: DB,
  options: { siteDir?: string; siteUrl?: string } = {},
): Promise<{ openDataMs: number; imagesMs: number; images: CardStats }> {
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
    if (!latest) return { openDataMs: 0, imagesMs: 0, images };
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
    return { openDataMs, imagesMs: performance.now() - t, images };
  } finally {
    release();
  }
}
