/**
 * The releases on disk and the `current` link the public site is served from.
 *
 *   data/site/releases/<id>/            a built release (its .manifest.json written once it passed its checks)
 *   data/site/releases/.removing-<id>/  a release being deleted: renamed first (atomic), so a delete killed half-way
 *                                       leaves nothing that looks like a release
 *   data/site/work/<id>/                a build's inputs; whatever is left there belongs to a killed build
 *   data/site/current ──▶ releases/<id> switched by renaming a new symlink over the old one, only after the target
 *                                       has been verified against its manifest (DESIGN.md §7)
 */
import { existsSync, readdirSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { DB } from '../db/open.ts';
import { BuildError, KEEP_RELEASES, siteDirFromEnv } from './site-build-common.ts';
import { acquireLock } from './site-build-lock.ts';
import { BROKEN_FILE, markBroken, verifyRelease } from './site-release-manifest.ts';

export interface ReleaseInfo {
  id: string;
  current: boolean;
  build: {
    status: string;
    started_at: string;
    finished_at: string | null;
    pages: number | null;
    duration_ms: number | null;
    trigger: string;
  } | null;
}

const REMOVING = '.removing-';

export function currentReleaseId(siteDir: string): string | null {
  try {
    return readlinkSync(join(siteDir, 'current')).split('/').pop() ?? null;
  } catch {
    return null;
  }
}

/** Release folders, oldest first; folders being removed (dot names) are not releases. */
export function releaseDirs(siteDir: string): string[] {
  const dir = join(siteDir, 'releases');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => !n.startsWith('.') && statSync(join(dir, n)).isDirectory())
    .sort();
}

/** Releases on disk, newest first, with their build record when there is one. */
export function listReleases(db: DB | null, siteDir: string = siteDirFromEnv()): ReleaseInfo[] {
  const cur = currentReleaseId(siteDir);
  return releaseDirs(siteDir)
    .reverse()
    .map((id) => ({
      id,
      current: id === cur,
      build: db
        ? ((db
            .prepare(
              'SELECT status, started_at, finished_at, pages, duration_ms, trigger FROM site_builds WHERE release_id = ?',
            )
            .get(id) as ReleaseInfo['build'] | undefined) ?? null)
        : null,
    }));
}

function succeededIds(db: DB): Set<string> {
  return new Set(
    (
      db.prepare("SELECT release_id FROM site_builds WHERE status = 'succeeded'").all() as Array<{ release_id: string }>
    ).map((r) => r.release_id),
  );
}

/** Records a release that failed verification: a marker in its folder and, with the database, a failed build. */
export function recordBroken(db: DB | null, siteDir: string, releaseId: string, problem: string): void {
  markBroken(join(siteDir, 'releases', releaseId), problem);
  db?.prepare("UPDATE site_builds SET status = 'failed', error = ? WHERE release_id = ?").run(
    `Bản phát hành hỏng, không được dùng lại: ${problem}`.slice(0, 4000),
    releaseId,
  );
}

/**
 * Points data/site/current at a release after verifying it against its manifest: a new symlink renamed over the
 * old one (atomic on POSIX). A release that fails verification is marked broken and the live site stays as it was.
 */
export function switchCurrent(
  siteDir: string,
  releaseId: string,
  db: DB | null = null,
  /** false: the build that hashed every file for the manifest moments ago checks presence and sizes only */
  { hashes = true }: { hashes?: boolean } = {},
): void {
  const check = verifyRelease(join(siteDir, 'releases', releaseId), { hashes });
  if (!check.ok) {
    recordBroken(db, siteDir, releaseId, check.problem);
    throw new BuildError(`Không chuyển sang bản ${releaseId}: ${check.problem}. Trang công khai giữ nguyên.`);
  }
  pointCurrent(siteDir, releaseId);
}

function pointCurrent(siteDir: string, releaseId: string): void {
  const tmp = join(siteDir, `current.tmp-${process.pid}`);
  rmSync(tmp, { force: true });
  symlinkSync(join('releases', releaseId), tmp);
  renameSync(tmp, join(siteDir, 'current'));
}

