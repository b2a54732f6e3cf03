/**
 * The one module that decides what state a task is in on any day (DESIGN.md §3). The admin dashboards, the
 * command-line stats, the monthly publication, the public site and the open data all go through it.
 *
 *   events ──deriveFacts (facts.ts)──▶ TaskFacts ──classifyAsOf(C)──▶ TaskStatus ──addToCounts──▶ Counts (counts.ts)
 *                                                                                    └─▶ period views (period-stats.ts)
 *
 * TaskFacts is a compact summary of the events that still allows asking about any cutoff date C: every fact keeps
 * the day it became true. It is stored on the task row and rewritten in the same transaction as each event.
 * The counting rules are version RULES_VERSION (counts.ts): due = completed + overdue, and a report submitted on or
 * before the deadline that still waits for the working group keeps the task in progress (classifyAsOf's diagram).
 *
 * The past is not rewritten: the status as of C reads only facts dated on or before C, and every write is dated
 * the day it is made (recordTaskAction), so nothing done on day D moves a figure as of a day before D
 * (admin/domain/past-unchanged.test.ts checks it for every action of every role). In particular:
 *   - the deadline is a history, not a column: `deadlineHistory` holds [deadline, in force from] from the
 *     assignment on; a correction of the deadline ('corrected' event with changes.deadline) is one more entry dated
 *     the day it is made, and classifyAsOf(C) uses the deadline in force on C (deadlineAsOf), then an extension
 *     approved on or before C on top. rules.ts allows such a correction only while the unit has not acknowledged
 *     the task and neither the original nor the current deadline has passed on that day; afterwards the one
 *     extension is the only way (a correction must not stand in for it);
 *   - the lead agency changes only by reassignment events (agencyHistory), dated the day they are made; a merger
 *     recorded late is the one dated in the past (DESIGN.md §6), and only while the agency's tasks have no later event;
 *   - the assigned date, the cancellation date and every other fact come from events dated when they happened;
 *     no edit changes them;
 *   - title, content, leader, sector, priority and coordinators are not read by the status (the period breakdowns
 *     group by the leader, sector and document type recorded now); the confidential
 *     flag only decides what is published, and a task made confidential leaves every later publication (also of
 *     earlier periods: secrecy comes first); internal statistics count it either way and published snapshots never
 *     change.
 */
import { addDays, diffDays, type IsoDate } from './dates.ts';
import type { TaskFacts } from './facts.ts';
import { activeDeadlineCalendar, type DeadlineCalendar } from './holidays-history.ts';

export {
  deadlineChange,
  deriveFacts,
  EVENT_KINDS,
  EVENT_LABELS,
  type EventKind,
  type EventLite,
  type TaskBase,
  type TaskFacts,
} from './facts.ts';

export type Category = 'completedOnTime' | 'completedLate' | 'inProgress' | 'overdue' | 'noDeadline';

export const CATEGORY_LABELS: Record<Category, string> = {
  completedOnTime: 'Hoàn thành đúng hạn',
  completedLate: 'Hoàn thành quá hạn',
  inProgress: 'Đang thực hiện trong hạn',
  overdue: 'Đang thực hiện quá hạn',
  noDeadline: 'Không thời hạn',
};

export type AgeingBucket = null | 'over30' | 'over60' | 'over120';

export interface TaskStatus {
  counted: boolean;
  category: Category | null;
  agencyId: number;
  /** the deadline that counts on C: the one in force (extended when approved by C), moved to the next working
   * day when it falls on a day off and the working-day rule applies (holidays-history.ts) */
  effectiveDeadline: IsoDate | null;
  /** the same deadline as written, before the working-day rule (differs from effectiveDeadline when moved) */
  statedDeadline: IsoDate | null;
  completionDate: IsoDate | null;
  /** reported on or before C and not yet confirmed or returned on C */
  awaitingConfirmation: boolean;
  /** days the pending report has waited for the working group on C (C − submission day); 0 when none */
  awaitingDays: number;
  /** open, with an effective deadline within the next 3 working days (C ≤ deadline, at most 3 working days after
   * C; calendar days when the working-day rule is off) */
  dueSoon: boolean;
  /** days overdue on C, counted from overdueSince (that day is day 1); 0 unless overdue */
  overdueDays: number;
  /** first day of the current overdue stretch: the day after the effective deadline, or the day an on-time
   * report was returned when that is later (the unit is not blamed for the confirmers' delay); null unless overdue */
  overdueSince: IsoDate | null;
  ageing: AgeingBucket;
  /** completed by C or overdue on C (đến hạn, Báo cáo 1270/BC-TCTTTg): the rates' denominator */
  due: boolean;
  /** late (overdue now, or completed late): a written explanation is required */
  explanationRequired: boolean;
}

