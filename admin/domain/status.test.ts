import { describe, expect, it } from 'vitest';
import {
  addToCounts,
  classifyAsOf,
  deriveFacts,
  emptyCounts,
  finishCounts,
  type EventLite,
  type TaskBase,
  type TaskStatus,
} from './status.ts';
import { addDays, toLocalDate } from './dates.ts';
import { NO_SHIFT_CALENDAR } from './holidays-history.ts';

const A = 1; // lead agency
const B = 2; // successor agency

function ev(kind: EventLite['kind'], occurredOn: string, data?: EventLite['data']): EventLite {
  return data ? { kind, occurredOn, data } : { kind, occurredOn };
}

// 31/01/2026 is a Saturday: these cases pin every rule but the working-day one, so they run with it off (deadlines
// as written, rules version 2); status-working-days.test.ts pins the working-day rule (Điều 148 khoản 5).
function statusOf(base: Partial<TaskBase>, events: EventLite[], asOf: string): TaskStatus {
  const facts = deriveFacts({ assignedOn: '2026-01-05', deadline: '2026-01-31', leadAgencyId: A, ...base }, events);
  return classifyAsOf(facts, asOf, NO_SHIFT_CALENDAR);
}

interface Case {
  name: string;
  base?: Partial<TaskBase>;
  events: EventLite[];
  asOf: string;
  expect: Partial<TaskStatus>;
}

