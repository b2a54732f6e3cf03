/**
 * Working days (issue 11): Saturdays and Sundays are days off, public holidays too, and a compensatory working day
 * (ngày làm bù) turns a weekend day into a working one. This module is pure so the status module and the notice
 * job share one rule. The calendar of a cutoff C comes from the administrator's holiday table with its history:
 * `deadlineCalendarOf(db).view(C).calendar` (holidays.ts, holidays-history.ts: each day as it stood at its end).
 */
import { addDays, type IsoDate } from './dates.ts';

export interface WorkingCalendar {
  /** days off besides weekends (official holidays, Tết, compensatory days off) */
  holidays: ReadonlySet<IsoDate>;
  /** weekend days that are working days (compensatory working Saturdays) */
  workingWeekends: ReadonlySet<IsoDate>;
}

/** Weekends only: the calendar before any holiday is recorded. */
export const WEEKENDS_ONLY: WorkingCalendar = { holidays: new Set(), workingWeekends: new Set() };

function weekday(date: IsoDate): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

export function isWorkingDay(calendar: WorkingCalendar, date: IsoDate): boolean {
  if (calendar.holidays.has(date)) return false;
  const day = weekday(date);
  if (day === 0 || day === 6) return calendar.workingWeekends.has(date);
  return true;
}

/** The date itself when it is a working day, otherwise the next working day (Bộ luật Dân sự 2015, Điều 148 khoản 5). */
export function nextWorkingDayFrom(calendar: WorkingCalendar, date: IsoDate): IsoDate {
  let d = date;
  // a year of days off in a row cannot happen; the bound only guards against a corrupt calendar
  for (let i = 0; i < 366 && !isWorkingDay(calendar, d); i++) d = addDays(d, 1);
  return d;
}

/** The date n working days after `date` (n ≥ 0; n = 0 gives nextWorkingDayFrom). */
export function addWorkingDays(calendar: WorkingCalendar, date: IsoDate, n: number): IsoDate {
  let d = nextWorkingDayFrom(calendar, date);
  for (let i = 0; i < n; i++) d = nextWorkingDayFrom(calendar, addDays(d, 1));
  return d;
}

/** Working days in (from, to]: 0 when to ≤ from. "Due within 3 working days" is workingDaysBetween(today, deadline) ≤ 3. */
export function workingDaysBetween(calendar: WorkingCalendar, from: IsoDate, to: IsoDate): number {
  let count = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(calendar, d)) count++;
  return count;
}
