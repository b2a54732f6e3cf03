/**
 * One demo task's history as the field reports describe it (admin/demo/generate.ts writes it): events with their
 * day and their order within the day, built so the rules accept them (generate.test.ts replays a sample).
 */
import { addDays, diffDays, type IsoDate } from '../domain/dates.ts';
import type { EventKind } from '../domain/status.ts';
import type { Random } from './random.ts';
import { statutoryCalendar } from '../domain/holidays-history.ts';
import {
  CANCEL_NOTES,
  EXPLANATION_NOTES,
  EXTENSION_NOTES,
  PROGRESS_NOTES,
  REJECT_NOTES,
  REPORT_NOTES,
  RETURN_NOTES,
  URGE_NOTES,
} from './history-notes.ts';

const maxDate = (a: IsoDate, b: IsoDate): IsoDate => (a > b ? a : b);

/** The statutory calendar, all of it known since always: one view answers for every deadline. */
const STATUTORY = statutoryCalendar().view('2100-12-31');

export interface GenEvent {
  kind: EventKind;
  on: IsoDate;
  prio: number;
  note: string;
  data: Record<string, unknown>;
}

/** Order of events that share a day, so the day's story is one the rules accept. */
export const PRIORITY: Record<EventKind, number> = {
  reassigned: -1,
  assigned: 0,
  received: 1,
  progress: 2,
  urged: 2,
  extension_requested: 3,
  extension_approved: 4,
  extension_rejected: 4,
  explanation_submitted: 5,
  reported: 6,
  returned: 7,
  confirmed: 7,
  corrected: 8,
  cancelled: 8,
};

/**
 * One task's history from assignment on, as the field reports describe it: most tasks completed on time, some late
 * (with an explanation), a few long overdue or never reported, extensions (at most one), returned reports,
 * cancellations, urging of overdue tasks and quarterly urging of tasks without a deadline.
 */
