/**
 * The task list (issue 4): GET /admin/tasks with filters (agency, status as of a date, leader, sector, document,
 * priority, free text without diacritics), sortable columns, paging and counts per status for the current filter;
 * GET /admin/tasks/export.xlsx and /admin/tasks/export.csv give exactly the filtered list the user may see.
 * Everything goes through admin/domain/task-query.ts (the same query as the integration API). Works without
 * JavaScript: the filter form is a plain GET form; sorting and paging are links.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { raw } from 'hono/html';
import type { Statement } from 'better-sqlite3';
import type { AppDeps, AppEnv } from '../context.ts';
import { can, requirePermission } from '../auth/permissions.ts';
import { writeAudit } from '../audit/audit.ts';
import {
  AGENCY_ROLES,
  exportTasks,
  filterToQuery,
  parseTaskFilter,
  queryTasks,
  taskDataVersion,
  TASK_SORT_LABELS,
  TASK_STATUS_LABELS,
  TASK_STATUSES,
  type FilterError,
  type TaskFilter,
  type TaskListRow,
  type TaskSort,
} from '../domain/task-query.ts';
import { addDays, formatDateVi, parseDateInput, today } from '../domain/dates.ts';
import { Layout } from '../views/layout.tsx';
import { ErrorSummary, Pager } from '../views/components.tsx';
import {
  buildCsv,
  buildXlsx,
  contentDisposition,
  CSV_TYPE,
  XLSX_TYPE,
  type CellValue,
  type SheetColumn,
} from './export-helpers.ts';

const ROLE_OPTION_LABELS: Record<(typeof AGENCY_ROLES)[number], string> = {
  lead: 'chủ trì',
  coordinator: 'phối hợp',
  any: 'chủ trì hoặc phối hợp',
};

interface Option {
  value: string;
  label: string;
}

const lookupStatements = new WeakMap<AppDeps['db'], { agencies: Statement; leaders: Statement; sectors: Statement }>();

/** The select options (prepared once per database: compiling the three statements cost more than running them). */
function lookups(db: AppDeps['db']) {
  let st = lookupStatements.get(db);
  if (!st) {
    st = {
      agencies: db.prepare('SELECT code, name, merged_on, dissolved_on FROM agencies ORDER BY name'),
      leaders: db.prepare('SELECT id, name, title FROM leaders ORDER BY active DESC, name'),
      sectors: db.prepare('SELECT code, name FROM sectors ORDER BY name'),
    };
    lookupStatements.set(db, st);
  }
  return {
    agencies: (
      st.agencies.all() as Array<{ code: string; name: string; merged_on: string | null; dissolved_on: string | null }>
    ).map(
      (a): Option => ({ value: a.code, label: a.merged_on || a.dissolved_on ? `${a.name} (đã sắp xếp lại)` : a.name }),
    ),
    leaders: (st.leaders.all() as Array<{ id: number; name: string; title: string }>).map(
      (l): Option => ({ value: String(l.id), label: `${l.name} — ${l.title}` }),
    ),
    sectors: (st.sectors.all() as Array<{ code: string; name: string }>).map(
      (x): Option => ({ value: x.code, label: x.name }),
    ),
  };
}

/** The raw query, as typed by the user, to redisplay after an error (JSX escapes it). */
type Raw = Record<string, string>;

/**
 * HTML-escapes text or an attribute value. The list page's repeated parts (50 rows, the agency options) are built as
 * strings with it: hono/jsx took ~5 ms to render this page, most of a request's time at 50 connections.
 */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (ch) =>
    ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '"' ? '&quot;' : '&#39;',
  );
}

function Select(p: {
  name: string;
  label: string;
  options: Option[];
  value: string | undefined;
  empty: string;
  error?: string | undefined;
}) {
  const options = p.options
    .map((o) => `<option value="${esc(o.value)}"${o.value === p.value ? ' selected' : ''}>${esc(o.label)}</option>`)
    .join('');
  return (
    <div class={`field${p.error ? ' has-error' : ''}`}>
      <label for={p.name}>{p.label}</label>
      {p.error && <p class="error-text">{p.error}</p>}
      <select id={p.name} name={p.name} aria-invalid={p.error ? 'true' : undefined}>
        <option value="">{p.empty}</option>
        {raw(options)}
      </select>
    </div>
  );
}

