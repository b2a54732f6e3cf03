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
 * Incremental (issue 14, site-build-plan.ts): each release keeps the hashes of its pages' inputs (.pages.json).
 * The next build renders only the task pages whose inputs changed (and every other page, a few hundred), hard-links
 * the rest from the live release while Astro works, and runs the same checks: links over the whole release, the
 * leak search over every file that is not byte for byte a checked file of the live release. Same code and inputs:
 * the live release stays, once it matches its manifest. Changed site code or settings, no usable live release, or a
 * carried file that no longer matches the live release's manifest: a full build, which writes the same bytes.
 *
 * The parts: site-build-common (errors, paths), -lock, -inputs, -plan, -astro, -check; site-release-manifest;
 * site-releases.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ZodError } from 'zod';
import type { DB } from '../db/open.ts';
import { EnvError, siteUrlFrom, siteUrlFromEnv } from '../env.ts';
import { formatDateVi } from '../domain/dates.ts';
import type { SiteData } from '../../site/lib/site-data.ts';
import { latestSummaries } from './snapshot.ts';
import { listPublications, readSnapshotText } from './publish.ts';
import type { CardStats } from './share-images.ts';
import {
  describeSchemaError,
  type StoredSnapshot,
  type StoredSnapshotHeader as SnapshotHeader,
  storedSnapshotSchema,
} from './schema.ts';
import { BuildError, type BuildProgress, KEEP_RELEASES, siteDirFromEnv, walk } from './site-build-common.ts';
import { acquireLock, pidAlive } from './site-build-lock.ts';
import { cleanAstroLeftovers, runAstro } from './site-build-astro.ts';
import { checkReleaseAgainst, leakCheckOf, leakRules } from './site-build-check.ts';
import {
  linkOrCopy,
  openDataLinks,
  prepareOpenData,
  prepareShareImages,
  releaseIdNow,
  revisionsOf,
} from './site-build-inputs.ts';
import { verifyRelease, writeManifest } from './site-release-manifest.ts';
import { siteReplies } from './site-replies.ts';
import { siteArchives } from './site-archive.ts';
import { cleanSiteLeftovers, pruneReleases, recordBroken, removeRelease, switchCurrent } from './site-releases.ts';
import {
  type BuildMode,
  type BuildPlan,
  type CarriedHashes,
  carryFiles,
  inputsOf,
  moveInto,
  PAGES_FILE,
  planBuild,
  readSource,
  type SourceRelease,
  validatedBefore,
  writePageIndex,
} from './site-build-plan.ts';
import { RENDER_TASKS_FILE } from '../../site/lib/task-page.ts';

export { BuildError, KEEP_RELEASES, REPO_ROOT, siteDirFromEnv, type BuildProgress } from './site-build-common.ts';
export { acquireLock, isBuildRunning } from './site-build-lock.ts';
export { checkRelease, type CheckReport } from './site-build-check.ts';
export { verifyRelease, writeManifest, MANIFEST_FILE, type ReleaseManifest } from './site-release-manifest.ts';
export { listReleases, rollbackSite, switchCurrent, type ReleaseInfo } from './site-releases.ts';
export { prepareBuildCaches } from './site-build-warm.ts';

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
  /** render every page, carrying nothing over from the live release */
  full?: boolean;
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
  /** full: every page rendered; incremental: only pages whose inputs changed; unchanged: every file carried over */
  mode: BuildMode;
  /** files hard-linked from the live release */
  carried: number;
  /** files searched for non-public content (the others are byte for byte checked files of the live release) */
  scanned: number;
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

