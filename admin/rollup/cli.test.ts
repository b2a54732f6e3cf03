/**
 * npm run rollup as a user runs it: bad arguments and a run with no usable source exit 1 with a Vietnamese message
 * and write nothing; a good run shows progress and ends with a one-line summary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_PERIODS } from '../test/fixtures/province.ts';
import { buildTestProvince, type TestProvince } from './test-provinces.ts';

let tmp: string;
let province: TestProvince;

function rollup(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join('scripts', 'rollup.ts'), ...args], {
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'rollup-cli-'));
  mkdirSync(join(tmp, 'p'));
  province = await buildTestProvince(join(tmp, 'p'), {
    name: 'Ủy ban nhân dân tỉnh Mẫu Sơn',
    siteUrl: 'https://mau-son.example.gov.vn',
    extraOverdue: 1,
    periods: FIXTURE_PERIODS,
  });
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm run rollup', () => {
  it('refuses bad arguments with exit 1 and a Vietnamese message, writing nothing', () => {
    const out = join(tmp, 'out-bad');
    const cases: Array<[string[], string]> = [
      [['--out', out], 'Thiếu --source (ít nhất một tỉnh).'],
      [['--source', province.releaseDir], 'Thiếu --out'],
      [['--source', join(tmp, 'khong-co'), '--out', out], 'không phải là thư mục có sẵn hay địa chỉ http(s)'],
      [['--source', 'ftp://example.org', '--out', out], 'phải là địa chỉ http(s) hoặc một thư mục'],
      [['--nguon', 'x'], 'Tham số không hợp lệ'],
    ];
    for (const [args, message] of cases) {
      const r = rollup(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err, args.join(' ')).toContain(message);
      expect(r.err).toContain('Cách dùng: npm run rollup');
    }
    expect(existsSync(out)).toBe(false);
  });

  it('exits 1 when no source is usable, writing nothing', () => {
    const out = join(tmp, 'out-none');
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    const r = rollup(['--source', empty, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`Nguồn ${empty}: Không đọc được tệp /du-lieu-mo/danh-muc.json`);
    expect(r.err).toContain('Không nguồn nào đạt kiểm tra (1 nguồn bị từ chối)');
    expect(existsSync(out)).toBe(false);
  });

  it('builds, showing progress, and ends with a one-line summary', () => {
    const out = join(tmp, 'out-ok');
    const r = rollup(['--source', province.releaseDir, '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('[1/1] Kiểm tra nguồn');
    expect(r.out).toContain('kỳ 2026-03 đạt kiểm tra');
    expect(r.out.trim().split('\n').at(-1)).toMatch(
      /^Xong: 1 tỉnh đạt kiểm tra, 0 nguồn không đạt, 2 kỳ chung, 3 trang trong .* \([\d,]+ giây\)\.$/,
    );
    expect(existsSync(join(out, 'bao-cao', '2026-03', 'index.html'))).toBe(true);
  });
});
