import { describe, expect, it } from 'vitest';
import { computePeriodStats } from '../domain/period-stats.ts';
import { formatNumber, formatRate } from '../domain/format.ts';
import { formatDateVi } from '../domain/dates.ts';
import { metricValue } from '../domain/overview.ts';
import { parseTaskFilter, queryTasks } from '../domain/task-query.ts';
import { AGENCY_COLUMNS, AGENCY_VIEWS, LEADER_COLUMNS } from '../views/overview-tables.ts';
import { makeOverviewWorld, tableRows } from '../test/support/overview-world.ts';

const APRIL = '/admin/overview?period=month&ref=2026-04-01';

describe('leaders overview: who may open it', () => {
  it.each([
    ['leader', 200],
    ['confirmer', 200],
    ['agency', 403],
    ['specialist', 403],
    ['admin', 403],
  ] as const)('%s → %i', async (role, status) => {
    const t = makeOverviewWorld();
    const res = await t.get(APRIL, await t.cookieFor(role));
    expect(res.status).toBe(status);
    if (status === 200) expect(await res.text()).toContain('Tháng 4/2026');
  });

  it('is in the navigation of leaders only, and needs a session', async () => {
    const t = makeOverviewWorld();
    expect(await (await t.get('/admin', await t.cookieFor('leader'))).text()).toContain('href="/admin/overview"');
    expect(await (await t.get('/admin', await t.cookieFor('agency'))).text()).not.toContain('href="/admin/overview"');
    expect(await (await t.get('/admin', await t.cookieFor('confirmer'))).text()).toContain('Xem tổng hợp theo kỳ');
    const anonymous = await t.get(APRIL);
    expect([302, 303, 401]).toContain(anonymous.status);
  });
});

describe('leaders overview: the period picker', () => {
  it.each([
    ['from after to', 'period=custom&from=30/04/2026&to=01/04/2026', 'to', 'phải sau hoặc bằng ngày bắt đầu'],
    ['a malformed date', 'period=custom&from=31/02/2026&to=30/04/2026', 'from', 'không phải ngày hợp lệ'],
    ['a missing end', 'period=custom&from=01/04/2026', 'to', 'Cần nhập ngày kết thúc'],
    ['a period after today', 'period=month&ref=2026-06-10', 'ref', 'sau ngày hôm nay'],
    ['a period before the data', 'period=year&ref=2020-03-01', 'ref', 'trước ngày có dữ liệu đầu tiên'],
    ['an unknown kind', 'period=week', 'period', 'Loại kỳ không hợp lệ'],
    ['an unknown sort column', 'period=month&ref=2026-04-01&sort=password', 'sort', 'Cột sắp xếp không hợp lệ'],
    ['a bad direction', 'period=month&ref=2026-04-01&dir=up', 'dir', 'Chiều sắp xếp'],
    ['an unknown view', 'period=month&ref=2026-04-01&view=all', 'view', 'Cách tính chỉ nhận'],
    [
      'a sort column of another view',
      'period=month&ref=2026-04-01&view=backlog&sort=cumulative.overdue',
      'sort',
      'không thuộc cách tính đang xem',
    ],
  ])('%s: 400, the form kept with a Vietnamese message, no figures', async (_label, query, field, message) => {
    const t = makeOverviewWorld();
    const res = await t.get(`/admin/overview?${query}`, await t.cookieFor('leader'));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain(message);
    expect(html).toContain(`href="#${field}"`); // the error summary links the field
    expect(html).toContain('<form method="get" action="/admin/overview"');
    expect(html).not.toContain('id="bang-don-vi"');
    const typed = new URLSearchParams(query);
    for (const k of ['from', 'to', 'ref'] as const) {
      const v = typed.get(k);
      // what was typed, or a valid date in the form's own dd/mm/yyyy
      if (v) expect([`value="${v}"`, `value="${formatDateVi(v)}"`].some((x) => html.includes(x))).toBe(true);
    }
  });

  it.each([
    ['period=quarter&ref=15/04/2026', 'Quý II/2026', '01/04/2026', '15/05/2026'],
    ['period=half&ref=2026-02-01', '6 tháng đầu năm 2026', '01/01/2026', '15/05/2026'],
    ['period=year&ref=2026-05-05', 'Năm 2026', '01/01/2026', '15/05/2026'],
    ['period=month&ref=2026-03-31', 'Tháng 3/2026', '01/03/2026', '31/03/2026'],
    ['', 'Từ đầu năm đến 15/05/2026', '01/01/2026', '15/05/2026'],
    ['period=custom&from=05/04/2026&to=2026-04-20', 'Từ 05/04/2026 đến 20/04/2026', '05/04/2026', '20/04/2026'],
  ])('%s → %s, counted as of %s…%s', async (query, label, from, asOf) => {
    const t = makeOverviewWorld();
    const res = await t.get(`/admin/overview?${query}`, await t.cookieFor('leader'));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`<strong>${label}</strong>`);
    expect(html).toContain(`số liệu tính đến ngày ${asOf}`);
    expect(html).toContain(`(${from} –`);
  });
});

