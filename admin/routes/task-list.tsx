/**
 * The task list (issue 4): GET /admin/tasks with filters (agency, status as of a date, leader, sector, document,
 * priority, free text without diacritics), sortable columns, paging and counts per status for the current filter;
 * GET /admin/tasks/export.xlsx and /admin/tasks/export.csv give exactly the filtered list the user may see.
 * Everything goes through admin/domain/task-query.ts (the same query as the integration API). Works without
 * JavaScript: the filter form is a plain GET form; sorting and paging are links.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { can, requirePermission } from '../auth/permissions.ts';
import { writeAudit } from '../audit/audit.ts';
import {
  exportTasks,
  filterToQuery,
  parseTaskFilter,
  queryTasks,
  taskDataVersion,
  type TaskFilter,
  type TaskListRow,
} from '../domain/task-query.ts';
import { taskFilterChoices } from '../domain/task-filter-choices.ts';
import { errorsByField, filterForm, formatInstantVi, taskListBody, type Raw } from '../views/task-list-view.ts';
import { h } from '../views/html.ts';
import { errorSummary } from '../views/html-parts.ts';
import { shellAround } from '../views/page-shell.ts';
import { formatDateVi, today } from '../domain/dates.ts';
import { Layout } from '../views/layout.tsx';
import { ErrorSummary } from '../views/components.tsx';
import { buildCsv, buildXlsx, CSV_TYPE, XLSX_TYPE, type CellValue, type SheetColumn } from './export-helpers.ts';
import { pageCacheOn } from './form-helpers.ts';
import { attachmentDisposition } from '../files/disposition.ts';

export { formatInstantVi };

/** The query string as given (first value of each key), bounded so a hostile URL cannot blow up the page. */
function rawQuery(c: Context<AppEnv>): Raw {
  const out: Raw = {};
  for (const [k, v] of Object.entries(c.req.query()).slice(0, 40)) out[k.slice(0, 50)] = v.slice(0, 300);
  return out;
}

const EXPORT_COLUMNS: SheetColumn[] = [
  { header: 'Mã nhiệm vụ', width: 15 },
  { header: 'Tên nhiệm vụ', width: 60 },
  { header: 'Mã đơn vị chủ trì', width: 14 },
  { header: 'Đơn vị chủ trì', width: 32 },
  { header: 'Đơn vị phối hợp', width: 40 },
  { header: 'Lãnh đạo giao', width: 24 },
  { header: 'Lĩnh vực', width: 20 },
  { header: 'Số văn bản', width: 18 },
  { header: 'Ngày giao', width: 12 },
  { header: 'Thời hạn ban đầu', width: 14 },
  { header: 'Thời hạn gia hạn', width: 14 },
  { header: 'Tình trạng', width: 26 },
  { header: 'Chờ xác nhận', width: 12 },
  { header: 'Số ngày quá hạn', width: 12 },
  { header: 'Ngày hoàn thành', width: 14 },
  { header: 'Cập nhật gần nhất', width: 18 },
  { header: 'Trọng tâm', width: 10 },
  { header: 'Mật', width: 8 },
];

function exportCells(r: TaskListRow): CellValue[] {
  return [
    r.code,
    r.title,
    r.leadAgencyCode,
    r.leadAgencyName,
    r.coordinatorNames.join('; '),
    r.leaderName ?? '',
    r.sectorName ?? '',
    r.documentNumber ?? '',
    { date: r.assignedOn },
    { date: r.deadline },
    { date: r.extDeadline },
    r.statusLabel,
    r.awaitingConfirmation ? 'Có' : '',
    r.overdueDays > 0 ? r.overdueDays : null,
    { date: r.completionDate },
    { instant: r.lastUpdateAt },
    r.starred ? 'Có' : '',
    r.confidential ? 'Có' : '',
  ];
}

function describeFilter(f: TaskFilter): Array<[string, string]> {
  const q = filterToQuery(f, { page: undefined, pageSize: undefined, asOf: undefined });
  return [
    ['Tình trạng tính đến ngày', formatDateVi(f.asOf)],
    [
      'Bộ lọc',
      Object.entries(q)
        .map(([k, v]) => `${k}=${v}`)
        .join('; ') || 'không',
    ],
  ];
}

const HTML = { 'Content-Type': 'text/html; charset=UTF-8' };
const PAGE_CACHE_MAX = 128;
const PAGE_CACHE_TTL_MS = 60_000;

