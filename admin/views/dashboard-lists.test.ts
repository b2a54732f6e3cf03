/**
 * The dashboard's lists built as a string (dashboard-lists.ts) are the markup the JSX made, byte for byte: the JSX
 * the dashboard had is kept here as the reference, and both render the lists of every role on the test province,
 * titles with markup characters included.
 */
import { describe, expect, it } from 'vitest';
import { makeTestApp } from '../test/support/admin-app.ts';
import { dashboardLists } from '../domain/dashboard.ts';
import { dashboardListsHtml } from './dashboard-lists.ts';
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
});
