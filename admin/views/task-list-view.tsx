/**
 * The task list page's parts (admin/routes/task-list.tsx): the filter form, the table and its rows. The repeated
 * parts (50 rows, the agency options) are built as strings with escapeHtml: hono/jsx took ~5 ms to render this
 * page, most of a request's time at 50 connections.
 */
import { raw } from 'hono/html';
import {
  AGENCY_ROLES,
  filterToQuery,
  TASK_SORT_LABELS,
  TASK_STATUS_LABELS,
  TASK_STATUSES,
  type FilterError,
  type TaskFilter,
  type TaskListRow,
  type TaskSort,
} from '../domain/task-query.ts';
import type { FilterChoices } from '../domain/task-filter-choices.ts';
import { addDays, formatDateVi, parseDateInput } from '../domain/dates.ts';
import { escapeHtml } from './html.ts';

const ROLE_OPTION_LABELS: Record<(typeof AGENCY_ROLES)[number], string> = {
  lead: 'chủ trì',
  coordinator: 'phối hợp',
  any: 'chủ trì hoặc phối hợp',
};

interface Option {
  value: string;
  label: string;
}

/** The filter form's options, labelled. */
// the choices are kept until the data changes (task-filter-choices.ts): so are their escaped options
const optionsOf = new WeakMap<FilterChoices, ReturnType<typeof buildOptions>>();
function options(c: FilterChoices) {
  let o = optionsOf.get(c);
  if (!o) optionsOf.set(c, (o = buildOptions(c)));
  return o;
}

const escapedOf = new WeakMap<Option[], Array<{ value: string; head: string; tail: string }>>();
function escapedOptions(list: Option[]) {
  let e = escapedOf.get(list);
  if (!e)
    escapedOf.set(
      list,
      (e = list.map((o) => ({
        value: o.value,
        head: `<option value="${escapeHtml(o.value)}"`,
        tail: `>${escapeHtml(o.label)}</option>`,
      }))),
    );
  return e;
}

function buildOptions(c: FilterChoices) {
  return {
    agencies: c.agencies.map(
      (a): Option => ({ value: a.code, label: a.merged_on || a.dissolved_on ? `${a.name} (đã sắp xếp lại)` : a.name }),
    ),
    leaders: c.leaders.map((l): Option => ({ value: String(l.id), label: `${l.name} — ${l.title}` })),
    sectors: c.sectors.map((x): Option => ({ value: x.code, label: x.name })),
  };
}

/** The raw query, as typed by the user, to redisplay after an error (JSX escapes it). */
export type Raw = Record<string, string>;

function Select(p: {
  name: string;
  label: string;
  options: Option[];
  value: string | undefined;
  empty: string;
  error?: string | undefined;
}) {
  const options = escapedOptions(p.options)
    .map((o) => (o.value === p.value ? `${o.head} selected${o.tail}` : o.head + o.tail))
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

export function FilterForm(p: { choices: FilterChoices; raw: Raw; errors: Record<string, string> }) {
  const { raw, errors } = p;
  const l = options(p.choices);
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
    escapeHtml(r.title);
  const agency =
    escapeHtml(r.leadAgencyName) +
    (r.coordinatorNames.length > 0
      ? `<span class="muted"> — phối hợp: ${escapeHtml(r.coordinatorNames.join('; '))}</span>`
      : '');
  const cells = [
    `<a href="/admin/tasks/${escapeHtml(r.code)}">${escapeHtml(r.code)}</a>`,
    title,
    agency,
    escapeHtml(r.documentNumber ?? ''),
    formatDateVi(r.assignedOn),
    escapeHtml(deadlineText(r)),
    escapeHtml(statusText(r)),
    r.lastUpdateAt ? formatInstantVi(r.lastUpdateAt) : '',
  ];
  // data-label: the column's name, shown beside the value when a phone stacks each row as a card (admin-narrow.css)
  return `<tr>${cells.map((c, i) => `<td data-label="${escapeHtml(COLUMNS[i]?.label ?? '')}">${c}</td>`).join('')}</tr>`;
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

export function errorsByField(errors: FilterError[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) if (!(e.path in out)) out[e.path] = e.message;
  return out;
}
