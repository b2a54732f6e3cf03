/**
 * The release check's leak scan on task codes: whole codes only, and an archive's own code namespace; one file at
 * two paths; the part checked ahead (while Astro renders) is searched and listed like the rest.
 */
import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkAhead,
  checkRelease,
  checkReleaseAgainst,
  type LeakRules,
  searchRulesOfLeaks,
} from './site-build-check.ts';
import { type PreChecked, preCheckWhileWriting } from './site-build-check-file.ts';

const dirs: string[] = [];
function release(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'check-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('confidential task codes in a release', () => {
  it('finds a confidential code, not a longer code that ends with it (a former province prefix)', () => {
    const secret = new Set(['NV-2025-01403']);
    const dir = release({
      'index.html': '<p>BD-NV-2025-01403 · NV-2025-014030 · XNV-2025-01403</p>',
      'leak.html': '<p>Nhiệm vụ NV-2025-01403 (mật)</p>',
    });
    expect(checkRelease(dir, [], secret).leaks).toEqual(['/leak.html chứa mã nhiệm vụ mật NV-2025-01403']);
    // a prefixed confidential code is found whole
    expect(checkRelease(dir, [], new Set(['BD-NV-2025-01403'])).leaks).toEqual([
      '/index.html chứa mã nhiệm vụ mật BD-NV-2025-01403',
    ]);
  });

  it("an archive folder is checked against its own province's codes", () => {
    const dir = release({
      'luu-tru/bd/2025-04/ban-1.json': '{"tasks":[{"code":"NV-2025-00027"},{"code":"NV-2025-00031"}]}',
      'co-quan/stc/index.html': '<p>NV-2025-00031</p>',
    });
    const mine = new Set(['NV-2025-00027']); // this province's confidential task with the same number
    const archive = [{ dir: '/luu-tru/bd/', codes: new Set(['NV-2025-00031']) }]; // the former's confidential one
    expect(checkRelease(dir, [], mine, archive).leaks.sort()).toEqual([
      '/luu-tru/bd/2025-04/ban-1.json chứa mã nhiệm vụ mật NV-2025-00031',
    ]);
  });
});

describe('files checked once or ahead', () => {
  const rules = (forbidden: string[], codes: string[] = []): LeakRules => ({
    forbidden,
    codes: new Set(codes),
    namespaces: [],
    titleLeaks: [],
  });

  it('one file linked at two paths (the latest open data under moi-nhat/) is reported at both', () => {
    const dir = release({
      'index.html': '<a href="/du-lieu-mo/2026-03/ban-1.json">JSON</a>',
      'du-lieu-mo/2026-03/ban-1.json': '{"tasks":[{"code":"NV-2026-00008","note":"CANARY-X"}]}',
    });
    mkdirSync(join(dir, 'du-lieu-mo/moi-nhat'), { recursive: true });
    linkSync(join(dir, 'du-lieu-mo/2026-03/ban-1.json'), join(dir, 'du-lieu-mo/moi-nhat/ban-1.json'));
    const r = checkRelease(dir, ['CANARY-X'], new Set(['NV-2026-00008']));
    expect(r.leaks.sort()).toEqual([
      '/du-lieu-mo/2026-03/ban-1.json chứa "CANARY-X"',
      '/du-lieu-mo/2026-03/ban-1.json chứa mã nhiệm vụ mật NV-2026-00008',
      '/du-lieu-mo/moi-nhat/ban-1.json chứa "CANARY-X"',
      '/du-lieu-mo/moi-nhat/ban-1.json chứa mã nhiệm vụ mật NV-2026-00008',
    ]);
    expect(r.scanned).toBe(3);
    const [a, b] = r.entries.filter((e) => e.path.endsWith('ban-1.json'));
    expect(a!.sha256).toBe(b!.sha256);
    expect(r.files).toBe(3);
  });

  it('files checked ahead are searched, listed in the manifest entries, and links to them resolve', () => {
    const dir = release({
      'index.html': '<a href="/du-lieu-mo/2026-03/nhiem-vu.csv">CSV</a> <a href="/og/thieu.png">ảnh</a>',
      'du-lieu-mo/2026-03/nhiem-vu.csv': 'ma,ten\r\nNV-2026-00001,CANARY-Y\r\n',
      'og/trang-chu.png': 'PNG',
    });
    const r = rules(['CANARY-Y']);
    const ahead = checkAhead(dir, r, null, ['du-lieu-mo/2026-03/nhiem-vu.csv', 'og/trang-chu.png']);
    expect(ahead.report.leaks).toEqual(['/du-lieu-mo/2026-03/nhiem-vu.csv chứa "CANARY-Y"']);
    const { report, problems } = checkReleaseAgainst(dir, r, 'r1', null, ['index.html'], ahead);
    expect(report.entries.map((e) => e.path)).toEqual([
      'du-lieu-mo/2026-03/nhiem-vu.csv',
      'index.html',
      'og/trang-chu.png',
    ]);
    // the CSV is there (checked ahead); the missing image is a broken link; the canary is a problem
    expect(problems.sort()).toEqual([
      '/du-lieu-mo/2026-03/nhiem-vu.csv chứa "CANARY-Y"',
      'liên kết hỏng: /index.html → /og/thieu.png',
    ]);
    // pages are checked with the whole release only (their links)
    expect(() => checkAhead(dir, r, null, ['index.html'])).toThrow();
  });
});

