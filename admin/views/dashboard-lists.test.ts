/**
 * The dashboard's lists built as a string (dashboard-lists.ts) are the markup the JSX made, byte for byte: the JSX
 * the dashboard had is kept here as the reference, and both render the lists of every role on the test province,
 * titles with markup characters included.
 */
import { describe, expect, it } from 'vitest';
import { makeTestApp } from '../test/support/admin-app.ts';
import { dashboardLists } from '../domain/dashboard.ts';
import { dashboardListsHtml, figureTable } from './dashboard-lists.ts';
import { Table } from './components.tsx';
import { reference } from '../test/support/dashboard-lists-reference.tsx';

describe('the dashboard lists as a string', () => {
  it('equal the JSX they replace for every role, on days with and without rows', async () => {
    const t = makeTestApp();
    t.db.prepare(`UPDATE tasks SET title = 'Rà soát "dự án" <A&B> của Sở O''Neil' WHERE code = ?`).run(t.tasks.own);
    let compared = 0;
    let withRows = 0;
    for (const day of ['2026-03-02', '2026-06-29', '2026-07-15'])
      for (const [role, agencyId] of [
        ['specialist', null],
        ['leader', null],
        ['confirmer', null],
        ['agency', t.agencies.a],
        ['head', t.agencies.a],
      ] as const) {
        const lists = dashboardLists(t.db, { role, agencyId }, day);
        expect(dashboardListsHtml(lists)).toBe(String(await reference(lists)));
        compared++;
        withRows += lists.filter((l) => l.rows.length > 0).length;
      }
    expect(compared).toBe(15);
    expect(withRows).toBeGreaterThan(0); // the rows' markup was compared too
  });

  it('the table of figures equals the JSX Table it replaces, values with markup characters escaped', async () => {
    const rows: Array<[string, string]> = [
      ['Tổng số nhiệm vụ đang theo dõi', '31.476'],
      ['<b>Tên</b> & "ngoặc"', "73,9% (trên 30.591 nhiệm vụ đã đến hạn) 'x'"],
    ];
    const jsx = String(
      await Table({ caption: 'Tình hình <ngày> 30/11/2026', head: ['Phân loại', 'Số nhiệm vụ'], rows }),
    );
    expect(figureTable('Tình hình <ngày> 30/11/2026', rows).toString()).toBe(jsx);
    expect(jsx).toContain('&lt;b&gt;Tên&lt;/b&gt; &amp; &quot;ngoặc&quot;');
  });
});
