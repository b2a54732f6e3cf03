import { describe, expect, it } from 'vitest';
import { compareVi, sortByNameVi, sortVi } from './collation.ts';

describe('Vietnamese collation', () => {
  it.each([
    ['Sở Du lịch', 'Sở Đào tạo'], // D before Đ
    ['Sở Đào tạo', 'Sở Giáo dục'], // Đ before G …
    ['Đ', 'E'], // … and before E
    ['Nội', 'Nông'], // ô with a tone mark is still ô: i < n decides
    ['UBND xã Nội Bài', 'UBND xã Nông Sơn'],
    ['o', 'ô'],
    ['ô', 'ơ'],
    ['a', 'ă'],
    ['ă', 'â'],
    ['u', 'ư'],
    ['Sở Y tế', 'UBND tỉnh'],
    ['Phường 2', 'Phường 10'], // numbers in names compare as numbers
  ])('%s < %s', (a, b) => {
    expect(compareVi(a, b)).toBeLessThan(0);
    expect(compareVi(b, a)).toBeGreaterThan(0);
  });

  it('ignores case at the first level and treats precomposed and decomposed letters alike', () => {
    expect(compareVi('sở tài chính', 'Sở Tài Chính')).not.toBe(0); // a tie broken by case, but adjacent
    expect(compareVi('Nội'.normalize('NFD'), 'Nội'.normalize('NFC'))).toBe(0);
  });

  it('sorts a list the way a Vietnamese reader expects, where byte order would not', () => {
    const names = ['Sở Y tế', 'Sở Đào tạo', 'UBND xã Nông Sơn', 'Sở Du lịch', 'UBND xã Nội Bài', 'Ban Dân tộc'];
    expect(sortByNameVi(names.map((name) => ({ name }))).map((x) => x.name)).toEqual([
      'Ban Dân tộc',
      'Sở Du lịch',
      'Sở Đào tạo',
      'Sở Y tế',
      'UBND xã Nội Bài',
      'UBND xã Nông Sơn',
    ]);
    expect([...names].sort()).not.toEqual(sortVi(names, (s) => s)); // what ORDER BY name would give
  });
});
