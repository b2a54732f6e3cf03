/**
 * Site builds started inside the server: from the publish page (admin) or on the schedule set on the settings page
 * (setting `site_rebuild_cron`). Both go through startBackgroundBuild, so the publish page shows the progress of
 * either, and both respect the one-build-at-a-time lock of site-build.ts (shared with `npm run site:build`).
 *
 * The scheduler re-reads the setting every minute and replaces its cron job when the value changed, so a change
 * saved on the settings page takes effect without a restart and without the route needing a handle on the server.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { Cron } from 'croner';
import type { DB } from '../db/open.ts';
import type { Env } from '../env.ts';
import { buildSite, BuildError, isBuildRunning, type BuildProgress } from '../publication/index.ts';
import { TIME_ZONE } from '../domain/dates.ts';

export const REBUILD_CRON_SETTING = 'site_rebuild_cron';
/** A schedule may not fire more often than this (a build takes tens of seconds to minutes and replaces the site). */
export const MIN_REBUILD_INTERVAL_MS = 60 * 60_000;

/** The build root (holding releases/ and the `current` link) from the served folder SITE_DIR = <root>/current. */
export function siteBuildRoot(env: Pick<Env, 'siteDir'>): string {
  return resolve(env.siteDir, '..');
}

/**
 * Builds from the server write next to SITE_DIR, so SITE_DIR must be the `current` link of a build folder (the
 * default data/site/current); anything else would make the server write releases into an unrelated parent folder.
 */
export function siteRootProblem(env: Pick<Env, 'siteDir'>): string | null {
  return basename(resolve(env.siteDir)) === 'current'
    ? null
    : `SITE_DIR (${env.siteDir}) phải là liên kết "current" trong thư mục trang công khai (ví dụ data/site/current); máy chủ không dựng trang hay quay lại bản cũ với cấu hình này.`;
}

export interface BuildState {
  trigger: 'admin' | 'schedule';
  startedAt: Date;
  finishedAt: Date | null;
  running: boolean;
  /** recent progress lines, oldest first */
  progress: BuildProgress[];
  releaseId: string | null;
  pages: number | null;
  error: string | null;
}

const states = new Map<string, BuildState>();
/** The last background build's state, beside the releases (not served), so every server process shows it. */
export const BUILD_STATE_FILE = 'build-state.json';
const STATE_WRITE_EVERY_MS = 250;

/**
 * The last background build for that build root (running or finished), started by this process or by another
 * server process (ADMIN_PROCESSES > 1) — whichever started last — or null. A build recorded as running whose
 * process no longer holds the build lock was cut off (its process died) and is shown so.
 */
export function lastBackgroundBuild(siteRoot: string): BuildState | null {
  const root = resolve(siteRoot);
  const mine = states.get(root) ?? null;
  const stored = readState(root);
  if (!stored || (mine && mine.startedAt >= stored.startedAt)) return mine;
  if (stored.running && !isBuildRunning(root)) {
    return {
      ...stored,
      running: false,
      error: stored.error ?? 'Lần dựng trang bị ngắt giữa chừng (tiến trình dựng không còn chạy).',
    };
  }
  return stored;
}

function readState(root: string): BuildState | null {
  try {
    const raw = JSON.parse(readFileSync(join(root, BUILD_STATE_FILE), 'utf8')) as Record<string, unknown>;
    const startedAt = new Date(String(raw.startedAt));
    if (Number.isNaN(startedAt.getTime())) return null;
    return {
      trigger: raw.trigger === 'schedule' ? 'schedule' : 'admin',
      startedAt,
      finishedAt: typeof raw.finishedAt === 'string' ? new Date(raw.finishedAt) : null,
      running: raw.running === true,
      progress: Array.isArray(raw.progress) ? (raw.progress as BuildProgress[]) : [],
      releaseId: typeof raw.releaseId === 'string' ? raw.releaseId : null,
      pages: typeof raw.pages === 'number' ? raw.pages : null,
      error: typeof raw.error === 'string' ? raw.error : null,
    };
  } catch {
    return null; // none yet, or half a file from a crash: as if no build was recorded
  }
}

