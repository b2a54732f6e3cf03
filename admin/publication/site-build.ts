/**
 * Builds the public site from the publications into data/site/releases/<id>/, checks it, and switches
 * data/site/current atomically (new symlink renamed over the old one). A failed, invalid or killed build never
 * replaces the live site (DESIGN.md §7); one build at a time (lock file with the owner's pid, stale locks taken
 * over); the last five releases are kept.
 *
 *   publications ──▶ work/<id>/site-data.json + tasks.json ──astro build (child process)──▶ releases/<id>/
 *                └──▶ open data + share images (cached by content hash, hard-linked into the release)
 */
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
  copyFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DB } from '../db/open.ts';
import { formatDateVi } from '../domain/dates.ts';
import { latestSummaries } from './snapshot.ts';
import { listPublications, readSnapshot, readSnapshotText, type PublicationRow } from './publish.ts';
import { writeSnapshotCsv, writeSnapshotXlsx } from './open-data.ts';
import { cachedCard, type CardStats } from './share-images.ts';
import { describeSchemaError, type Snapshot, type SnapshotHeader } from './schema.ts';
import { ZodError } from 'zod';
import type { OpenDataFile, RevisionInfo, SiteData } from '../../site/lib/site-data.ts';
import { slugify } from '../../site/lib/format.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const KEEP_RELEASES = 5;

export class BuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BuildError';
  }
}

export interface BuildProgress {
  phase: 'prepare' | 'pages' | 'extras' | 'check' | 'switch' | 'done';
  message: string;
  done?: number;
  total?: number;
}

export interface BuildSiteOptions {
  db: DB;
  /** data/site by default */
  siteDir?: string;
  siteUrl?: string;
  trigger?: 'cli' | 'admin' | 'schedule' | 'bench' | 'test';
  onProgress?: (p: BuildProgress) => void;
  /** extra strings that must never appear in any output file (tests plant a canary) */
  forbidden?: string[];
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

export function siteDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  // SITE_DIR names the folder the server serves at / (admin/env.ts): <root>/current, the link this build switches;
  // releases/ sit beside it. (Treating SITE_DIR as the root would build into the live release itself.)
  return env.SITE_DIR && env.SITE_DIR.trim() !== '' ? dirname(resolve(env.SITE_DIR)) : join(REPO_ROOT, 'data/site');
}

// ---------- lock ----------

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // a killed process whose parent died may linger as a zombie (containers whose init does not reap): dead
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (not Linux): trust kill(0)
  }
}

