/**
 * The task list's body built as a byte string (task-list-view.ts) is the markup its JSX made, byte for byte: the
 * JSX is kept as the reference (test/support/task-list-reference.tsx), and both render lists of the test province
 * for several filters, sorts, pages and principals, a refused filter with the user's own hostile values, and a
 * title, an agency name and a query holding markup characters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeTestApp } from '../test/support/admin-app.ts';
import { parseTaskFilter, queryTasks } from '../domain/task-query.ts';
import { taskFilterChoices } from '../domain/task-filter-choices.ts';
import { referenceBody, referenceRefused } from '../test/support/task-list-reference.tsx';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorsByField, filterForm, TASK_LIST_COLUMNS, taskListBody, type Raw } from './task-list-view.ts';
import { errorSummary, href } from './html-parts.ts';
import { h } from './html.ts';

const HOSTILE = `"><script>alert('x')</script>&amp;`;

describe('the task list body as a string', () => {
  it('equals the JSX it replaces for lists with and without rows, every sort, paging and export link', async () => {
    const t = makeTestApp();
    t.db
      .prepare(`UPDATE tasks SET title = 'Rà soát "dự án" <A&B> của Sở O''Neil', starred = 1 WHERE code = ?`)
      .run(t.tasks.own);
    t.db.prepare(`UPDATE tasks SET confidential = 1 WHERE code = ?`).run(t.tasks.other);
    t.db.prepare(`UPDATE agencies SET name = 'Sở <Kế> & "Đầu" tư' WHERE id = ?`).run(t.agencies.b);
    const queries: Raw[] = [
      {},
      { status: 'open' },
      { status: 'overdue', q: 'ra soat' },
      { q: HOSTILE },
      { sort: 'agency', dir: 'asc' },
      { sort: 'last_update', dir: 'desc', pageSize: '1' },
      { pageSize: '1', page: '2' },
      { page: '9' },
      { starred: '1', received: '0', updatedFrom: '01/01/2026' },
      { asOf: '01/01/2026', status: 'inProgress' },
    ];
    let compared = 0;
    let withRows = 0;
    for (const principal of [
      { role: 'specialist', agencyId: null },
      { role: 'agency', agencyId: t.agencies.a },
      { role: 'leader', agencyId: null },
    ] as const)
      for (const raw of queries) {
        const parsed = parseTaskFilter(raw, { now: t.clock.now, db: t.db });
        if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
        const r = queryTasks(t.db, principal, parsed.filter, { withCounts: true });
        for (const canExport of [true, false]) {
          const props = {
            choices: taskFilterChoices(t.db),
            raw,
            filter: parsed.filter,
            counts: r.counts!,
            rows: r.rows,
            total: r.total,
            page: r.page,
            pageSize: r.pageSize,
            canExport,
          };
          expect(taskListBody(props).toString()).toBe(await referenceBody(props));
          compared++;
          if (r.rows.length > 0) withRows++;
        }
      }
    expect(compared).toBe(60);
    expect(withRows).toBeGreaterThan(20); // rows, titles and agency names with markup characters were compared
  });

  it("equals the JSX for a refused filter, the user's hostile values shown again escaped", async () => {
    const t = makeTestApp();
    for (const raw of [
      { asOf: HOSTILE, agency: HOSTILE, status: 'x', sort: HOSTILE },
      { assignedFrom: '31/02/2026', q: 'a'.repeat(300), dir: 'sideways', pageSize: HOSTILE },
    ] as Raw[]) {
      const parsed = parseTaskFilter(raw, { now: t.clock.now, db: t.db });
      expect(parsed.ok).toBe(false);
      if (parsed.ok) continue;
      const errors = errorsByField(parsed.errors);
      const body = h`${errorSummary(errors)}${filterForm(taskFilterChoices(t.db), raw, errors)}`;
      expect(body.toString()).toBe(await referenceRefused({ choices: taskFilterChoices(t.db), raw, errors }));
      expect(body.toString()).not.toContain('<script>');
    }
  });

  it('names each column above its value on a phone: admin-narrow.css holds the columns, in order', () => {
    const css = readFileSync(join(import.meta.dirname, '../static/admin-narrow.css'), 'utf8');
    const named = [
      ...css.matchAll(/table\.task-list > tbody > tr > td:nth-child\((\d+)\)::before \{\s*content: "([^"]*)";/g),
    ];
    expect(named.map((m) => [Number(m[1]), m[2]])).toEqual(TASK_LIST_COLUMNS.map((c, i) => [i + 1, c.label]));
  });

  it('writes a link as URLSearchParams does, for any names and values (Vietnamese, symbols, lone surrogates)', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.constantFrom(...' !"#$%&\'()*+,-./:;<=>?@[]^_`{|}~aZ09ăđơưạ\uD800\uDFFF😀') }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { maxLength: 5 }), (pairs) => {
        const query = Object.fromEntries(pairs);
        const q = new URLSearchParams(query).toString();
        expect(href(query)).toBe(q ? `/admin/tasks?${q}` : '/admin/tasks');
      }),
      { numRuns: 2000 },
    );
  });
});