function Input(p: {
  name: string;
  label: string;
  value: string | undefined;
  error?: string | undefined;
  hint?: string;
  size?: number;
  type?: string;
}) {
  return (
    <div class={`field${p.error ? ' has-error' : ''}`}>
      <label for={p.name}>{p.label}</label>
      {p.hint && <p class="hint">{p.hint}</p>}
      {p.error && <p class="error-text">{p.error}</p>}
      <input
        id={p.name}
        name={p.name}
        type={p.type ?? 'text'}
        value={p.value ?? ''}
        size={p.size}
        aria-invalid={p.error ? 'true' : undefined}
      />
    </div>
  );
}

function FilterForm(p: { db: AppDeps['db']; raw: Raw; errors: Record<string, string> }) {
  const { raw, errors } = p;
  const l = lookups(p.db);
  const dateValue = (k: string) => {
    const v = raw[k];
    if (v === undefined || errors[k]) return v;
    const iso = parseDateInput(v);
    return iso ? formatDateVi(iso) : v;
  };
  return (
    <form method="get" action="/admin/tasks" class="filters" aria-label="Lọc danh sách nhiệm vụ">
      <Input name="q" label="Từ khoá (không cần dấu)" value={raw.q} error={errors.q} size={28} />
      <Select
        name="agency"
        label="Đơn vị"
        options={l.agencies}
        value={raw.agency}
        empty="— Tất cả đơn vị —"
        error={errors.agency}
      />
      <Select
        name="role"
        label="Vai trò của đơn vị"
        options={AGENCY_ROLES.map((r) => ({ value: r, label: ROLE_OPTION_LABELS[r] }))}
        value={raw.role}
        empty="chủ trì"
        error={errors.role}
      />
      <Select
        name="status"
        label="Tình trạng"
        options={TASK_STATUSES.map((s) => ({ value: s, label: TASK_STATUS_LABELS[s] }))}
        value={raw.status}
        empty="— Mọi tình trạng —"
        error={errors.status}
      />
      <Input
        name="asOf"
        label="Tính đến ngày"
        value={dateValue('asOf')}
        error={errors.asOf}
        hint="dd/mm/yyyy"
        size={11}
      />
      <Select
        name="leader"
        label="Lãnh đạo giao"
        options={l.leaders}
        value={raw.leader}
        empty="— Tất cả —"
        error={errors.leader}
      />
      <Select
        name="sector"
        label="Lĩnh vực"
        options={l.sectors}
        value={raw.sector}
        empty="— Tất cả —"
        error={errors.sector}
      />
      <Input
        name="document"
        label="Số văn bản"
        value={raw.document}
        error={errors.document}
        hint="ví dụ 1147/UBND-KSTT"
        size={16}
      />
      <Input
        name="assignedFrom"
        label="Giao từ ngày"
        value={dateValue('assignedFrom')}
        error={errors.assignedFrom}
        hint="dd/mm/yyyy"
        size={11}
      />
      <Input
        name="assignedTo"
        label="Giao đến ngày"
        value={dateValue('assignedTo')}
        error={errors.assignedTo}
        hint="dd/mm/yyyy"
        size={11}
      />
      <Select
        name="starred"
        label="Trọng tâm"
        options={[
          { value: '1', label: 'Chỉ nhiệm vụ trọng tâm' },
          { value: '0', label: 'Không trọng tâm' },
        ]}
        value={raw.starred}
        empty="— Tất cả —"
        error={errors.starred}
      />
      {raw.sort && <input type="hidden" name="sort" value={raw.sort} />}
      {raw.dir && <input type="hidden" name="dir" value={raw.dir} />}
      {raw.pageSize && <input type="hidden" name="pageSize" value={raw.pageSize} />}
      {raw.received && <input type="hidden" name="received" value={raw.received} />}
      {raw.updatedFrom && <input type="hidden" name="updatedFrom" value={raw.updatedFrom} />}
      {raw.confidential && <input type="hidden" name="confidential" value={raw.confidential} />}
      <div class="field">
        <button type="submit">Lọc</button> <a href="/admin/tasks">Bỏ lọc</a>
      </div>
    </form>
  );
}

