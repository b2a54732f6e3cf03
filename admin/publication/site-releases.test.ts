/**
 * The release store without Astro: manifests, verification, switches and rollbacks over hand-made releases, as a
 * build killed while pruning (or a hand edit) leaves them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openDatabase, type DB } from '../db/open.ts';
import { BuildError } from './site-build-common.ts';
import { verifyRelease, writeManifest } from './site-release-manifest.ts';
import { cleanSiteLeftovers, listReleases, pruneReleases, rollbackSite, switchCurrent } from './site-releases.ts';

const PAGES = ['index.html', 'du-lieu-mo/index.html', 'phuong-phap/index.html', 'co-quan/stc/index.html', '404.html'];

let siteDir: string;
let db: DB;

function makeRelease(id: string, opts: { manifest?: boolean; status?: string } = {}): string {
  const dir = join(siteDir, 'releases', id);
  for (const p of PAGES) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), `<!doctype html><title>${id} ${p}</title>`);
  }
  if (opts.manifest !== false) writeManifest(dir, id);
  db.prepare("INSERT INTO site_builds (release_id, trigger, status) VALUES (?, 'test', ?)").run(
    id,
    opts.status ?? 'succeeded',
  );
  return dir;
}

const current = () => readlinkSync(join(siteDir, 'current'));
const status = (id: string) =>
  (
    db.prepare('SELECT status, error FROM site_builds WHERE release_id = ?').get(id) as {
      status: string;
      error: string;
    }
  ).status;

beforeEach(() => {
  siteDir = mkdtempSync(join(tmpdir(), 'site-releases-'));
  db = openDatabase(':memory:');
});
afterEach(() => {
  db.close();
  rmSync(siteDir, { recursive: true, force: true });
});

describe('verifyRelease', () => {
  it('accepts a release as checked and names what is missing, changed, added, or absent', () => {
    const dir = makeRelease('r1');
    expect(verifyRelease(dir)).toEqual({ ok: true, files: PAGES.length });

    // same size, one byte different: only the hash can tell
    const page = join(dir, 'phuong-phap/index.html');
    const text = readFileSync(page, 'utf8');
    writeFileSync(page, text.replace('r1', 'r9'));
    const tampered = verifyRelease(dir);
    expect(tampered).toEqual({ ok: false, problem: '1 tệp bị thay đổi (ví dụ phuong-phap/index.html)' });

    writeFileSync(page, text);
    unlinkSync(join(dir, 'du-lieu-mo/index.html'));
    writeFileSync(join(dir, 'them.html'), 'x');
    const v = verifyRelease(dir);
    expect(v.ok).toBe(false);
    expect(!v.ok && v.problem).toBe(
      'thiếu 1 tệp (ví dụ du-lieu-mo/index.html); 1 tệp lạ không có trong bảng kê (ví dụ them.html)',
    );

    const bare = makeRelease('r2', { manifest: false });
    const none = verifyRelease(bare);
    expect(!none.ok && none.problem).toMatch(/không có bảng kê tệp \.manifest\.json/);
  });
});

describe('switch and rollback', () => {
  it('a switch refuses a release that fails verification, marks it broken and keeps the live site', () => {
    makeRelease('r1');
    const r2 = makeRelease('r2');
    switchCurrent(siteDir, 'r1', db);
    unlinkSync(join(r2, 'du-lieu-mo/index.html'));
    expect(() => switchCurrent(siteDir, 'r2', db)).toThrow(/Không chuyển sang bản r2: thiếu 1 tệp.*giữ nguyên/);
    expect(current()).toBe(join('releases', 'r1'));
    expect(status('r2')).toBe('failed');
    // marked: refused again even once the file is back
    writeFileSync(join(r2, 'du-lieu-mo/index.html'), '<!doctype html><title>r2 du-lieu-mo/index.html</title>');
    expect(verifyRelease(r2)).toMatchObject({ ok: false, problem: expect.stringMatching(/^đã bị đánh dấu hỏng/) });
  });

  it('a rollback skips a release half-deleted by a killed prune and one edited by hand', () => {
    makeRelease('r1');
    const r2 = makeRelease('r2');
    const r3 = makeRelease('r3');
    makeRelease('r4');
    switchCurrent(siteDir, 'r4', db);
    // a prune killed half-way: r3 is still recorded as succeeded, its home page is there, its open data is not
    rmSync(join(r3, 'du-lieu-mo'), { recursive: true });
    rmSync(join(r3, 'co-quan'), { recursive: true });
    const page = join(r2, 'index.html');
    writeFileSync(page, readFileSync(page, 'utf8').replace('r2', 'XX'));

    const r = rollbackSite(siteDir, db);
    expect(r.from).toBe('r4');
    expect(r.to).toBe('r1');
    expect(r.skipped.map((s) => [s.id, s.problem])).toEqual([
      ['r3', 'thiếu 2 tệp (ví dụ co-quan/stc/index.html, du-lieu-mo/index.html)'],
      ['r2', '1 tệp bị thay đổi (ví dụ index.html)'],
    ]);
    expect(current()).toBe(join('releases', 'r1'));
    expect(verifyRelease(join(siteDir, 'current')).ok).toBe(true);
    expect([status('r2'), status('r3'), status('r1')]).toEqual(['failed', 'failed', 'succeeded']);
  });

  it('with no intact older release, a rollback refuses in Vietnamese and the live site stays', () => {
    const r1 = makeRelease('r1');
    makeRelease('r2', { manifest: false }); // built before manifests existed, or killed before it was checked
    makeRelease('r3');
    switchCurrent(siteDir, 'r3', db);
    unlinkSync(join(r1, 'index.html'));
    let err: unknown;
    try {
      rollbackSite(siteDir, db);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BuildError);
    expect((err as Error).message).toMatch(
      /^Không còn bản nào cũ hơn bản đang chạy \(r3\) còn nguyên vẹn để quay lại; trang công khai giữ nguyên bản r3\./,
    );
    expect((err as Error).message).toContain('r1: thiếu 1 tệp (ví dụ index.html)');
    expect(current()).toBe(join('releases', 'r3'));
    // without the database, the manifest alone decides
    expect(() => rollbackSite(siteDir, null)).toThrow(/còn nguyên vẹn/);
  });

  it('prune renames before deleting; a half-removed release is no release and the next build clears it', () => {
    for (const id of ['r1', 'r2', 'r3']) makeRelease(id);
    makeRelease('r4', { status: 'failed' });
    switchCurrent(siteDir, 'r3', db);
    // what a kill during a delete leaves: the renamed folder, part of its files gone
    const half = join(siteDir, 'releases', '.removing-r0');
    mkdirSync(join(half, 'du-lieu-mo'), { recursive: true });
    writeFileSync(join(half, 'index.html'), 'x');
    mkdirSync(join(siteDir, 'work', 'r5'), { recursive: true });
    writeFileSync(join(siteDir, 'work', 'r5', 'site-data.json'), '{}');
    symlinkSync('releases/r1', join(siteDir, 'current.tmp-999'));
    expect(listReleases(db, siteDir).map((r) => r.id)).toEqual(['r4', 'r3', 'r2', 'r1']);

    expect(pruneReleases(db, siteDir, { keep: 2 })).toEqual(['r1', 'r4']);
    expect(listReleases(db, siteDir).map((r) => r.id)).toEqual(['r3', 'r2']);
    expect(existsSync(join(siteDir, 'releases', '.removing-r1'))).toBe(false);
    cleanSiteLeftovers(siteDir);
    expect(existsSync(half)).toBe(false);
    expect(existsSync(join(siteDir, 'work', 'r5'))).toBe(false);
    expect(existsSync(join(siteDir, 'current.tmp-999'))).toBe(false);
    expect(current()).toBe(join('releases', 'r3'));
  });
});
