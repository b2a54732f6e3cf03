/**
 * The task list behind each number of the leaders' overview: /admin/tasks with the list's own filter parameters
 * (task-filter.ts: asOf, status, assignedFrom / assignedTo, agency, leader, sort), so a click shows the tasks a
 * figure counts.
 *
 *   assigned in the period  assignedFrom = from, asOf = C, status
 *   backlog                 open tasks: assignedTo = from − 1, asOf = C, status (open on C ⇒ open on from − 1);
 *                           the backlog itself: tasks open on from − 1 (asOf = from − 1, status = open)
 *   cumulative              asOf = C, status
 * (the list only shows tasks assigned by its asOf, so "assignedTo = C" would be redundant: ~25 bytes on each of
 * the page's ~600 links)
 *
 * A figure no filter can reproduce (the backlog completed within the period, the sums "completed" and "due") has no
 * link (null) rather than a wrong one. A view's total is the list's 'counted' status: assigned by C and not
 * cancelled by C, as the statistics count.
 */
import { addDays, type IsoDate } from './dates.ts';
import type { OverviewPeriod } from './overview-period.ts';
import type { Metric, ViewKey } from './overview.ts';
import type { TaskStatusFilter } from './task-filter.ts';

export interface LinkScope {
  /** agency code */
  agency?: string | null;
  leader?: number | null;
}

const STATUS_OF: Partial<Record<Metric, TaskStatusFilter>> = {
  completedOnTime: 'completedOnTime',
  completedLate: 'completedLate',
  inProgress: 'inProgress',
  overdue: 'overdue',
  noDeadline: 'noDeadline',
  awaitingConfirmation: 'awaitingConfirmation',
};

const OPEN_STATUSES = new Set<TaskStatusFilter>(['inProgress', 'overdue', 'noDeadline', 'awaitingConfirmation']);

/** /admin/tasks?… for a filter (hand-joined: the overview builds ~900 of these a page, URLSearchParams is slower). */
export function tasksHref(query: Record<string, string>): string {
  let qs = '';
  for (const k in query) qs += `${qs === '' ? '' : '&'}${k}=${encodeURIComponent(query[k]!)}`;
  return `/admin/tasks?${qs}`;
}

function scoped(q: Record<string, string>, scope: LinkScope): Record<string, string> {
  if (scope.agency) q.agency = scope.agency;
  if (scope.leader !== undefined && scope.leader !== null) q.leader = String(scope.leader);
  return q;
}

// the overview asks this for every figure of one period: remember the last answer
let lastFrom = '';
let lastBefore = '';
function dayBefore(from: IsoDate): IsoDate {
  if (from !== lastFrom) {
    lastBefore = addDays(from, -1);
    lastFrom = from;
  }
  return lastBefore;
}

/** The filter for one figure, or null when the task list cannot show exactly those tasks. */
export function figureQuery(
  period: Pick<OverviewPeriod, 'from' | 'asOf'>,
  view: ViewKey,
  metric: Metric | 'openAtStart',
  scope: LinkScope = {},
): Record<string, string> | null {
  const C: IsoDate = period.asOf;
  const before = dayBefore(period.from);
  if (metric === 'openAtStart') return scoped({ asOf: before, assignedTo: before, status: 'open' }, scope);
  const status = metric === 'total' ? 'counted' : STATUS_OF[metric];
  if (status === undefined) return null;
  let q: Record<string, string>;
  switch (view) {
    case 'assigned':
      q = { asOf: C, assignedFrom: period.from };
      break;
    case 'backlog':
      if (status === undefined || !OPEN_STATUSES.has(status)) return null;
      q = { asOf: C, assignedTo: before };
      break;
    case 'cumulative':
      q = { asOf: C };
      break;
  }
  q.status = status;
  return scoped(q, scope);
}

/**
 * The links made, by their inputs: a pure function's memo. The overview asks for the same few hundred links on every
 * request (the figures change, the lists behind them do not), and making each was a tenth of its summary's time.
 */
const made = new Map<string, string | null>();
const MADE_MAX = 8192;

function remembered(key: string, make: () => string | null): string | null {
  let href = made.get(key);
  if (href === undefined) {
    if (made.size >= MADE_MAX) made.clear();
    made.set(key, (href = make()));
  }
  return href;
}

export function figureHref(
  period: Pick<OverviewPeriod, 'from' | 'asOf'>,
  view: ViewKey,
  metric: Metric | 'openAtStart',
  scope: LinkScope = {},
): string | null {
  return remembered(
    `f|${period.from}|${period.asOf}|${view}|${metric}|${scope.agency ?? ''}|${scope.leader ?? ''}`,
    () => {
      const q = figureQuery(period, view, metric, scope);
      return q === null ? null : tasksHref(q);
    },
  );
}

/** Overdue tasks of a view, the longest overdue first (the list has no ageing filter: its top rows are the oldest). */
export function ageingHref(period: Pick<OverviewPeriod, 'from' | 'asOf'>, view: ViewKey): string | null {
  return remembered(`a|${period.from}|${period.asOf}|${view}`, () => {
    const q = figureQuery(period, view, 'overdue');
    return q === null ? null : tasksHref({ ...q, sort: 'effective_deadline', dir: 'asc' });
  });
}

/** The tasks of one month of the trend: assigned in it (counted), or overdue at its end. */
export function monthHref(month: { from: IsoDate; to: IsoDate }, what: 'assigned' | 'overdue'): string {
  return remembered(`m|${month.from}|${month.to}|${what}`, () =>
    what === 'assigned'
      ? tasksHref({ asOf: month.to, assignedFrom: month.from, status: 'counted' })
      : tasksHref({ asOf: month.to, status: 'overdue' }),
  )!;
}
