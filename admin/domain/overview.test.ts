import { describe, expect, it } from 'vitest';
import { emptyCounts, finishCounts, MIN_DUE_FOR_RANKING, type Counts } from './counts.ts';
import { sortGroupRows, isSortKey, type GroupRow } from './overview.ts';

const counts = (onTime: number, late: number, overdue: number): Counts =>
  finishCounts({
    ...emptyCounts(),
    total: onTime + late + overdue,
    completedOnTime: onTime,
    completedLate: late,
    overdue,
  });
const row = (name: string, c: Counts | null): GroupRow => ({
  id: name.length,
  code: name,
  name,
  assigned: c,
  backlog: null,
  cumulative: c,
});

describe('sortGroupRows', () => {
  const rows = [
    row('Sở Y tế', counts(18, 0, 2)), // 90 %
    row('Sở Đào tạo', counts(5, 0, 0)), // 100 %, but only 5 due: not ranked
    row('UBND huyện X', counts(10, 0, 10)), // 50 %
    row('Sở Tài chính', null), // nothing in the view
  ];
  it('ranks a rate only above the minimum number of due tasks; the others follow by name either way', () => {
    expect(MIN_DUE_FOR_RANKING).toBe(10);
    const names = (key: Parameters<typeof sortGroupRows>[1], dir: 'asc' | 'desc') =>
      sortGroupRows(rows, key, dir).map((r) => r.name);
    expect(names('assigned.completionRate', 'desc')).toEqual(['Sở Y tế', 'UBND huyện X', 'Sở Đào tạo', 'Sở Tài chính']);
    expect(names('assigned.completionRate', 'asc')).toEqual(['UBND huyện X', 'Sở Y tế', 'Sở Đào tạo', 'Sở Tài chính']);
    // counts rank everyone; a missing view counts 0
    expect(names('assigned.overdue', 'desc')).toEqual(['UBND huyện X', 'Sở Y tế', 'Sở Đào tạo', 'Sở Tài chính']);
    expect(names('assigned.completed', 'desc')).toEqual(['Sở Y tế', 'UBND huyện X', 'Sở Đào tạo', 'Sở Tài chính']);
    expect(names('name', 'asc')).toEqual(['Sở Đào tạo', 'Sở Tài chính', 'Sở Y tế', 'UBND huyện X']);
  });
  it.each([
    ['name', true],
    ['assigned.total', true],
    ['backlog.overdueRate', true],
    ['cumulative.awaitingConfirmation', true],
    ['assigned', false],
    ['other.total', false],
    ['assigned.password', false],
    ['assigned.total.x', false],
  ])('isSortKey(%s) = %s', (k, ok) => expect(isSortKey(k)).toBe(ok));
});
