/**
 * The dashboard: counts as of today for the user's scope (the agency's own tasks for an agency user, every task
 * for the Office, the working group and leaders; aggregate counts for the administrator), through computeStats —
 * the same rules as the published numbers. Issue 4 adds, for every role that reads tasks, the lists it works from
 * (new and not yet acknowledged, due within 3 days, overdue, awaiting confirmation, recently changed), each a
 * filter of the task list (admin/domain/task-query.ts, cached per data version in the same way) linking to it.
 *
 * computeStats reads every task row (~30 ms on ten years), so results are cached per (as-of day, agency scope).
 * Every change to a task appends an event (task_events is append-only) or creates a task, so the pair
 * (max event id, max task id) changes on every write that can change a count: it is the cache's version, read
 * with two index lookups per request. Agency renames do not change counts; names are read fresh.
 */
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import type { DB } from '../db/open.ts';
import { can, requirePermission, ROLE_LABELS, type Principal } from '../auth/permissions.ts';
import { computeStats } from '../domain/stats.ts';
import { CATEGORY_LABELS, type Counts } from '../domain/status.ts';
import { addDays, formatDateVi, today } from '../domain/dates.ts';
import { parseTaskFilter, queryTasks, taskDataVersion, type TaskListRow } from '../domain/task-query.ts';
import { Layout } from '../views/layout.tsx';
import { Flash, Table } from '../views/components.tsx';
import { flashFromQuery } from './form-helpers.ts';

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
  const stats = computeStats(db, asOf, agencyId === null ? {} : { agencyId });
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

function pct(r: number | null): string {
  return r === null ? '—' : `${(r * 100).toFixed(1).replace('.', ',')}%`;
}

/** One dashboard list: a filter of the task list, its count and first rows (same query as the list: same numbers). */
interface DashboardList {
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
  if (principal.role === 'agency' && principal.agencyId !== null) {
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
      label: 'Sắp đến hạn (trong 3 ngày)',
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
    const r = queryTasks(db, principal, parsed.filter);
    return { ...spec, total: r.total, rows: r.rows };
  });
}

function listHref(query: Record<string, string>): string {
  return `/admin/tasks?${new URLSearchParams(query).toString()}`;
}

export function dashboardRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  /**
   * Rendered dashboards per person, day and query string (a flash key), valid while the task data version holds and
   * for at most a minute, as the task list's pages: everyone opens it many times a day, and rendering its five lists
   * was most of a request (bench: p99 75 ms at 50 connections rendered every time). Never shared between people.
   */
  const pageCache = new Map<string, { version: string; at: number; html: string }>();
  app.get('/', requirePermission('dashboard.view'), async (c) => {
    const user = c.get('user')!;
    const principal = c.get('principal')!;
    const asOf = today(deps.clock());
    const cacheKey = `${principal.kind}:${principal.id}|${principal.role}|${principal.agencyId}|${asOf}|${new URL(c.req.url).search}`;
    const version = taskDataVersion(deps.db);
    const hit = pageCache.get(cacheKey);
    if (hit && hit.version === version && Date.now() - hit.at < 60_000) return c.html(hit.html);
    const scoped = user.role === 'agency';
    const showStats = can(user, 'stats.read');
    const readsTasks = can(principal, 'task.read');
    const d = showStats ? dashboardCounts(deps.db, asOf, scoped ? user.agencyId : null) : null;
    const t = d?.totals;
    const lists = readsTasks ? dashboardLists(deps.db, principal, asOf) : null;
    const page = (
      <Layout title="Tổng quan" user={user} current="dashboard">
        {flashFromQuery(c) && <Flash kind="ok">{flashFromQuery(c)}</Flash>}
        <p>
          Xin chào {user.displayName} — {ROLE_LABELS[user.role]}
          {user.agencyName ? `, ${user.agencyName}` : ''}. Số liệu tính đến ngày {formatDateVi(asOf)}
          {scoped ? ' (các nhiệm vụ đơn vị bạn chủ trì)' : ' (toàn tỉnh)'}.
        </p>
        {lists && (
          <>
            <ul class="cards" aria-label="Việc cần chú ý">
              {lists.map((l) => (
                <li class={`card${l.warn && l.total > 0 ? ' warn' : ''}`}>
                  <a href={listHref(l.query)} data-list={l.key}>
                    <span class="n">{l.total}</span> {l.label}
                  </a>
                  {l.workLink && (
                    <p class="hint">
                      <a href={l.workLink.href}>{l.workLink.label}</a>
                    </p>
                  )}
                </li>
              ))}
            </ul>
            {lists
              .filter((l) => l.rows.length > 0)
              .map((l) => (
                <section aria-labelledby={`list-${l.key}`}>
                  <h2 id={`list-${l.key}`}>{l.label}</h2>
                  <Table
                    head={['Mã', 'Nhiệm vụ', 'Đơn vị chủ trì', 'Thời hạn', 'Tình trạng']}
                    rows={l.rows.map((r) => [
                      <a href={`/admin/tasks/${r.code}`}>{r.code}</a>,
                      r.title,
                      r.leadAgencyName,
                      r.effectiveDeadline ? formatDateVi(r.effectiveDeadline) : 'Không thời hạn',
                      r.overdueDays > 0 ? `${r.statusLabel} (${r.overdueDays} ngày)` : r.statusLabel,
                    ])}
                  />
                  {l.total > l.rows.length && (
                    <p>
                      <a href={listHref(l.query)}>Xem tất cả {l.total} nhiệm vụ</a>
                    </p>
                  )}
                </section>
              ))}
          </>
        )}
        {d && t && (
          <>
            {!lists && (
              <ul class="cards" aria-label="Việc cần chú ý">
                <li class="card">
                  <span class="n">{d.unreceived}</span> Nhiệm vụ mới, chưa tiếp nhận
                </li>
                <li class="card">
                  <span class="n">{t.dueSoon}</span> Sắp đến hạn (trong 3 ngày)
                </li>
                <li class={`card${t.overdue > 0 ? ' warn' : ''}`}>
                  <span class="n">{t.overdue}</span> Đang quá hạn
                </li>
                <li class="card">
                  <span class="n">{t.awaitingConfirmation}</span> Đã báo cáo, chờ xác nhận
                </li>
              </ul>
            )}
            <Table
              caption={`Tình hình thực hiện tính đến ngày ${formatDateVi(asOf)}`}
              head={['Phân loại', 'Số nhiệm vụ']}
              rows={[
                ['Tổng số nhiệm vụ đang theo dõi', t.total],
                [CATEGORY_LABELS.completedOnTime, t.completedOnTime],
                [CATEGORY_LABELS.completedLate, t.completedLate],
                [CATEGORY_LABELS.inProgress, t.inProgress],
                [CATEGORY_LABELS.overdue, t.overdue],
                [CATEGORY_LABELS.noDeadline, t.noDeadline],
                ['Tỷ lệ hoàn thành đúng hạn', `${pct(t.onTimeRate)} (trên ${t.due} nhiệm vụ đã đến hạn)`],
                ['Tỷ lệ quá hạn', pct(t.overdueRate)],
              ]}
            />
          </>
        )}
      </Layout>
    );
    const html = String(await page);
    if (pageCache.size >= 512) pageCache.delete(pageCache.keys().next().value!);
    pageCache.set(cacheKey, { version, at: Date.now(), html });
    return c.html(html);
  });
  return app;
}
