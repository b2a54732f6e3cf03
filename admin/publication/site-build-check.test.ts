/**
 * The release check's leak scan on task codes: whole codes only, and an archive's own code namespace; one file at
 * two paths; the part checked ahead (while Astro renders) is searched and listed like the rest.
 */
import { linkSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkAhead, checkRelease, checkReleaseAgainst, type LeakRules } from './site-build-check.ts';

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
