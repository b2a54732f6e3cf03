/**
 * The task list page's body as JSX, the way admin/views/task-list-view.tsx and admin/routes/task-list.tsx built it
 * before the body became a byte string (views/task-list-view.ts): the reference task-list-view.test.ts renders
 * beside the string version, byte for byte (the form: task-list-reference-form.tsx). Not used by the product.
 */
import { raw } from 'hono/html';
import {
  filterToQuery,
  TASK_SORT_LABELS,
  TASK_STATUS_LABELS,
  TASK_STATUSES,
  type TaskFilter,
  type TaskListRow,
  type TaskSort,
} from '../../domain/task-query.ts';
import type { FilterChoices } from '../../domain/task-filter-choices.ts';
import { formatDateTimeVi, formatDateVi } from '../../domain/dates.ts';
import { escapeHtml } from '../../views/html.ts';
import { ErrorSummary, Pager } from '../../views/components.tsx';
import type { StatusCounts } from '../../domain/task-query-scan.ts';
import { FilterForm, type Raw } from './task-list-reference-form.tsx';

export function href(query: Record<string, string>, base = '/admin/tasks'): string {
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

// the column names above each value on a phone come from admin-narrow.css (no data-label on each cell)
function rowHtml(r: TaskListRow): string {
  const code = escapeHtml(r.code);
  return (
    `<tr><td><a href="/admin/tasks/${code}">${code}</a></td><td>` +
    (r.starred ? '<span class="tag" title="Nhiệm vụ trọng tâm">★ </span>' : '') +
    (r.confidential ? '<span class="tag">[Mật] </span>' : '') +
    `${escapeHtml(r.title)}</td><td>${escapeHtml(r.leadAgencyName)}` +
    (r.coordinatorNames.length > 0
      ? `<span class="muted"> — phối hợp: ${escapeHtml(r.coordinatorNames.join('; '))}</span>`
      : '') +
    `</td><td>${escapeHtml(r.documentNumber ?? '')}</td><td>${formatDateVi(r.assignedOn)}</td>` +
    `<td>${escapeHtml(deadlineText(r))}</td><td>${escapeHtml(statusText(r))}</td>` +
    `<td>${r.lastUpdateAt ? formatDateTimeVi(r.lastUpdateAt) : ''}</td></tr>`
  );
}

export function TaskTable(p: { rows: TaskListRow[]; filter: TaskFilter }) {
  const { filter } = p;
  return (
    <div class="table-wrap stack">
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

/** The body of a list that could be read, as the route's JSX had it. */
export function TaskListBodyReference(p: {
  choices: FilterChoices;
  raw: Raw;
  filter: TaskFilter;
  counts: StatusCounts;
  rows: TaskListRow[];
  total: number;
  page: number;
  pageSize: number;
  canExport: boolean;
}) {
  const { filter, counts, raw } = p;
  const query = filterToQuery(filter);
  const exportQuery = filterToQuery(filter, { page: undefined, pageSize: undefined });
  return (
    <>
      <FilterForm choices={p.choices} raw={{ ...raw, asOf: filter.asOf }} errors={{}} />
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
        <strong data-total={String(p.total)}>{p.total}</strong> nhiệm vụ khớp bộ lọc.
        {p.canExport && (
          <>
            {' '}
            Xuất danh sách: <a href={href(exportQuery, '/admin/tasks/export.xlsx')}>Excel (.xlsx)</a> ·{' '}
            <a href={href(exportQuery, '/admin/tasks/export.csv')}>CSV</a>
          </>
        )}
      </p>
      {p.rows.length === 0 ? (
        <p class="empty">Không có nhiệm vụ nào khớp bộ lọc.</p>
      ) : (
        <TaskTable rows={p.rows} filter={filter} />
      )}
      <Pager
        page={p.page}
        pageSize={p.pageSize}
        total={p.total}
        baseUrl="/admin/tasks"
        query={filterToQuery(filter, { page: undefined })}
      />
      {p.page > 1 && p.rows.length === 0 && (
        <p>
          <a href={href({ ...query, page: '1' })}>Về trang đầu</a>
        </p>
      )}
    </>
  );
}

/** The page of a refused filter's body, as the route's JSX had it. */
export function RefusedReference(p: { choices: FilterChoices; raw: Raw; errors: Record<string, string> }) {
  return (
    <>
      <ErrorSummary errors={p.errors} />
      <FilterForm choices={p.choices} raw={p.raw} errors={p.errors} />
    </>
  );
}

/** The reference body rendered (for .test.ts files, which hold no JSX). */
export async function referenceBody(p: Parameters<typeof TaskListBodyReference>[0]): Promise<string> {
  return String(await (<TaskListBodyReference {...p} />));
}

/** The reference refused-filter body rendered. */
export async function referenceRefused(p: Parameters<typeof RefusedReference>[0]): Promise<string> {
  return String(await (<RefusedReference {...p} />));
}