// Every case: assigned 05/01/2026 to agency A with deadline 31/01/2026 unless the case says otherwise.
const cases: Case[] = [
  {
    name: 'not yet assigned on the cutoff',
    events: [],
    asOf: '2026-01-04',
    expect: { counted: false, category: null },
  },
  {
    name: 'assigned on the cutoff day is counted',
    events: [],
    asOf: '2026-01-05',
    expect: { counted: true, category: 'inProgress' },
  },
  {
    name: 'deadline equal to the cutoff is still in time, and not yet due (due = completed + overdue)',
    events: [],
    asOf: '2026-01-31',
    expect: { category: 'inProgress', due: false, dueSoon: true, overdueDays: 0 },
  },
  {
    name: 'the day after the deadline is overdue by one day',
    events: [],
    asOf: '2026-02-01',
    expect: { category: 'overdue', overdueDays: 1, ageing: null, due: true, explanationRequired: true },
  },
  {
    name: 'completion on the deadline day is on time',
    events: [ev('reported', '2026-01-31'), ev('confirmed', '2026-02-03')],
    asOf: '2026-02-10',
    expect: { category: 'completedOnTime', completionDate: '2026-01-31', due: true, explanationRequired: false },
  },
  {
    name: 'completion the day after the deadline is late',
    events: [ev('reported', '2026-02-01'), ev('confirmed', '2026-02-01')],
    asOf: '2026-02-01',
    expect: { category: 'completedLate', completionDate: '2026-02-01', explanationRequired: true },
  },
  {
    name: 'report before the cutoff, confirmation after it: not completed, awaiting confirmation (in time)',
    events: [ev('reported', '2026-01-20'), ev('confirmed', '2026-02-05')],
    asOf: '2026-01-25',
    expect: { category: 'inProgress', awaitingConfirmation: true, completionDate: null },
  },
  {
    name: 'an on-time report still awaiting confirmation after the deadline: in progress, not due, days waited',
    events: [ev('reported', '2026-01-20'), ev('confirmed', '2026-02-05')],
    asOf: '2026-02-04',
    expect: {
      category: 'inProgress',
      awaitingConfirmation: true,
      awaitingDays: 15,
      overdueDays: 0,
      overdueSince: null,
      due: false,
      dueSoon: false,
      explanationRequired: false,
    },
  },
  {
    name: 'an on-time report returned after the deadline: overdue from the return day (day 1), not from the deadline',
    events: [ev('reported', '2026-01-20'), ev('returned', '2026-02-05')],
    asOf: '2026-02-05',
    expect: { category: 'overdue', overdueSince: '2026-02-05', overdueDays: 1, awaitingConfirmation: false, due: true },
  },
  {
    name: '… and ages from the return day: 31 days after the return is over 30, though 59 days after the deadline',
    events: [ev('reported', '2026-01-20'), ev('returned', '2026-03-01')],
    asOf: '2026-03-31',
    expect: { category: 'overdue', overdueSince: '2026-03-01', overdueDays: 31, ageing: 'over30' },
  },
  {
    name: 'an on-time report returned before the deadline: overdue from the day after the deadline',
    events: [ev('reported', '2026-01-20'), ev('returned', '2026-01-25')],
    asOf: '2026-02-03',
    expect: { category: 'overdue', overdueSince: '2026-02-01', overdueDays: 3 },
  },
  {
    name: 'a report submitted after the deadline and still pending changes nothing: overdue, awaiting',
    events: [ev('reported', '2026-02-03')],
    asOf: '2026-02-05',
    expect: {
      category: 'overdue',
      awaitingConfirmation: true,
      awaitingDays: 2,
      overdueSince: '2026-02-01',
      overdueDays: 5,
      due: true,
    },
  },
  {
    name: 'returned after the deadline, then a late report pending: still overdue from the return day',
    events: [ev('reported', '2026-01-20'), ev('returned', '2026-02-05'), ev('reported', '2026-02-08')],
    asOf: '2026-02-10',
    expect: {
      category: 'overdue',
      awaitingConfirmation: true,
      awaitingDays: 2,
      overdueSince: '2026-02-05',
      overdueDays: 6,
    },
  },
  {
    name: 'a late report confirmed: completed late',
    events: [ev('reported', '2026-02-03'), ev('confirmed', '2026-02-04')],
    asOf: '2026-02-04',
    expect: { category: 'completedLate', completionDate: '2026-02-03', due: true },
  },
  {
    name: '… and completed on time (by its report date) once confirmed',
    events: [ev('reported', '2026-01-20'), ev('confirmed', '2026-02-05')],
    asOf: '2026-02-05',
    expect: { category: 'completedOnTime', completionDate: '2026-01-20', awaitingConfirmation: false },
  },
  {
    name: 'extension approved after the original deadline: overdue before the approval',
    events: [
      ev('extension_requested', '2026-01-28', { newDeadline: '2026-02-28' }),
      ev('extension_approved', '2026-02-03', { newDeadline: '2026-02-28' }),
    ],
    asOf: '2026-02-02',
    expect: { category: 'overdue', effectiveDeadline: '2026-01-31', overdueDays: 2 },
  },
  {
    name: 'extension approved after the original deadline: in time from the approval day',
    events: [
      ev('extension_requested', '2026-01-28', { newDeadline: '2026-02-28' }),
      ev('extension_approved', '2026-02-03', { newDeadline: '2026-02-28' }),
    ],
    asOf: '2026-02-03',
    expect: { category: 'inProgress', effectiveDeadline: '2026-02-28', due: false },
  },
  {
    name: 'completed between the original and the extended deadline is on time',
    events: [
      ev('extension_requested', '2026-01-28'),
      ev('extension_approved', '2026-02-03', { newDeadline: '2026-02-28' }),
      ev('reported', '2026-02-20'),
      ev('confirmed', '2026-02-21'),
    ],
    asOf: '2026-03-01',
    expect: { category: 'completedOnTime', completionDate: '2026-02-20' },
  },
  {
    name: 'a second extension approval is ignored (extension at most once)',
    events: [
      ev('extension_requested', '2026-01-20'),
      ev('extension_approved', '2026-01-21', { newDeadline: '2026-02-10' }),
      ev('extension_approved', '2026-01-22', { newDeadline: '2026-03-31' }),
    ],
    asOf: '2026-02-11',
    expect: { category: 'overdue', effectiveDeadline: '2026-02-10' },
  },
  {
    name: 'a cancelled task is counted the day before its cancellation',
    events: [ev('cancelled', '2026-01-15')],
    asOf: '2026-01-14',
    expect: { counted: true, category: 'inProgress' },
  },
  {
    name: 'a cancelled task leaves the counts on its cancellation day',
    events: [ev('cancelled', '2026-01-15')],
    asOf: '2026-01-15',
    expect: { counted: false, category: null, due: false },
  },
  {
    name: 'no deadline: its own category, never due, never overdue',
    base: { deadline: null },
    events: [],
    asOf: '2030-01-01',
    expect: { category: 'noDeadline', due: false, overdueDays: 0, effectiveDeadline: null },
  },
  {
    name: 'no deadline, reported: still "no deadline", awaiting confirmation',
    base: { deadline: null },
    events: [ev('reported', '2026-03-01')],
    asOf: '2026-03-02',
    expect: { category: 'noDeadline', awaitingConfirmation: true },
  },
  {
    name: 'no deadline, completed: on time',
    base: { deadline: null },
    events: [ev('reported', '2026-03-01'), ev('confirmed', '2026-03-02')],
    asOf: '2026-03-02',
    expect: { category: 'completedOnTime', due: true },
  },
  {
    name: 'merged agency: the old agency before the reassignment day',
    events: [ev('reassigned', '2026-01-20', { fromAgencyId: A, toAgencyId: B })],
    asOf: '2026-01-19',
    expect: { agencyId: A },
  },
  {
    name: 'merged agency: the successor from the reassignment day',
    events: [ev('reassigned', '2026-01-20', { fromAgencyId: A, toAgencyId: B })],
    asOf: '2026-01-20',
    expect: { agencyId: B, category: 'inProgress' },
  },
  {
    name: 'a returned report does not complete the task',
    events: [ev('reported', '2026-01-20'), ev('returned', '2026-01-22'), ev('confirmed', '2026-01-23')],
    asOf: '2026-01-25',
    expect: { category: 'inProgress', awaitingConfirmation: false, completionDate: null },
  },
  {
    name: 'awaiting confirmation until the report is returned',
    events: [ev('reported', '2026-01-20'), ev('returned', '2026-01-22')],
    asOf: '2026-01-21',
    expect: { awaitingConfirmation: true },
  },
  {
    name: 'after a return, the second report is the one confirmed; completion is its date (late here)',
    events: [
      ev('reported', '2026-01-20'),
      ev('returned', '2026-01-22'),
      ev('reported', '2026-02-02'),
      ev('confirmed', '2026-02-03'),
    ],
    asOf: '2026-02-03',
    expect: { category: 'completedLate', completionDate: '2026-02-02' },
  },
  {
    name: 'ageing: 30 days overdue is no bucket',
    events: [],
    asOf: addDays('2026-01-31', 30),
    expect: { overdueDays: 30, ageing: null },
  },
  { name: 'ageing: 31 days → over 30', events: [], asOf: addDays('2026-01-31', 31), expect: { ageing: 'over30' } },
  { name: 'ageing: 60 days → over 30', events: [], asOf: addDays('2026-01-31', 60), expect: { ageing: 'over30' } },
  { name: 'ageing: 61 days → over 60', events: [], asOf: addDays('2026-01-31', 61), expect: { ageing: 'over60' } },
  { name: 'ageing: 121 days → over 120', events: [], asOf: addDays('2026-01-31', 121), expect: { ageing: 'over120' } },
  {
    name: 'due soon: deadline three days ahead',
    events: [],
    asOf: '2026-01-28',
    expect: { dueSoon: true, due: false },
  },
  { name: 'not due soon: deadline four days ahead', events: [], asOf: '2026-01-27', expect: { dueSoon: false } },
  {
    name: 'events after the cutoff change nothing (cancelled later)',
    events: [ev('cancelled', '2026-03-01')],
    asOf: '2026-02-15',
    expect: { counted: true, category: 'overdue' },
  },
];

