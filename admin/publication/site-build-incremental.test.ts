/**
 * Incremental site builds (issue 14) on the fixture province: after one more period only the pages whose inputs
 * changed are rendered and the others are hard-linked from the live release, and the result is byte for byte a
 * full build of the same publications; nothing changed keeps the live release; a damaged live release is never
 * a source; a killed incremental build leaves the live site as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { openDatabase, type DB } from '../db/open.ts';
import { createTask } from '../domain/tasks.ts';
import { buildFixtureProvince, CANARY, FIXTURE_PERIODS } from '../test/fixtures/province.ts';
import { listPublications, publishPeriod, readSnapshot } from './publish.ts';
import { buildSite, isBuildRunning, prepareBuildCaches, REPO_ROOT, type BuildResult } from './site-build.ts';
import { MANIFEST_FILE, verifyRelease } from './site-release-manifest.ts';
import { inputsOf } from './site-build-plan.ts';
import { latestSummaries } from './snapshot.ts';
import type { PublicTask } from './schema.ts';
import { walk } from './site-build-check.ts';

const NOW = new Date('2026-04-05T03:00:00Z');
const FORBIDDEN = [CANARY, CANARY.toLowerCase()];
const SITE_URL = 'https://nhiemvu.example.gov.vn';

let tmp: string;
let dbPath: string;
let siteDir: string;
let db: DB;
let before: BuildResult;

const build = (extra: { full?: boolean; forbidden?: string[] } = {}) =>
  buildSite({ db, siteDir, trigger: 'test', siteUrl: SITE_URL, forbidden: FORBIDDEN, ...extra });
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/ \(/g, ' (');
const live = () => readlinkSync(join(siteDir, 'current'));
const taskPage = (releaseDir: string, code: string) => join(releaseDir, 'nhiem-vu', code, 'index.html');

/** Every file of a release but its manifest (release id and time), by path. */
function files(dir: string): Map<string, Buffer> {
  return new Map(
    walk(dir)
      .map((f) => relative(dir, f))
      .filter((p) => p !== MANIFEST_FILE)
      .sort()
      .map((p) => [p, readFileSync(join(dir, p))]),
  );
}

/**
 * Tasks of the two fixture periods: those whose published facts changed, and those that did not; and of those
 * changed, the overdue ones whose only change is their days overdue.
 */
function taskChanges(): { changed: string[]; same: string[]; cutoffOnly: string[] } {
  // newest first
  const [b, a] = listPublications(db).map((r) => readSnapshot(db, r.id));
  const old = new Map(a!.tasks.map((t) => [t.code, t]));
  const changed: string[] = [];
  const same: string[] = [];
  const cutoffOnly: string[] = [];
  const facts = (t: PublicTask) => JSON.stringify({ ...t, overdueDays: 0 });
  for (const t of b!.tasks) {
    const was = old.get(t.code);
    (was && JSON.stringify(was) === JSON.stringify(t) ? same : changed).push(t.code);
    if (was && t.status === 'overdue' && was.status === 'overdue' && was.overdueDays !== t.overdueDays)
      if (facts(was) === facts(t)) cutoffOnly.push(t.code);
  }
  return { changed, same, cutoffOnly };
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'site-incremental-'));
  dbPath = join(tmp, 'app.db');
  siteDir = join(tmp, 'site');
  db = openDatabase(dbPath);
  buildFixtureProvince(db);
  // a task in progress at both cutoffs with nothing new in March: same facts, but its page tells the cutoff
  const id = (sql: string) => (db.prepare(sql).get() as { id: number }).id;
  const user = id("SELECT id FROM users WHERE username = 'cv1'");
  const task = (code: string, title: string, assignedOn: string, deadline: string) =>
    createTask(db, {
      actorUserId: user,
      specialistId: user,
      leaderId: id('SELECT id FROM leaders LIMIT 1'),
      sectorId: id('SELECT id FROM sectors LIMIT 1'),
      code,
      title,
      leadAgencyId: id("SELECT id FROM agencies WHERE code = 'STC'"),
      assignedOn,
      deadline,
    });
  task('NV-2026-00020', 'Chuẩn bị đề án sắp xếp đơn vị sự nghiệp công lập', '2026-02-10', '2026-06-30');
  // overdue at both cutoffs with nothing new in March: the same facts at a new cutoff, its page re-dated
  task('NV-2026-00021', 'Rà soát hồ sơ đất công trên địa bàn', '2026-01-05', '2026-01-30');
  // the same, but its own title holds the words the page tells its cutoff in: rendered instead, never re-dated
  task('NV-2026-00022', 'Báo cáo số liệu tính đến ngày 28/02/2026 và quá hạn 29 ngày', '2026-01-06', '2026-01-30');
  publishPeriod(db, { ...FIXTURE_PERIODS[0], now: NOW });
  before = await build();
}, 180_000);