describe('leaders overview: the figures are computePeriodStats for the chosen period', () => {
  it('per agency (each view of the table), per leader and in total, in Vietnamese number format', async () => {
    const t = makeOverviewWorld();
    const cookie = await t.cookieFor('leader');
    const stats = computePeriodStats(t.db, { from: '2026-04-01', to: '2026-04-30' });
    for (const view of AGENCY_VIEWS) {
      const page = await (await t.get(`${APRIL}&view=${view}`, cookie)).text();
      const rows = tableRows(page, 'bang-don-vi');
      expect(rows.map((r) => r.head)).toEqual(['Sở Đào tạo', 'Sở Tài chính', 'Sở Y tế', 'UBND huyện X']);
      for (const r of rows) {
        AGENCY_COLUMNS[view].forEach((col, i) => {
          const g = stats[col.view].agencies.find((a) => a.name === r.head) ?? null;
          const v = metricValue(g, col.metric);
          const expected = col.metric.endsWith('Rate') ? formatRate(v) : formatNumber(v ?? 0);
          expect(r.cells[i], `${r.head} ${col.view}.${col.metric}`).toBe(expected);
        });
      }
      const [foot] = tableRows(page, 'bang-don-vi', 'tfoot');
      AGENCY_COLUMNS[view].forEach((col, i) => {
        const v = metricValue(stats[col.view].totals, col.metric);
        expect(foot!.cells[i]).toBe(col.metric.endsWith('Rate') ? formatRate(v) : formatNumber(v ?? 0));
      });
    }
    // the default view is the period's own: assigned in the period
    const html = await (await t.get(APRIL, cookie)).text();
    expect(html).toContain('<caption>Theo đơn vị chủ trì: giao trong kỳ</caption>');
    const rows = tableRows(html, 'bang-don-vi');
    const [total] = tableRows(html, 'bang-don-vi', 'tfoot');
    // hand-checked: April assigned 7 tasks, one cancelled → 6; Sở Y tế: one on time, one late, one without deadline
    expect(total!.cells[0]).toBe('6');
    const syt = rows.find((r) => r.head === 'Sở Y tế')!;
    expect(syt.cells.slice(0, 3)).toEqual(['3', '1', '1']);
    const leaders = tableRows(html, 'bang-lanh-dao');
    expect(leaders.map((r) => r.head)).toEqual([
      'Trần Văn Chủ — Chủ tịch UBND tỉnh',
      'Lê Thị Phó — Phó Chủ tịch UBND tỉnh',
      'Chưa xác định', // the test app's first three tasks name no leader
    ]);
    for (const r of leaders.slice(0, 2)) {
      const id = r.head.startsWith('Trần') ? t.leaders.chairman : t.leaders.vice;
      LEADER_COLUMNS.forEach((col, i) => {
        const g = stats[col.view].leaders.find((l) => l.id === id) ?? null;
        const v = metricValue(g, col.metric);
        expect(r.cells[i]).toBe(col.metric.endsWith('Rate') ? formatRate(v) : formatNumber(v ?? 0));
      });
    }
    expect(html).toContain(`${formatNumber(stats.backlog.openAtStart)}</span> nhiệm vụ tồn đọng đầu kỳ`);
  });

  it('every linked count opens a task list with exactly that many tasks', async () => {
    const t = makeOverviewWorld();
    const cookie = await t.cookieFor('leader');
    const html = await (await t.get(APRIL, cookie)).text();
    const principal = { role: 'leader' as const, agencyId: null };
    let checked = 0;
    const pages: Array<[string, string]> = [
      [html, 'bang-lanh-dao'],
      [html, 'bang-tong-hop'],
      [html, 'bang-xu-huong'],
      [html, 'bang-qua-han'],
    ];
    for (const view of AGENCY_VIEWS)
      pages.push([await (await t.get(`${APRIL}&view=${view}`, cookie)).text(), 'bang-don-vi']);
    for (const [html, id] of pages) {
      for (const part of ['tbody', 'tfoot'] as const) {
        if (id !== 'bang-don-vi' && id !== 'bang-lanh-dao' && part === 'tfoot') continue;
        for (const r of tableRows(html, id, part)) {
          r.links.forEach((href, i) => {
            if (r.cells[i] === '0') expect(href).toBeNull(); // nothing to open
            if (href === null || !href.startsWith('/admin/tasks?')) return;
            if (id === 'bang-qua-han' && i > 0) return; // ageing groups open the overdue list, longest overdue first
            const query = Object.fromEntries(new URLSearchParams(href.split('?')[1]));
            const parsed = parseTaskFilter(query, { db: t.db });
            if (!parsed.ok) throw new Error(`${href}: ${JSON.stringify(parsed.errors)}`);
            const shown = Number(r.cells[i]!.split(' ')[0]!.replaceAll('.', ''));
            // the backlog's total links to the tasks open on 31/03 (none of them was cancelled in April here)
            expect(queryTasks(t.db, principal, parsed.filter).total, `${id} ${r.head} #${i}: ${href}`).toBe(shown);
            checked++;
          });
        }
      }
    }
    expect(checked).toBeGreaterThan(60);
  });

  it('links carry the filters of their figure', async () => {
    const t = makeOverviewWorld();
    const cookie = await t.cookieFor('leader');
    const html = await (await t.get(APRIL, cookie)).text();
    const row = async (view: string, head: string) => {
      const page = await (await t.get(`${APRIL}&view=${view}`, cookie)).text();
      const r = tableRows(page, 'bang-don-vi').find((x) => x.head === head)!;
      return {
        ...r,
        q: (i: number) => Object.fromEntries(new URLSearchParams(r.links[i]!.split('?')[1])),
      };
    };
    const stc = await row('assigned', 'Sở Tài chính');
    expect(stc.q(0)).toEqual({ asOf: '2026-04-30', assignedFrom: '2026-04-01', status: 'counted', agency: 'STC' });
    expect(stc.cells[4]).toBe('0'); // its April task awaits confirmation, not overdue
    expect(stc.links[4]).toBeNull();
    const hx = await row('assigned', 'UBND huyện X');
    expect(hx.q(4)).toMatchObject({ status: 'overdue', agency: 'UBND-HX', assignedFrom: '2026-04-01' });
    const backlog = await row('backlog', 'Sở Tài chính');
    expect(backlog.q(0)).toEqual({ asOf: '2026-03-31', assignedTo: '2026-03-31', status: 'open', agency: 'STC' });
    expect(backlog.links[1]).toBeNull(); // backlog completed within the period: no list filter says it
    expect(backlog.q(3)).toEqual({ asOf: '2026-04-30', assignedTo: '2026-03-31', status: 'overdue', agency: 'STC' });
    const cumulative = await row('cumulative', 'Sở Tài chính');
    expect(cumulative.q(4)).toEqual({ asOf: '2026-04-30', status: 'overdue', agency: 'STC' });
    const leader = tableRows(html, 'bang-lanh-dao')[0]!;
    expect(Object.fromEntries(new URLSearchParams(leader.links[0]!.split('?')[1]))).toMatchObject({
      leader: String(t.leaders.chairman),
      status: 'counted',
    });
  });
});

