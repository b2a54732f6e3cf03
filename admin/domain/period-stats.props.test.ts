/**
 * Properties of computePeriodStats on a generated two-year province (mergers, extensions, returns, cancellations),
 * for random periods and cutoffs, against a brute force that classifies every task on C and on from − 1:
 *   - cumulative = assigned in the period + backlog + completed before the period, per category, none counted
 *     twice, cancelled ones in none;
 *   - each view equals the brute force, in total and per agency; cumulative equals computeStats(C);
 *   - the agency and leader filters give the matching breakdown row.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openDatabase, type DB } from '../db/open.ts';
import { generateProvince } from '../demo/generate.ts';
import { addToCounts, type Counts, emptyCounts, finishCounts } from './counts.ts';
import { addDays, diffDays, type IsoDate } from './dates.ts';
import { newlyOverdue } from './newly-overdue.ts';
import { forEachSettledBefore } from './period-settled.ts';
import { computePeriodStats } from './period-stats.ts';
import { computeStats } from './stats.ts';
import { classifyAsOf } from './status.ts';
import { FACTS_COLUMNS, type FactsRow, factsFromRow } from './tasks.ts';

let db: DB;
let first: IsoDate;
let last: IsoDate;
let rows: Array<FactsRow & { id: number; leader_id: number | null }>;

beforeAll(() => {
  db = openDatabase(':memory:');
  generateProvince(db, { years: 2, seed: 'period-stats', endDate: '2026-10-31' });
  rows = db.prepare(`SELECT id, leader_id, ${FACTS_COLUMNS} FROM tasks`).all() as typeof rows;
  first = [...rows.map((r) => r.assigned_on)].sort()[0]!;
  last = '2026-10-31';
}, 120_000);

type Population = 'assigned' | 'backlog' | 'completedBefore' | 'none';

function bruteForce(from: IsoDate, asOf: IsoDate, filter: { leaderId?: number } = {}) {
  const views: Record<'assigned' | 'backlog' | 'cumulative', Counts> = {
    assigned: emptyCounts(),
    backlog: emptyCounts(),
    cumulative: emptyCounts(),
  };
  const byAgency = new Map<number, Counts>();
  const member = new Map<number, Population>();
  let openAtStart = 0;
  let completedBefore = 0;
  for (const r of rows) {
    if (filter.leaderId !== undefined && r.leader_id !== filter.leaderId) continue;
    const f = factsFromRow(r);
    const s = classifyAsOf(f, asOf);
    let pop: Population = 'none';
    if (r.assigned_on >= from) {
      if (s.counted) pop = 'assigned';
    } else {
      const b = classifyAsOf(f, addDays(from, -1));
      if (b.counted && (b.category === 'completedOnTime' || b.category === 'completedLate')) pop = 'completedBefore';
      else if (b.counted) {
        openAtStart++;
        if (s.counted) pop = 'backlog';
      }
    }
    member.set(r.id, pop);
    if (pop === 'none') continue;
    if (pop === 'completedBefore') completedBefore++;
    else addToCounts(views[pop], s);
    addToCounts(views.cumulative, s);
    if (pop === 'assigned') {
      let c = byAgency.get(s.agencyId);
      if (!c) byAgency.set(s.agencyId, (c = emptyCounts()));
      addToCounts(c, s);
    }
  }
  for (const v of Object.values(views)) finishCounts(v);
  for (const c of byAgency.values()) finishCounts(c);
  return { views, byAgency, member, openAtStart, completedBefore };
}

const CATEGORIES = ['completedOnTime', 'completedLate', 'inProgress', 'overdue', 'noDeadline'] as const;

describe('computePeriodStats = brute force; the views add up', () => {
  it('for random periods and cutoffs', () => {
    const span = diffDays(first, last);
    const periodArb = fc
      .tuple(fc.integer({ min: 0, max: span }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }))
      .map(([start, length, back]) => {
        const from = addDays(first, start);
        const to = addDays(from, length) > last ? last : addDays(from, length);
        const asOf = addDays(to, -Math.min(back, diffDays(from, to)));
        return { from, to, asOf };
      });
    fc.assert(
      fc.property(periodArb, ({ from, to, asOf }) => {
        const p = computePeriodStats(db, { from, to, asOf });
        const want = bruteForce(from, asOf);
        expect(p.assigned.totals).toEqual(want.views.assigned);
        expect(p.backlog.totals).toEqual(want.views.backlog);
        expect(p.cumulative.totals).toEqual(want.views.cumulative);
        expect(p.backlog.openAtStart).toBe(want.openAtStart);
        expect(p.completedBeforePeriod).toBe(want.completedBefore);
        expect(p.cumulative.totals).toEqual(computeStats(db, asOf).totals);
        // cumulative = assigned + backlog + completed before the period, category by category
        expect(p.cumulative.totals.total).toBe(
          p.assigned.totals.total + p.backlog.totals.total + p.completedBeforePeriod,
        );
        for (const k of ['inProgress', 'overdue', 'noDeadline'] as const)
          expect(p.cumulative.totals[k]).toBe(p.assigned.totals[k] + p.backlog.totals[k]);
        const completed = (c: Counts) => c.completedOnTime + c.completedLate;
        expect(completed(p.cumulative.totals)).toBe(
          completed(p.assigned.totals) + completed(p.backlog.totals) + p.completedBeforePeriod,
        );
        expect(p.backlog.openAtStart).toBe(p.backlog.totals.total + p.backlog.cancelledInPeriod);
        // per agency, the assigned view equals the brute force
        for (const a of p.assigned.agencies) expect(a.total).toBe(want.byAgency.get(a.id!)?.total ?? 0);
        for (const view of [p.assigned, p.backlog, p.cumulative])
          for (const breakdown of [view.agencies, view.leaders, view.sectors, view.documentTypes])
            for (const k of CATEGORIES) expect(breakdown.reduce((n, r) => n + r[k], 0)).toBe(view.totals[k]);
      }),
      { numRuns: 25 },
    );
  });

  it('the agency filter gives the agency row; the leader filter the leader row', () => {
    const from = '2026-07-01';
    const to = '2026-09-30';
    const p = computePeriodStats(db, { from, to });
    for (const view of ['assigned', 'backlog', 'cumulative'] as const) {
      for (const a of p[view].agencies.slice(0, 8)) {
        const one = computePeriodStats(db, { from, to, agencyId: a.id! });
        const { id: _i, code: _c, name: _n, ...counts } = a;
        expect(one[view].totals).toEqual(counts);
      }
    }
    for (const l of p.assigned.leaders) {
      if (l.id === null) continue;
      const one = computePeriodStats(db, { from, to, leaderId: l.id });
      const { id: _i, code: _c, name: _n, title: _t, ...counts } = l;
      expect(one.assigned.totals).toEqual(counts);
      expect(one.backlog.totals).toEqual(bruteForce(from, to, { leaderId: l.id }).views.backlog);
    }
  });

  it('the settled tasks read packed into one integer equal those read as plain rows', () => {
    for (const f of [
      { from: '2026-03-01' },
      { from: '2025-06-15', publicOnly: true },
      { from: '2026-10-01', leaderId: 2 },
    ]) {
      const packed: string[] = [];
      const plain: string[] = [];
      const n = forEachSettledBefore(db, f, (...v) => packed.push(v.join(',')));
      expect(forEachSettledBefore(db, f, (...v) => plain.push(v.join(',')), 0)).toBe(n);
      expect(n).toBeGreaterThan(100);
      expect(packed.sort()).toEqual(plain.sort());
    }
  });

  it('newlyOverdue lists exactly the tasks whose overdue stretch began on a day of the period (day by day)', () => {
    for (const [from, to] of [
      ['2026-03-01', '2026-03-31'],
      ['2025-07-01', '2025-07-31'],
    ] as Array<[IsoDate, IsoDate]>) {
      const want = new Map<number, string>();
      for (const r of rows) {
        const f = factsFromRow(r);
        for (let d: IsoDate = from; d <= to; d = addDays(d, 1)) {
          const s = classifyAsOf(f, d);
          if (s.category === 'overdue' && s.overdueSince === d) {
            want.set(r.id, d);
            break;
          }
        }
      }
      const got = newlyOverdue(db, from, to);
      const listed = new Map(got.agencies.flatMap((a) => a.tasks.map((t) => [t.taskId, t.overdueSince] as const)));
      expect(listed).toEqual(want);
      expect(want.size).toBeGreaterThan(10);
      expect(got.total).toBe(want.size);
    }
  });

  it('the populations are meaningful: each is non-empty for a month in the middle', () => {
    const { member } = bruteForce('2026-03-01', '2026-03-31');
    const seen = new Set(member.values());
    expect([...seen].sort()).toEqual(['assigned', 'backlog', 'completedBefore', 'none']);
  });
});
