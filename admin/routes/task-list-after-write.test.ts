/**
 * The task list after writes (issue 14: a row's markup is remembered by the row, which keeps its identity while it
 * does not change: domain/task-query.ts sameRows, views/task-list-view.ts): the row a write changed shows the change
 * at once, and every other row is the same, object and markup.
 */
import { describe, expect, it } from 'vitest';
import { makeTestApp } from '../test/support/admin-app.ts';
import { appendEvent, getTaskByCode } from '../domain/tasks.ts';
import { parseTaskFilter, queryTasks } from '../domain/task-query.ts';

const rowsOf = (html: string) =>
  new Map(
    [...html.matchAll(/<tr><td><a href="\/admin\/tasks\/([^"]+)">.*?<\/tr>/g)].map((m) => [m[1]!, m[0]] as const),
  );

describe('task list: after a write', () => {
  it('shows the changed row at once; the others stay as they were', async () => {
    const t = makeTestApp({ start: '2026-03-02T02:00:00Z' });
    const cookie = await t.cookieFor('specialist');
    const page = async () => (await t.get('/admin/tasks?status=open', cookie)).text();
    const before = rowsOf(await page());
    expect(before.size).toBe(3);
    const own = getTaskByCode(t.db, t.tasks.own)!;
    // the unit reports its result: the row says it awaits confirmation
    appendEvent(t.db, own.id, { kind: 'received', occurredOn: '2026-03-02' });
    appendEvent(t.db, own.id, { kind: 'reported', occurredOn: '2026-03-02' });
    const after = rowsOf(await page());
    expect(after.get(t.tasks.own)).not.toBe(before.get(t.tasks.own));
    expect(after.get(t.tasks.own)).toContain('chờ xác nhận');
    expect(before.get(t.tasks.own)).not.toContain('chờ xác nhận');
    for (const code of [t.tasks.coordinated, t.tasks.other]) expect(after.get(code)).toBe(before.get(code));
  });

  it('a row loaded again equal to the one before is that one; a changed row is a new one', () => {
    const t = makeTestApp({ start: '2026-03-02T02:00:00Z' });
    const who = { role: 'specialist' as const, agencyId: null };
    const parsed = parseTaskFilter({ status: 'open', asOf: '2026-03-02' });
    if (!parsed.ok) throw new Error('filter');
    const first = queryTasks(t.db, who, parsed.filter).rows;
    const own = getTaskByCode(t.db, t.tasks.own)!;
    appendEvent(t.db, own.id, { kind: 'received', occurredOn: '2026-03-02' });
    const second = queryTasks(t.db, who, parsed.filter).rows;
    const byCode = (rows: typeof first) => new Map(rows.map((r) => [r.code, r]));
    const a = byCode(first);
    const b = byCode(second);
    expect(b.get(t.tasks.own)).not.toBe(a.get(t.tasks.own));
    expect(b.get(t.tasks.own)!.receivedOn).toBe('2026-03-02');
    expect(b.get(t.tasks.other)).toBe(a.get(t.tasks.other));
    expect(b.get(t.tasks.coordinated)).toBe(a.get(t.tasks.coordinated));
  });
});