/** The lead agency on day C: the last reassignment on or before C. */
export function agencyAsOf(facts: Pick<TaskFacts, 'agencyHistory'>, asOf: IsoDate): number {
  let agency = facts.agencyHistory[0]![0];
  for (const [id, from] of facts.agencyHistory) if (from <= asOf) agency = id;
  return agency;
}

/** The deadline in force on day C before any extension: the last correction on or before C, else the original. */
export function deadlineAsOf(facts: Pick<TaskFacts, 'deadline' | 'deadlineHistory'>, asOf: IsoDate): IsoDate | null {
  const h = facts.deadlineHistory;
  if (h.length === 1) return facts.deadline;
  let deadline = h[0]![0];
  for (const [d, from] of h) if (from <= asOf) deadline = d;
  return deadline;
}

/** The deadline in force on C as written (extended when approved by C), before the working-day rule. */
export function statedDeadlineAsOf(facts: TaskFacts, asOf: IsoDate): IsoDate | null {
  if (facts.extApprovedOn !== null && facts.extApprovedOn <= asOf && facts.extDeadline) return facts.extDeadline;
  return deadlineAsOf(facts, asOf);
}

/** The deadline that counts on C: statedDeadlineAsOf moved past days off (holidays-history.ts). */
export function effectiveDeadlineAsOf(
  facts: TaskFacts,
  asOf: IsoDate,
  calendar: DeadlineCalendar = activeDeadlineCalendar(),
): IsoDate | null {
  const stated = statedDeadlineAsOf(facts, asOf);
  return stated === null ? null : calendar.view(asOf).effectiveDeadline(stated);
}

function status(
  counted: boolean,
  category: Category | null,
  agencyId: number,
  effectiveDeadline: IsoDate | null,
  statedDeadline: IsoDate | null,
  completionDate: IsoDate | null,
  awaitingConfirmation: boolean,
  awaitingDays: number,
  dueSoon: boolean,
  overdueDays: number,
  overdueSince: IsoDate | null,
  ageing: AgeingBucket,
  due: boolean,
  explanationRequired: boolean,
): TaskStatus {
  // one object shape for every status (fast in V8; statistics classify tens of thousands of tasks per request)
  return {
    counted,
    category,
    agencyId,
    effectiveDeadline,
    statedDeadline,
    completionDate,
    awaitingConfirmation,
    awaitingDays,
    dueSoon,
    overdueDays,
    overdueSince,
    ageing,
    due,
    explanationRequired,
  };
}

/**
 * DESIGN.md §3, literally. Nothing dated after `asOf` can change the answer.
 *
 *   counted? ── no ──▶ not counted (assigned after C, or cancelled on or before C)
 *     │ yes
 *   report confirmed by C? ── yes ──▶ completedOnTime | completedLate (submission day vs effective deadline)
 *     │ no
 *   no deadline ──▶ noDeadline
 *   C ≤ effective deadline ──▶ inProgress (dueSoon when the deadline is within 3 days)
 *   a report submitted on or before the deadline still pending on C ──▶ inProgress, awaitingConfirmation
 *     (not due: the unit did its part in time)
 *   otherwise ──▶ overdue, from the day after the deadline or from the day such a report was returned
 *     (a report submitted after the deadline changes nothing)
 */
