/**
 * What the live index answers in place of SQL (task-query-live.ts): "received" and "updated since", each day's
 * "updated since" set kept apart. The property test (live-status.props.test.ts) records every change at one
 * moment, so its "updated since" cannot tell two days apart; here each task was last updated on its own day.
 */
import { describe, expect, it } from 'vitest';
import { makeTestApp } from '../test/support/admin-app.ts';
import { clearLiveIndex } from './live-status.ts';
import { clearTaskQueryCache, parseTaskFilter, queryTasks } from './task-query.ts';

describe('the live index answers "received" and "updated since" as SQL does', () => {
  it('for each day asked in turn, and each principal, with and without the counts per status', () => {
    const t = makeTestApp();
    const ids = t.db.prepare('SELECT id FROM tasks ORDER BY id').pluck().all() as number[];
    // last updated 20, 10 and 2 days before the list's day; the second one received
    const day = '2026-03-02';
    const at = ['2026-02-10T03:00:00.000Z', '2026-02-20T03:00:00.000Z', '2026-02-28T03:00:00.000Z'];
    ids.forEach((id, i) => t.db.prepare('UPDATE tasks SET last_update_at = ? WHERE id = ?').run(at[i % 3], id));
    t.db.prepare("UPDATE tasks SET received_on = '2026-01-12' WHERE id = ?").run(ids[1]);
    clearLiveIndex(t.db);
    const principals = [
      { role: 'specialist' as const, agencyId: null },
      { role: 'agency' as const, agencyId: t.agencies.a },
    ];
    const seen = new Set<number>();
    // the nearest day first: a set kept for it must not answer the farther days
    for (const updatedFrom of ['2026-02-27', '2026-02-15', '2026-02-01', undefined])
      for (const received of [undefined, '0', '1'])
        for (const principal of principals)
          for (const withCounts of [false, true]) {
            const raw: Record<string, string> = { asOf: day };
            if (updatedFrom) raw.updatedFrom = updatedFrom;
            if (received) raw.received = received;
            const parsed = parseTaskFilter(raw);
            if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
            clearTaskQueryCache(t.db);
            const live = queryTasks(t.db, principal, parsed.filter, { withCounts, live: true });
            clearTaskQueryCache(t.db);
            const rows = queryTasks(t.db, principal, parsed.filter, { withCounts });
            expect(live, JSON.stringify({ raw, principal, withCounts })).toEqual(rows);
            if (principal.agencyId === null && !received && !withCounts) seen.add(rows.total);
          }
    // the days do select different tasks (else the comparison above could not fail)
    expect([...seen].sort()).toEqual([1, 2, 3]);
  });
});