/** Deletes a release: renamed out of the releases first, so a kill during the delete leaves no candidate. */
export function removeRelease(siteDir: string, releaseId: string): void {
  const dir = join(siteDir, 'releases', releaseId);
  if (!existsSync(dir)) return;
  const doomed = join(siteDir, 'releases', `${REMOVING}${releaseId}`);
  rmSync(doomed, { recursive: true, force: true });
  renameSync(dir, doomed);
  rmSync(doomed, { recursive: true, force: true });
}

/**
 * Keeps the newest `keep` successful releases that are not marked broken (always the live one and `keepAlso`);
 * removes the others and the leftovers of failed or killed builds.
 */
export function pruneReleases(
  db: DB,
  siteDir: string,
  options: { keep?: number; keepAlso?: string | null; onRemove?: (id: string) => void } = {},
): string[] {
  const cur = currentReleaseId(siteDir);
  const ok = succeededIds(db);
  const all = releaseDirs(siteDir);
  const good = all.filter((id) => id === cur || (ok.has(id) && notMarkedBroken(siteDir, id)));
  const keep = new Set(good.slice(-(options.keep ?? KEEP_RELEASES)));
  if (cur) keep.add(cur);
  if (options.keepAlso) keep.add(options.keepAlso);
  const removed: string[] = [];
  for (const id of all) {
    if (keep.has(id)) continue;
    options.onRemove?.(id);
    removeRelease(siteDir, id);
    removed.push(id);
  }
  return removed;
}

function notMarkedBroken(siteDir: string, id: string): boolean {
  return !existsSync(join(siteDir, 'releases', id, BROKEN_FILE));
}

/**
 * What killed builds and deletes left behind, removed by the next build (under the lock, so nothing else is
 * writing here): releases being removed, every work folder, temporary links and open-data cache folders.
 */
export function cleanSiteLeftovers(siteDir: string): string[] {
  const removed: string[] = [];
  const rm = (p: string) => {
    rmSync(p, { recursive: true, force: true });
    removed.push(p);
  };
  const releases = join(siteDir, 'releases');
  if (existsSync(releases)) for (const n of readdirSync(releases)) if (n.startsWith(REMOVING)) rm(join(releases, n));
  const work = join(siteDir, 'work');
  if (existsSync(work)) for (const n of readdirSync(work)) rm(join(work, n));
  for (const n of readdirSync(siteDir)) if (n.startsWith('current.tmp-')) rm(join(siteDir, n));
  const data = join(siteDir, 'cache', 'data');
  if (existsSync(data)) for (const n of readdirSync(data)) if (n.includes('.tmp-')) rm(join(data, n));
  return removed;
}

/**
 * Goes back one release: the newest release older than the live one that was built successfully (when the
 * database is at hand) and still matches its manifest. Releases that fail verification are marked broken and
 * skipped. Returns the switch made and the releases skipped, or throws a Vietnamese BuildError.
 */
export function rollbackSite(
  siteDir: string = siteDirFromEnv(),
  db: DB | null = null,
): { from: string; to: string; skipped: Array<{ id: string; problem: string }> } {
  const release = acquireLock(siteDir);
  try {
    const cur = currentReleaseId(siteDir);
    if (!cur) throw new BuildError('Chưa có bản trang công khai nào đang chạy; không thể quay lại.');
    const ok = db ? succeededIds(db) : null;
    const older = releaseDirs(siteDir)
      .filter((id) => id < cur && (!ok || ok.has(id)))
      .reverse();
    if (older.length === 0) throw new BuildError(`Không có bản nào cũ hơn bản đang chạy (${cur}) để quay lại.`);
    const skipped: Array<{ id: string; problem: string }> = [];
    for (const id of older) {
      const check = verifyRelease(join(siteDir, 'releases', id));
      if (check.ok) {
        pointCurrent(siteDir, id);
        return { from: cur, to: id, skipped };
      }
      recordBroken(db, siteDir, id, check.problem);
      skipped.push({ id, problem: check.problem });
    }
    throw new BuildError(
      `Không còn bản nào cũ hơn bản đang chạy (${cur}) còn nguyên vẹn để quay lại; trang công khai giữ nguyên bản ${cur}. ` +
        `Các bản bị bỏ qua: ${skipped.map((s) => `${s.id}: ${s.problem}`).join('; ')}. Hãy dựng lại trang (npm run site:build).`,
    );
  } finally {
    release();
  }
}