export function taskListRoutes(deps: AppDeps) {
  const { db } = deps;
  const app = new Hono<AppEnv>();
  /**
   * Rendered list pages, per person, day and query string, valid while the task data version is unchanged (as the
   * query's own cache) and for at most a minute (a bound on staleness for agency renames or a changed display name).
   * Offices page back and forth through the same lists; rendering was most of a request's time (bench: ~860 req/s
   * rendered every time vs ~2,300 for a trivial page). Never shared between people.
   */
  const pageCache = new Map<string, { version: string; at: number; bytes: Uint8Array<ArrayBuffer> }>();

  app.get('/tasks', requirePermission('task.read'), async (c) => {
    const user = c.get('user');
    const principal = c.get('principal')!;
    const cacheKey = `${principal.kind}:${principal.id}|${principal.role}|${principal.agencyId}|${today(deps.clock())}|${new URL(c.req.url).search}`;
    const version = taskDataVersion(db);
    const hit = pageCache.get(cacheKey);
    if (hit && hit.version === version && Date.now() - hit.at < PAGE_CACHE_TTL_MS && pageCacheOn())
      return c.body(hit.bytes, 200, HTML);
    const raw = rawQuery(c);
    const parsed = parseTaskFilter(raw, { now: deps.clock(), db });
    const shell = { title: 'Nhiệm vụ', user, current: 'task-list' };
    const html = (body: ReturnType<typeof taskListBody>, status: 200 | 400) =>
      c.body(shellAround(shell, body), status, HTML);
    if (!parsed.ok) {
      const errors = errorsByField(parsed.errors);
      return html(h`${errorSummary(errors)}${filterForm(taskFilterChoices(db), raw, errors)}`, 400);
    }
    const filter = parsed.filter;
    // the list as of today (the default) reads the statuses from the live index
    const live = filter.asOf === today(deps.clock());
    const result = queryTasks(db, principal, filter, { withCounts: true, live });
    const body = taskListBody({
      choices: taskFilterChoices(db),
      raw,
      filter,
      counts: result.counts!,
      rows: result.rows,
      total: result.total,
      page: result.page,
      pageSize: result.pageSize,
      canExport: can(principal, 'export'),
    });
    const bytes = shellAround(shell, body);
    if (pageCacheOn()) {
      if (pageCache.size >= PAGE_CACHE_MAX) pageCache.delete(pageCache.keys().next().value!);
      pageCache.set(cacheKey, { version, at: Date.now(), bytes });
    }
    return c.body(bytes, 200, HTML);
  });

  const exportRoute = (format: 'xlsx' | 'csv') => async (c: Context<AppEnv>) => {
    const principal = c.get('principal')!;
    const parsed = parseTaskFilter(rawQuery(c), { now: deps.clock(), db });
    if (!parsed.ok) {
      return c.html(
        <Layout title="Không xuất được danh sách" user={c.get('user')} current="task-list">
          <ErrorSummary errors={errorsByField(parsed.errors)} />
          <p>
            <a href="/admin/tasks">Về danh sách nhiệm vụ</a>
          </p>
        </Layout>,
        400,
      );
    }
    const filter = parsed.filter;
    const { rows, total, asOf } = exportTasks(db, principal, filter);
    const cells = rows.map(exportCells);
    const name = `Danh sách nhiệm vụ đến ngày ${formatDateVi(asOf).replaceAll('/', '-')}.${format}`;
    writeAudit(db, {
      at: deps.clock(),
      actor: principal,
      action: 'task.export',
      targetType: 'task-list',
      targetId: format,
      ip: c.get('clientIp'),
      userAgent: c.req.header('user-agent') ?? '',
      details: { format, rows: total, filter: filterToQuery(filter, { page: undefined, pageSize: undefined }) },
    });
    const headers = {
      'content-disposition': attachmentDisposition(name),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    };
    if (format === 'csv') return c.body(buildCsv(EXPORT_COLUMNS, cells), 200, { ...headers, 'content-type': CSV_TYPE });
    const body = await buildXlsx('Nhiệm vụ', EXPORT_COLUMNS, cells, describeFilter(filter));
    return c.body(body, 200, { ...headers, 'content-type': XLSX_TYPE });
  };
  app.get('/tasks/export.xlsx', requirePermission('export'), exportRoute('xlsx'));
  app.get('/tasks/export.csv', requirePermission('export'), exportRoute('csv'));
  return app;
}
