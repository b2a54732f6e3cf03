/**
 * What the admin panel's publish page (issue 4) and the scheduler call: preview, publish, build with progress,
 * history, rollback and the scheduled rebuild. Everything here is also reachable from the command line.
 */
import { Cron } from 'croner';
import type { DB } from '../db/open.ts';
import {
  buildSite,
  BuildError,
  isBuildRunning,
  siteDirFromEnv,
  type BuildProgress,
  type BuildResult,
} from './site-build.ts';

export {
  previewSnapshot,
  publishPeriod,
  publishMonthEnds,
  listPublications,
  readSnapshot,
  readSummary,
  PublishError,
} from './publish.ts';
export type { PublishInput, PublishResult, PublicationRow } from './publish.ts';
export { buildSite, rollbackSite, listReleases, isBuildRunning, BuildError, siteDirFromEnv } from './site-build.ts';
export type { BuildProgress, BuildResult, BuildSiteOptions, ReleaseInfo } from './site-build.ts';
export type { Snapshot, SnapshotHeader, PublicTask, AgencySummary } from './schema.ts';

export interface SiteBuildRow {
  id: number;
  release_id: string;
  trigger: string;
  status: 'running' | 'succeeded' | 'failed';
  started_at: string;
  finished_at: string | null;
  pages: number | null;
  duration_ms: number | null;
  error: string | null;
}

/** Build history, newest first. */
export function listBuilds(db: DB, limit = 50): SiteBuildRow[] {
  return db
    .prepare(
      'SELECT id, release_id, trigger, status, started_at, finished_at, pages, duration_ms, error FROM site_builds ORDER BY id DESC LIMIT ?',
    )
    .all(limit) as SiteBuildRow[];
}

export interface ScheduledRebuild {
  stop: () => void;
  nextRun: () => Date | null;
}

/**
 * Rebuilds the site on a cron schedule (settings, e.g. "0 6 * * *" or the day after the monthly meeting), in the
 * server process, under the same lock as `npm run site:build`: a run that finds another build going is skipped.
 * The cron expression is checked at once; a bad one throws a Vietnamese BuildError.
 */
export function startScheduledRebuild(
  cronExpr: string,
  options: {
    db: DB;
    siteDir?: string;
    log?: (msg: string) => void;
    onDone?: (r: BuildResult | Error) => void;
    onProgress?: (p: BuildProgress) => void;
  },
): ScheduledRebuild {
  const log = options.log ?? ((m: string) => console.log(m));
  let job: Cron;
  try {
    job = new Cron(cronExpr, { timezone: 'Asia/Ho_Chi_Minh', protect: true, paused: false }, async () => {
      const siteDir = options.siteDir ?? siteDirFromEnv();
      if (isBuildRunning(siteDir)) {
        log('Bỏ qua lần dựng trang theo lịch: đang có một lần dựng khác chạy.');
        return;
      }
      try {
        const r = await buildSite({ db: options.db, siteDir, trigger: 'schedule', onProgress: options.onProgress });
        log(`Dựng trang theo lịch xong: ${r.pages} trang, bản ${r.releaseId}.`);
        options.onDone?.(r);
      } catch (err) {
        log(`Dựng trang theo lịch thất bại: ${(err as Error).message}`);
        options.onDone?.(err as Error);
      }
    });
  } catch (err) {
    throw new BuildError(
      `Biểu thức lịch "${cronExpr}" không hợp lệ (${(err as Error).message}); ví dụ hợp lệ: "0 6 * * *".`,
    );
  }
  return { stop: () => job.stop(), nextRun: () => job.nextRun() };
}
