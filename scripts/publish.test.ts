import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../admin/db/open.ts';
import { buildFixtureProvince } from '../admin/test/fixtures/province.ts';
import { REPO_ROOT } from '../admin/publication/site-build.ts';

let tmp: string;
let dbPath: string;
const tsx = join(REPO_ROOT, 'node_modules/.bin/tsx');
const run = (...args: string[]) =>
  spawnSync(tsx, ['scripts/publish.ts', '--db', dbPath, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
const count = () => {
  const db = openDatabase(dbPath);
  const n = (db.prepare('SELECT count(*) AS n FROM publications').get() as { n: number }).n;
  db.close();
  return n;
};

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'publish-cli-'));
  dbPath = join(tmp, 'app.db');
  const db = openDatabase(dbPath);
  buildFixtureProvince(db);
  db.close();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm run publish', () => {
  it('refuses bad input with a Vietnamese message, exit 1 and nothing written', () => {
    for (const args of [
      [],
      ['--period', '2026-3', '--as-of', '2026-03-31'],
      ['--period', '2026-03', '--as-of', '31/03/2026'],
      ['--bogus'],
    ]) {
      const r = run(...args);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/^Lỗi: /m);
    }
    expect(count()).toBe(0);
  }, 60_000);

  it('publishes, then requires a correction note to publish the period again', () => {
    const ok = run('--period', '2026-03', '--as-of', '2026-03-31');
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Đã công bố kỳ 2026-03 bản 1 .*8 nhiệm vụ công khai/);
    const again = run('--period', '2026-03', '--as-of', '2026-03-31');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('đính chính');
    expect(count()).toBe(1);
    const fixed = run('--period', '2026-03', '--as-of', '2026-03-31', '--note', 'Đính chính số liệu Sở Xây dựng');
    expect(fixed.status, fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain('bản 2');
    expect(count()).toBe(2);
  }, 60_000);
});