describe('leaders overview: sorting the agency table', () => {
  const order = async (query: string) => {
    const t = makeOverviewWorld();
    const html = await (await t.get(`${APRIL}&${query}`, await t.cookieFor('leader'))).text();
    return tableRows(html, 'bang-don-vi').map((r) => r.head);
  };

  it('by name in Vietnamese order by default, and reversed', async () => {
    expect(await order('')).toEqual(['Sở Đào tạo', 'Sở Tài chính', 'Sở Y tế', 'UBND huyện X']);
    expect(await order('sort=name&dir=desc')).toEqual(['UBND huyện X', 'Sở Y tế', 'Sở Tài chính', 'Sở Đào tạo']);
  });

  it('by a count, largest first, ties by name', async () => {
    // assigned in April and not cancelled: SYT 3, the others 1 each (STC's second one was cancelled)
    expect(await order('sort=assigned.total&dir=desc')).toEqual([
      'Sở Y tế',
      'Sở Đào tạo',
      'Sở Tài chính',
      'UBND huyện X',
    ]);
    expect(await order('sort=assigned.total&dir=asc')).toEqual([
      'Sở Đào tạo',
      'Sở Tài chính',
      'UBND huyện X',
      'Sở Y tế',
    ]);
  });

  it('column headers link to the sort, keeping the period, and mark the current one', async () => {
    const t = makeOverviewWorld();
    const html = await (await t.get(`${APRIL}&sort=cumulative.overdue&dir=desc`, await t.cookieFor('leader'))).text();
    expect(html).toMatch(/<th scope="col" aria-sort="descending"><a href="[^"]*sort=cumulative\.overdue&amp;dir=asc/);
    expect(html).toContain(
      'href="/admin/overview?period=month&amp;ref=2026-04-01&amp;view=cumulative&amp;sort=cumulative.completionRate&amp;dir=desc#don-vi"',
    );
    // sorting by a cumulative column shows the cumulative view; the tabs keep the period
    expect(html).toContain('<caption>Theo đơn vị chủ trì: lũy kế đến ngày chốt</caption>');
    expect(html).toContain(
      '<a href="/admin/overview?period=month&amp;ref=2026-04-01&amp;view=cumulative#don-vi" aria-current="page">',
    );
    expect(html).toContain('<a href="/admin/overview?period=month&amp;ref=2026-04-01&amp;view=backlog#don-vi">');
    // a new period from the form keeps the view and the sort
    expect(html).toContain('<input type="hidden" name="view" value="cumulative"/>');
    expect(html).toContain('<input type="hidden" name="sort" value="cumulative.overdue"/>');
    expect(html).toContain('<input type="hidden" name="dir" value="desc"/>');
  });
});

