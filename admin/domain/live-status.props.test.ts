/**
 * The live index (live-status.ts) against the SQL path, as a property: along random histories (every action of every
 * role, holiday calendar changes), after each step the statistics and the task lists as of that day — and as of the
 * day before, the index kept for it — are the same whether they come from the index (brought up to date by deltas)
 * or from the rows. Filters are random: every status, received or not, recently updated, an agency in each role.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { acceptUpload } from '../files/store.ts';
import { samplePdf } from '../test/fixtures/files.ts';
import { calendarEditArb, plannedSteps, taskArb, world, type World } from '../test/support/random-histories.ts';
import { addDays, type IsoDate } from './dates.ts';
import { clearLiveIndex, liveIndex } from './live-status.ts';
import { computeStats } from './stats.ts';
import { addToCounts, type Counts, emptyCounts, finishCounts } from './counts.ts';
import { classifyAsOf } from './status.ts';
import { deadlineCalendarOf } from './holidays.ts';
import { factsFromRow, type TaskRow } from './tasks.ts';
import { computePeriodStats } from './period-stats.ts';
import { clearLivePeriods, livePeriodStats } from './live-period.ts';
import { clearSettledIndex } from './settled-index.ts';
import { AGENCY_ROLES, TASK_STATUSES, parseTaskFilter, queryTasks } from './task-query.ts';
import { withScansAside } from './task-query-cache.ts';
import { scanTally } from './task-query-scan.ts';

const filterArb = fc.record(
  {
    status: fc.constantFrom(...TASK_STATUSES),
    received: fc.constantFrom('0', '1'),
    updatedBack: fc.nat({ max: 10 }),
    agency: fc.nat({ max: 2 }),
    role: fc.constantFrom(...AGENCY_ROLES),
    sort: fc.constantFrom('code', 'assigned_on', 'effective_deadline', 'last_update'),
    // free text: titles, codes, agencies' codes and names (lead or coordinating), and nothing
    q: fc.constantFrom('nhiệm vụ 2', 'rà soát', 'STC', 'sở syt', 'báo cáo', 'NV', 'không có'),
  },
  { requiredKeys: [] },
);
const FIXED_DAY = '2025-02-15';
const FIXED_PERIOD = { from: '2025-02-01', to: '2025-03-31', asOf: '2025-03-01' };

type FilterSpec = typeof filterArb extends fc.Arbitrary<infer T> ? T : never;

/** `present`: nothing is recorded after `day` (the dashboard's day), so a count of "now" can be compared too. */
/** computeStats by brute force: every task row classified, added up per lead agency on the day. */
function bruteStats(w: World, day: IsoDate, publicOnly: boolean) {
  const calendar = deadlineCalendarOf(w.db);
  const byAgency = new Map<number, Counts>();
  const totals = emptyCounts();
  for (const t of w.db.prepare('SELECT * FROM tasks').all() as TaskRow[]) {
    if (publicOnly && t.confidential === 1) continue;
    const s = classifyAsOf(factsFromRow(t), day, calendar);
    if (!s.counted) continue;
    let c = byAgency.get(s.agencyId);
    if (!c) byAgency.set(s.agencyId, (c = emptyCounts()));
    addToCounts(c, s);
    addToCounts(totals, s);
  }
  return {
    totals: finishCounts(totals),
    agencies: [...byAgency]
      .map(([agencyId, c]) => ({ agencyId, ...finishCounts(c) }))
      .sort((a, b) => a.agencyId - b.agencyId),
  };
}

