/**
 * The private calendar feed (issue 11), run by `npm run bench` (alone: `npm run bench -- --only calendar-feed`), on
 * the ten-year province as of its last day: one feed generated from the database (loadFeedEntries + renderFeed, as
 * GET /admin/lich/<token>.ics does) for a provincial leader (every task) and for the focal point of the agency with
 * the most tasks; median of 5 runs after one warm-up (also split: the scoped query with classifyAsOf, and the
 * iCalendar text by ical-generator), with the number of events and the size of the answer.
 */
import { performance } from 'node:perf_hooks';
import type { Principal } from '../../admin/auth/principal.ts';
import { loadFeedEntries, renderFeed } from '../../admin/domain/calendar-feed.ts';
import type { BenchContext, BenchResult } from './types.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export default async function calendarFeedBench(ctx: BenchContext): Promise<BenchResult[]> {
  const { db, asOf } = ctx;
  const busiest = db
    .prepare('SELECT lead_agency_id FROM tasks GROUP BY lead_agency_id ORDER BY count(*) DESC LIMIT 1')
    .pluck()
    .get() as number;
  const who: Array<[string, Principal]> = [
    ['leader', { kind: 'user', id: 1, name: 'bench-leader', role: 'leader', agencyId: null }],
    ['agency', { kind: 'user', id: 2, name: 'bench-agency', role: 'agency', agencyId: busiest }],
  ];
  const results: BenchResult[] = [];
  for (const [name, principal] of who) {
    let events = 0;
    let bytes = 0;
    const run = () => {
      const t0 = performance.now();
      const entries = loadFeedEntries(db, principal, asOf);
      const t1 = performance.now();
      const text = renderFeed(entries, {
        origin: 'https://nhiemvu.example.vn',
        calendarName: 'bench',
        now: new Date(),
      });
      events = entries.length;
      bytes = Buffer.byteLength(text);
      return [t1 - t0, performance.now() - t1] as const;
    };
    run();
    const query: number[] = [];
    const render: number[] = [];
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const [q, r] = run();
      query.push(q);
      render.push(r);
      times.push(q + r);
    }
    ctx.log(`calendar feed (${name}): ${events} events, ${(bytes / 1024).toFixed(0)} KB`);
    results.push(
      { name: `calendarFeed.${name}`, value: Math.round(median(times) * 10) / 10, unit: 'ms', target: '≤ 500 ms' },
      { name: `calendarFeed.${name}.query`, value: Math.round(median(query) * 10) / 10, unit: 'ms' },
      { name: `calendarFeed.${name}.render`, value: Math.round(median(render) * 10) / 10, unit: 'ms' },
      { name: `calendarFeed.${name}.events`, value: events, unit: 'events' },
      { name: `calendarFeed.${name}.size`, value: Math.round(bytes / 1024), unit: 'KB' },
    );
  }
  return results;
}