describe("Astro's files looked at while it writes them (preCheckWhileWriting)", () => {
  const rules: LeakRules = {
    forbidden: ['CANARY-7f3a'],
    codes: new Set(['NV-2025-00027']),
    namespaces: [],
    titleLeaks: [],
  };
  const files = {
    'index.html': '<a href="/co-quan/stc/">STC</a> <a href="/khong-co/">?</a>',
    'co-quan/stc/index.html': '<p>NV-2025-00027</p><a href="/">Trang chủ</a>',
    'nhiem-vu/a/index.html': '<p>CANARY-7f3a</p>',
    'nhiem-vu/b/index.html': '<p>sạch</p>',
  };
  const listed = Object.keys(files);

  it('gives the same report as reading every file after Astro, what it found included', () => {
    const plain = checkReleaseAgainst(release(files), rules, 'r1', null, listed);
    const dir = release(files);
    const pre: PreChecked = new Map();
    preCheckWhileWriting(dir, pre, searchRulesOfLeaks(rules), 10_000, -1_000);
    expect([...pre.keys()].sort()).toEqual([...listed].sort());
    const ahead = checkReleaseAgainst(dir, rules, 'r1', null, listed, null, pre);
    expect(ahead).toEqual(plain);
    expect(ahead.problems).toEqual([
      'liên kết hỏng: /index.html → /khong-co/',
      '/co-quan/stc/index.html chứa mã nhiệm vụ mật NV-2025-00027',
      '/nhiem-vu/a/index.html chứa "CANARY-7f3a"',
    ]);
    // what was found ahead is what the check reports for an unchanged file (it is not read again)
    pre.get('nhiem-vu/b/index.html')!.findings.found = ['"đã thấy trước"'];
    expect(checkReleaseAgainst(dir, rules, 'r1', null, listed, null, pre).problems).toContain(
      '/nhiem-vu/b/index.html chứa "đã thấy trước"',
    );
  });

  it('reads again a file written after it was looked at, and takes none still being written', () => {
    const dir = release(files);
    const pre: PreChecked = new Map();
    preCheckWhileWriting(dir, pre, searchRulesOfLeaks(rules), 10_000, -1_000);
    // written again after it was looked at (a leak where there was none), with another size
    writeFileSync(join(dir, 'nhiem-vu/b/index.html'), '<p>sạch? CANARY-7f3a</p>');
    const report = checkReleaseAgainst(dir, rules, 'r1', null, listed, null, pre);
    expect(report.problems).toContain('/nhiem-vu/b/index.html chứa "CANARY-7f3a"');
    // a file written a moment ago is not taken: the check reads it itself
    const fresh: PreChecked = new Map();
    preCheckWhileWriting(release(files), fresh, searchRulesOfLeaks(rules), 10_000, 60_000);
    expect(fresh.size).toBe(0);
  });
});

describe("a carried page's links, from the source's manifest", () => {
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');
  const page = '<a href="/b/">B</a> <a href="/">Trang chủ</a>';
  /** a release `a.html` is carried into (the same bytes) from a source where it linked to /b/, now gone */
  function carriedSetup(links: Map<string, string[]> | null) {
    const src = release({ 'index.html': '<p>nhà</p>', 'a.html': page, 'b/index.html': '<p>B</p>' });
    const dir = release({ 'index.html': '<p>nhà</p>' });
    linkSync(join(src, 'a.html'), join(dir, 'a.html'));
    const entry = (path: string, text: string) => ({ path, size: Buffer.byteLength(text), sha256: sha(text) });
    const entries = new Map(
      [entry('index.html', '<p>nhà</p>'), entry('a.html', page), entry('b/index.html', '<p>B</p>')].map((e) => [
        e.path,
        e,
      ]),
    );
    const source = {
      dir: src,
      hashedAt: Date.now() + 1_000,
      entries,
      carried: new Map([['a.html', { size: Buffer.byteLength(page), sha256: sha(page) }]]),
      scanAll: false,
      links,
    };
    return checkRelease(dir, [], new Set(), [], source, ['index.html', 'a.html']);
  }

  it('resolves them against this release without reading the page: a page gone since is a broken link', () => {
    const known = carriedSetup(
      new Map([
        ['a.html', ['/b/', '/']],
        ['index.html', []],
      ]),
    );
    expect(known.brokenLinks).toEqual(['/a.html → /b/']);
    // the links are the manifest's, not read again: a manifest saying /c/ is what is resolved
    expect(carriedSetup(new Map([['a.html', ['/c/']]])).brokenLinks).toEqual(['/a.html → /c/']);
    // kept for the next build's manifest
    expect(known.links?.get('a.html')).toEqual(['/b/', '/']);
  });

  it('reads the page when the source kept no links (a release made before), with the same finding', () => {
    const read = carriedSetup(null);
    expect(read.brokenLinks).toEqual(['/a.html → /b/']);
    expect(read.links?.get('a.html')).toEqual(['/b/', '/']);
  });
});