function compare(w: World, day: IsoDate, filters: FilterSpec[], present = false, fixed = false): void {
  // the SQL path itself (settled tasks from settled-index.ts) against the brute force
  for (const publicOnly of [false, true]) {
    const s = computeStats(w.db, day, { publicOnly });
    expect({
      day,
      publicOnly,
      totals: s.totals,
      agencies: s.agencies.map(({ code: _c, name: _n, ...c }) => c).sort((a, b) => a.agencyId - b.agencyId),
    }).toEqual({ day, publicOnly, ...bruteStats(w, day, publicOnly) });
  }
  // statistics: all, public only, each agency
  expect(computeStats(w.db, day, { live: true })).toEqual(computeStats(w.db, day));
  expect(computeStats(w.db, day, { live: true, publicOnly: true })).toEqual(
    computeStats(w.db, day, { publicOnly: true }),
  );
  for (const agencyId of w.agencies)
    expect(computeStats(w.db, day, { live: true, agencyId })).toEqual(computeStats(w.db, day, { agencyId }));
  // period statistics: the same period at every step (its copy is brought up to date by each change of the history)
  // in every variant; a month to the day and a longer period with the day as its cutoff
  const periods = fixed
    ? [FIXED_PERIOD].flatMap((q) =>
        [{}, { publicOnly: true }, { agencyId: w.agencies[1]! }, { leaderId: w.leaders[0]! }].map((x) => ({
          ...q,
          ...x,
        })),
      )
    : [
        { from: addDays(day, -10), to: day },
        { from: addDays(day, -40), to: addDays(day, 5), asOf: day },
      ];
  for (const query of periods)
    expect({ query, ...livePeriodStats(w.db, query) }).toEqual({ query, ...computePeriodStats(w.db, query) });
  // the dashboard's "not yet received" count per agency (a count of now, by the current lead)
  const index = liveIndex(w.db, day);
  for (const agencyId of present ? w.agencies : [])
    expect(index.counts.unreceived.get(agencyId) ?? 0).toBe(
      w.db
        .prepare(
          `SELECT count(*) FROM tasks WHERE received_on IS NULL AND cancelled_on IS NULL AND confirmed_on IS NULL
             AND assigned_on <= ? AND lead_agency_id = ?`,
        )
        .pluck()
        .get(day, agencyId),
    );
  // lists: the Office's and an agency's, with and without the counts per status
  const codes = w.db.prepare('SELECT code FROM agencies ORDER BY id').pluck().all() as string[];
  // always the list of every task too (the live index answers it from its running counts alone)
  for (const spec of [{}, ...filters] as FilterSpec[]) {
    const raw: Record<string, string> = { asOf: day, pageSize: '200' };
    if (spec.status !== undefined) raw.status = spec.status;
    if (spec.received !== undefined) raw.received = spec.received;
    if (spec.updatedBack !== undefined) raw.updatedFrom = addDays(day, -spec.updatedBack);
    if (spec.agency !== undefined) raw.agency = codes[spec.agency]!;
    if (spec.role !== undefined) raw.role = spec.role;
    if (spec.sort !== undefined) raw.sort = spec.sort;
    if (spec.q !== undefined) raw.q = spec.q;
    const parsed = parseTaskFilter(raw);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    for (const principal of [w.principals[2]!, w.principals[0]!]) {
      for (const withCounts of [false, true]) {
        // kept from an earlier step and brought up to date by the tasks changed since (task-query-scan.ts), made
        // afresh from the index, and made from the rows
        const kept = queryTasks(w.db, principal, parsed.filter, { withCounts, live: true });
        const live = withScansAside(w.db, () => queryTasks(w.db, principal, parsed.filter, { withCounts, live: true }));
        const rows = withScansAside(w.db, () => queryTasks(w.db, principal, parsed.filter, { withCounts }));
        const expected = { raw, role: principal.role, withCounts, ...rows };
        expect({ raw, role: principal.role, withCounts, ...live }).toEqual(expected);
        expect({ raw, role: principal.role, withCounts, ...kept }).toEqual(expected);
        // the first page alone (the dashboard's lists): the first rows picked without sorting the rest
        for (const pageSize of [1, 2, 3]) {
          const f = { ...parsed.filter, pageSize };
          const options = { withCounts, live: true, firstPageOnly: true };
          const keptFirst = queryTasks(w.db, principal, f, options);
          const first = withScansAside(w.db, () => queryTasks(w.db, principal, f, options));
          const expectedFirst = {
            raw,
            firstRows: pageSize,
            ...withScansAside(w.db, () => queryTasks(w.db, principal, f, { withCounts })),
          };
          expect({ raw, firstRows: pageSize, ...first }).toEqual(expectedFirst);
          expect({ raw, firstRows: pageSize, ...keptFirst }).toEqual(expectedFirst);
        }
      }
    }
  }
}

describe('the live index gives the figures of the rows (fast-check)', () => {
  it('after every step of a random history, as of that day and the day before', { timeout: 600_000 }, async () => {
    const pdf = await acceptUpload(new File([samplePdf()], 'Báo cáo.pdf'), { maxBytes: 1e6 });
    let patches = 0;
    fc.assert(
      fc.property(
        fc.array(taskArb, { minLength: 1, maxLength: 4 }),
        fc.array(calendarEditArb, { maxLength: 3 }),
        fc.array(filterArb, { minLength: 1, maxLength: 3 }),
        (specs, calendarEdits, filters) => {
          const w = world();
          const { steps } = plannedSteps(w, specs, calendarEdits, pdf);
          for (const s of steps) {
            s.run();
            // the same day at every step too (its index follows every change), then the step's own day
            compare(w, FIXED_DAY, filters, false, true);
            compare(w, s.on, filters, true);
            compare(w, addDays(s.on, -1), filters);
          }
          const end = addDays(steps.at(-1)?.on ?? '2025-03-01', 45);
          compare(w, end, filters, true);
          patches += scanTally(w.db).patched;
          clearLiveIndex(w.db);
          clearLivePeriods(w.db);
          clearSettledIndex(w.db);
          w.db.close();
        },
      ),
      { numRuns: Number(process.env.LIVE_RUNS ?? 60) },
    );
    // lists kept from one step to the next were brought up to date, not only made again
    expect(patches).toBeGreaterThan(0);
  });
});
