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