export function simulateHistory(rng: Random, assignedOn: IsoDate, deadline: IsoDate | null): GenEvent[] {
  const out: GenEvent[] = [];
  const add = (kind: EventKind, on: IsoDate, note = '', data: Record<string, unknown> = {}) =>
    out.push({ kind, on, prio: PRIORITY[kind], note, data });
  add('assigned', assignedOn, '', { deadline });
  if (rng.chance(0.93)) add('received', addDays(assignedOn, rng.int(0, 3)));

  if (deadline === null) {
    const completes = rng.chance(0.6);
    const end = completes ? addDays(assignedOn, rng.int(45, 700)) : addDays(assignedOn, 5000);
    for (let t = addDays(assignedOn, 90), n = 0; t < end && n < 16; t = addDays(t, rng.int(85, 95)), n++) {
      add('urged', t, rng.pick(URGE_NOTES.slice(2)));
      const p = addDays(t, rng.int(1, 15));
      if (rng.chance(0.6) && p < end) add('progress', p, rng.pick(PROGRESS_NOTES));
    }
    if (completes) {
      add('reported', end, rng.pick(REPORT_NOTES));
      add('confirmed', addDays(end, rng.int(0, 10)));
    }
    return out;
  }

  const span = Math.max(0, diffDays(assignedOn, deadline));
  if (rng.chance(0.03)) {
    const cancelOn = addDays(assignedOn, rng.int(2, span + 10));
    if (rng.chance(0.5))
      add('progress', addDays(assignedOn, rng.int(0, diffDays(assignedOn, cancelOn))), rng.pick(PROGRESS_NOTES));
    add('cancelled', cancelOn, rng.pick(CANCEL_NOTES));
    return out.filter((e) => e.on <= cancelOn); // nothing may follow a cancellation
  }

  // extension (at most one request, decided once)
  let effective = deadline;
  let decidedOn: IsoDate | null = null;
  if (rng.chance(0.12)) {
    const requestedOn = rng.chance(0.8)
      ? maxDate(assignedOn, addDays(deadline, -rng.int(0, Math.min(7, span))))
      : addDays(deadline, rng.int(1, 5));
    const newDeadline = addDays(deadline, rng.int(15, 60));
    add('extension_requested', requestedOn, rng.pick(EXTENSION_NOTES), { newDeadline });
    decidedOn = addDays(requestedOn, rng.int(1, 6));
    if (rng.chance(0.8)) {
      add('extension_approved', decidedOn, 'Đồng ý gia hạn.', { newDeadline });
      effective = newDeadline;
    } else {
      add('extension_rejected', decidedOn, rng.pick(REJECT_NOTES));
    }
  }
  // the deadline that counts: moved past weekends and statutory holidays (the demo database's calendar, migration 0011)
  effective = STATUTORY.effectiveDeadline(effective);
  const effSpan = diffDays(assignedOn, effective);
  const earliest = decidedOn ? addDays(decidedOn, 1) : assignedOn;

  const outcome = rng.weighted([
    ['onTime', 0.75],
    ['late', 0.16],
    ['longLate', 0.07],
    ['never', 0.02],
  ] as const);
  let reportOn: IsoDate | null;
  if (outcome === 'onTime')
    reportOn = maxDate(earliest, addDays(assignedOn, rng.int(Math.floor(effSpan * 0.3), effSpan)));
  else if (outcome === 'late') reportOn = maxDate(earliest, addDays(effective, rng.int(1, 45)));
  else if (outcome === 'longLate') reportOn = maxDate(earliest, addDays(effective, rng.int(46, 500)));
  else reportOn = null;

  const workEnd = reportOn ?? addDays(effective, 400);
  // progress updates while the work goes on (roughly one every 1–2 weeks, at least three)
  const activeDays = Math.max(1, diffDays(assignedOn, workEnd));
  const progressCount = Math.min(10, Math.max(3, Math.round(activeDays / rng.int(8, 16))));
  for (let i = 0; i < progressCount; i++)
    add('progress', addDays(assignedOn, rng.int(1, activeDays)), rng.pick(PROGRESS_NOTES));
  // urging once overdue, then monthly while no report arrives
  let explanation: (typeof out)[number] | null = null;
  if (workEnd > effective) {
    for (
      let t = addDays(effective, rng.int(3, 10)), n = 0;
      t < workEnd && n < 10;
      t = addDays(t, rng.int(25, 40)), n++
    ) {
      add('urged', t, rng.pick(URGE_NOTES.slice(0, 2)));
    }
    if (rng.chance(outcome === 'never' ? 0.5 : 0.75)) {
      const room = reportOn ? diffDays(effective, reportOn) : 30;
      add('explanation_submitted', addDays(effective, rng.int(1, Math.max(1, room))), rng.pick(EXPLANATION_NOTES));
      explanation = out[out.length - 1]!;
    }
  } else if (rng.chance(0.05)) {
    add('urged', addDays(assignedOn, rng.int(1, activeDays)), rng.pick(URGE_NOTES.slice(0, 1)));
  }

  if (reportOn !== null) {
    // a returned report first, sometimes
    const firstOn = addDays(reportOn, -rng.int(6, 20));
    if (rng.chance(0.08) && firstOn > earliest) {
      add('reported', firstOn, rng.pick(REPORT_NOTES));
      const returnedOn = addDays(firstOn, rng.int(1, 4));
      add('returned', returnedOn, rng.pick(RETURN_NOTES));
      // a report on time waiting for the working group is not overdue (counting rules v2): the task is overdue,
      // and an explanation due, only from the day that report is returned
      if (explanation && firstOn <= effective && explanation.on <= returnedOn) explanation.on = addDays(returnedOn, 1);
    }
    add('reported', reportOn, rng.pick(REPORT_NOTES));
    add('confirmed', addDays(reportOn, rng.int(0, 7)));
  }
  return out;
}
