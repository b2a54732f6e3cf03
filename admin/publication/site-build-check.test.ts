/** The release check's leak scan on task codes: whole codes only, and an archive's own code namespace. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRelease } from './site-build-check.ts';

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
