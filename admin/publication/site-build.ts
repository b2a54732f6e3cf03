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
 * Astro starts as soon as the build knows it will render (site-build-produce.ts): its start overlaps the planning.
 *
 * The parts: site-build-common (errors, paths), -lock, -inputs, -plan, -produce, -astro, -check;
 * site-release-manifest; site-releases.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ZodError } from 'zod';
import type { DB } from '../db/open.ts';
import { EnvError, siteUrlFrom, siteUrlFromEnv } from '../env.ts';
import { formatDateVi } from '../domain/dates.ts';
import { listPublications } from './publish.ts';
import type { CardStats } from './share-images.ts';
import { describeSchemaError, type StoredSnapshot, storedSnapshotSchema } from './schema.ts';
import { BuildError, type BuildProgress, KEEP_RELEASES, siteDirFromEnv } from './site-build-common.ts';
import { acquireLock, pidAlive } from './site-build-lock.ts';
import { cleanAstroLeftovers } from './site-build-astro.ts';
import { leakCheckOf, leakRules } from './site-build-check.ts';
import { releaseIdNow } from './site-build-inputs.ts';
import { verifyRelease, writeManifest } from './site-release-manifest.ts';
import { cleanSiteLeftovers, pruneReleases, recordBroken, removeRelease, switchCurrent } from './site-releases.ts';
import {
  type BuildMode,
  type BuildPlan,
  planBuild,
  readSource,
  type SourceRelease,
  validatedBefore,
} from './site-build-plan.ts';
import { type AstroRun, produceRelease, startAstro } from './site-build-produce.ts';
import { readSiteInputs } from './site-build-data.ts';
import { takeStaged } from './site-build-stage.ts';

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
  /** overdue tasks' pages re-dated from the live release's instead of rendered (site-build-redate.ts) */
  redated: number;
  /** ms spent in each phase (those running beside Astro overlap it), for the bench's breakdown */
  phases: Record<string, number>;
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
    redated: 0,
    phases: {},
  };
}

