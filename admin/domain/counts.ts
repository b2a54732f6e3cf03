/**
 * TaskStatus ──addToCounts──▶ Counts: the published figures of a set of tasks as of one cutoff, with the rates
 * counted the national way (DESIGN.md §3: due = completed + overdue; rates over due). status.ts classifies; this
 * module only adds up, so every caller (stats.ts, the publication, the dashboards) counts alike.
 */
import type { TaskStatus } from './status.ts';

export interface Counts {
  total: number;
  completedOnTime: number;
  completedLate: number;
  inProgress: number;
  overdue: number;
  noDeadline: number;
  awaitingConfirmation: number;
  dueSoon: number;
  overdueOver30: number;
  overdueOver60: number;
  overdueOver120: number;
  /** tasks that have fallen due (effective deadline ≤ C) plus those completed by C */
  due: number;
  /** completed on time ÷ due; null when nothing has fallen due */
  onTimeRate: number | null;
  /** (completed late + still overdue) ÷ due; null when nothing has fallen due */
  overdueRate: number | null;
}

export function emptyCounts(): Counts {
  return {
    total: 0,
    completedOnTime: 0,
    completedLate: 0,
    inProgress: 0,
    overdue: 0,
    noDeadline: 0,
    awaitingConfirmation: 0,
    dueSoon: 0,
    overdueOver30: 0,
    overdueOver60: 0,
    overdueOver120: 0,
    due: 0,
    onTimeRate: null,
    overdueRate: null,
  };
}

/** Adds one classified task (or `n` tasks with this same status) to running counts (rates: see finishCounts). */
export function addToCounts(c: Counts, s: TaskStatus, n = 1): void {
  if (!s.counted || s.category === null) return;
  c.total += n;
  c[s.category] += n;
  if (s.awaitingConfirmation) c.awaitingConfirmation += n;
  if (s.dueSoon) c.dueSoon += n;
  // ageing buckets are cumulative: a task 130 days overdue is over 30, over 60 and over 120
  if (s.overdueDays > 30) c.overdueOver30 += n;
  if (s.overdueDays > 60) c.overdueOver60 += n;
  if (s.overdueDays > 120) c.overdueOver120 += n;
  if (s.due) c.due += n;
}

export function finishCounts(c: Counts): Counts {
  c.onTimeRate = c.due === 0 ? null : c.completedOnTime / c.due;
  c.overdueRate = c.due === 0 ? null : (c.completedLate + c.overdue) / c.due;
  return c;
}

/** Minimum number of due tasks before a unit's rate is ranked or compared (DESIGN.md §3). */
export const MIN_DUE_FOR_RANKING = 10;