function writeState(root: string, state: BuildState): void {
  try {
    const tmp = join(root, `${BUILD_STATE_FILE}.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, join(root, BUILD_STATE_FILE));
  } catch {
    /* the state is for the publish page; a failed write must not fail the build */
  }
}

/**
 * Starts a build in the background and returns at once. Refused (BuildError, Vietnamese) when a build is already
 * running here or in another process (the lock file). `onFinish` runs after success or failure.
 */
export function startBackgroundBuild(options: {
  db: DB;
  siteRoot: string;
  trigger: 'admin' | 'schedule';
  onFinish?: (state: BuildState) => void;
}): BuildState {
  const root = resolve(options.siteRoot);
  const prev = states.get(root);
  if (prev?.running || isBuildRunning(root)) {
    throw new BuildError('Đang có một lần dựng trang khác chạy; hãy chờ lần đó kết thúc rồi thử lại.');
  }
  const state: BuildState = {
    trigger: options.trigger,
    startedAt: new Date(),
    finishedAt: null,
    running: true,
    progress: [],
    releaseId: null,
    pages: null,
    error: null,
  };
  states.set(root, state);
  let written = 0;
  const persist = (force: boolean) => {
    if (!force && Date.now() - written < STATE_WRITE_EVERY_MS) return;
    written = Date.now();
    writeState(root, state);
  };
  const finish = () => {
    state.running = false;
    state.finishedAt = new Date();
    persist(true);
    try {
      options.onFinish?.(state);
    } catch {
      /* a failing callback must not turn a finished build into an unhandled rejection */
    }
  };
  // buildSite takes the lock synchronously, before its first await: nothing else can start in between
  buildSite({
    db: options.db,
    siteDir: root,
    trigger: options.trigger,
    onProgress: (p) => {
      state.progress.push(p);
      if (state.progress.length > 30) state.progress.splice(0, state.progress.length - 30);
      persist(false);
    },
  }).then(
    (r) => {
      state.releaseId = r.releaseId;
      state.pages = r.pages;
      finish();
    },
    (err: unknown) => {
      state.error = err instanceof Error ? err.message : String(err);
      finish();
    },
  );
  persist(true); // after buildSite took the lock (synchronously), so the folder exists and a reader sees it held
  return state;
}

/**
 * Checks a rebuild schedule: '' (no scheduled rebuild) or a 5-field cron expression in Asia/Ho_Chi_Minh that
 * fires at most once an hour. Returns a Vietnamese message, or null when valid.
 */
export function checkRebuildCron(expr: string): string | null {
  if (expr === '') return null;
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) {
    return 'Lịch dựng lại phải gồm đúng 5 trường "phút giờ ngày tháng thứ", ví dụ "0 6 * * *" (6 giờ sáng hằng ngày) hoặc "0 7 6 * *" (7 giờ ngày 6 hằng tháng).';
  }
  let job: Cron;
  try {
    job = new Cron(expr, { timezone: TIME_ZONE, paused: true });
  } catch (err) {
    return `Biểu thức lịch "${expr}" không hợp lệ (${(err as Error).message}); ví dụ hợp lệ: "0 6 * * *".`;
  }
  try {
    const runs = job.nextRuns(4);
    if (runs.length === 0) return 'Biểu thức lịch không bao giờ đến lượt chạy; hãy kiểm tra lại.';
    for (let i = 1; i < runs.length; i++) {
      if (runs[i]!.getTime() - runs[i - 1]!.getTime() < MIN_REBUILD_INTERVAL_MS) {
        return 'Lịch dựng lại chạy dày hơn 1 lần mỗi giờ; mỗi lần dựng mất nhiều thời gian và thay trang công khai, hãy chọn lịch thưa hơn (ví dụ "0 6 * * *").';
      }
    }
  } finally {
    job.stop();
  }
  return null;
}

/** The next run of a valid schedule, for the settings page. */
export function nextRebuild(expr: string, from: Date = new Date()): Date | null {
  if (expr === '' || checkRebuildCron(expr) !== null) return null;
  const job = new Cron(expr, { timezone: TIME_ZONE, paused: true });
  try {
    return job.nextRun(from);
  } finally {
    job.stop();
  }
}

export function readRebuildCron(db: DB): string {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(REBUILD_CRON_SETTING) as
    | { value: string }
    | undefined;
  return row?.value.trim() ?? '';
}

export interface RebuildScheduler {
  /** the expression in force ('' = none) */
  current(): string;
  /** re-read the setting now (also done every pollMs) */
  reload(): void;
  stop(): void;
}

/**
 * Runs scheduled rebuilds in the server process following the setting. An invalid stored value (written around
 * the settings page) is logged and ignored rather than stopping the server.
 */
export function startRebuildScheduler(options: {
  db: DB;
  siteRoot: string;
  log?: (msg: string) => void;
  pollMs?: number;
}): RebuildScheduler {
  const log = options.log ?? ((m: string) => console.log(m));
  let expr = '';
  let job: Cron | null = null;
  const apply = (next: string) => {
    if (next === expr) return;
    job?.stop();
    job = null;
    expr = next;
    if (next === '') return;
    const problem = checkRebuildCron(next);
    if (problem) {
      log(`Lịch dựng lại trang công khai không hợp lệ, bỏ qua: ${problem}`);
      return;
    }
    job = new Cron(next, { timezone: TIME_ZONE, protect: true }, () => {
      try {
        startBackgroundBuild({
          db: options.db,
          siteRoot: options.siteRoot,
          trigger: 'schedule',
          onFinish: (s) =>
            log(
              s.error
                ? `Dựng trang theo lịch thất bại: ${s.error}`
                : `Dựng trang theo lịch xong: ${s.pages} trang, bản ${s.releaseId}.`,
            ),
        });
      } catch (err) {
        log(`Bỏ qua lần dựng trang theo lịch: ${(err as Error).message}`);
      }
    });
  };
  const reload = () => {
    try {
      apply(readRebuildCron(options.db));
    } catch (err) {
      log(`Không đọc được lịch dựng lại trang công khai: ${(err as Error).message}`);
    }
  };
  reload();
  const timer = setInterval(reload, options.pollMs ?? 60_000);
  timer.unref();
  return {
    current: () => expr,
    reload,
    stop: () => {
      clearInterval(timer);
      job?.stop();
      job = null;
    },
  };
}
