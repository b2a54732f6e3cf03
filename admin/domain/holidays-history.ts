/**
 * The holiday calendar as a history (migration 0011 calendar_changes), and the effective deadline it gives
 * (Bộ luật Dân sự 2015, Điều 148 khoản 5: a deadline on a day off ends at the end of the next working day).
 *
 *   calendar_changes ──DeadlineCalendar──▶ view(C) ──effectiveDeadline(D)──▶ E   (status.ts classifyAsOf)
 *                                                   └─dueSoon(E)                  (due within 3 working days)
 *
 * The rule that keeps the past unchanged: whether day X is a day off is judged by the calendar as it stood at the
 * end of day X, and, as of a cutoff C before X, by the calendar as it stood at the end of C. So a change recorded
 * after a day has ended never moves that day, and every figure as of C reads only changes recorded by the end of C:
 *   - a deadline that has passed never moves again: a task's on-time/late classification is final from then on
 *     (settled_category stays valid) and statistics as of any past date are reproducible;
 *   - the rule switch (the province setting, rule_on / rule_off) is judged the same way, at the end of the
 *     deadline day: switching it never changes a deadline that has already passed.
 * Views are cached per cutoff; a view caches the effective deadline per distinct deadline, so classifying a
 * table of tasks costs a map lookup per row.
 */
import { addDays, type IsoDate } from './dates.ts';
import { isWorkingDay, nextWorkingDayFrom, type WorkingCalendar } from './working-days.ts';
import { LIBRARY_YEARS, libraryHolidays } from './holidays-library.ts';

export type CalendarAction = 'day_off' | 'working_day' | 'removed' | 'rule_on' | 'rule_off';

export interface CalendarChange {
  id: number;
  /** the day concerned; null for a switch of the rule */
  day: IsoDate | null;
  action: CalendarAction;
  name: string;
  /** ISO instant (UTC, milliseconds) from which the change counts */
  knownSince: string;
}

/** A deadline is moved at most this far (a longer run of days off is a corrupt calendar, not a holiday); the task
 * list's SQL prefilters widen their deadline bounds by as much. */
export const MAX_SHIFT_DAYS = 31;

/** "Due within 3 working days" never reaches further than this many calendar days after C (SQL prefilters). */
export const DUE_SOON_HORIZON_DAYS = 4 + MAX_SHIFT_DAYS;

/** The instant a local day ends (00:00 of the next day in Asia/Ho_Chi_Minh, UTC+7 all year). */
export function endOfDay(day: IsoDate): string {
  return `${day}T17:00:00.000Z`;
}

export interface DeadlineView {
  asOf: IsoDate;
  /** the working-day rule as of C (for deadlines after C; a passed deadline uses the rule at its own end) */
  ruleOn: boolean;
  /** the days as they stood on C: days up to C by the calendar at their own end, later days by the calendar on C */
  calendar: WorkingCalendar;
  /** the deadline D moved to the next working day when D is a day off and the rule applied to it */
  effectiveDeadline(deadline: IsoDate): IsoDate;
  /** open on C with this effective deadline and due within 3 working days (calendar days when the rule is off) */
  dueSoon(effectiveDeadline: IsoDate): boolean;
}

const MAX_VIEWS = 512;

export class DeadlineCalendar {
  readonly version: number;
  private readonly byDay = new Map<IsoDate, CalendarChange[]>();
  private readonly rule: CalendarChange[] = [];
  private readonly views = new Map<IsoDate, DeadlineView>();
  private last: DeadlineView | null = null;

  constructor(changes: readonly CalendarChange[], version = changes.reduce((m, c) => Math.max(m, c.id), 0)) {
    this.version = version;
    const sorted = [...changes].sort((a, b) =>
      a.knownSince !== b.knownSince ? (a.knownSince < b.knownSince ? -1 : 1) : a.id - b.id,
    );
    for (const c of sorted) {
      if (c.day === null) this.rule.push(c);
      else {
        const list = this.byDay.get(c.day);
        if (list) list.push(c);
        else this.byDay.set(c.day, [c]);
      }
    }
  }

  /** The rule switch as it stood at `instant` (on unless a change says otherwise). */
  ruleAt(instant: string): boolean {
    let on = true;
    for (const c of this.rule) if (c.knownSince < instant) on = c.action === 'rule_on';
    return on;
  }