/** Takes the build lock or throws a Vietnamese BuildError naming the running build. Stale locks are taken over. */
export function acquireLock(siteDir: string): () => void {
  mkdirSync(siteDir, { recursive: true });
  const path = join(siteDir, 'build.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeFileSync(fd, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }));
      closeSync(fd);
      return () => {
        try {
          const owner = JSON.parse(readFileSync(path, 'utf8')) as { pid: number };
          if (owner.pid === process.pid) unlinkSync(path);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let owner: { pid?: number; startedAt?: string } = {};
      try {
        owner = JSON.parse(readFileSync(path, 'utf8')) as typeof owner;
      } catch {
        /* half-written lock: treat as stale */
      }
      if (owner.pid && owner.pid !== process.pid && pidAlive(owner.pid)) {
        throw new BuildError(
          `Đang có một lần dựng trang khác chạy (tiến trình ${owner.pid}, bắt đầu ${owner.startedAt ?? '?'}); hãy chờ nó kết thúc.`,
        );
      }
      rmSync(path, { force: true }); // stale: its owner died
    }
  }
  throw new BuildError('Không lấy được khóa dựng trang.');
}

export function isBuildRunning(siteDir: string = siteDirFromEnv()): boolean {
  try {
    const owner = JSON.parse(readFileSync(join(siteDir, 'build.lock'), 'utf8')) as { pid?: number };
    return !!owner.pid && pidAlive(owner.pid);
  } catch {
    return false;
  }
}

// ---------- inputs ----------

function releaseIdNow(): string {
  const d = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}-${Math.random().toString(36).slice(2, 6)}`;
}

function revisionsOf(rows: PublicationRow[], headers: Map<number, SnapshotHeader>): RevisionInfo[] {
  return rows.map((r) => ({
    id: r.id,
    period: r.period,
    revision: r.revision,
    asOf: r.as_of,
    note: r.note,
    publishedAt: headers.get(r.id)?.publishedAt ?? r.created_at,
    sha256: r.sha256,
    taskCount: r.task_count,
  }));
}

/** Files of one period's open data, produced once per publication (content = sha256) and cached. */
async function openDataFor(db: DB, cacheDir: string, row: PublicationRow): Promise<{ dir: string; files: string[] }> {
  const dir = join(cacheDir, 'data', row.sha256);
  const done = join(dir, '.complete');
  if (existsSync(done)) return { dir, files: ['ban.json', 'nhiem-vu.csv', 'nhiem-vu.xlsx'] };
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const text = readSnapshotText(db, row.id);
  writeFileSync(join(tmp, 'ban.json'), text);
  // the text was validated when published and its SHA-256 was just checked: parse without re-validating
  const snapshot = JSON.parse(text) as Snapshot;
  await writeSnapshotCsv(snapshot, join(tmp, 'nhiem-vu.csv'));
  await writeSnapshotXlsx(snapshot, join(tmp, 'nhiem-vu.xlsx'));
  writeFileSync(join(tmp, '.complete'), row.sha256);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return { dir, files: ['ban.json', 'nhiem-vu.csv', 'nhiem-vu.xlsx'] };
}

function linkOrCopy(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

// ---------- astro ----------

function runAstro(
  env: Record<string, string>,
  expectedPages: number,
  onProgress: (p: BuildProgress) => void,
): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const astroBin = join(REPO_ROOT, 'node_modules/astro/bin/astro.mjs');
    // cwd = a folder of this build inside the project (.astro/builds/<id>): Astro keeps its intermediate server
    // build in <cwd>/.astro/ when the output folder lies outside cwd, so concurrent builds (tests, bench) never
    // share it, and its chunks still resolve packages from the project's node_modules.
    const cwd = join(REPO_ROOT, '.astro', 'builds', env.SITE_RELEASE_ID!);
    mkdirSync(cwd, { recursive: true });
    const child = spawn(process.execPath, [astroBin, 'build', '--root', REPO_ROOT], {
      cwd,
      env: { ...process.env, ...env, ASTRO_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let done = 0;
    let lastReport = 0;
    let tail = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      tail = (tail + text).slice(-4000);
      for (const line of text.split('\n')) if (/[├└]─|▶/.test(line)) done++;
      const now = Date.now();
      if (now - lastReport > 1000) {
        lastReport = now;
        onProgress({
          phase: 'pages',
          message: `Đang dựng trang: ${done}/${expectedPages}`,
          done,
          total: expectedPages,
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => (tail = (tail + c.toString('utf8')).slice(-4000)));
    // A signal to this process stops Astro too; when nobody else handles the signal, the default (exit) follows.
    const forward = (sig: NodeJS.Signals) => () => {
      child.kill(sig);
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    const onTerm: () => void = forward('SIGTERM');
    const onInt: () => void = forward('SIGINT');
    process.once('SIGTERM', onTerm);
    process.once('SIGINT', onInt);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      rmSync(cwd, { recursive: true, force: true });
      if (code === 0) resolvePromise();
      else
        reject(new BuildError(`Astro dừng với mã ${code ?? signal}: ${tail.trim().split('\n').slice(-15).join('\n')}`));
    });
  });
}

// ---------- checks ----------

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

const TEXT_FILE = /\.(html|json|xml|csv|js|css|txt|svg)$/;

export interface CheckReport {
  pages: number;
  files: number;
  brokenLinks: string[];
  leaks: string[];
}

/**
 * Every internal link (href/src starting with "/") resolves to a file of the release; none of the forbidden
 * strings (canary markers, confidential task codes) appears in any text file.
 */
export function checkRelease(releaseDir: string, forbidden: string[], forbiddenCodes: Set<string>): CheckReport {
  const files = walk(releaseDir);
  const set = new Set(files.map((f) => `/${relative(releaseDir, f).split('\\').join('/')}`));
  const brokenLinks: string[] = [];
  const leaks: string[] = [];
  const checkedTargets = new Map<string, boolean>();
  let pages = 0;
  const attr = /(?:href|src)="(\/[^"#?]*)/g;
  const code = /\b[A-Z]{1,6}-\d{4}-\d{3,6}\b/g;
  for (const f of files) {
    if (!TEXT_FILE.test(f)) continue;
    const text = readFileSync(f, 'utf8');
    const rel = `/${relative(releaseDir, f)}`;
    if (f.endsWith('.html')) {
      pages++;
      for (const m of text.matchAll(attr)) {
        const target = decodeURI(m[1]!);
        let ok = checkedTargets.get(target);
        if (ok === undefined) {
          ok = target.endsWith('/')
            ? set.has(`${target}index.html`)
            : set.has(target) || set.has(`${target}/index.html`);
          checkedTargets.set(target, ok);
        }
        if (!ok && brokenLinks.length < 50) brokenLinks.push(`${rel} → ${target}`);
      }
    }
    for (const s of forbidden) if (s && text.includes(s)) leaks.push(`${rel} chứa "${s}"`);
    if (forbiddenCodes.size > 0) {
      for (const m of text.matchAll(code))
        if (forbiddenCodes.has(m[0])) leaks.push(`${rel} chứa mã nhiệm vụ mật ${m[0]}`);
    }
  }
  return { pages, files: files.length, brokenLinks, leaks };
}

// ---------- releases ----------

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

function currentReleaseId(siteDir: string): string | null {
  try {
    return readlinkSync(join(siteDir, 'current')).split('/').pop() ?? null;
  } catch {
    return null;
  }
}

function releaseDirs(siteDir: string): string[] {
  const dir = join(siteDir, 'releases');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => statSync(join(dir, n)).isDirectory())
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

/** Points data/site/current at a release: a new symlink renamed over the old one (atomic on POSIX). */
export function switchCurrent(siteDir: string, releaseId: string): void {
  const tmp = join(siteDir, `current.tmp-${process.pid}`);
  rmSync(tmp, { force: true });
  symlinkSync(join('releases', releaseId), tmp);
  renameSync(tmp, join(siteDir, 'current'));
}

/** Keeps the newest KEEP_RELEASES successful releases (always the live one); removes failed leftovers. */
function pruneReleases(db: DB, siteDir: string, keepAlso: string | null): void {
  const cur = currentReleaseId(siteDir);
  const ok = new Set(
    (
      db.prepare("SELECT release_id FROM site_builds WHERE status = 'succeeded'").all() as Array<{ release_id: string }>
    ).map((r) => r.release_id),
  );
  const all = releaseDirs(siteDir);
  const good = all.filter((id) => ok.has(id) || id === cur);
  const keep = new Set(good.slice(-KEEP_RELEASES));
  if (cur) keep.add(cur);
  if (keepAlso) keep.add(keepAlso);
  for (const id of all) if (!keep.has(id)) rmSync(join(siteDir, 'releases', id), { recursive: true, force: true });
}

/** Goes back one release (the newest kept release older than the live one). Returns the new live id. */
export function rollbackSite(siteDir: string = siteDirFromEnv(), db: DB | null = null): { from: string; to: string } {
  const release = acquireLock(siteDir);
  try {
    const cur = currentReleaseId(siteDir);
    if (!cur) throw new BuildError('Chưa có bản trang công khai nào đang chạy; không thể quay lại.');
    // only complete releases: a recorded successful build when the database is at hand, else one with a home page
    const ok = db
      ? new Set(
          (
            db.prepare("SELECT release_id FROM site_builds WHERE status = 'succeeded'").all() as Array<{
              release_id: string;
            }>
          ).map((r) => r.release_id),
        )
      : null;
    const older = releaseDirs(siteDir).filter(
      (id) => id < cur && (ok ? ok.has(id) : existsSync(join(siteDir, 'releases', id, 'index.html'))),
    );
    const to = older[older.length - 1];
    if (!to) throw new BuildError(`Không có bản nào cũ hơn bản đang chạy (${cur}) để quay lại.`);
    switchCurrent(siteDir, to);
    return { from: cur, to };
  } finally {
    release();
  }
}

/** Intermediate Astro folders of builds that were killed (older than two hours; running builds stay untouched). */
function cleanAstroLeftovers(): void {
  const dir = join(REPO_ROOT, '.astro', 'builds');
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (Date.now() - statSync(p).mtimeMs > 2 * 3_600_000) rmSync(p, { recursive: true, force: true });
  }
}

// ---------- the build ----------

export async function buildSite(options: BuildSiteOptions): Promise<BuildResult> {
  const { db } = options;
  const started = Date.now();
  const siteDir = resolve(options.siteDir ?? siteDirFromEnv());
  const say = options.onProgress ?? (() => {});
  const release = acquireLock(siteDir);
  // builds that were running when their process died are failed, not running
  const markDead = db.prepare(
    "UPDATE site_builds SET status = 'failed', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), error = 'Tiến trình dựng trang bị dừng đột ngột' WHERE id = ?",
  );
  for (const r of db.prepare("SELECT id, pid FROM site_builds WHERE status = 'running'").all() as Array<{
    id: number;
    pid: number | null;
  }>) {
    if (r.pid === null || r.pid === process.pid || !pidAlive(r.pid)) markDead.run(r.id);
  }
  cleanAstroLeftovers();
  const releaseId = releaseIdNow();
  const releaseDir = join(siteDir, 'releases', releaseId);
  const workDir = join(siteDir, 'work', releaseId);
  const cacheDir = join(siteDir, 'cache');
  const rows = listPublications(db);
  const buildRow = db
    .prepare('INSERT INTO site_builds (release_id, trigger, status, pid, publication_ids) VALUES (?, ?, ?, ?, ?)')
    .run(releaseId, options.trigger ?? 'cli', 'running', process.pid, JSON.stringify(rows.map((r) => r.id)));
  const buildId = Number(buildRow.lastInsertRowid);
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
    const siteUrl = (options.siteUrl ?? process.env.SITE_URL ?? 'http://localhost:3000').replace(/\/+$/, '');

    // open data (latest revision of each period: JSON, CSV, XLSX; older revisions: JSON). The links are known
    // now; the files are produced (or taken from the cache) while Astro builds the pages.
    const openData: Record<string, OpenDataFile[]> = {};
    for (const r of rows) {
      if (!headers.has(r.id)) continue;
      const base = `/du-lieu-mo/${r.period}`;
      openData[r.period] = [
        { format: 'JSON', href: `${base}/ban-${r.revision}.json` },
        { format: 'CSV', href: `${base}/nhiem-vu.csv` },
        { format: 'XLSX', href: `${base}/nhiem-vu.xlsx` },
      ];
    }
    const links: Array<[string, string]> = [];
    const openDataDone = (async () => {
      let n = 0;
      for (const r of rows) {
        const base = `/du-lieu-mo/${r.period}`;
        const { dir } = await openDataFor(db, cacheDir, r);
        links.push([join(dir, 'ban.json'), `${base}/ban-${r.revision}.json`]);
        if (headers.has(r.id)) {
          links.push(
            [join(dir, 'nhiem-vu.csv'), `${base}/nhiem-vu.csv`],
            [join(dir, 'nhiem-vu.xlsx'), `${base}/nhiem-vu.xlsx`],
          );
        }
        if (++n % 12 === 0) say({ phase: 'extras', message: `Dữ liệu mở: ${n}/${rows.length} bản công bố` });
      }
    })();

    const revisions = revisionsOf(rows, headers);
    // revisions other than the latest have no summary header in `periods`: read their publishedAt from summary
    for (const v of revisions) {
      if (!headers.has(v.id)) {
        const s = db.prepare('SELECT summary FROM publications WHERE id = ?').get(v.id) as { summary: string };
        v.publishedAt = (JSON.parse(s.summary) as SnapshotHeader).publishedAt;
      }
    }
    const siteData: SiteData = { siteUrl, builtAt: new Date().toISOString(), periods, revisions, openData };
    mkdirSync(workDir, { recursive: true });
    writeFileSync(join(workDir, 'site-data.json'), JSON.stringify(siteData));
    writeFileSync(join(workDir, 'tasks.json'), JSON.stringify(latestSnapshot.tasks));

    // share images run while Astro builds (Astro is a child process; the two use both cores)
    const images: CardStats = { rendered: 0, reused: 0, renderMs: 0, times: [] };
    const imageLinks: Array<[string, string]> = [];
    const imagesDone = (async () => {
      const ogCache = join(cacheDir, 'og');
      imageLinks.push([
        await cachedCard(
          ogCache,
          {
            kicker: latest.province,
            title: 'Theo dõi nhiệm vụ UBND tỉnh giao',
            asOf: latest.asOf,
            counts: latest.totals,
          },
          images,
        ),
        '/og/trang-chu.png',
      ]);
      for (const a of latest.agencies) {
        imageLinks.push([
          await cachedCard(
            ogCache,
            { kicker: latest.province, title: a.name, asOf: latest.asOf, counts: a.counts },
            images,
          ),
          `/og/co-quan/${slugify(a.code)}.png`,
        ]);
      }
      for (const p of periods) {
        const [y, m] = p.period.split('-');
        imageLinks.push([
          await cachedCard(
            ogCache,
            { kicker: p.province, title: `Báo cáo tháng ${Number(m)}/${y}`, asOf: p.asOf, counts: p.totals },
            images,
          ),
          `/og/bao-cao/${p.period}.png`,
        ]);
      }
    })();

    // a failure in Astro must not leave these running unobserved
    openDataDone.catch(() => {});
    imagesDone.catch(() => {});
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
    await imagesDone;
    await openDataDone;
    say({ phase: 'extras', message: `Ảnh chia sẻ: ${images.rendered} ảnh mới, ${images.reused} ảnh dùng lại` });
    for (const [from, href] of [...links, ...imageLinks]) linkOrCopy(from, join(releaseDir, href));

    say({ phase: 'check', message: 'Kiểm tra liên kết nội bộ và rò rỉ dữ liệu không công khai…' });
    const confidential = db.prepare('SELECT code, title FROM tasks WHERE confidential = 1').all() as Array<{
      code: string;
      title: string;
    }>;
    // Titles reach pages only through the site input. A confidential title that no public task shares must not be
    // in it (a title shared with a public task, e.g. "Báo cáo tình hình …", identifies nothing).
    const publicTitleRows = db.prepare('SELECT DISTINCT title FROM tasks WHERE confidential = 0').all() as Array<{
      title: string;
    }>;
    const sharedTitles = new Set(publicTitleRows.map((r) => r.title));
    const inputTitles = new Set(latestSnapshot.tasks.map((t) => t.title));
    for (const p of periods) {
      for (const list of [p.change?.newlyCompleted, p.change?.newlyOverdue, p.change?.extended])
        for (const c of list ?? []) inputTitles.add(c.title);
    }
    const titleLeaks = confidential
      .filter((c) => !sharedTitles.has(c.title) && inputTitles.has(c.title))
      .map((c) => `tên nhiệm vụ mật ${c.code} có trong dữ liệu dựng trang`);
    const report = checkRelease(releaseDir, options.forbidden ?? [], new Set(confidential.map((c) => c.code)));
    const problems = [...report.brokenLinks.map((l) => `liên kết hỏng: ${l}`), ...report.leaks, ...titleLeaks];
    if (!existsSync(join(releaseDir, 'index.html'))) problems.push('thiếu trang chủ index.html');
    if (problems.length > 0) {
      throw new BuildError(
        `Bản dựng không đạt kiểm tra (${problems.length} lỗi):\n  ${problems.slice(0, 20).join('\n  ')}`,
      );
    }

    say({ phase: 'switch', message: `Chuyển trang công khai sang bản ${releaseId}…` });
    switchCurrent(siteDir, releaseId);
    const homeBytes = statSync(join(releaseDir, 'index.html')).size;
    const durationMs = Date.now() - started;
    db.prepare(
      `UPDATE site_builds SET status = 'succeeded', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), pages = ?, files = ?,
         duration_ms = ? WHERE id = ?`,
    ).run(report.pages, report.files, durationMs, buildId);
    rmSync(workDir, { recursive: true, force: true });
    pruneReleases(db, siteDir, null);
    say({
      phase: 'done',
      message: `Đã dựng ${report.pages} trang (${report.files} tệp) trong ${(durationMs / 1000).toFixed(1)} s; trang công khai: bản ${releaseId}, số liệu đến ngày ${formatDateVi(latest.asOf)}.`,
    });
    return { releaseId, releaseDir, pages: report.pages, files: report.files, durationMs, astroMs, images, homeBytes };
  } catch (caught) {
    const err = caught instanceof ZodError ? new BuildError(describeSchemaError(caught)) : (caught as Error);
    db.prepare(
      "UPDATE site_builds SET status = 'failed', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), duration_ms = ?, error = ? WHERE id = ?",
    ).run(Date.now() - started, String((err as Error).message).slice(0, 4000), buildId);
    rmSync(releaseDir, { recursive: true, force: true });
    rmSync(workDir, { recursive: true, force: true });
    throw err;
  } finally {
    release();
  }
}
