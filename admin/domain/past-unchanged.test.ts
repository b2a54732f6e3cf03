/**
 * DESIGN.md §3 "the past is not rewritten", as a property: after any random history, any further action of any role
 * (every kind recordTaskAction knows, the one function behind the admin forms and the API, edits included) leaves
 * the statistics as of every earlier day exactly as they were: per-agency counts (stats.ts computeStats) and each
 * task's classifyAsOf. Changes of the holiday calendar (holidays.ts) are among the histories and among the actions
 * under test: a calendar change on day D must not change a figure as of a day before D either.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DB } from '../db/open.ts';
import { acceptUpload } from '../files/store.ts';
import { samplePdf } from '../test/fixtures/files.ts';
import {
  attempt,
  calendarEditArb,
  DAY0,
  editCalendar,
  lastActionArb,
  taskArb,
  plannedSteps,
  world,
} from '../test/support/random-histories.ts';
import { addDays, type IsoDate } from './dates.ts';
import { classifyAsOf } from './status.ts';
import { computeStats } from './stats.ts';
import { deadlineCalendarOf } from './holidays.ts';
import { factsFromRow, type TaskRow } from './tasks.ts';

/** Everything the statistics say about each day before `until` (with the database's holiday calendar). */
function pastFigures(db: DB, from: IsoDate, until: IsoDate): unknown[] {
  const tasks = db.prepare('SELECT * FROM tasks ORDER BY id').all() as TaskRow[];
  const calendar = deadlineCalendarOf(db);
  const out: unknown[] = [];
  for (let c = from; c < until; c = addDays(c, 1)) {
    out.push({ c, stats: computeStats(db, c), tasks: tasks.map((t) => classifyAsOf(factsFromRow(t), c, calendar)) });
  }
  return out;
}

describe('the past is not rewritten (fast-check over recordTaskAction)', () => {
  it('no action of any role on day D changes any statistic as of a day before D', { timeout: 600_000 }, async () => {
    const pdf = await acceptUpload(new File([samplePdf()], 'Báo cáo.pdf'), { maxBytes: 1e6 });
    fc.assert(
      fc.property(
        fc.array(taskArb, { minLength: 1, maxLength: 4 }),
        lastActionArb,
        fc.nat({ max: 3 }),
        fc.array(calendarEditArb, { maxLength: 4 }),
        fc.option(calendarEditArb, { freq: 3 }),
        (specs, last, t, calendarEdits, lastCalendar) => {
          const w = world();
          const { codes, steps } = plannedSteps(w, specs, calendarEdits, pdf);
          for (const s of steps) s.run();
          const lastDay = [addDays(DAY0, 60), ...steps.map((p) => p.on)].sort().at(-1)!;
          const actionDay = addDays(lastDay, last.day);
          const before = pastFigures(w.db, DAY0, actionDay);
          // the action under test: a task action of any role, or (one time in four) a change of the calendar
          if (lastCalendar !== null) editCalendar(w, lastCalendar, actionDay);
          else attempt(w, codes[t % codes.length]!, last, actionDay, pdf);
          expect(pastFigures(w.db, DAY0, actionDay)).toEqual(before);
          w.db.close();
        },
      ),
      { numRuns: Number(process.env.PAST_RUNS ?? 150) },
    );
  });
});
