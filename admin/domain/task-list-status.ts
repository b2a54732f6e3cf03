/** The status of one task as the task list sees it: its key, and whether it matches a status filter. */
import type { IsoDate } from './dates.ts';
import type { Category, TaskStatus } from './status.ts';
import type { TaskStatusFilter } from './task-filter.ts';

export type ListStatus = Category | 'cancelled' | 'notAssigned';

/** The list's status key for a classified task: its category, or cancelled (cancelled on or before C). */
export function listStatusOf(s: TaskStatus): ListStatus {
  if (s.category !== null) return s.category;
  return s.counted ? 'notAssigned' : 'cancelled';
}

/**
 * Does a classified task match a status filter? awaitingConfirmation and dueSoon are sub-flags of open tasks;
 * open = any of the three not-completed categories (the dashboard's "new, not yet acknowledged" list uses it).
 */
export function statusMatches(s: TaskStatus, wanted: TaskStatusFilter, assignedOn: IsoDate, asOf: IsoDate): boolean {
  switch (wanted) {
    case 'cancelled':
      return !s.counted && assignedOn <= asOf;
    case 'awaitingConfirmation':
      return s.counted && s.awaitingConfirmation;
    case 'dueSoon':
      return s.counted && s.dueSoon;
    case 'open':
      return s.counted && (s.category === 'inProgress' || s.category === 'overdue' || s.category === 'noDeadline');
    case 'counted':
      return s.counted;
    default:
      return s.counted && s.category === wanted;
  }
}
