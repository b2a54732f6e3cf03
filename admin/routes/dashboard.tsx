/**
 * The dashboard: counts as of today for the user's scope (the agency's own tasks for an agency user, every task
 * for the Office, the working group and leaders; aggregate counts for the administrator), through computeStats —
 * the same rules as the published numbers. Issue 4 adds, for every role that reads tasks, the lists it works from
 * (new and not yet acknowledged, due within 3 days, overdue, awaiting confirmation, recently changed), each a
 * filter of the task list (admin/domain/task-query.ts, cached per data version in the same way) linking to it.
 *
 * The counts and lists come from admin/domain/dashboard.ts (cached there per data version).
 */
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { can, requirePermission, ROLE_LABELS } from '../auth/permissions.ts';
import { CATEGORY_LABELS } from '../domain/status.ts';
import { formatDateVi, today } from '../domain/dates.ts';
import { taskDataVersion } from '../domain/task-query.ts';
import { dashboardCounts, dashboardLists } from '../domain/dashboard.ts';
import { dashboardListsBytes, figureTable } from '../views/dashboard-lists.ts';
import { h } from '../views/html.ts';
import { shellAround } from '../views/page-shell.ts';
import { flashFromQuery, pageCacheOn } from './form-helpers.ts';
import { formatNumber, formatRate } from '../domain/format.ts';

const HTML = { 'Content-Type': 'text/html; charset=UTF-8' };

export function dashboardRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  /**
   * Rendered dashboards per person, day and query string (a flash key), valid while the task data version holds and
   * for at most a minute, as the task list's pages: everyone opens it many times a day, and rendering its five lists
   * was most of a request (bench: p99 75 ms at 50 connections rendered every time). Never shared between people.
   */
  const pageCache = new Map<string, { version: string; at: number; bytes: Uint8Array<ArrayBuffer> }>();
  app.get('/', requirePermission('dashboard.view'), async (c) => {
    const user = c.get('user')!;
    const principal = c.get('principal')!;
    const asOf = today(deps.clock());
    const cacheKey = `${principal.kind}:${principal.id}|${principal.role}|${principal.agencyId}|${asOf}|${new URL(c.req.url).search}`;
    const version = taskDataVersion(deps.db);
    const hit = pageCache.get(cacheKey);
    if (hit && hit.version === version && Date.now() - hit.at < 60_000 && pageCacheOn())
      return c.body(hit.bytes, 200, HTML);
    const scoped = user.role === 'agency' || user.role === 'head';
    const showStats = can(user, 'stats.read');
    const readsTasks = can(principal, 'task.read');
    const d = showStats ? dashboardCounts(deps.db, asOf, scoped ? user.agencyId : null) : null;
    const t = d?.totals;
    const lists = readsTasks ? dashboardLists(deps.db, principal, asOf) : null;
    const flash = flashFromQuery(c);
    const cards =
      d &&
      t &&
      !lists &&
      h`<ul class="cards" aria-label="Việc cần chú ý"><li class="card"><span class="n">${formatNumber(d.unreceived)}</span> Nhiệm vụ mới, chưa tiếp nhận</li><li class="card"><span class="n">${formatNumber(t.dueSoon)}</span> Sắp đến hạn (trong 3 ngày làm việc)</li><li class="${t.overdue > 0 ? 'card warn' : 'card'}"><span class="n">${formatNumber(t.overdue)}</span> Đang quá hạn</li><li class="card"><span class="n">${formatNumber(t.awaitingConfirmation)}</span> Đã báo cáo, chờ xác nhận</li></ul>`;
    const table =
      t &&
      figureTable(`Tình hình thực hiện tính đến ngày ${formatDateVi(asOf)}`, [
        ['Tổng số nhiệm vụ đang theo dõi', formatNumber(t.total)],
        [CATEGORY_LABELS.completedOnTime, formatNumber(t.completedOnTime)],
        [CATEGORY_LABELS.completedLate, formatNumber(t.completedLate)],
        [CATEGORY_LABELS.inProgress, formatNumber(t.inProgress)],
        [CATEGORY_LABELS.overdue, formatNumber(t.overdue)],
        [CATEGORY_LABELS.noDeadline, formatNumber(t.noDeadline)],
        ['Tỷ lệ hoàn thành đúng hạn', `${formatRate(t.onTimeRate)} (trên ${formatNumber(t.due)} nhiệm vụ đã đến hạn)`],
        ['Tỷ lệ quá hạn', formatRate(t.overdueRate)],
      ]);
    const body = h`${flash && h`<div class="flash flash-ok" role="status">${flash}</div>`}<p>Xin chào ${user.displayName} — ${ROLE_LABELS[user.role]}${user.agencyName ? `, ${user.agencyName}` : ''}. Số liệu tính đến ngày ${formatDateVi(asOf)}${scoped ? ' (các nhiệm vụ đơn vị bạn chủ trì)' : ' (toàn tỉnh)'}.</p>${can(user, 'overview.view') && h`<p><a href="/admin/overview">Xem tổng hợp theo kỳ</a> (tháng, quý, 6 tháng, năm; theo đơn vị và theo lãnh đạo giao).</p>`}${lists && dashboardListsBytes(lists)}${cards}${table}`;
    const bytes = shellAround({ title: 'Tổng quan', user, current: 'dashboard' }, body);
    if (pageCache.size >= 512) pageCache.delete(pageCache.keys().next().value!);
    pageCache.set(cacheKey, { version, at: Date.now(), bytes });
    return c.body(bytes, 200, HTML);
  });
  return app;
}
