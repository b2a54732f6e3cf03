/**
 * The working-day rule (Bộ luật Dân sự 2015, Điều 148 khoản 5) in classifyAsOf, case by case, and the calendar
 * history rule of holidays-history.ts: a day is judged by the calendar as it stood at the end of that day (or, for a
 * day after the cutoff, at the end of the cutoff).
 */
import { describe, expect, it } from 'vitest';
import { classifyAsOf, deriveFacts, type EventLite, type TaskStatus } from './status.ts';
import {
  type CalendarAction,
  type CalendarChange,
  DeadlineCalendar,
  endOfDay,
  MAX_SHIFT_DAYS,
} from './holidays-history.ts';
import { addDays } from './dates.ts';

const ALWAYS = '0000-01-01T00:00:00.000Z';
let nextId = 1;
const change = (day: string | null, action: CalendarAction, knownSince = ALWAYS, name = ''): CalendarChange => ({
  id: nextId++,
  day,
  action,
  name,
  knownSince,
});
/** Recorded at 10:00 local time on `day`. */
const on = (day: string) => `${day}T03:00:00.000Z`;

// 2026: Tết 16–20/02 (Mon–Fri), Giỗ Tổ 26/04 (Sun), 30/04 (Thu), 01/05 (Fri), Quốc khánh 02/09 (Wed)
const STATUTORY = [
  '2026-02-16',
  '2026-02-17',
  '2026-02-18',
  '2026-02-19',
  '2026-02-20',
  '2026-04-30',
  '2026-05-01',
].map((d) => change(d, 'day_off'));
const CALENDAR = new DeadlineCalendar([
  ...STATUTORY,
  change('2026-01-10', 'working_day'), // a compensatory working Saturday
]);
const RULE_OFF = new DeadlineCalendar([...STATUTORY, change(null, 'rule_off')]);

function ev(kind: EventLite['kind'], occurredOn: string): EventLite {
  return { kind, occurredOn };
}

function statusOf(deadline: string, events: EventLite[], asOf: string, calendar = CALENDAR): TaskStatus {
  return classifyAsOf(deriveFacts({ assignedOn: '2026-01-05', deadline, leadAgencyId: 1 }, events), asOf, calendar);
}

interface Case {
  name: string;
  deadline: string;
  events?: EventLite[];
  asOf: string;
  calendar?: DeadlineCalendar;
  expect: Partial<TaskStatus>;
}

