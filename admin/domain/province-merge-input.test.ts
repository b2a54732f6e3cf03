import { describe, expect, it } from 'vitest';
import { checkOnDate, checkPrefix, parseMapFile } from './province-merge-input.ts';

describe('province merger input', () => {
  it('reads the map: header, comments, blank lines and a BOM skipped; spaces trimmed', () => {
    expect(parseMapFile('\uFEFFother_code,this_code\r\n# sở\n\n STC , STC \nSKHDT,STC\n')).toEqual([
      { line: 4, otherCode: 'STC', thisCode: 'STC' },
      { line: 5, otherCode: 'SKHDT', thisCode: 'STC' },
    ]);
  });

  it('refuses a line with one, three or empty codes, and the same former code twice, by line number', () => {
    expect(() => parseMapFile('STC\n')).toThrow('Dòng 1 của tệp ánh xạ không đúng dạng');
    expect(() => parseMapFile('A,B\nSTC,STC,SXD\n')).toThrow('Dòng 2 của tệp ánh xạ không đúng dạng');
    expect(() => parseMapFile('A,\n')).toThrow('Dòng 1');
    expect(() => parseMapFile('A,B\n\nA,C\n', 'map.csv')).toThrow('Dòng 3 của map.csv: mã A đã có ở dòng 1');
  });

  it('checks the prefix and the day', () => {
    expect(checkPrefix('BD')).toBe('BD');
    expect(checkPrefix('')).toBeNull();
    expect(() => checkPrefix('bd')).toThrow('Tiền tố “bd” không hợp lệ');
    expect(() => checkPrefix('B-D')).toThrow('không hợp lệ');
    expect(checkOnDate('2025-07-01', '2026-12-01')).toBe('2025-07-01');
    expect(() => checkOnDate('2025-02-30', '2026-12-01')).toThrow('không hợp lệ');
    expect(() => checkOnDate('2026-12-02', '2026-12-01')).toThrow('ở tương lai');
  });
});
