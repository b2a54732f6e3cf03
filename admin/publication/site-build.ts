/**
 * Builds the public site from the publications into data/site/releases/<id>/, checks it, writes its manifest and
 * switches data/site/current atomically to it once verified. A failed, invalid or killed build never replaces the
 * live site (DESIGN.md §7); one build at a time (site-build-lock.ts); the last five releases are kept, and removed
 * ones are renamed away before being deleted (site-releases.ts), so a rollback never meets a half-deleted one.
 *
 *   publications ──▶ work/<id>/site-data.json + tasks.json ──astro build (child process)──▶ releases/<id>/
 *                └──▶ open data + share images (cached by content hash, hard-linked into the release)
 *   releases/<id> ──checks──▶ .manifest.json ──verify + switch──▶ current ──▶ prune older releases
 *
 * The parts: site-build-common (errors, paths), -lock, -inputs, -astro, -check; site-release-manifest; site-releases.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ZodError } from 'zod';
import type { DB } from '../db/open.ts';
import { EnvError, siteUrlFrom, siteUrlFromEnv } from '../env.ts';
import { formatDateVi } from '../domain/dates.ts';
import type { SiteData } from '../../site/lib/site-data.ts';
import { latestSummaries } from './snapshot.ts';
import { listPublications, readSnapshot } from './publish.ts';
import type { CardStats } from './share-images.ts';
import { describeSchemaError, type StoredSnapshotHeader as SnapshotHeader } from './schema.ts';
import { BuildError, type BuildProgress, KEEP_RELEASES, siteDirFromEnv } from './site-build-common.ts';
import { acquireLock, pidAlive } from './site-build-lock.ts';
import { cleanAstroLeftovers, runAstro } from './site-build-astro.ts';
import { checkReleaseAgainst } from './site-build-check.ts';
import {
  linkOrCopy,
  openDataLinks,
  prepareOpenData,
  prepareShareImages,
  releaseIdNow,
  revisionsOf,
} from './site-build-inputs.ts';
import { writeManifest } from './site-release-manifest.ts';
import { siteReplies } from './site-replies.ts';
import { siteArchives } from './site-archive.ts';
import { cleanSiteLeftovers, pruneReleases, removeRelease, switchCurrent } from './site-releases.ts';

export { BuildError, KEEP_RELEASES, REPO_ROOT, siteDirFromEnv, type BuildProgress } from './site-build-common.ts';
export { acquireLock, isBuildRunning } from './site-build-lock.ts';
export { checkRelease, type CheckReport } from './site-build-check.ts';
export { verifyRelease, writeManifest, MANIFEST_FILE, type ReleaseManifest } from './site-release-manifest.ts';
export { listReleases, rollbackSite, switchCurrent, type ReleaseInfo } from './site-releases.ts';

export interface BuildSiteOptions {
  db: DB;
  /** data/site by default */
  siteDir?: string;
  siteUrl?: string;
  trigger?: 'cli' | 'admin' | 'schedule' | 'bench' | 'test';
  onProgress?: (p: BuildProgress) => void;
  /** extra strings that must never appear in any output file (tests plant a canary) */
  forbidden?: string[];
  /** successful releases kept on disk (KEEP_RELEASES by default) */
  keepReleases?: number;
}

export interface BuildResult {
  releaseId: string;
  releaseDir: string;
  pages: number;
  files: number;
  durationMs: number;
  astroMs: number;
  images: CardStats;
  homeBytes: number;
}

/** Builds recorded as running whose process is dead become failed; returns their release ids. */
function failDeadBuilds(db: DB): string[] {
  const markDead = db.prepare(
    "UPDATE site_builds SET status = 'failed', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), error = 'Tiến trình dựng trang bị dừng đột ngột' WHERE id = ?",
  );
  const dead: string[] = [];
  for (const r of db.prepare("SELECT id, pid, release_id FROM site_builds WHERE status = 'running'").all() as Array<{
    id: number;
    pid: number | null;
    release_id: string;
  }>) {
    if (r.pid === null || r.pid === process.pid || !pidAlive(r.pid)) {
      markDead.run(r.id);
      dead.push(r.release_id);
    }
  }
  return dead;
}

/** The public origin of every absolute URL of the site (admin/env.ts: absolute, https in production), checked first. */
function publicOrigin(explicit: string | undefined): string {
  try {
    return explicit === undefined ? siteUrlFromEnv() : siteUrlFrom(explicit, process.env.NODE_ENV === 'production', '');
  } catch (err) {
    if (err instanceof EnvError) throw new BuildError(err.message);
    throw err;
  }
}

