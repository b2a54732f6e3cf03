import { describe, expect, it } from 'vitest';
import { periodLabel, standardPeriod } from './periods.ts';

describe('standardPeriod', () => {
  it.each([
    ['month', '2026-11-15', '2026-11-01', '2026-11-30', 'Tháng 11/2026'],
    ['month', '2024-02-29', '2024-02-01', '2024-02-29', 'Tháng 2/2024'],
    ['quarter', '2026-11-30', '2026-10-01', '2026-12-31', 'Quý IV/2026'],
    ['quarter', '2026-01-01', '2026-01-01', '2026-03-31', 'Quý I/2026'],
    ['quarter', '2026-06-30', '2026-04-01', '2026-06-30', 'Quý II/2026'],
    ['half', '2026-11-30', '2026-01-01', '2026-06-30', '6 tháng đầu năm 2026'],
    ['ytd', '2026-11-30', '2026-01-01', '2026-11-30', 'Từ đầu năm đến 30/11/2026'],
    ['year', '2026-11-30', '2026-01-01', '2026-12-31', 'Năm 2026'],
  ] as const)('%s of %s is [%s, %s] "%s"', (kind, ref, from, to, label) => {
    expect(standardPeriod(kind, ref)).toEqual({ kind, from, to, label });
  });

  it('refuses a date that does not exist', () => {
    expect(() => standardPeriod('month', '2026-02-30')).toThrow(RangeError);
  });

  it('labels any period: a standard one by its name, else by its dates', () => {
    expect(periodLabel('2026-10-01', '2026-12-31')).toBe('Quý IV/2026');
    expect(periodLabel('2026-11-01', '2026-11-30')).toBe('Tháng 11/2026');
    expect(periodLabel('2026-01-01', '2026-06-30')).toBe('6 tháng đầu năm 2026');
    expect(periodLabel('2026-01-01', '2026-12-31')).toBe('Năm 2026');
    expect(periodLabel('2026-01-01', '2026-11-30')).toBe('Từ đầu năm đến 30/11/2026');
    expect(periodLabel('2026-10-05', '2026-11-15')).toBe('Từ 05/10/2026 đến 15/11/2026');
  });
});