describe('classifyAsOf — DESIGN.md §3 edge cases', () => {
  it.each(cases)('$name', (c) => {
    const s = statusOf(c.base ?? {}, c.events, c.asOf);
    expect(s).toMatchObject(c.expect);
  });
});

describe('midnight in Asia/Ho_Chi_Minh', () => {
  it('00:30 on 1 April in Hà Nội (17:30 UTC on 31 March) is 1 April', () => {
    expect(toLocalDate('2026-03-31T17:30:00Z')).toBe('2026-04-01');
    expect(toLocalDate('2026-03-31T16:59:59Z')).toBe('2026-03-31');
    expect(toLocalDate('2026-03-31T17:00:00Z')).toBe('2026-04-01');
  });

  it('a report sent at 00:30 local on the day after the deadline is late', () => {
    const reportedOn = toLocalDate(new Date('2026-01-31T17:30:00Z')); // 00:30 on 01/02 in Hà Nội
    const s = statusOf({}, [ev('reported', reportedOn), ev('confirmed', reportedOn)], '2026-02-01');
    expect(s.category).toBe('completedLate');
  });

  it('a report sent at 23:59 local on the deadline day is on time', () => {
    const reportedOn = toLocalDate(new Date('2026-01-31T16:59:00Z')); // 23:59 on 31/01 in Hà Nội
    const s = statusOf({}, [ev('reported', reportedOn), ev('confirmed', '2026-02-01')], '2026-02-01');
    expect(s.category).toBe('completedOnTime');
  });
});