export async function buildSite(options: BuildSiteOptions): Promise<BuildResult> {
  const { db } = options;
  const started = Date.now();
  const siteDir = resolve(options.siteDir ?? siteDirFromEnv());
  const keep = options.keepReleases ?? KEEP_RELEASES;
  const say = options.onProgress ?? (() => {});
  const siteUrl = publicOrigin(options.siteUrl);
  const release = acquireLock(siteDir);
  // what killed builds left: their records, work folders, half-removed releases and Astro folders
  const dead = failDeadBuilds(db);
  cleanAstroLeftovers(dead);
  cleanSiteLeftovers(siteDir);
  pruneReleases(db, siteDir, { keep });
  const releaseId = releaseIdNow();
  const releaseDir = join(siteDir, 'releases', releaseId);
  const workDir = join(siteDir, 'work', releaseId);
  const cacheDir = join(siteDir, 'cache');
  const rows = listPublications(db);
  const buildRow = db
    .prepare('INSERT INTO site_builds (release_id, trigger, status, pid, publication_ids) VALUES (?, ?, ?, ?, ?)')
    .run(releaseId, options.trigger ?? 'cli', 'running', process.pid, JSON.stringify(rows.map((r) => r.id)));
  const buildId = Number(buildRow.lastInsertRowid);
  let switched = false;
  try {
    if (rows.length === 0) throw new BuildError('Chưa có kỳ nào được công bố; hãy chạy "npm run publish" trước.');
    say({ phase: 'prepare', message: `Chuẩn bị dữ liệu từ ${rows.length} bản công bố…` });
    const periods = latestSummaries(db);
    const latest = periods[periods.length - 1]!;
    const latestRow = rows.find((r) => r.period === latest.period && r.revision === latest.revision)!;
    const headers = new Map<number, SnapshotHeader>();
    for (const r of rows) {
      const h = periods.find((p) => p.period === r.period && p.revision === r.revision);
      if (h) headers.set(r.id, h);
    }
    const latestSnapshot = readSnapshot(db, latestRow.id);

    // open data and share images are produced (or taken from the cache) while Astro, a child process, builds the
    // pages: the two use both cores. A failure in Astro must not leave them running unobserved.
    const openDataDone = prepareOpenData(db, cacheDir, rows, headers, say, siteUrl);
    const images: CardStats = { rendered: 0, reused: 0, renderMs: 0, times: [] };
    const imagesDone = prepareShareImages(cacheDir, latest, periods, images);
    openDataDone.catch(() => {});
    imagesDone.catch(() => {});

    const replies = siteReplies(db, cacheDir);
    const archives = siteArchives(db, cacheDir);
    const siteData: SiteData = {
      siteUrl,
      builtAt: new Date().toISOString(),
      periods,
      revisions: revisionsOf(db, rows, headers),
      openData: openDataLinks(rows, headers),
      replies: replies.replies,
      archives: archives.archives,
    };
    mkdirSync(workDir, { recursive: true });
    writeFileSync(join(workDir, 'site-data.json'), JSON.stringify(siteData));
    writeFileSync(join(workDir, 'tasks.json'), JSON.stringify(latestSnapshot.tasks));

    const expectedPages = latestSnapshot.tasks.length + latest.agencies.length + periods.length + 10;
    say({ phase: 'pages', message: `Dựng ${expectedPages} trang bằng Astro…`, done: 0, total: expectedPages });
    const astroStart = Date.now();
    await runAstro(
      {
        SITE_RELEASE_ID: releaseId,
        SITE_OUT_DIR: releaseDir,
        SITE_DATA_DIR: workDir,
        SITE_URL: siteUrl,
        SITE_CACHE_DIR: join(workDir, 'astro-cache'),
      },
      expectedPages,
      say,
    );
    const astroMs = Date.now() - astroStart;
    const links = [...(await openDataDone), ...(await imagesDone), ...replies.links, ...archives.links];
    say({ phase: 'extras', message: `Ảnh chia sẻ: ${images.rendered} ảnh mới, ${images.reused} ảnh dùng lại` });
    for (const [from, href] of links) linkOrCopy(from, join(releaseDir, href));
    rmSync(workDir, { recursive: true, force: true });

    say({ phase: 'check', message: 'Kiểm tra liên kết nội bộ và rò rỉ dữ liệu không công khai…' });
    const { report, problems } = checkReleaseAgainst(db, releaseDir, latestSnapshot, periods, options.forbidden ?? []);
    if (problems.length > 0) {
      throw new BuildError(
        `Bản dựng không đạt kiểm tra (${problems.length} lỗi):\n  ${problems.slice(0, 20).join('\n  ')}`,
      );
    }
    // checked: its manifest makes it a release (a candidate for this switch and later rollbacks)
    writeManifest(releaseDir, releaseId);
    const durationMs = Date.now() - started;
    db.prepare(
      `UPDATE site_builds SET status = 'succeeded', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), pages = ?, files = ?,
         duration_ms = ? WHERE id = ?`,
    ).run(report.pages, report.files, durationMs, buildId);

    say({ phase: 'switch', message: `Kiểm tra bảng kê tệp và chuyển trang công khai sang bản ${releaseId}…` });
    switchCurrent(siteDir, releaseId, db);
    switched = true;
    const homeBytes = statSync(join(releaseDir, 'index.html')).size;
    try {
      pruneReleases(db, siteDir, {
        keep,
        onRemove: (id) => say({ phase: 'prune', message: `Xóa bản cũ ${id}…` }),
      });
    } catch (err) {
      // the new release is live; old ones are removed by the next build
      say({ phase: 'prune', message: `Chưa xóa được bản cũ: ${(err as Error).message}` });
    }
    say({
      phase: 'done',
      message: `Đã dựng ${report.pages} trang (${report.files} tệp) trong ${(durationMs / 1000).toFixed(1)} s; trang công khai: bản ${releaseId}, số liệu đến ngày ${formatDateVi(latest.asOf)}.`,
    });
    return { releaseId, releaseDir, pages: report.pages, files: report.files, durationMs, astroMs, images, homeBytes };
  } catch (caught) {
    if (switched) throw caught; // the release is live: never remove it
    const err = caught instanceof ZodError ? new BuildError(describeSchemaError(caught)) : (caught as Error);
    db.prepare(
      "UPDATE site_builds SET status = 'failed', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), duration_ms = ?, error = ? WHERE id = ?",
    ).run(Date.now() - started, String((err as Error).message).slice(0, 4000), buildId);
    removeRelease(siteDir, releaseId);
    rmSync(workDir, { recursive: true, force: true });
    throw err;
  } finally {
    release();
  }
}