export async function buildSite(options: BuildSiteOptions): Promise<BuildResult> {
  const { db } = options;
  const started = Date.now();
  const phases: Record<string, number> = {};
  let lapStart = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    phases[name] = (phases[name] ?? 0) + (now - lapStart);
    lapStart = now;
  };
  const timedPart = <T>(name: string, p: Promise<T>): Promise<T> => {
    const t0 = performance.now();
    return p.then((v) => {
      phases[name] = performance.now() - t0;
      return v;
    });
  };
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
  let early: AstroRun | null = null;
  try {
    if (rows.length === 0) throw new BuildError('Chưa có kỳ nào được công bố; hãy chạy "npm run publish" trước.');
    say({ phase: 'prepare', message: `Chuẩn bị dữ liệu từ ${rows.length} bản công bố…` });
    const { periods, latest, headers, snapshotText, siteDataText, links, computed } = readSiteInputs(
      db,
      cacheDir,
      siteUrl,
      rows,
      lap,
    )!;
    const source: SourceRelease | string = options.full ? 'yêu cầu dựng toàn bộ' : readSource(siteDir);
    lap('readSource');
    mkdirSync(workDir, { recursive: true });
    writeFileSync(join(workDir, 'site-data.json'), siteDataText);
    // Astro will render (the inputs differ from the live release's): started now, its start and Vite build
    // overlap the planning below (site-build-produce.ts)
    const ctx = { db, releaseId, releaseDir, workDir, cacheDir, siteUrl, rows, headers, latest, periods, say, lap };
    if (typeof source === 'string' || source.index.inputs !== computed.inputs) {
      early = startAstro({ ...ctx, timed: timedPart });
    }
    // the schema check runs while Astro renders (whileAstro below), before anything is checked or switched;
    // planning needs only the parsed tasks
    const parsed = JSON.parse(snapshotText()) as unknown;
    const latestSnapshot = parsed as StoredSnapshot;
    const validate = () => {
      if (!validatedBefore(source, computed)) storedSnapshotSchema.parse(parsed);
    };
    lap('snapshot');

    const rules = leakRules(db, latestSnapshot, periods, options.forbidden ?? []);
    lap('leakRules');
    let first = planBuild(source, computed, latestSnapshot.tasks);
    lap('plan');
    const produce = (plan: BuildPlan, astro: AstroRun | null, whileAstro?: () => void) =>
      produceRelease(
        {
          ...ctx,
          timed: timedPart,
          tasks: latestSnapshot.tasks,
          searchIndex: () => computed.searchIndex(latestSnapshot.tasks),
          links,
          rules,
        },
        plan,
        astro,
        whileAstro,
      );
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
          validate();
          rmSync(workDir, { recursive: true, force: true });
          return keptLive(db, buildId, src, started, latest.asOf, say);
        }
        recordBroken(db, siteDir, src.id, v.problem);
        first = planBuild(source, computed, latestSnapshot.tasks, `bản ${src.id} hỏng: ${v.problem}`);
      }
    }
    if (first.mode === 'unchanged') validate();
    // the carried pages linked ahead after publishing, for exactly this plan (prepareBuildCaches)
    if (takeStaged(siteDir, first, computed, releaseDir)) first = { ...first, staged: true };
    // stopped by the catch below if anything fails before it is done (stopping a finished run does nothing)
    let out = await produce(first, early, validate);
    if (out.report.damaged.length > 0) {
      // a carried file no longer matches the live release's manifest: that release is no source (nor a rollback
      // target); everything is rendered again
      const src = out.plan.source!;
      const problem = `${out.report.damaged.length} tệp bị thay đổi so với bảng kê (ví dụ ${out.report.damaged.slice(0, 3).join(', ')})`;
      recordBroken(db, siteDir, src.id, problem);
      say({ phase: 'prepare', message: `Bản ${src.id} hỏng (${problem}); dựng lại toàn bộ…` });
      removeRelease(siteDir, releaseId);
      rmSync(join(workDir, 'out'), { recursive: true, force: true });
      out = await produce(planBuild(source, computed, latestSnapshot.tasks, `bản ${src.id} hỏng`), null);
    }
    rmSync(workDir, { recursive: true, force: true });
    const { report, problems, images, astroMs, plan, redated } = out;
    if (problems.length > 0) {
      throw new BuildError(
        `Bản dựng không đạt kiểm tra (${problems.length} lỗi):\n  ${problems.slice(0, 20).join('\n  ')}`,
      );
    }
    // checked: its manifest makes it a release (a candidate for this switch and later rollbacks)
    writeManifest(releaseDir, releaseId, report.entries, out.leakCheck, report.links);
    lap('manifest');
    const durationMs = Date.now() - started;
    db.prepare(
      `UPDATE site_builds SET status = 'succeeded', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), pages = ?, files = ?,
         duration_ms = ? WHERE id = ?`,
    ).run(report.pages, report.files, durationMs, buildId);

    say({ phase: 'switch', message: `Kiểm tra bảng kê tệp và chuyển trang công khai sang bản ${releaseId}…` });
    // every file was hashed for the manifest by this build moments ago: the switch checks presence and sizes
    switchCurrent(siteDir, releaseId, db, { hashes: false });
    switched = true;
    lap('switch');
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
      message: `Đã dựng ${report.pages} trang (${report.files} tệp${carried > 0 ? `, ${carried} tệp dùng lại từ bản ${plan.source!.id}` : ''}${redated > 0 ? `, ${redated} trang ghi lại ngày số liệu` : ''}) trong ${(durationMs / 1000).toFixed(1)} s; trang công khai: bản ${releaseId}, số liệu đến ngày ${formatDateVi(latest.asOf)}.`,
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
      redated,
      phases,
    };
  } catch (caught) {
    if (switched) throw caught; // the release is live: never remove it
    await early?.stop();
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
