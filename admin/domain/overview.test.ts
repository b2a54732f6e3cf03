import { describe, expect, it } from 'vitest';
import { emptyCounts, finishCounts, MIN_DUE_FOR_RANKING, type Counts } from './counts.ts';
import { isSortKey, loadOverview, sortGroupRows, type GroupRow } from './overview.ts';
import { computePeriodStats } from './period-stats.ts';
import { appendEvent, createTask } from './tasks.ts';
import { makeOverviewWorld } from '../test/support/overview-world.ts';

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

describe('loadOverview caches', () => {
  const april = {
    kind: 'month' as const,
    from: '2026-04-01',
    to: '2026-04-30',
    asOf: '2026-04-30',
    label: 'Tháng 4/2026',
  };
  const may = {
    kind: 'month' as const,
    from: '2026-05-01',
    to: '2026-05-31',
    asOf: '2026-05-15',
    label: 'Tháng 5/2026',
  };

  it('follow every write: the period, the running month and the confirmers backlog', () => {
    const t = makeOverviewWorld();
    const before = loadOverview(t.db, may, '2026-05-15');
    expect(before.confirmation.total).toBe(1);
    const waiting = t.db.prepare("SELECT id FROM tasks WHERE title = 'Báo cáo đúng hạn chờ xác nhận'").get() as {
      id: number;
    };
    appendEvent(t.db, waiting.id, { kind: 'confirmed', occurredOn: '2026-05-15' });
    const after = loadOverview(t.db, may, '2026-05-15');
    expect(after.confirmation.total).toBe(0);
    expect(after.stats.cumulative.totals.completedOnTime).toBe(before.stats.cumulative.totals.completedOnTime + 1);
    expect(after.trend.at(-1)!.completionRate).not.toBe(before.trend.at(-1)!.completionRate);
    // April, as of its last day, did not change: the confirmation is dated 15/05
    expect(after.trend.at(-2)).toEqual(before.trend.at(-2));
    expect(after.stats).toEqual(computePeriodStats(t.db, { from: may.from, to: may.to, asOf: may.asOf }));
  });

  it('recompute past months when tasks are added with past dates (an import)', () => {
    const t = makeOverviewWorld();
    const before = loadOverview(t.db, april, '2026-05-15');
    createTask(t.db, {
      title: 'Nhập từ tệp',
      leadAgencyId: t.agencies.b,
      assignedOn: '2026-03-05',
      deadline: '2026-03-10',
    });
    const after = loadOverview(t.db, april, '2026-05-15');
    const march = after.trend.find((p) => p.month === '2026-03')!;
    expect(march.overdue).toBe(before.trend.find((p) => p.month === '2026-03')!.overdue + 1);
    expect(march.overdue).toBe(
      computePeriodStats(t.db, { from: '2026-03-01', to: '2026-03-31' }).cumulative.totals.overdue,
    );
  });
});
