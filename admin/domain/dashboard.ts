/**
 * What the dashboard counts and lists (admin/routes/dashboard.tsx renders them).
 *
 * Counts and lists come from the live index of the day (live-status.ts: every task's status as of today, brought up
 * to date by the tasks changed since the last look), so the first dashboard after a write reads one task again, not
 * every row. The counts are also cached per (day, agency scope) and data version, as before; nothing depends on it.
 */
import type { DB } from '../db/open.ts';
import { can, type Principal } from '../auth/permissions.ts';
import { computeStats } from './stats.ts';
import { liveIndex } from './live-status.ts';
import type { Counts } from './status.ts';
import { addDays } from './dates.ts';
import { parseTaskFilter, queryTasks, taskDataVersion, type TaskFilter, type TaskListRow } from './task-query.ts';
import { agencyTable } from './agency-table.ts';

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
  // open tasks not yet acknowledged (per lead agency on the day: the current one, as the day is today)
  const perAgency = liveIndex(db, asOf).counts.unreceived;
  let unreceived = 0;
  if (agencyId !== null) unreceived = perAgency.get(agencyId) ?? 0;
  else for (const n of perAgency.values()) unreceived += n;
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

/** the lists' filters, parsed once: the same all day for a role and unit (parseTaskFilter is pure given asOf) */
const parsedFilters = new Map<string, TaskFilter>();

function listFilter(key: string, query: Record<string, string>): TaskFilter {
  const raw = { ...query, pageSize: String(LIST_ROWS) };
  const memoKey = JSON.stringify(raw);
  let filter = parsedFilters.get(memoKey);
  if (!filter) {
    const parsed = parseTaskFilter(raw);
    if (!parsed.ok) throw new Error(`dashboard filter ${key}: ${JSON.stringify(parsed.errors)}`);
    if (parsedFilters.size >= 512) parsedFilters.clear();
    parsedFilters.set(memoKey, (filter = parsed.filter));
  }
  return filter;
}

/**
 * The lists every task reader sees first (issue 4): new and not yet acknowledged, due within 3 days, overdue,
 * awaiting confirmation, recently changed. An agency user's lists are the tasks its agency leads as of today (the
 * ones it must act on); everyone else's cover the province. Counts come from task-query.ts (cached per data version).
 */
export function dashboardLists(db: DB, principal: Pick<Principal, 'role' | 'agencyId'>, asOf: string): DashboardList[] {
  const base: Record<string, string> = { asOf };
  // the focal point and the head work from the tasks their unit leads; an officer from those delegated to them
  if ((principal.role === 'agency' || principal.role === 'head') && principal.agencyId !== null) {
    const a = agencyTable(db).byId.get(principal.agencyId);
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
    const r = queryTasks(db, principal, listFilter(spec.key, spec.query), { live: true, firstPageOnly: true });
    return { ...spec, total: r.total, rows: r.rows };
  });
}
