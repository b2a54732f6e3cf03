/**
 * Statistics on the ten-year dataset (issues 2 and 10): as of a date (all agencies, one agency — the one leading the
 * most tasks —, public only, a cutoff in the middle of the history) and for a period (three views, all agencies and
 * their breakdowns by leader, sector and document type: the month just ended and the year to date), with
 * computeStats measured in the same run as the control (the period figure does the cumulative view's work plus the
 * period's). Medians of 9 runs after 2 warm-up runs.
 * Targets on the 2-core machine: as of a date, all agencies ≤ 10 ms on ten years and ≤ 20 ms on thirty (issue 14;
 * `npm run bench -- --only stats --years 30`), one agency ≤ 10 ms; a period ≤ 30 ms.
 */
import { addMonths } from '../../admin/domain/dates.ts';
import { newlyOverdue } from '../../admin/domain/newly-overdue.ts';
import { computePeriodStats } from '../../admin/domain/period-stats.ts';
import { standardPeriod } from '../../admin/domain/periods.ts';
import { computeStats } from '../../admin/domain/stats.ts';
import type { BenchContext, BenchResult } from './types.ts';

function medianMs(fn: () => unknown, runs = 9, warmup = 2): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return Number(times[Math.floor(runs / 2)]!.toFixed(2));
}

export default async function statsBench(ctx: BenchContext): Promise<BenchResult[]> {
  const { db, asOf } = ctx;
  const biggest = db
    .prepare(
      'SELECT a.id, a.code, count(*) AS n FROM tasks t JOIN agencies a ON a.id = t.lead_agency_id GROUP BY a.id ORDER BY n DESC LIMIT 1',
    )
    .get() as { id: number; code: string; n: number };
  const middle = addMonths(asOf, -60);
  const total = computeStats(db, asOf).totals.total;
  ctx.log(`stats: ${total} tasks counted as of ${asOf}; one agency = ${biggest.code} (${biggest.n} tasks)`);

  const all = medianMs(() => computeStats(db, asOf));
  const one = medianMs(() => computeStats(db, asOf, { agencyId: biggest.id }));
  const pub = medianMs(() => computeStats(db, asOf, { publicOnly: true }));
  const mid = medianMs(() => computeStats(db, middle));
  const midOne = medianMs(() => computeStats(db, middle, { agencyId: biggest.id }));
  ctx.log(
    `stats: all ${all} ms, one agency ${one} ms, public ${pub} ms, as of ${middle}: all ${mid} ms, one ${midOne} ms`,
  );

  const month = standardPeriod('month', asOf);
  const ytd = standardPeriod('ytd', asOf);
  const p = computePeriodStats(db, { from: month.from, to: asOf });
  ctx.log(
    `stats: ${month.label} as of ${asOf}: assigned ${p.assigned.totals.total}, backlog ${p.backlog.openAtStart}, ` +
      `cumulative ${p.cumulative.totals.total}`,
  );
  const control = medianMs(() => computeStats(db, asOf));
  const periodMonth = medianMs(() => computePeriodStats(db, { from: month.from, to: asOf }));
  const periodYtd = medianMs(() => computePeriodStats(db, { from: ytd.from, to: ytd.to }));
  const periodOne = medianMs(() => computePeriodStats(db, { from: month.from, to: asOf, agencyId: biggest.id }));
  const fresh = medianMs(() => newlyOverdue(db, month.from, asOf));
  ctx.log(
    `stats: period (three views, all agencies) month ${periodMonth} ms, year to date ${periodYtd} ms, ` +
      `one agency ${periodOne} ms; newly overdue ${fresh} ms; control computeStats ${control} ms`,
  );
  return [
    { name: 'stats.allAgencies', value: all, unit: 'ms', target: '≤ 10 ms (10 years), ≤ 20 ms (30)' },
    { name: 'stats.oneAgency', value: one, unit: 'ms', target: '≤ 10 ms' },
    { name: 'stats.allAgencies.publicOnly', value: pub, unit: 'ms', target: '≤ 100 ms' },
    { name: 'stats.allAgencies.fiveYearsAgo', value: mid, unit: 'ms', target: '≤ 100 ms' },
    { name: 'stats.oneAgency.fiveYearsAgo', value: midOne, unit: 'ms', target: '≤ 10 ms' },
    { name: 'stats.period.month.allAgencies', value: periodMonth, unit: 'ms', target: '≤ 30 ms' },
    { name: 'stats.period.yearToDate.allAgencies', value: periodYtd, unit: 'ms', target: '≤ 30 ms' },
    { name: 'stats.period.month.oneAgency', value: periodOne, unit: 'ms', target: '≤ 30 ms' },
    { name: 'stats.newlyOverdue.month', value: fresh, unit: 'ms' },
    { name: 'stats.period.control.computeStats', value: control, unit: 'ms', target: 'same run, for comparison' },
  ];
}
