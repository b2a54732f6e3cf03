/**
 * What the dashboard counts and lists (admin/routes/dashboard.tsx renders them).
 *
 * computeStats reads every task row (~30 ms on ten years), so counts are cached per (as-of day, agency scope).
 * Every change to a task appends an event (task_events is append-only) or creates a task, so the task query's data
 * version (task-query.ts taskDataVersion) changes on every write that can change a count: it is the cache's version.
 * Agency renames do not change counts; names are read fresh.
 */
import type { DB } from '../db/open.ts';
import { can, type Principal } from '../auth/permissions.ts';
import { computeStats } from './stats.ts';
import type { Counts } from './status.ts';
import { addDays } from './dates.ts';
import { parseTaskFilter, queryTasks, taskDataVersion, type TaskListRow } from './task-query.ts';

export interface DashboardCounts {
  asOf: string;
  /** assigned, not yet acknowledged (received), still open */
  unreceived: number;
  totals: Counts;
}

const CACHE_MAX = 256;
const cache = new Map<string, { version: string; value: DashboardCounts }>();

/** Counts as of `asOf` for one agency (its led tasks) or all (agencyId null); cached until the data changes. */
export function dashboardCounts(db: DB, asOf: string, agencyId: number | null): DashboardCounts {
  const key = `${asOf}|${agencyId ?? 'all'}`;
  const version = taskDataVersion(db);
  const hit = cache.get(key);
  if (hit && hit.version === version) return hit.value;
  const stats = computeStats(db, asOf, { live: true, ...(agencyId === null ? {} : { agencyId }) });
  const unreceived = (
    db
      .prepare(
        `SELECT count(*) AS n FROM tasks WHERE received_on IS NULL AND cancelled_on IS NULL AND confirmed_on IS NULL
           AND assigned_on <= ? ${agencyId === null ? '' : 'AND lead_agency_id = ?'}`,
      )
      .get(...(agencyId === null ? [asOf] : [asOf, agencyId])) as { n: number }
  ).n;
  const value = { asOf, unreceived, totals: stats.totals };
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, { version, value });
  return value;
}

export function clearDashboardCache(): void {
  cache.clear();
}

/** One dashboard list: a filter of the task list, its count and first rows (same query as the list: same numbers). */
export interface DashboardList {
  key: string;
  label: string;
  query: Record<string, string>;
  total: number;
  rows: TaskListRow[];
  warn?: boolean;
  /** the role's own work page for this list (inbox, confirmation queue), when it has one */
  workLink?: { href: string; label: string };
}

const LIST_ROWS = 5;
const RECENT_DAYS = 7;

/**
 * The lists every task reader sees first (issue 4): new and not yet acknowledged, due within 3 days, overdue,
 * awaiting confirmation, recently changed. An agency user's lists are the tasks its agency leads as of today (the
 * ones it must act on); everyone else's cover the province. Counts come from task-query.ts (cached per data version).
 */
export function dashboardLists(db: DB, principal: Pick<Principal, 'role' | 'agencyId'>, asOf: string): DashboardList[] {
  const base: Record<string, string> = { asOf };
  // the focal point and the head work from the tasks their unit leads; an officer from those delegated to them
  if ((principal.role === 'agency' || principal.role === 'head') && principal.agencyId !== null) {
    const a = db.prepare('SELECT code FROM agencies WHERE id = ?').get(principal.agencyId) as
      | { code: string }
      | undefined;
    if (a) base.agency = a.code;
  }
  const specs: Array<Omit<DashboardList, 'total' | 'rows'>> = [
    {
      key: 'new',
      label: 'Nhiệm vụ mới, chưa tiếp nhận',
      query: { ...base, status: 'open', received: '0', sort: 'assigned_on', dir: 'desc' },
    },
    {
      key: 'dueSoon',
      label: 'Sắp đến hạn (trong 3 ngày làm việc)',
      query: { ...base, status: 'dueSoon', sort: 'effective_deadline', dir: 'asc' },
    },
    {
      key: 'overdue',
      label: 'Đang quá hạn',
      query: { ...base, status: 'overdue', sort: 'effective_deadline', dir: 'asc' },
      warn: true,
    },
    {
      key: 'awaiting',
      label: 'Đã báo cáo, chờ xác nhận',
      query: { ...base, status: 'awaitingConfirmation', sort: 'last_update', dir: 'desc' },
    },
    {
      key: 'recent',
      label: `Mới cập nhật (${RECENT_DAYS} ngày qua)`,
      query: { ...base, updatedFrom: addDays(asOf, -(RECENT_DAYS - 1)), sort: 'last_update', dir: 'desc' },
    },
  ];
  if (can(principal, 'task.receive'))
    specs[0]!.workLink = { href: '/admin/inbox', label: 'Mở hộp nhiệm vụ mới để tiếp nhận' };
  if (can(principal, 'report.confirm'))
    specs[3]!.workLink = { href: '/admin/queues/reports', label: 'Mở hàng chờ xác nhận' };
  return specs.map((spec) => {
    const parsed = parseTaskFilter({ ...spec.query, pageSize: String(LIST_ROWS) });
    if (!parsed.ok) throw new Error(`dashboard filter ${spec.key}: ${JSON.stringify(parsed.errors)}`);
    const r = queryTasks(db, principal, parsed.filter, { live: true });
    return { ...spec, total: r.total, rows: r.rows };
  });
}
