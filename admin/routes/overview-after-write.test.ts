/**
 * The leaders' overview after writes (issue 14: its parts are remembered by the figures they show, views/markup-memo.ts
 * and domain/structural-share.ts): a write that moves no figure gives the same page; one that moves a figure shows it
 * at once in the row, the totals, the summary and the confirmers' backlog, and every other row stays as it was.
 */
import { describe, expect, it } from 'vitest';
import { computePeriodStats } from '../domain/period-stats.ts';
import { formatNumber, formatRate } from '../domain/format.ts';
import { metricValue } from '../domain/overview.ts';
import { appendEvent } from '../domain/tasks.ts';
import { AGENCY_COLUMNS } from '../views/overview-tables.ts';
import { makeOverviewWorld, tableRows } from '../test/support/overview-world.ts';

// the running month: the clock stands on 15/05/2026
const MAY = '/admin/overview?period=month&ref=2026-05-01&view=cumulative';

const figures = (html: string) => html.slice(html.indexOf('<section aria-labelledby="tong-hop">'));

describe('leaders overview: after a write', () => {
  it('shows what the write moved, and only that', async () => {
    const t = makeOverviewWorld();
    const cookie = await t.cookieFor('leader');
    const page = async () => figures(await (await t.get(MAY, cookie)).text());
    const id = t.db.prepare("SELECT id FROM tasks WHERE title = 'Tồn đọng quá hạn'").pluck().get() as number;
    const before = await page();

    // an urge moves no figure: the same figures, byte for byte
    appendEvent(t.db, id, { kind: 'urged', occurredOn: '2026-05-15', note: 'Đề nghị báo cáo' });
    expect(await page()).toBe(before);

    // Sở Tài chính reports and the working group confirms its overdue task: completed late, today
    appendEvent(t.db, id, { kind: 'received', occurredOn: '2026-05-15' });
    appendEvent(t.db, id, { kind: 'reported', occurredOn: '2026-05-15' });
    const reported = await page();
    expect(reported).not.toBe(before);
    appendEvent(t.db, id, { kind: 'confirmed', occurredOn: '2026-05-15' });
    const after = await page();

    const stats = computePeriodStats(t.db, { from: '2026-05-01', to: '2026-05-31', asOf: '2026-05-15' });
    const cols = AGENCY_COLUMNS.cumulative;
    const shown = (v: number | null, rate: boolean) => (rate ? formatRate(v) : formatNumber(v ?? 0));
    const rowsBefore = tableRows(before, 'bang-don-vi');
    const rowsAfter = tableRows(after, 'bang-don-vi');
    expect(rowsAfter.map((r) => r.head)).toEqual(rowsBefore.map((r) => r.head));
    for (const [i, r] of rowsAfter.entries()) {
      const g = stats.cumulative.agencies.find((a) => a.name === r.head) ?? null;
      cols.forEach((col, j) =>
        expect(r.cells[j], `${r.head} ${col.metric}`).toBe(
          shown(metricValue(g, col.metric), col.metric.endsWith('Rate')),
        ),
      );
      if (r.head === 'Sở Tài chính') {
        const at = (m: string) => cols.findIndex((c) => c.metric === m);
        expect(Number(r.cells[at('overdue')]) + 1).toBe(Number(rowsBefore[i]!.cells[at('overdue')]));
        expect(Number(r.cells[at('completedLate')]) - 1).toBe(Number(rowsBefore[i]!.cells[at('completedLate')]));
      } else expect(r).toEqual(rowsBefore[i]);
    }
    const [foot] = tableRows(after, 'bang-don-vi', 'tfoot');
    cols.forEach((col, j) =>
      expect(foot!.cells[j]).toBe(shown(metricValue(stats.cumulative.totals, col.metric), col.metric.endsWith('Rate'))),
    );
    expect(after).toContain(`${formatNumber(stats.cumulative.totals.overdue)}</span> đang quá hạn (lũy kế)`);
    // the leader's row moved too (the chairman assigned it)
    expect(tableRows(after, 'bang-lanh-dao')).not.toEqual(tableRows(before, 'bang-lanh-dao'));
    // while it waited for confirmation it was in the confirmers' backlog; confirmed, it is not
    expect(reported).toContain('2 báo cáo đang chờ');
    expect(after).toContain('1 báo cáo đang chờ');
  });

  it('a task moved between two units moves their rows, not the totals', async () => {
    const t = makeOverviewWorld();
    const cookie = await t.cookieFor('leader');
    const page = async () => figures(await (await t.get(MAY, cookie)).text());
    const id = t.db.prepare("SELECT id FROM tasks WHERE title = 'Tồn đọng quá hạn'").pluck().get() as number;
    const before = await page();
    appendEvent(t.db, id, {
      kind: 'reassigned',
      occurredOn: '2026-05-15',
      note: 'Chuyển đơn vị chủ trì',
      data: { toAgencyId: t.agencies.b },
    });
    const after = await page();
    const at = AGENCY_COLUMNS.cumulative.findIndex((c) => c.metric === 'overdue');
    const overdue = (html: string, name: string) =>
      Number(tableRows(html, 'bang-don-vi').find((r) => r.head === name)!.cells[at]);
    expect(overdue(after, 'Sở Tài chính')).toBe(overdue(before, 'Sở Tài chính') - 1);
    expect(overdue(after, 'Sở Y tế')).toBe(overdue(before, 'Sở Y tế') + 1);
    expect(tableRows(after, 'bang-don-vi', 'tfoot')).toEqual(tableRows(before, 'bang-don-vi', 'tfoot'));
  });
});