describe('leaders overview: trend and the confirmers backlog', () => {
  it('the 12-month trend is computePeriodStats month by month, the running month up to today', async () => {
    const t = makeOverviewWorld();
    const html = await (await t.get(APRIL, await t.cookieFor('leader'))).text();
    const rows = tableRows(html, 'bang-xu-huong');
    expect(rows).toHaveLength(12);
    expect(rows[0]!.head).toBe('Tháng 5/2025');
    expect(rows[11]!.head).toBe('Tháng 4/2026'); // the months up to the period's cutoff
    const april = computePeriodStats(t.db, { from: '2026-04-01', to: '2026-04-30' });
    expect(rows[11]!.cells).toEqual([
      formatNumber(april.assigned.totals.total),
      formatNumber(april.cumulative.totals.due),
      formatRate(april.cumulative.totals.completionRate),
      formatNumber(april.cumulative.totals.overdue),
    ]);
    const march = computePeriodStats(t.db, { from: '2026-03-01', to: '2026-03-31' });
    expect(rows[10]!.cells[3]).toBe(formatNumber(march.cumulative.totals.overdue));
    expect(html).toContain('<svg viewBox'); // the charts are drawn on the server
    expect(html).not.toMatch(/<script|style="/); // nothing the CSP would block
  });

  it('reports waiting for the working group, with their age; an on-time one is not overdue', async () => {
    const t = makeOverviewWorld();
    const html = await (await t.get(APRIL, await t.cookieFor('confirmer'))).text();
    const waiting = tableRows(html, 'bang-cho-xac-nhan');
    expect(waiting.map((r) => r.cells.slice(0, 4))).toEqual([
      ['Báo cáo đúng hạn chờ xác nhận', 'Sở Tài chính', '24/04/2026', '21'],
    ]);
    expect(html).toContain('1 báo cáo đang chờ</a>: 0 chờ đến 7 ngày, 1 chờ 8–30 ngày');
    // its deadline (25/04) passed while it waited: in progress, flagged, not overdue
    const cell = async (view: 'assigned' | 'cumulative', metric: string) => {
      const page = await (await t.get(`${APRIL}&view=${view}`, await t.cookieFor('confirmer'))).text();
      const stc = tableRows(page, 'bang-don-vi').find((r) => r.head === 'Sở Tài chính')!;
      return stc.cells[AGENCY_COLUMNS[view].findIndex((c) => c.metric === metric)];
    };
    expect(await cell('assigned', 'overdue')).toBe('0');
    expect(await cell('assigned', 'inProgress')).toBe('1');
    expect(await cell('cumulative', 'awaitingConfirmation')).toBe('1');
  });
});