  /** The entry for `day` as it stood at `instant`: 'day_off', 'working_day', or null (none, or removed). */
  entryAt(day: IsoDate, instant: string): 'day_off' | 'working_day' | null {
    let state: 'day_off' | 'working_day' | null = null;
    for (const c of this.byDay.get(day) ?? []) {
      if (c.knownSince >= instant) break;
      state = c.action === 'day_off' || c.action === 'working_day' ? c.action : null;
    }
    return state;
  }

  /** Every day with a change, sorted. */
  days(): IsoDate[] {
    return [...this.byDay.keys()].sort();
  }

  view(asOf: IsoDate): DeadlineView {
    if (this.last?.asOf === asOf) return this.last;
    let v = this.views.get(asOf);
    if (!v) {
      if (this.views.size >= MAX_VIEWS) this.views.clear();
      v = this.buildView(asOf);
      this.views.set(asOf, v);
    }
    this.last = v;
    return v;
  }

  private buildView(asOf: IsoDate): DeadlineView {
    const holidays = new Set<IsoDate>();
    const workingWeekends = new Set<IsoDate>();
    for (const day of this.byDay.keys()) {
      const state = this.entryAt(day, endOfDay(day < asOf ? day : asOf));
      if (state === 'day_off') holidays.add(day);
      else if (state === 'working_day') workingWeekends.add(day);
    }
    const calendar: WorkingCalendar = { holidays, workingWeekends };
    const ruleOn = this.ruleAt(endOfDay(asOf));
    // the last day still "within 3 working days" of C: the day before the 4th working day after C
    let dueSoonUntil = addDays(asOf, 3);
    if (ruleOn) {
      let d = asOf;
      for (let n = 0; n < 4 && d < addDays(asOf, DUE_SOON_HORIZON_DAYS); ) {
        d = addDays(d, 1);
        if (isWorkingDay(calendar, d)) n++;
      }
      dueSoonUntil = addDays(d, -1);
    }
    const shifted = new Map<IsoDate, IsoDate>();
    const effectiveDeadline = (deadline: IsoDate): IsoDate => {
      let e = shifted.get(deadline);
      if (e === undefined) {
        e = deadline;
        if (this.ruleAt(endOfDay(deadline < asOf ? deadline : asOf))) {
          e = nextWorkingDayFrom(calendar, deadline);
          const cap = addDays(deadline, MAX_SHIFT_DAYS);
          if (e > cap) e = cap;
        }
        shifted.set(deadline, e);
      }
      return e;
    };
    return {
      asOf,
      ruleOn,
      calendar,
      effectiveDeadline,
      dueSoon: (e) => asOf <= e && e <= dueSoonUntil,
    };
  }
}

/** The rule on, weekends only (tests). */
export const WEEKENDS_CALENDAR = new DeadlineCalendar([]);

/** The rule off since always: deadlines as written (rules version 2; settledAsOf's calendar-free classification). */
export const NO_SHIFT_CALENDAR = new DeadlineCalendar([
  { id: 0, day: null, action: 'rule_off', name: '', knownSince: '0000-01-01T00:00:00.000Z' },
]);

/** What migration 0011 puts in a new database: the library's statutory days off, known since always. */
export function statutoryCalendar(): DeadlineCalendar {
  const changes: CalendarChange[] = [];
  for (let y = LIBRARY_YEARS.from; y <= LIBRARY_YEARS.to; y++)
    for (const h of libraryHolidays(y))
      changes.push({ id: 0, day: h.day, action: 'day_off', name: h.name, knownSince: '0000-01-01T00:00:00.000Z' });
  return new DeadlineCalendar(changes, 0);
}

let active: DeadlineCalendar | null = null;

/** The calendar classifyAsOf uses when none is passed: the one last loaded from the database (holidays.ts
 * deadlineCalendarOf, run on every request, by the statistics and by the task write path); before any is loaded,
 * the one a new database starts with (statutoryCalendar), so a process that never loads one still agrees with it. */
export function activeDeadlineCalendar(): DeadlineCalendar {
  active ??= statutoryCalendar();
  return active;
}

export function setActiveDeadlineCalendar(calendar: DeadlineCalendar): void {
  active = calendar;
}
