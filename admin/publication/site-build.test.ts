/**
 * The fixture province built end to end into a real Astro release: numbers on the pages, the canary leak check
 * over every output file, atomic switch, image reuse, rollback, lock, and a build killed mid-way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { openDatabase, type DB } from '../db/open.ts';
import {
  buildFixtureProvince,
  CANARY,
  EXPECTED,
  EXPECTED_V2,
  FIXTURE_PERIODS,
  PUBLIC_SUMMARY,
} from '../test/fixtures/province.ts';
import { publishPeriod } from './publish.ts';
import { buildSite, BuildError, listReleases, REPO_ROOT, rollbackSite, type BuildResult } from './site-build.ts';

const NOW = new Date('2026-04-05T03:00:00Z');
const FORBIDDEN = [CANARY, CANARY.toLowerCase()];

let tmp: string;
let dbPath: string;
let siteDir: string;
let db: DB;
let first: BuildResult;

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

const page = (path: string) => readFileSync(join(siteDir, 'current', path), 'utf8');
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const testId = (html: string, id: string) => new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`).exec(html)?.[1];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'site-build-'));
  dbPath = join(tmp, 'app.db');
  siteDir = join(tmp, 'site');
  db = openDatabase(dbPath);
  buildFixtureProvince(db);
  for (const p of FIXTURE_PERIODS) publishPeriod(db, { ...p, now: NOW });
  first = await buildSite({
    db,
    siteDir,
    trigger: 'test',
    forbidden: FORBIDDEN,
    siteUrl: 'https://nhiemvu.example.gov.vn',
  });
}, 180_000);

afterAll(() => {
  db?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('site build of the fixture province', () => {
  it('switches current to the new release', () => {
    expect(readlinkSync(join(siteDir, 'current'))).toBe(join('releases', first.releaseId));
    expect(first.pages).toBeGreaterThanOrEqual(EXPECTED['2026-03'].taskCodes.length + 3 + 2 + 7);
    const row = db.prepare('SELECT status, pages FROM site_builds WHERE release_id = ?').get(first.releaseId);
    expect(row).toEqual({ status: 'succeeded', pages: first.pages });
  });

  it('shows the hand-computed numbers on the home, agency, report and task pages', () => {
    const home = page('index.html');
    expect(text(home)).toContain('Số liệu tính đến ngày 31/03/2026');
    // the cumulative cards (rules version 2; the year-to-date ones: site-build-periods.test.ts)
    const t = EXPECTED_V2['2026-03'].totals;
    expect(testId(home, 'total')).toBe(String(t.total));
    expect(testId(home, 'completedOnTime')).toBe(String(t.completedOnTime));
    expect(testId(home, 'completedLate')).toBe(String(t.completedLate));
    expect(testId(home, 'inProgress')).toBe(String(t.inProgress));
    expect(testId(home, 'overdue')).toBe(String(t.overdue));
    expect(testId(home, 'noDeadline')).toBe(String(t.noDeadline));
    expect(testId(home, 'onTimeRate')).toBe('25,0%');
    expect(testId(home, 'overdueRate')).toBe('50,0%');
    expect(text(home)).toContain('Tỷ lệ đúng hạn (1/4 nhiệm vụ đến hạn)');

    const stc = page('co-quan/stc/index.html');
    expect(text(stc)).toContain('Sở Tài chính');
    expect(testId(stc, 'total')).toBe('4');
    expect(testId(stc, 'onTimeRate')).toBe('50,0%');
    expect(text(stc)).toContain(
      'Chưa xếp hạng: cơ quan có 2 nhiệm vụ đến hạn trong số nhiệm vụ giao từ đầu năm, dưới mức tối thiểu 10',
    );
    // the confidential task does not count for its agency either
    expect(testId(page('co-quan/ubh-ab/index.html'), 'total')).toBe('1');

    const report = text(page('bao-cao/2026-03/index.html'));
    expect(report).toContain('1 nhiệm vụ hoàn thành, 1 nhiệm vụ mới quá hạn, 1 nhiệm vụ được gia hạn');
    expect(report).toContain('NV-2026-00002');
    expect(text(page('bao-cao/2026-02/index.html'))).toContain('Đây là kỳ công bố đầu tiên');

    const task = text(page('nhiem-vu/NV-2026-00001/index.html'));
    expect(task).toContain(PUBLIC_SUMMARY);
    expect(task).toContain('Công văn số 15/UBND-KT ngày 03/01/2026');
    expect(task).toContain('Sở Xây dựng'); // coordinator
    const extended = text(page('nhiem-vu/NV-2026-00003/index.html'));
    expect(extended).toContain('Thời hạn sau gia hạn 30/04/2026');
    expect(extended).toContain('Đồng ý gia hạn đến ngày 30/04/2026');
    // deadlines on days off end at the next working day, and the page says so (rules v3): 15/02/2026 is a Sunday
    // before Tết (16–20/02), 30/04/2026 a holiday before 01/05 and a weekend
    expect(task).toContain('Thời hạn 15/02/2026 Thời hạn tính đến 23/02/2026 (thời hạn rơi vào ngày nghỉ');
    expect(extended).toContain('Thời hạn tính đến 04/05/2026');
    for (const code of EXPECTED['2026-03'].taskCodes)
      expect(existsSync(join(siteDir, 'current/nhiem-vu', code, 'index.html'))).toBe(true);
    expect(existsSync(join(siteDir, 'current/nhiem-vu/NV-2026-00008'))).toBe(false);
    expect(existsSync(join(siteDir, 'current/nhiem-vu/NV-2026-00009'))).toBe(false); // cancelled
  });

  it('publishes feeds, sitemap, search index, 404 and the methodology', () => {
    // the sitemap is an index of files (each ≤ 40,000 URLs) whose URLs carry the day their content last changed
    expect(page('sitemap.xml')).toContain('<sitemapindex');
    expect(page('sitemap.xml')).toMatch(
      /<sitemap><loc>https:\/\/nhiemvu\.example\.gov\.vn\/sitemap-1\.xml<\/loc><lastmod>\d{4}-\d{2}-\d{2}<\/lastmod><\/sitemap>/,
    );
    expect(page('sitemap-1.xml')).toMatch(
      /<url><loc>https:\/\/nhiemvu\.example\.gov\.vn\/nhiem-vu\/NV-2026-00001\/<\/loc><lastmod>\d{4}-\d{2}-\d{2}<\/lastmod><\/url>/,
    );
    expect(page('robots.txt')).toContain('Sitemap: https://nhiemvu.example.gov.vn/sitemap.xml');
    expect(page('robots.txt')).toContain('Disallow: /admin/');
    expect(page('atom.xml')).toContain('<entry>');
    expect(page('rss.xml')).toContain('<item>');
    expect(page('rss.xml')).toContain(
      '<atom:link href="https://nhiemvu.example.gov.vn/rss.xml" rel="self" type="application/rss+xml"/>',
    );
    // every page names its canonical address on the public origin
    expect(page('index.html')).toContain('<link rel="canonical" href="https://nhiemvu.example.gov.vn/"');
    expect(page('nhiem-vu/NV-2026-00001/index.html')).toContain(
      'href="https://nhiemvu.example.gov.vn/nhiem-vu/NV-2026-00001/"',
    );
    // the search index in parts (site/lib/search-index.ts): a manifest naming its chunk files, all of them built
    const index = JSON.parse(page('tim-kiem/chi-muc.json')) as {
      agencies: string[][];
      count: number;
      chunks: string[];
    };
    expect(index.agencies.map((a) => a[1])).toContain('Sở Tài chính');
    expect(index.count).toBe(8);
    expect(index.chunks.length).toBeGreaterThan(0);
    const chunkTasks = index.chunks.flatMap(
      (f) => (JSON.parse(page(`tim-kiem/chi-muc/${f}`)) as { tasks: unknown[][] }).tasks,
    );
    expect(chunkTasks).toHaveLength(8);
    expect(existsSync(join(siteDir, 'current/404.html'))).toBe(true);
    expect(text(page('phuong-phap/index.html'))).toContain('Số liệu công khai không bao gồm nhiệm vụ có nội dung mật');
  });

  it('has no inline script or style anywhere (strict CSP)', () => {
    for (const f of walk(join(siteDir, 'current')).filter((f) => f.endsWith('.html'))) {
      const html = readFileSync(f, 'utf8');
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/<style\b/);
      expect(html).not.toMatch(/\sstyle="/);
    }
  });

  it('open data: CSV and XLSX hold the public tasks, the JSON is the published text', async () => {
    const csv = page('du-lieu-mo/2026-03/nhiem-vu.csv');
    expect(csv.trim().split('\r\n')).toHaveLength(1 + 8);
    expect(csv).toContain('NV-2026-00010');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(siteDir, 'current/du-lieu-mo/2026-03/nhiem-vu.xlsx'));
    expect(wb.getWorksheet('Nhiem vu')?.rowCount).toBe(9);
    const row = db.prepare("SELECT sha256 FROM publications WHERE period = '2026-03'").get() as { sha256: string };
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(page('du-lieu-mo/2026-03/ban-1.json')).digest('hex')).toBe(row.sha256);
  });

  it('canary: no marker from a non-public field and no confidential task in any output file', async () => {
    const files = walk(join(siteDir, 'releases', first.releaseId));
    expect(files.length).toBeGreaterThan(30);
    for (const f of files) {
      const raw = readFileSync(f);
      for (const s of [...FORBIDDEN, 'NV-2026-00008', 'Nhiệm vụ mật'])
        expect(raw.includes(s), `${f} contains ${s}`).toBe(false);
      if (f.endsWith('.xlsx')) {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.readFile(f);
        wb.eachSheet((ws) =>
          ws.eachRow((r) => expect(JSON.stringify(r.values).includes(CANARY), `${f} contains the canary`).toBe(false)),
        );
      }
    }
  });

  it('a failing check leaves the live release in place and records the failure', async () => {
    const before = readlinkSync(join(siteDir, 'current'));
    await expect(buildSite({ db, siteDir, trigger: 'test', forbidden: ['Sở Tài chính'] })).rejects.toThrow(BuildError);
    expect(readlinkSync(join(siteDir, 'current'))).toBe(before);
    const failed = db.prepare("SELECT release_id, error FROM site_builds WHERE status = 'failed'").all() as Array<{
      release_id: string;
      error: string;
    }>;
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error).toContain('không đạt kiểm tra');
    expect(existsSync(join(siteDir, 'releases', failed[0]!.release_id))).toBe(false);
  }, 120_000);

  it('refuses to run while another live build holds the lock, and takes over a stale lock', async () => {
    const sleeper = spawn('sleep', ['30']);
    try {
      writeFileSync(join(siteDir, 'build.lock'), JSON.stringify({ pid: sleeper.pid, startedAt: 'x' }));
      await expect(buildSite({ db, siteDir, trigger: 'test' })).rejects.toThrow(/Đang có một lần dựng trang khác/);
    } finally {
      sleeper.kill('SIGKILL');
      await new Promise((r) => sleeper.once('exit', r));
    }
    // the holder is dead now: the lock is stale and the next build proceeds (images reused from the cache)
    const second = await buildSite({ db, siteDir, trigger: 'test', forbidden: FORBIDDEN });
    expect(second.images.rendered).toBe(0);
    expect(second.images.reused).toBeGreaterThan(0);
    expect(readlinkSync(join(siteDir, 'current'))).toBe(join('releases', second.releaseId));
    expect(existsSync(join(siteDir, 'build.lock'))).toBe(false);
    // rollback goes back one release
    const r = rollbackSite(siteDir, db);
    expect(r).toEqual({ from: second.releaseId, to: first.releaseId, skipped: [] });
    expect(readlinkSync(join(siteDir, 'current'))).toBe(join('releases', first.releaseId));
    expect(listReleases(db, siteDir).find((x) => x.current)?.id).toBe(first.releaseId);
  }, 180_000);

  it('a build killed mid-way never replaces the live release', async () => {
    const live = readlinkSync(join(siteDir, 'current'));
    const tsx = join(REPO_ROOT, 'node_modules/.bin/tsx');
    const child = spawn(tsx, ['scripts/site-build.ts', '--db', dbPath, '--site-dir', siteDir, '--full'], {
      cwd: REPO_ROOT,
      detached: true, // own process group: kill the CLI and its Astro child together, as systemd or Ctrl-C would
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`build never reached Astro: ${out}`)), 60_000);
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('bằng Astro')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    process.kill(-child.pid!, 'SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const killedId = (
      db.prepare("SELECT release_id FROM site_builds WHERE status = 'running'").get() as { release_id: string }
    ).release_id;
    // the killed build's work folder (its Astro input) is still there, and so is what a killed delete leaves
    expect(existsSync(join(siteDir, 'work', killedId, 'site-data.json'))).toBe(true);
    mkdirSync(join(siteDir, 'releases', '.removing-20200101-000000-dead', 'du-lieu-mo'), { recursive: true });
    expect(readlinkSync(join(siteDir, 'current'))).toBe(live);
    expect(statSync(join(siteDir, 'current', 'index.html')).isFile()).toBe(true);
    expect(text(page('index.html'))).toContain('Số liệu tính đến ngày 31/03/2026');
    // the dead build's lock is stale; the next build succeeds and records the killed one as failed
    const next = spawnSync(tsx, ['scripts/site-build.ts', '--db', dbPath, '--site-dir', siteDir], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(next.status, next.stderr).toBe(0);
    expect(next.stdout).toMatch(/Xong: \d+ trang/);
    const killed = db.prepare("SELECT count(*) AS n FROM site_builds WHERE error LIKE '%dừng đột ngột%'").get() as {
      n: number;
    };
    expect(killed.n).toBe(1);
    // the next build removed every leftover of the killed one
    expect(readdirSync(join(siteDir, 'work'))).toEqual([]);
    expect(readdirSync(join(siteDir, 'releases')).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(existsSync(join(siteDir, 'releases', killedId))).toBe(false);
    expect(existsSync(join(REPO_ROOT, '.astro', 'builds', killedId))).toBe(false);
  }, 180_000);

  it('keeps the last five releases', async () => {
    const ok = () =>
      (db.prepare("SELECT count(*) AS n FROM site_builds WHERE status = 'succeeded'").get() as { n: number }).n;
    let last: BuildResult | null = null;
    // full builds: an unchanged one keeps the live release (site-build-incremental.test.ts), and these five
    // share no page through hard links (the rollback test below edits one release's home page in place)
    while (ok() < 7) last = await buildSite({ db, siteDir, trigger: 'test', full: true });
    const releases = readdirSync(join(siteDir, 'releases')).sort();
    expect(releases).toHaveLength(5);
    expect(releases.at(-1)).toBe(last!.releaseId);
    expect(readlinkSync(join(siteDir, 'current'))).toBe(join('releases', last!.releaseId));
  }, 300_000);

  it('a rollback never puts a release half-deleted by a killed prune, or edited, live', () => {
    const [r5, r4, r3, r2, r1] = readdirSync(join(siteDir, 'releases'))
      .filter((n) => !n.startsWith('.'))
      .sort()
      .reverse();
    expect(readlinkSync(join(siteDir, 'current'))).toBe(join('releases', r5!));
    // a prune killed half-way through r4: still recorded as succeeded, home page there, open data and some pages gone
    const dir4 = join(siteDir, 'releases', r4!);
    expect(db.prepare('SELECT status FROM site_builds WHERE release_id = ?').get(r4)).toEqual({ status: 'succeeded' });
    rmSync(join(dir4, 'du-lieu-mo'), { recursive: true });
    rmSync(join(dir4, 'co-quan'), { recursive: true });
    expect(existsSync(join(dir4, 'index.html'))).toBe(true);
    // r3 edited by hand: same size, one character changed
    const home3 = join(siteDir, 'releases', r3!, 'index.html');
    const html = readFileSync(home3, 'utf8');
    writeFileSync(home3, html.replace('31/03/2026', '31/03/2025'));
    expect(statSync(home3).size).toBe(Buffer.byteLength(html));

    const r = rollbackSite(siteDir, db);
    expect(r.from).toBe(r5);
    expect(r.to).toBe(r2);
    expect(r.skipped.map((s) => s.id)).toEqual([r4, r3]);
    expect(r.skipped[0]!.problem).toMatch(/^thiếu \d+ tệp/);
    expect(r.skipped[1]!.problem).toBe('1 tệp bị thay đổi (ví dụ index.html)');
    // the live site is complete: every page the manifest lists, open data included
    for (const p of [
      'index.html',
      'du-lieu-mo/index.html',
      'du-lieu-mo/2026-03/nhiem-vu.csv',
      'co-quan/stc/index.html',
    ])
      expect(statSync(join(siteDir, 'current', p)).isFile(), p).toBe(true);
    const broken = db
      .prepare('SELECT release_id, status FROM site_builds WHERE release_id IN (?, ?) ORDER BY release_id')
      .all(r3, r4);
    expect(broken).toEqual([
      { release_id: r3, status: 'failed' },
      { release_id: r4, status: 'failed' },
    ]);
    // one more: r1 is intact; then nothing older remains
    expect(rollbackSite(siteDir, db).to).toBe(r1);
    expect(() => rollbackSite(siteDir, db)).toThrow(/Không có bản nào cũ hơn bản đang chạy/);
    expect(readlinkSync(join(siteDir, 'current'))).toBe(join('releases', r1!));
  });
});