describe('counts and rates', () => {
  it('rates are over the due tasks (completed + overdue); null when none', () => {
    const c = emptyCounts();
    expect(finishCounts(c).onTimeRate).toBeNull();
    expect(c.overdueRate).toBeNull();
    const asOf = '2026-02-10';
    const statuses = [
      statusOf({}, [ev('reported', '2026-01-20'), ev('confirmed', '2026-01-21')], asOf), // on time
      statusOf({}, [ev('reported', '2026-02-05'), ev('confirmed', '2026-02-06')], asOf), // late
      statusOf({}, [], asOf), // overdue
      statusOf({ deadline: '2026-02-10' }, [], asOf), // in time, due today
      statusOf({ deadline: '2026-03-10' }, [], asOf), // in time, not due
      statusOf({ deadline: null }, [], asOf), // no deadline, not due
    ];
    for (const s of statuses) addToCounts(c, s);
    finishCounts(c);
    expect(c).toMatchObject({
      total: 6,
      completedOnTime: 1,
      completedLate: 1,
      overdue: 1,
      inProgress: 2,
      noDeadline: 1,
      due: 3, // rules v2: completed + overdue (v1 also counted the task due today: 4)
    });
    expect(c.completionRate).toBeCloseTo(2 / 3);
    expect(c.onTimeRate).toBeCloseTo(1 / 3);
    expect(c.overdueRate).toBeCloseTo(1 / 3); // v1: (late + overdue) ÷ due = 2/4
  });

  it('Báo cáo 1270/BC-TCTTTg: 16,051 completed (14,068 on time, 1,983 late) and 223 overdue give 98.62%', () => {
    const c = emptyCounts();
    const n = { completedOnTime: 14_068, completedLate: 1_983, overdue: 223, inProgress: 5_640 };
    const asOf = '2026-02-10';
    addToCounts(
      c,
      statusOf({}, [ev('reported', '2026-01-20'), ev('confirmed', '2026-01-21')], asOf),
      n.completedOnTime,
    );
    addToCounts(c, statusOf({}, [ev('reported', '2026-02-05'), ev('confirmed', '2026-02-06')], asOf), n.completedLate);
    addToCounts(c, statusOf({}, [], asOf), n.overdue);
    addToCounts(c, statusOf({ deadline: '2026-03-10' }, [], asOf), n.inProgress);
    finishCounts(c);
    expect(c).toMatchObject({ ...n, due: 16_274 });
    // the report writes 98,62% (16,051 ÷ 16,274 = 98.6297…%, cut to two decimals)
    expect(Math.floor(c.completionRate! * 10_000) / 100).toBe(98.62);
    expect(c.completionRate! + c.overdueRate!).toBeCloseTo(1, 12);
    expect(c.onTimeRate).toBeCloseTo(14_068 / 16_274, 12);
  });

  it('ageing sub-counts are cumulative', () => {
    const c = emptyCounts();
    addToCounts(c, statusOf({}, [], addDays('2026-01-31', 130)));
    expect(c).toMatchObject({ overdue: 1, overdueOver30: 1, overdueOver60: 1, overdueOver120: 1 });
  });
});