afterAll(() => {
  db?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('incremental site build', () => {
  it('a first build renders everything and keeps its pages’ input hashes with the release', () => {
    expect(before.mode).toBe('full');
    expect(before.carried).toBe(0);
    const index = JSON.parse(readFileSync(join(before.releaseDir, '.pages.json'), 'utf8'));
    expect(Object.keys(index.tasks).length).toBeGreaterThan(0);
    expect(verifyRelease(before.releaseDir)).toMatchObject({ ok: true });
  });

  it('a build killed while it renders and carries pages over leaves the live site as it was', async () => {
    publishPeriod(db, { ...FIXTURE_PERIODS[1], now: NOW });
    const liveBefore = live();
    const liveFiles = files(join(siteDir, 'current'));
    const tsx = join(REPO_ROOT, 'node_modules/.bin/tsx');
    const child = spawn(tsx, ['scripts/site-build.ts', '--db', dbPath, '--site-dir', siteDir, '--site-url', SITE_URL], {
      cwd: REPO_ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the build never started rendering: ${out}`)), 60_000);
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('có thay đổi bằng Astro')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    process.kill(-child.pid!, 'SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // the whole group is killed; its node process (the lock's owner) may take a moment longer to be gone
    for (let i = 0; i < 100 && isBuildRunning(siteDir); i++) await new Promise((r) => setTimeout(r, 50));
    expect(live()).toBe(liveBefore);
    // the carried files are the live ones (hard links): none of them was written through
    expect(verifyRelease(join(siteDir, 'current'))).toMatchObject({ ok: true });
    expect(files(join(siteDir, 'current'))).toEqual(liveFiles);
  }, 120_000);

  let incremental: BuildResult;
  let full: BuildResult;

  it('after one more period renders only the pages whose inputs changed and carries the others over', async () => {
    incremental = await build();
    expect(incremental.mode).toBe('incremental');
    expect(live()).toBe(join('releases', incremental.releaseId));
    const { changed, same } = taskChanges();
    expect(changed.length).toBeGreaterThan(0);
    const carriedHere = (code: string) =>
      statSync(taskPage(incremental.releaseDir, code)).ino === statSync(taskPage(before.releaseDir, code)).ino;
    // a new task has its page; a task whose facts changed has a page rendered again, showing them
    for (const code of changed) {
      expect(existsSync(taskPage(incremental.releaseDir, code)), code).toBe(true);
      if (!existsSync(taskPage(before.releaseDir, code))) continue;
      expect(carriedHere(code), code).toBe(false);
      expect(readFileSync(taskPage(incremental.releaseDir, code), 'utf8')).not.toBe(
        readFileSync(taskPage(before.releaseDir, code), 'utf8'),
      );
    }
    // a task that did not change is the same file (its page names no period), a task in progress too
    for (const code of same) expect(carriedHere(code), code).toBe(true);
    expect(incremental.carried).toBe(same.length);
    expect(same).toContain('NV-2026-00020');
    expect(readFileSync(taskPage(incremental.releaseDir, 'NV-2026-00020'), 'utf8')).not.toContain('tính đến ngày');
    // an overdue task is told as of the new cutoff (NV-2026-00004: in progress in February, overdue in March)
    expect(changed).toContain('NV-2026-00004');
    expect(text(readFileSync(taskPage(incremental.releaseDir, 'NV-2026-00004'), 'utf8'))).toContain(
      'Đang thực hiện quá hạn (tính đến ngày 31/03/2026)',
    );
    // an overdue task with the same facts: its page re-dated from the live one, the cutoff's words written anew
    const redated = readFileSync(taskPage(incremental.releaseDir, 'NV-2026-00021'), 'utf8');
    expect(carriedHere('NV-2026-00021')).toBe(false);
    expect(text(redated)).toContain('Đang thực hiện quá hạn (tính đến ngày 31/03/2026)');
    expect(text(redated)).toContain('quá hạn 60 ngày');
    expect(redated).not.toContain('28/02/2026');
    expect(incremental.redated).toBeGreaterThanOrEqual(1);
    // a title holding those words is never touched: that page is rendered, and keeps its title
    const titled = readFileSync(taskPage(incremental.releaseDir, 'NV-2026-00022'), 'utf8');
    expect(text(titled)).toContain('Báo cáo số liệu tính đến ngày 28/02/2026 và quá hạn 29 ngày');
    expect(text(titled)).toContain('Đang thực hiện quá hạn (tính đến ngày 31/03/2026)');
    // every overdue task with nothing new but its days is re-dated, but that one
    const cutoffOnly = taskChanges().cutoffOnly;
    expect(cutoffOnly).toContain('NV-2026-00022');
    expect(incremental.redated).toBe(cutoffOnly.length - 1);
    // the home page is new and tells the new cutoff
    expect(readFileSync(join(incremental.releaseDir, 'index.html'), 'utf8')).toContain('31/03/2026');
  }, 120_000);

  it('produces byte for byte the files of a full build from the same publications', async () => {
    full = await build({ full: true });
    expect(full.mode).toBe('full');
    expect(full.carried).toBe(0);
    const a = files(incremental.releaseDir);
    const b = files(full.releaseDir);
    expect([...a.keys()]).toEqual([...b.keys()]);
    const differ = [...a].filter(([p, bytes]) => !bytes.equals(b.get(p)!)).map(([p]) => p);
    expect(differ).toEqual([]);
    // each manifest lists exactly the files there, with their hashes
    expect(verifyRelease(incremental.releaseDir)).toEqual({ ok: true, files: a.size });
    expect(verifyRelease(full.releaseDir)).toEqual({ ok: true, files: b.size });
  }, 120_000);

  it('with nothing changed keeps the live release after checking it against its manifest', async () => {
    const releases = readdirSync(join(siteDir, 'releases')).length;
    const again = await build();
    expect(again.mode).toBe('unchanged');
    expect(again.releaseId).toBe(full.releaseId);
    expect(live()).toBe(join('releases', full.releaseId));
    expect(readdirSync(join(siteDir, 'releases'))).toHaveLength(releases);
    const row = db.prepare('SELECT status, pages FROM site_builds ORDER BY id DESC LIMIT 1').get();
    expect(row).toEqual({ status: 'succeeded', pages: full.pages });
  }, 120_000);

  it('a live release with a damaged file is no source: marked broken, and everything is rendered again', async () => {
    const [code] = taskChanges().same;
    const page = taskPage(full.releaseDir, code!);
    const good = readFileSync(page, 'utf8');
    // edited by hand, same size: found by the hash (the file was written after the manifest)
    writeFileSync(page, good.replace('<h1>', '<h2>').replace('</h1>', '</h2>'));
    expect(statSync(page).size).toBe(Buffer.byteLength(good));
    const next = await build();
    expect(next.mode).toBe('full');
    expect(next.releaseId).not.toBe(full.releaseId);
    expect(readFileSync(taskPage(next.releaseDir, code!), 'utf8')).toBe(good);
    // marked broken, so the prune after the switch removed it: no rollback can reach it either
    expect(existsSync(full.releaseDir)).toBe(false);
    expect(db.prepare('SELECT status, error FROM site_builds WHERE release_id = ?').get(full.releaseId)).toEqual({
      status: 'failed',
      error: expect.stringContaining('1 tệp bị thay đổi'),
    });
  }, 120_000);

  it('a carried file found damaged while checking makes the build a full one', async () => {
    const liveId = live().split('/').pop()!;
    const current = join(siteDir, live());
    const [code] = taskChanges().same;
    const page = taskPage(current, code!);
    const good = readFileSync(page, 'utf8');
    writeFileSync(page, good.replace('</h1>', ' (sửa tay)</h1>'));
    // a new forbidden marker: the live release was not searched for it, so its files are carried and searched
    const next = await build({ forbidden: [...FORBIDDEN, 'DẤU-MỚI-KHÔNG-CÓ'] });
    expect(next.mode).toBe('full');
    expect(readFileSync(taskPage(next.releaseDir, code!), 'utf8')).toBe(good);
    expect(existsSync(current)).toBe(false);
    expect(db.prepare('SELECT status, error FROM site_builds WHERE release_id = ?').get(liveId)).toEqual({
      status: 'failed',
      error: expect.stringContaining(`1 tệp bị thay đổi so với bảng kê (ví dụ nhiem-vu/${code}/index.html)`),
    });
    expect(verifyRelease(next.releaseDir)).toMatchObject({ ok: true });
  }, 120_000);

  it('a task page’s hash covers what it shows: the names of its agencies and, when overdue, the cutoff', () => {
    const periods = latestSummaries(db);
    const tasks = readSnapshot(db, listPublications(db)[0]!.id).tasks;
    const hashes = (p: typeof periods) =>
      inputsOf(
        { siteUrl: SITE_URL, periods: p, revisions: [], openData: {}, replies: [], archives: [] },
        '',
        '',
      ).taskHashes(tasks);
    const base = hashes(periods);
    const renamed = structuredClone(periods);
    for (const p of renamed) for (const a of p.agencies) if (a.code === 'SXD') a.name = 'Sở Xây dựng (tên mới)';
    const later = structuredClone(periods);
    later.at(-1)!.asOf = '2026-04-30';
    const differ = (other: Record<string, string>) =>
      tasks.filter((t) => other[t.code] !== base[t.code]).map((t) => t.code);
    const names = (t: (typeof tasks)[number]) => [t.leadAgency, ...t.coordinators];
    expect(differ(hashes(renamed)).sort()).toEqual(
      tasks
        .filter((t) => names(t).includes('SXD'))
        .map((t) => t.code)
        .sort(),
    );
    expect(differ(hashes(later)).sort()).toEqual(
      tasks
        .filter((t) => t.status === 'overdue')
        .map((t) => t.code)
        .sort(),
    );
  });

  it('a new forbidden marker searches every carried file again', async () => {
    const next = await build({ forbidden: [...FORBIDDEN, 'DẤU-KHÁC'] });
    expect(next.mode).toBe('unchanged');
    expect(next.carried).toBeGreaterThan(0);
    expect(next.scanned).toBeGreaterThanOrEqual(next.pages);
    const again = await build({ forbidden: [...FORBIDDEN, 'DẤU-KHÁC'] });
    expect(again.releaseId).toBe(next.releaseId);
  }, 120_000);

  it('a carried page edited in place, same size, after its manifest: found, and the build becomes a full one', async () => {
    // carrying trusts a page's manifest hash only while it is of that size and unwritten since: an edit is hashed
    publishPeriod(db, { ...FIXTURE_PERIODS[1], note: 'Bổ sung số liệu', now: NOW });
    const liveId = live().split('/').pop()!;
    const [code] = taskChanges().same;
    const page = taskPage(join(siteDir, live()), code!);
    const good = readFileSync(page, 'utf8');
    writeFileSync(page, good.replace('<h1>', '<h2>').replace('</h1>', '</h2>'));
    expect(statSync(page).size).toBe(Buffer.byteLength(good));
    const next = await build();
    expect(next.mode).toBe('full');
    expect(readFileSync(taskPage(next.releaseDir, code!), 'utf8')).toBe(good);
    expect(db.prepare('SELECT status, error FROM site_builds WHERE release_id = ?').get(liveId)).toEqual({
      status: 'failed',
      error: expect.stringContaining(`1 tệp bị thay đổi so với bảng kê (ví dụ nhiem-vu/${code}/index.html)`),
    });
  }, 120_000);

  it('open data and share images made ahead (after publishing) leave the build only pages to make', async () => {
    publishPeriod(db, { ...FIXTURE_PERIODS[1], note: 'Đính chính số liệu', now: NOW });
    rmSync(join(siteDir, 'cache', 'og'), { recursive: true, force: true });
    const liveDir = join(siteDir, live());
    const made = await prepareBuildCaches(db, { siteDir, siteUrl: SITE_URL });
    expect(made.images.rendered).toBeGreaterThan(0);
    // the next build's carried pages are linked ahead; one replaced in the staged tree by another file
    expect(made.staged).toBeGreaterThan(0);
    const [stage] = readdirSync(join(siteDir, 'staged'));
    const [code] = taskChanges().same;
    const staged = taskPage(join(siteDir, 'staged', stage!), code!);
    rmSync(staged);
    writeFileSync(staged, '<p>không phải trang này</p>');
    const next = await build();
    expect(next.mode).toBe('incremental');
    expect(next.images).toMatchObject({ rendered: 0 });
    expect(next.images.reused).toBe(made.images.rendered + made.images.reused);
    expect(next.carried).toBe(made.staged);
    expect(existsSync(join(siteDir, 'staged', stage!))).toBe(false);
    // every carried page is the live release's very file (the replaced one linked again)
    for (const c of taskChanges().same)
      expect(statSync(taskPage(next.releaseDir, c)).ino, c).toBe(statSync(taskPage(liveDir, c)).ino);
    expect(verifyRelease(next.releaseDir)).toMatchObject({ ok: true });
    // and the release is byte for byte a full build's
    const fullAgain = await build({ full: true });
    const a = files(next.releaseDir);
    const b = files(fullAgain.releaseDir);
    expect([...a.keys()]).toEqual([...b.keys()]);
    expect([...a].filter(([p, bytes]) => !bytes.equals(b.get(p)!)).map(([p]) => p)).toEqual([]);
  }, 120_000);
});
