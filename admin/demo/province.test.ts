import { describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '../db/open.ts';
import { generateProvince } from './generate.ts';
import { demoAgencies, demoSectors } from './province.ts';

function setting(db: DB, key: string): string | undefined {
  return db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
}
function countLike(db: DB, sql: string, pattern: string): number {
  return db.prepare(sql).pluck().get(pattern) as number;
}

describe('generateProvince({ province })', () => {
  it('names the province everywhere: settings, the city and the units named after it, the topics', () => {
    const db = openDatabase(':memory:');
    generateProvince(db, { years: 1, seed: 'name', endDate: '2025-12-31', province: { name: 'Sông Mã', code: 'SM' } });
    expect(setting(db, 'province_name')).toBe('Ủy ban nhân dân tỉnh Sông Mã');
    expect(setting(db, 'office_name')).toBe('Văn phòng UBND tỉnh Sông Mã');
    const byCode = (code: string) => db.prepare('SELECT name FROM agencies WHERE code = ?').pluck().get(code);
    expect(byCode('TPSM')).toBe('UBND thành phố Sông Mã');
    expect(byCode('DLSM')).toBe('Công ty Điện lực Sông Mã');
    expect(byCode('TDHSM')).toBe('Trường Đại học Sông Mã');
    expect(byCode('TPLS')).toBeUndefined();
    expect(countLike(db, 'SELECT count(*) FROM agencies WHERE name LIKE ?', '%Lam Sơn%')).toBe(0);
    expect(countLike(db, 'SELECT count(*) FROM tasks WHERE title LIKE ?', '%Lam Sơn%')).toBe(0);
    expect(countLike(db, 'SELECT count(*) FROM tasks WHERE title LIKE ?', '%đô thị Sông Mã%')).toBeGreaterThan(0);
    db.close();
  });

  it("leads every sector with the province's own units", () => {
    const p = { name: 'Sông Mã', code: 'SM' };
    const codes = new Set(demoAgencies(p).map((a) => a.code));
    for (const s of demoSectors(p)) for (const lead of s.leads) expect(codes.has(lead), `${s.code} ${lead}`).toBe(true);
  });

  it('keeps Lam Sơn by default; a leading "Tỉnh" is dropped; a bad code is refused', () => {
    const db = openDatabase(':memory:');
    generateProvince(db, { years: 1, seed: 'name', endDate: '2025-12-31' });
    expect(setting(db, 'province_name')).toBe('Ủy ban nhân dân tỉnh Lam Sơn');
    expect(db.prepare("SELECT name FROM agencies WHERE code = 'TPLS'").pluck().get()).toBe('UBND thành phố Lam Sơn');
    db.close();
    const other = openDatabase(':memory:');
    generateProvince(other, {
      years: 1,
      seed: 'n',
      endDate: '2025-12-31',
      province: { name: 'Tỉnh Bình An', code: 'BA' },
    });
    expect(setting(other, 'office_name')).toBe('Văn phòng UBND tỉnh Bình An');
    other.close();
    const bad = openDatabase(':memory:');
    expect(() =>
      generateProvince(bad, { years: 1, seed: 'n', endDate: '2025-12-31', province: { name: 'Bình An', code: 'b a' } }),
    ).toThrow(RangeError);
    bad.close();
  });
});
