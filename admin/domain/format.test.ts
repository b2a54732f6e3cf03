import { describe, expect, it } from 'vitest';
import { formatNumber, formatRate } from './format.ts';

describe('formatNumber', () => {
  it.each([
    [0, '0'],
    [7, '7'],
    [999, '999'],
    [1000, '1.000'],
    [6372, '6.372'],
    [30811, '30.811'],
    [1234567, '1.234.567'],
    [-1200, '-1.200'],
  ])('%d → %s', (n, s) => expect(formatNumber(n)).toBe(s));
});

describe('formatRate', () => {
  it.each([
    [0.123, '12,3%'],
    [0.9862, '98,6%'],
    [1, '100,0%'],
    [0, '0,0%'],
    [0.0005, '0,1%'],
    [2 / 3, '66,7%'],
    [null, '—'],
    [Number.NaN, '—'],
  ])('%s → %s', (r, s) => expect(formatRate(r)).toBe(s));
});

describe('formatNumber without Intl', () => {
  it('equals Intl for integers of every length, both signs', () => {
    const intl = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
    const values = [
      0,
      -0,
      999,
      1000,
      -1000,
      99_999,
      100_000,
      123_456_789,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
    ];
    for (let i = 0; i < 20_000; i++) values.push(Math.round((Math.random() - 0.3) * 10 ** (1 + (i % 15))));
    // -0 prints as 0 (Intl would say "-0")
    for (const v of values) expect(formatNumber(v), String(v)).toBe(intl.format(v === 0 ? 0 : v));
    expect(formatNumber(1234.6)).toBe(intl.format(1234.6)); // a fraction goes through Intl
  });
});

describe('formatRate without Intl', () => {
  const intl = new Intl.NumberFormat('vi-VN', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  it('equals Intl for every ratio a/b with b ≤ 400 (every rate a count of tasks can give there)', () => {
    const wrong: string[] = [];
    for (let b = 1; b <= 400; b++)
      for (let a = 0; a <= b; a++) if (formatRate(a / b) !== intl.format(a / b)) wrong.push(`${a}/${b}`);
    expect(wrong).toEqual([]);
  });
  it('equals Intl on random rates, ties and values above 100 %', () => {
    const values = [0.00049999999, 0.0005, 0.00149999, 0.0015, 0.9995, 0.99949, 1.5, 9.9994, 9.9995, 10, 123.4567];
    for (let i = 0; i < 20_000; i++) values.push(Math.random() * (i % 2 ? 1 : 12));
    for (const v of values) expect(formatRate(v), String(v)).toBe(intl.format(v));
  });
});