const cases: Case[] = [
  {
    name: 'a Saturday deadline ends on Monday: still in time on Sunday',
    deadline: '2026-01-31',
    asOf: '2026-02-01',
    expect: { category: 'inProgress', statedDeadline: '2026-01-31', effectiveDeadline: '2026-02-02', due: false },
  },
  {
    name: '… and on the Monday itself',
    deadline: '2026-01-31',
    asOf: '2026-02-02',
    expect: { category: 'inProgress', effectiveDeadline: '2026-02-02', dueSoon: true },
  },
  {
    name: '… overdue from Tuesday, day 1',
    deadline: '2026-01-31',
    asOf: '2026-02-03',
    expect: { category: 'overdue', overdueSince: '2026-02-03', overdueDays: 1, due: true },
  },
  {
    name: 'reported on the Monday after a Saturday deadline, confirmed later: on time',
    deadline: '2026-01-31',
    events: [ev('reported', '2026-02-02'), ev('confirmed', '2026-02-04')],
    asOf: '2026-02-10',
    expect: { category: 'completedOnTime', completionDate: '2026-02-02', explanationRequired: false },
  },
  {
    name: 'reported on the Tuesday after a Saturday deadline: late',
    deadline: '2026-01-31',
    events: [ev('reported', '2026-02-03'), ev('confirmed', '2026-02-04')],
    asOf: '2026-02-10',
    expect: { category: 'completedLate', explanationRequired: true },
  },
  {
    name: 'a Sunday deadline ends on Monday',
    deadline: '2026-02-01',
    asOf: '2026-02-02',
    expect: { category: 'inProgress', effectiveDeadline: '2026-02-02' },
  },
  {
    name: 'a deadline on a working day does not move',
    deadline: '2026-01-30',
    asOf: '2026-01-31',
    expect: { category: 'overdue', effectiveDeadline: '2026-01-30', statedDeadline: '2026-01-30', overdueDays: 1 },
  },
  {
    name: 'a deadline on a holiday (30/04) runs past 01/05 and the weekend to Monday 04/05',
    deadline: '2026-04-30',
    asOf: '2026-05-03',
    expect: { category: 'inProgress', effectiveDeadline: '2026-05-04' },
  },
  {
    name: 'a deadline on Tết eve (16/02/2026) runs past Tết and the weekend to Monday 23/02',
    deadline: '2026-02-16',
    asOf: '2026-02-23',
    expect: { category: 'inProgress', effectiveDeadline: '2026-02-23' },
  },
  {
    name: 'the working day before Tết is a working day: a deadline then does not move',
    deadline: '2026-02-13',
    asOf: '2026-02-16',
    expect: { category: 'overdue', effectiveDeadline: '2026-02-13', overdueSince: '2026-02-14' },
  },
  {
    name: 'a compensatory working Saturday is a working day: the deadline stays on it',
    deadline: '2026-01-10',
    asOf: '2026-01-11',
    expect: { category: 'overdue', effectiveDeadline: '2026-01-10', overdueDays: 1 },
  },
  {
    name: 'setting off: a Saturday deadline stays on Saturday (rules version 2)',
    deadline: '2026-01-31',
    asOf: '2026-02-01',
    calendar: RULE_OFF,
    expect: { category: 'overdue', effectiveDeadline: '2026-01-31', overdueDays: 1 },
  },
  {
    name: 'setting off: reported on the Monday after a Saturday deadline is late',
    deadline: '2026-01-31',
    events: [ev('reported', '2026-02-02'), ev('confirmed', '2026-02-02')],
    asOf: '2026-02-10',
    calendar: RULE_OFF,
    expect: { category: 'completedLate' },
  },
  {
    name: 'setting off: a holiday deadline stays too',
    deadline: '2026-04-30',
    asOf: '2026-05-01',
    calendar: RULE_OFF,
    expect: { category: 'overdue', effectiveDeadline: '2026-04-30' },
  },
];

describe('classifyAsOf with the working-day rule', () => {
  it.each(cases)('$name', (c) => {
    expect(statusOf(c.deadline, c.events ?? [], c.asOf, c.calendar)).toMatchObject(c.expect);
  });
});

describe('due within 3 working days', () => {
  // Thursday 29/01/2026: the next working days are Fri 30, Mon 02, Tue 03, Wed 04
  it.each([
    ['2026-01-29', '2026-02-03', true],
    ['2026-01-29', '2026-01-31', true], // Saturday → Monday 02/02
    ['2026-01-29', '2026-02-04', false],
    // across Tết: the 3 working days after Thu 12/02 are Fri 13, Mon 23, Tue 24
    ['2026-02-12', '2026-02-24', true],
    ['2026-02-12', '2026-02-25', false],
  ])('as of %s, deadline %s: %s', (asOf, deadline, soon) => {
    expect(statusOf(deadline, [], asOf).dueSoon).toBe(soon);
  });

  it('with the setting off, calendar days as before', () => {
    expect(statusOf('2026-02-01', [], '2026-01-29', RULE_OFF).dueSoon).toBe(true);
    expect(statusOf('2026-02-02', [], '2026-01-29', RULE_OFF).dueSoon).toBe(false);
  });

  it('a compensatory working Saturday counts as a working day', () => {
    // Wed 07/01: Thu 08, Fri 09, Sat 10 (worked) → Mon 12 is the 4th working day
    expect(statusOf('2026-01-11', [], '2026-01-07').dueSoon).toBe(false); // Sunday → Monday 12
    expect(statusOf('2026-01-10', [], '2026-01-07').dueSoon).toBe(true);
  });
});