/** A build that found nothing changed: recorded as succeeded, the live release stays (BuildResult of it). */
function keptLive(
  db: DB,
  buildId: number,
  src: SourceRelease,
  started: number,
  asOf: string,
  say: (p: BuildProgress) => void,
): BuildResult {
  const pages = src.manifest.files.filter((f) => f.path.endsWith('.html')).length;
  const files = src.manifest.files.length;
  const durationMs = Date.now() - started;
  db.prepare(
    `UPDATE site_builds SET status = 'succeeded', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), pages = ?, files = ?,
       duration_ms = ? WHERE id = ?`,
  ).run(pages, files, durationMs, buildId);
  say({
    phase: 'done',
    message: `Không có thay đổi: bản ${src.id} (${pages} trang, ${files} tệp) vẫn đang phục vụ, số liệu đến ngày ${formatDateVi(asOf)}; kiểm tra trong ${(durationMs / 1000).toFixed(1)} s.`,
  });
  const images: CardStats = { rendered: 0, reused: 0, renderMs: 0, times: [] };
  const homeBytes = src.entries.get('index.html')?.size ?? 0;
  return {
    releaseId: src.id,
    releaseDir: src.dir,
    pages,
    files,
    durationMs,
    astroMs: 0,
    images,
    homeBytes,
    mode: 'unchanged',
    carried: 0,
    scanned: 0,
  };
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
    const snapshotText = readSnapshotText(db, latestRow.id);

    const replies = siteReplies(db, cacheDir);
    const archives = siteArchives(db, cacheDir);
    const siteData: SiteData = {
      siteUrl,
      periods,
      revisions: revisionsOf(db, rows, headers),
      openData: openDataLinks(rows, headers),
      replies: replies.replies,
      archives: archives.archives,
    };
    const siteDataText = JSON.stringify(siteData);
    const computed = inputsOf(siteData, siteDataText, latestRow.sha256);
    const source: SourceRelease | string = options.full ? 'yêu cầu dựng toàn bộ' : readSource(siteDir);
    const parsed = JSON.parse(snapshotText) as unknown;
    const latestSnapshot = validatedBefore(source, computed)
      ? (parsed as StoredSnapshot)
      : storedSnapshotSchema.parse(parsed);
    mkdirSync(workDir, { recursive: true });
    writeFileSync(join(workDir, 'site-data.json'), siteDataText);

    // Produces the release's files: rendered by Astro (all pages, or only those whose inputs changed), carried
    // over from the live release (hard links, while Astro works), open data and share images from the cache;
    // then checks them.
    const produce = async (plan: BuildPlan) => {
      const images: CardStats = { rendered: 0, reused: 0, renderMs: 0, times: [] };
      let astroMs = 0;
      let carried: CarriedHashes = new Map();
      // every file put into the release, for its check and manifest
      const listed: string[] = [PAGES_FILE, ...plan.carry];
      mkdirSync(releaseDir, { recursive: true });
      if (plan.mode === 'unchanged') {
        say({
          phase: 'pages',
          message: `Dữ liệu không đổi: dùng lại ${plan.carry.length} tệp của bản ${plan.source!.id}…`,
        });
        carried = await carryFiles(plan.source!, releaseDir, plan.carry);
      } else {
        writeFileSync(join(workDir, 'tasks.json'), JSON.stringify(latestSnapshot.tasks));
        const only = join(workDir, RENDER_TASKS_FILE);
        if (plan.mode === 'incremental') writeFileSync(only, JSON.stringify(plan.renderTasks));
        else rmSync(only, { force: true });
        const taskPages = plan.mode === 'incremental' ? plan.renderTasks.length : latestSnapshot.tasks.length;
        const expectedPages = taskPages + latest.agencies.length + periods.length + 10;
        say({
          phase: 'pages',
          message:
            plan.mode === 'incremental'
              ? `Dựng ${expectedPages} trang có thay đổi bằng Astro, dùng lại ${plan.carry.length} trang nhiệm vụ của bản ${plan.source!.id}…`
              : `Dựng ${expectedPages} trang bằng Astro${plan.reason ? ` (dựng toàn bộ: ${plan.reason})` : ''}…`,
          done: 0,
          total: expectedPages,
        });
        const astroStart = Date.now();
        // Astro empties its output folder first: it writes into one of its own, moved into the release after
        const astroOut = join(workDir, 'out');
        const astroDone = runAstro(
          {
            SITE_RELEASE_ID: releaseId,
            SITE_OUT_DIR: astroOut,
            SITE_DATA_DIR: workDir,
            SITE_URL: siteUrl,
            SITE_CACHE_DIR: join(workDir, 'astro-cache'),
          },
          expectedPages,
          say,
        );
        // while Astro, a child process, renders: open data and share images on this thread, the carried pages in
        // a worker. A failure in one must not leave the others running unobserved.
        const openDataDone = prepareOpenData(db, cacheDir, rows, headers, say, siteUrl);
        const imagesDone = prepareShareImages(cacheDir, latest, periods, images);
        const carryDone = plan.source ? carryFiles(plan.source, releaseDir, plan.carry) : Promise.resolve(carried);
        for (const p of [astroDone, openDataDone, imagesDone, carryDone]) p.catch(() => {});
        await astroDone;
        carried = await carryDone;
        astroMs = Date.now() - astroStart;
        for (const f of walk(astroOut)) listed.push(relative(astroOut, f).split('\\').join('/'));
        moveInto(astroOut, releaseDir);
        const links = [...(await openDataDone), ...(await imagesDone), ...replies.links, ...archives.links];
        say({ phase: 'extras', message: `Ảnh chia sẻ: ${images.rendered} ảnh mới, ${images.reused} ảnh dùng lại` });
        for (const [from, href] of links) {
          linkOrCopy(from, join(releaseDir, href));
          listed.push(href.replace(/^\/+/, ''));
        }
      }
      writePageIndex(releaseDir, plan.index);
      say({ phase: 'check', message: 'Kiểm tra liên kết nội bộ và rò rỉ dữ liệu không công khai…' });
      const from = plan.source && {
        id: plan.source.id,
        dir: plan.source.dir,
        hashedAt: Date.parse(plan.source.manifest.createdAt),
        leakCheck: plan.source.manifest.leakCheck,
        entries: plan.source.entries,
        carried,
      };
      const checked = checkReleaseAgainst(releaseDir, rules, releaseId, from, listed);
      return { ...checked, images, astroMs, plan };
    };

    const rules = leakRules(db, latestSnapshot, periods, options.forbidden ?? []);
    let first = planBuild(source, computed, latestSnapshot.tasks);
    if (first.mode === 'unchanged' && first.source) {
      // Nothing changed: the live release is what a full build would write, and it was checked for exactly what
      // is forbidden now. It stays live (no new release, so the rollback targets stay distinct) once it still
      // matches its manifest (every file there, same size, and hashed again if written since); otherwise it is
      // marked broken and everything is rendered again.
      const src = first.source;
      if (src.manifest.leakCheck === leakCheckOf(src.id, rules) && rules.titleLeaks.length === 0) {
        say({ phase: 'check', message: `Dữ liệu không đổi: kiểm tra bản đang phục vụ ${src.id} theo bảng kê tệp…` });
        const v = verifyRelease(src.dir, { unwrittenSinceManifest: true });
        if (v.ok) {
          rmSync(workDir, { recursive: true, force: true });
          return keptLive(db, buildId, src, started, latest.asOf, say);
        }
        recordBroken(db, siteDir, src.id, v.problem);
        first = planBuild(source, computed, latestSnapshot.tasks, `bản ${src.id} hỏng: ${v.problem}`);
      }
    }
    let out = await produce(first);
    if (out.report.damaged.length > 0) {
      // a carried file no longer matches the live release's manifest: that release is no source (nor a rollback
      // target); everything is rendered again
      const src = out.plan.source!;
      const problem = `${out.report.damaged.length} tệp bị thay đổi so với bảng kê (ví dụ ${out.report.damaged.slice(0, 3).join(', ')})`;
      recordBroken(db, siteDir, src.id, problem);
      say({ phase: 'prepare', message: `Bản ${src.id} hỏng (${problem}); dựng lại toàn bộ…` });
      removeRelease(siteDir, releaseId);
      rmSync(join(workDir, 'out'), { recursive: true, force: true });
      out = await produce(planBuild(source, computed, latestSnapshot.tasks, `bản ${src.id} hỏng`));
    }
    rmSync(workDir, { recursive: true, force: true });
    const { report, problems, images, astroMs, plan } = out;
    if (problems.length > 0) {
      throw new BuildError(
        `Bản dựng không đạt kiểm tra (${problems.length} lỗi):\n  ${problems.slice(0, 20).join('\n  ')}`,
      );
    }
    // checked: its manifest makes it a release (a candidate for this switch and later rollbacks)
    writeManifest(releaseDir, releaseId, report.entries, out.leakCheck);
    const durationMs = Date.now() - started;
    db.prepare(
      `UPDATE site_builds SET status = 'succeeded', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), pages = ?, files = ?,
         duration_ms = ? WHERE id = ?`,
    ).run(report.pages, report.files, durationMs, buildId);

    say({ phase: 'switch', message: `Kiểm tra bảng kê tệp và chuyển trang công khai sang bản ${releaseId}…` });
    // every file was hashed for the manifest by this build moments ago: the switch checks presence and sizes
    switchCurrent(siteDir, releaseId, db, { hashes: false });
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
    const carried = plan.carry.length;
    say({
      phase: 'done',
      message: `Đã dựng ${report.pages} trang (${report.files} tệp${carried > 0 ? `, ${carried} tệp dùng lại từ bản ${plan.source!.id}` : ''}) trong ${(durationMs / 1000).toFixed(1)} s; trang công khai: bản ${releaseId}, số liệu đến ngày ${formatDateVi(latest.asOf)}.`,
    });
    return {
      releaseId,
      releaseDir,
      pages: report.pages,
      files: report.files,
      durationMs,
      astroMs,
      images,
      homeBytes,
      mode: plan.mode,
      carried,
      scanned: report.scanned,
    };
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