function href(query: Record<string, string>, base = '/admin/tasks'): string {
  const q = new URLSearchParams(query).toString();
  return q ? `${base}?${q}` : base;
}

const COLUMNS: Array<{ label: string; sort?: TaskSort }> = [
  { label: 'Mã', sort: 'code' },
  { label: 'Nhiệm vụ' },
  { label: 'Đơn vị chủ trì', sort: 'agency' },
  { label: 'Văn bản' },
  { label: 'Ngày giao', sort: 'assigned_on' },
  { label: 'Thời hạn', sort: 'effective_deadline' },
  { label: 'Tình trạng' },
  { label: 'Cập nhật', sort: 'last_update' },
];

/**
 * 'dd/mm/yyyy HH:mm' in Asia/Ho_Chi_Minh for a UTC ISO instant, by arithmetic: Viet Nam keeps UTC+7 all year (no
 * daylight saving since 1975), and Intl's formatToParts cost ~15 µs a row on a 50-row page. Same output as
 * formatDateTimeVi (checked in task-list.test.ts).
 */
export function formatInstantVi(instant: string): string {
  // the stored form 'YYYY-MM-DDTHH:MM…Z' is shifted by string arithmetic; anything else goes through Date
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})/.exec(instant);
  if (m && instant.endsWith('Z')) {
    const h = Number(m[2]) + 7;
    const day = h >= 24 ? addDays(m[1]!, 1) : m[1]!;
    return `${formatDateVi(day)} ${String(h % 24).padStart(2, '0')}:${m[3]}`;
  }
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return '';
  const d = new Date(ms + 7 * 3_600_000).toISOString();
  return `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)} ${d.slice(11, 16)}`;
}

function statusText(r: TaskListRow): string {
  const extra: string[] = [];
  if (r.overdueDays > 0) extra.push(`quá hạn ${r.overdueDays} ngày`);
  if (r.dueSoon) extra.push('sắp đến hạn');
  if (r.awaitingConfirmation) extra.push('chờ xác nhận');
  return extra.length > 0 ? `${r.statusLabel} (${extra.join(', ')})` : r.statusLabel;
}

function deadlineText(r: TaskListRow): string {
  if (!r.deadline) return 'Không thời hạn';
  return r.extDeadline
    ? `${formatDateVi(r.extDeadline)} (gia hạn; ban đầu ${formatDateVi(r.deadline)})`
    : formatDateVi(r.deadline);
}

function rowHtml(r: TaskListRow): string {
  const title =
    (r.starred ? '<span class="tag" title="Nhiệm vụ trọng tâm">★ </span>' : '') +
    (r.confidential ? '<span class="tag">[Mật] </span>' : '') +
    esc(r.title);
  const agency =
    esc(r.leadAgencyName) +
    (r.coordinatorNames.length > 0
      ? `<span class="muted"> — phối hợp: ${esc(r.coordinatorNames.join('; '))}</span>`
      : '');
  const cells = [
    `<a href="/admin/tasks/${esc(r.code)}">${esc(r.code)}</a>`,
    title,
    agency,
    esc(r.documentNumber ?? ''),
    formatDateVi(r.assignedOn),
    esc(deadlineText(r)),
    esc(statusText(r)),
    r.lastUpdateAt ? formatInstantVi(r.lastUpdateAt) : '',
  ];
  return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
}