export function classifyAsOf(
  facts: TaskFacts,
  asOf: IsoDate,
  calendar: DeadlineCalendar = activeDeadlineCalendar(),
): TaskStatus {
  const agencyId = facts.agencyHistory.length === 1 ? facts.agencyHistory[0]![0] : agencyAsOf(facts, asOf);
  const counted = facts.assignedOn <= asOf && !(facts.cancelledOn !== null && facts.cancelledOn <= asOf);
  const view = calendar.view(asOf);
  const stated = statedDeadlineAsOf(facts, asOf);
  const effectiveDeadline = stated === null ? null : view.effectiveDeadline(stated);
  if (!counted)
    return status(false, null, agencyId, effectiveDeadline, stated, null, false, 0, false, 0, null, null, false, false);

  const completed =
    facts.confirmedOn !== null && facts.confirmedOn <= asOf && facts.completedOn !== null && facts.completedOn <= asOf;
  if (completed) {
    const completionDate = facts.completedOn!;
    const late = effectiveDeadline !== null && completionDate > effectiveDeadline;
    return status(
      true,
      late ? 'completedLate' : 'completedOnTime',
      agencyId,
      effectiveDeadline,
      stated,
      completionDate,
      false,
      0,
      false,
      0,
      null,
      null,
      true,
      late,
    );
  }

  // the report pending on C (submitted on or before C, not resolved on C), and the last day an on-time report
  // was resolved (returned) on or before C
  let pendingSince: IsoDate | null = null;
  let onTimeReturnedOn: IsoDate | null = null;
  for (const [s, r] of facts.reportWindows) {
    if (s > asOf) continue;
    if (r === null || r > asOf) pendingSince = s;
    else if (
      effectiveDeadline !== null &&
      s <= effectiveDeadline &&
      (onTimeReturnedOn === null || r > onTimeReturnedOn)
    )
      onTimeReturnedOn = r;
  }
  const awaiting = pendingSince !== null;
  const awaitingDays = pendingSince === null ? 0 : diffDays(pendingSince, asOf);
  if (effectiveDeadline === null) {
    return status(
      true,
      'noDeadline',
      agencyId,
      null,
      null,
      null,
      awaiting,
      awaitingDays,
      false,
      0,
      null,
      null,
      false,
      false,
    );
  }
  if (asOf <= effectiveDeadline || (pendingSince !== null && pendingSince <= effectiveDeadline)) {
    const dueSoon = view.dueSoon(effectiveDeadline);
    return status(
      true,
      'inProgress',
      agencyId,
      effectiveDeadline,
      stated,
      null,
      awaiting,
      awaitingDays,
      dueSoon,
      0,
      null,
      null,
      false,
      false,
    );
  }
  const dayAfter = addDays(effectiveDeadline, 1);
  const overdueSince = onTimeReturnedOn !== null && onTimeReturnedOn > dayAfter ? onTimeReturnedOn : dayAfter;
  const overdueDays = diffDays(overdueSince, asOf) + 1;
  const ageing: AgeingBucket =
    overdueDays > 120 ? 'over120' : overdueDays > 60 ? 'over60' : overdueDays > 30 ? 'over30' : null;
  return status(
    true,
    'overdue',
    agencyId,
    effectiveDeadline,
    stated,
    null,
    awaiting,
    awaitingDays,
    false,
    overdueDays,
    overdueSince,
    ageing,
    true,
    true,
  );
}

/**
 * The day from which the task's status can no longer change, and that status: a task completed or cancelled whose
 * last event is on `on` classifies the same for every cutoff ≥ `on` (nothing after its last event exists; a new
 * event rewrites this with the other facts). null while the task is open. Statistics use it to count settled tasks
 * by group in SQL (tasks.settled_on / settled_category) and classify only the others one by one.
 * With the working-day rule the category depends on the holiday calendar only through days that have ended by
 * the settling day (the deadline, and the days between it and the completion), which holidays-history.ts judges
 * by the calendar as it stood at their end: so the stored category stays right whatever is recorded later. The
 * calendar must be the database's (tasks.ts passes deadlineCalendarOf(db)).
 */
export function settledAsOf(
  facts: TaskFacts,
  calendar: DeadlineCalendar = activeDeadlineCalendar(),
): { on: IsoDate; category: 'completedOnTime' | 'completedLate' | null } | null {
  if ((facts.confirmedOn === null && facts.cancelledOn === null) || facts.lastEventOn === null) return null;
  const on = facts.lastEventOn;
  const s = classifyAsOf(facts, on, calendar);
  if (s.category === null) return { on, category: null };
  if (s.category === 'completedOnTime' || s.category === 'completedLate') return { on, category: s.category };
  return null;
}

/** The status, on any cutoff from its settling day on, of a settled task (see settledAsOf). */
export function settledStatus(category: 'completedOnTime' | 'completedLate' | null, agencyId: number): TaskStatus {
  if (category === null)
    return status(false, null, agencyId, null, null, null, false, 0, false, 0, null, null, false, false);
  return status(
    true,
    category,
    agencyId,
    null,
    null,
    null,
    false,
    0,
    false,
    0,
    null,
    null,
    true,
    category === 'completedLate',
  );
}

export {
  addToCounts,
  type Counts,
  emptyCounts,
  finishCounts,
  MIN_DUE_FOR_RANKING,
  RULES_TEXT,
  RULES_VERSION,
  RULES_VERSIONS,
} from './counts.ts';