describe('the calendar as it stood at the end of each day', () => {
  // Quốc khánh 2026: 02/09 (library) and 01/09, announced by the Government on 20/08
  const base = [change('2026-09-02', 'day_off')];
  const announced = new DeadlineCalendar([...base, change('2026-09-01', 'day_off', on('2026-08-20'))]);

  it('an announced day off moves deadlines from the announcement on, never before it', () => {
    expect(statusOf('2026-09-01', [], '2026-08-19', announced).effectiveDeadline).toBe('2026-09-01');
    expect(statusOf('2026-09-01', [], '2026-08-20', announced).effectiveDeadline).toBe('2026-09-03');
    expect(statusOf('2026-09-01', [], '2026-09-02', announced)).toMatchObject({ category: 'inProgress' });
    expect(statusOf('2026-09-01', [], '2026-09-04', announced)).toMatchObject({ overdueSince: '2026-09-04' });
  });

  it('a day off recorded after the day has ended moves nothing, as of any cutoff', () => {
    const late = new DeadlineCalendar([change('2026-03-10', 'day_off', on('2026-03-11'))]);
    for (const asOf of ['2026-03-10', '2026-03-11', '2026-03-12', '2026-12-31']) {
      expect(statusOf('2026-03-10', [], asOf, late).effectiveDeadline).toBe('2026-03-10');
    }
    // recorded before midnight local time of that day, it counts
    const sameDay = new DeadlineCalendar([change('2026-03-10', 'day_off', '2026-03-10T16:59:59.999Z')]);
    expect(statusOf('2026-03-10', [], '2026-03-11', sameDay).effectiveDeadline).toBe('2026-03-11');
    expect(endOfDay('2026-03-10')).toBe('2026-03-10T17:00:00.000Z');
  });

  it('a removal recorded before the day counts; after the day it changes nothing', () => {
    const removedEarly = new DeadlineCalendar([
      change('2026-09-01', 'day_off'),
      change('2026-09-01', 'removed', on('2026-08-25')),
    ]);
    expect(statusOf('2026-09-01', [], '2026-08-24', removedEarly).effectiveDeadline).toBe('2026-09-02');
    expect(statusOf('2026-09-01', [], '2026-09-05', removedEarly).effectiveDeadline).toBe('2026-09-01');
    const removedLate = new DeadlineCalendar([
      change('2026-09-01', 'day_off'),
      change('2026-09-01', 'removed', on('2026-09-03')),
    ]);
    expect(statusOf('2026-09-01', [], '2026-09-05', removedLate).effectiveDeadline).toBe('2026-09-02');
  });

  it('switching the rule off keeps the deadlines that had already passed, and applies to the others', () => {
    const switched = new DeadlineCalendar([change(null, 'rule_off', on('2026-02-05'))]);
    // Saturday 31/01 had passed (its end) before the switch: still Monday 02/02, whatever the cutoff
    expect(statusOf('2026-01-31', [], '2026-03-01', switched).effectiveDeadline).toBe('2026-02-02');
    // Saturday 07/02 is after the switch: stays on Saturday, but as of a cutoff before the switch it was Monday
    expect(statusOf('2026-02-07', [], '2026-03-01', switched).effectiveDeadline).toBe('2026-02-07');
    expect(statusOf('2026-02-07', [], '2026-02-04', switched).effectiveDeadline).toBe('2026-02-09');
  });

  it('a run of days off longer than MAX_SHIFT_DAYS is cut there', () => {
    const changes = Array.from({ length: 60 }, (_, i) => change(addDays('2026-06-01', i), 'day_off'));
    const corrupt = new DeadlineCalendar(changes);
    expect(statusOf('2026-06-01', [], '2026-06-01', corrupt).effectiveDeadline).toBe(
      addDays('2026-06-01', MAX_SHIFT_DAYS),
    );
  });
});