function TaskTable(p: { rows: TaskListRow[]; filter: TaskFilter }) {
  const { filter } = p;
  return (
    <div class="table-wrap">
      <table class="task-list">
        <caption>Danh sách nhiệm vụ, tình trạng tính đến ngày {formatDateVi(filter.asOf)}</caption>
        <thead>
          <tr>
            {COLUMNS.map((col) => {
              if (!col.sort) return <th scope="col">{col.label}</th>;
              const active = filter.sort === col.sort;
              const nextDir = active && filter.dir === 'asc' ? 'desc' : 'asc';
              return (
                <th scope="col" aria-sort={active ? (filter.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
                  <a
                    href={href(filterToQuery(filter, { sort: col.sort, dir: nextDir, page: undefined }))}
                    title={`Sắp xếp theo ${TASK_SORT_LABELS[col.sort].toLowerCase()}`}
                  >
                    {col.label}
                    {active ? (filter.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                  </a>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{raw(p.rows.map(rowHtml).join(''))}</tbody>
      </table>
    </div>
  );
}

function errorsByField(errors: FilterError[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) if (!(e.path in out)) out[e.path] = e.message;
  return out;
}

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
  const pageCache = new Map<string, { version: string; at: number; html: string }>();

  app.get('/tasks', requirePermission('task.read'), async (c) => {
    const user = c.get('user');
    const principal = c.get('principal')!;
    const cacheKey = `${principal.kind}:${principal.id}|${principal.role}|${principal.agencyId}|${today(deps.clock())}|${new URL(c.req.url).search}`;
    const version = taskDataVersion(db);
    const hit = pageCache.get(cacheKey);
    if (hit && hit.version === version && Date.now() - hit.at < PAGE_CACHE_TTL_MS) return c.html(hit.html);
    const raw = rawQuery(c);
    const parsed = parseTaskFilter(raw, { now: deps.clock(), db });
    if (!parsed.ok) {
      const errors = errorsByField(parsed.errors);
      return c.html(
        <Layout title="Nhiệm vụ" user={user} current="task-list">
          <ErrorSummary errors={errors} />
          <FilterForm db={db} raw={raw} errors={errors} />
        </Layout>,
        400,
      );
    }
    const filter = parsed.filter;
    const result = queryTasks(db, principal, filter, { withCounts: true });
    const counts = result.counts!;
    const query = filterToQuery(filter);
    const exportQuery = filterToQuery(filter, { page: undefined, pageSize: undefined });
    const page = (
      <Layout title="Nhiệm vụ" user={user} current="task-list">
        <FilterForm db={db} raw={{ ...raw, asOf: filter.asOf }} errors={{}} />
        <section aria-labelledby="status-counts">
          <h2 id="status-counts">Theo tình trạng, tính đến ngày {formatDateVi(filter.asOf)}</h2>
          <ul class="status-counts">
            <li>
              {filter.status === undefined ? (
                <strong>Tất cả: {counts.all}</strong>
              ) : (
                <a href={href(filterToQuery(filter, { status: undefined, page: undefined }))}>Tất cả: {counts.all}</a>
              )}
            </li>
            {TASK_STATUSES.map((s) => (
              <li>
                {filter.status === s ? (
                  <strong data-status={s}>
                    {TASK_STATUS_LABELS[s]}: {counts.byStatus[s]}
                  </strong>
                ) : (
                  <a data-status={s} href={href(filterToQuery(filter, { status: s, page: undefined }))}>
                    {TASK_STATUS_LABELS[s]}: {counts.byStatus[s]}
                  </a>
                )}
              </li>
            ))}
          </ul>
        </section>
        <p>
          <strong data-total={String(result.total)}>{result.total}</strong> nhiệm vụ khớp bộ lọc.
          {can(principal, 'export') && (
            <>
              {' '}
              Xuất danh sách: <a href={href(exportQuery, '/admin/tasks/export.xlsx')}>Excel (.xlsx)</a> ·{' '}
              <a href={href(exportQuery, '/admin/tasks/export.csv')}>CSV</a>
            </>
          )}
        </p>
        {result.rows.length === 0 ? (
          <p class="empty">Không có nhiệm vụ nào khớp bộ lọc.</p>
        ) : (
          <TaskTable rows={result.rows} filter={filter} />
        )}
        <Pager
          page={result.page}
          pageSize={result.pageSize}
          total={result.total}
          baseUrl="/admin/tasks"
          query={filterToQuery(filter, { page: undefined })}
        />
        {result.page > 1 && result.rows.length === 0 && (
          <p>
            <a href={href({ ...query, page: '1' })}>Về trang đầu</a>
          </p>
        )}
      </Layout>
    );
    const html = String(await page);
    if (pageCache.size >= PAGE_CACHE_MAX) pageCache.delete(pageCache.keys().next().value!);
    pageCache.set(cacheKey, { version, at: Date.now(), html });
    return c.html(html);
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
      'content-disposition': contentDisposition(name),
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
