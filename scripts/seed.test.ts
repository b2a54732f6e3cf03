/**
 * `npm run seed -- --province NAME`: the province's name in the settings every snapshot carries, its units named
 * after it, the code the national roll-up derives from the published name; a bad name is refused (exit 2) with a
 * Vietnamese message before any file is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../admin/db/open.ts';
import { parseProvinceName } from '../admin/demo/province-name.ts';
import { readSettings } from '../admin/domain/settings.ts';
import { previewSnapshot } from '../admin/publication/publish.ts';
import { provinceCode } from '../admin/rollup/validate.ts';

let dir: string;

function seed(dbPath: string, args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join('scripts', 'seed.ts'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_PATH: dbPath },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tdnv-seed-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run seed -- --province', () => {
  it('names the province, its office and its own units; the roll-up derives its code from the published name', () => {
    const dbPath = join(dir, 'ha-son.db');
    const r = seed(dbPath, ['--years', '1', '--seed', 'ha-son', '--end', '2026-06-30', '--province', 'Hà Sơn']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Tạo tỉnh mẫu Hà Sơn: 1 năm');
    expect(r.out).toContain(
      'Tỉnh: Ủy ban nhân dân tỉnh Hà Sơn (Văn phòng UBND tỉnh Hà Sơn); mã trong tổng hợp toàn quốc: ha-son.',
    );
    const db = openDatabase(dbPath, { readonly: true });
    try {
      const s = readSettings(db);
      expect(s.provinceName).toBe('Ủy ban nhân dân tỉnh Hà Sơn');
      expect(s.officeName).toBe('Văn phòng UBND tỉnh Hà Sơn');
      // the units named after the province carry its name and short code, none the default Lam Sơn
      const agencies = db.prepare('SELECT code, name FROM agencies').all() as Array<{ code: string; name: string }>;
      expect(agencies).toContainEqual({ code: 'TPHS', name: 'UBND thành phố Hà Sơn' });
      expect(agencies.filter((a) => a.name.includes('Lam Sơn'))).toEqual([]);
      // what the roll-up reads is the published name: its code is the one printed
      const snapshot = previewSnapshot(db, '2026-06', '2026-06-30', new Date('2026-07-03T03:00:00Z'));
      expect(snapshot.province).toBe('Ủy ban nhân dân tỉnh Hà Sơn');
      expect(provinceCode(snapshot.province)).toBe('ha-son');
    } finally {
      db.close();
    }
  }, 120_000);

  it.each([
    ['', 'không được để trống'],
    ['   ', 'không được để trống'],
    ['Tỉnh ', 'không được để trống'],
    ['Hà\nSơn', 'ký tự điều khiển'],
    ['Hà\u0007Sơn', 'ký tự điều khiển'],
    ['Hà Sơn\u200b', 'ký tự điều khiển'],
    ['Á'.repeat(61), 'tối đa 60 ký tự'],
    ['<script>', 'chỉ gồm chữ cái'],
    ['A', 'ít nhất hai chữ cái'],
  ])('refuses --province %j with a Vietnamese message, exit 2, nothing written', (name, message) => {
    const dbPath = join(dir, `bad-${Math.random().toString(36).slice(2)}.db`);
    const r = seed(dbPath, ['--years', '1', '--end', '2026-06-30', '--province', name]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--province: Tên tỉnh');
    expect(r.err).toContain(message);
    expect(existsSync(dbPath)).toBe(false);
  });
});

describe('parseProvinceName', () => {
  it('drops the administrative prefix, keeps the marks, codes as the roll-up does', () => {
    for (const raw of ['Hà Sơn', '  Tỉnh  Hà   Sơn ', 'Ủy ban nhân dân tỉnh Hà Sơn', 'Ha\u0300 So\u031bn']) {
      const r = parseProvinceName(raw);
      expect(r.ok && r.naming, raw).toEqual({
        name: 'Hà Sơn',
        shortCode: 'HS',
        provinceName: 'Ủy ban nhân dân tỉnh Hà Sơn',
        officeName: 'Văn phòng UBND tỉnh Hà Sơn',
        rollupCode: 'ha-son',
      });
    }
    const r = parseProvinceName('Bà Rịa – Vũng Tàu');
    expect(r.ok && [r.naming.shortCode, r.naming.rollupCode]).toEqual(['BRVT', 'ba-ria-vung-tau']);
    const d = parseProvinceName('Đắk Lắk');
    expect(d.ok && [d.naming.shortCode, d.naming.rollupCode]).toEqual(['DL', 'dak-lak']);
  });
});
