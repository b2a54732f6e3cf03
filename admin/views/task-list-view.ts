/**
 * The task list page's body (admin/routes/task-list.tsx): the filter form, the counts per status, the table and the
 * pager, built with `h` as UTF-8 byte strings (html.ts) and put inside the layout (page-shell.ts). The
 * JSX this replaced took ~40% of a list request at 50 connections; it is kept as the reference in
 * test/support/task-list-reference.tsx, and task-list-view.test.ts renders both, byte for byte.
 */
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
import type { StatusCounts } from '../domain/task-query-scan.ts';
import type { FilterChoices } from '../domain/task-filter-choices.ts';
import { addDays, formatDateVi, parseDateInput } from '../domain/dates.ts';
import { attr, h, SafeHtml, textToBytes, utf8Bytes } from './html.ts';
import { href } from './html-parts.ts';
import { MarkupMemo, objectId } from './markup-memo.ts';

const ROLE_OPTION_LABELS: Record<(typeof AGENCY_ROLES)[number], string> = {
  lead: 'chủ trì',
  coordinator: 'phối hợp',
  any: 'chủ trì hoặc phối hợp',
};

interface Option {
  value: string;
  label: string;
}

/** The raw query, as typed by the user, to redisplay after an error (escaped when shown). */
export type Raw = Record<string, string>;

// the choices are kept until the data changes (task-filter-choices.ts): so are their labelled, escaped options
const optionsOf = new WeakMap<FilterChoices, ReturnType<typeof buildOptions>>();
function options(c: FilterChoices) {
  let o = optionsOf.get(c);
  if (!o) optionsOf.set(c, (o = buildOptions(c)));
  return o;
}

function buildOptions(c: FilterChoices) {
  return {
    agencies: escaped(
      c.agencies.map(
        (a): Option => ({
          value: a.code,
          label: a.merged_on || a.dissolved_on ? `${a.name} (đã sắp xếp lại)` : a.name,
        }),
      ),
    ),
    leaders: escaped(c.leaders.map((l): Option => ({ value: String(l.id), label: `${l.name} — ${l.title}` }))),
    sectors: escaped(c.sectors.map((x): Option => ({ value: x.code, label: x.name }))),
  };
}

type Escaped = Array<{ value: string; head: string; tail: string }>;
/** options as bytes, split where ` selected` goes */
function escaped(list: Option[]): Escaped {
  return list.map((o) => ({
    value: o.value,
    head: `<option value="${textToBytes(o.value)}"`,
    tail: `>${textToBytes(o.label)}</option>`,
  }));
}

const ROLE_OPTIONS = escaped(AGENCY_ROLES.map((r) => ({ value: r, label: ROLE_OPTION_LABELS[r] })));
const STATUS_OPTIONS = escaped(TASK_STATUSES.map((s) => ({ value: s, label: TASK_STATUS_LABELS[s] })));
const STARRED_OPTIONS = escaped([
  { value: '1', label: 'Chỉ nhiệm vụ trọng tâm' },
  { value: '0', label: 'Không trọng tâm' },
]);

const fieldClass = (error: string | undefined) => (error ? 'field has-error' : 'field');

function select(p: {
  name: string;
  label: string;
  options: Escaped;
  value: string | undefined;
  empty: string;
  error?: string | undefined;
}): SafeHtml {
  let list = '';
  for (const o of p.options) list += o.value === p.value ? `${o.head} selected${o.tail}` : o.head + o.tail;
  return h`<div class="${fieldClass(p.error)}"><label for="${p.name}">${p.label}</label>${p.error ? h`<p class="error-text">${p.error}</p>` : null}<select id="${p.name}" name="${p.name}"${attr('aria-invalid', p.error ? 'true' : null)}><option value="">${p.empty}</option>${SafeHtml.fromBytes(list)}</select></div>`;
}

function input(p: {
  name: string;
  label: string;
  value: string | undefined;
  error?: string | undefined;
  hint?: string;
  size?: number;
}): SafeHtml {
  return h`<div class="${fieldClass(p.error)}"><label for="${p.name}">${p.label}</label>${p.hint ? h`<p class="hint">${p.hint}</p>` : null}${p.error ? h`<p class="error-text">${p.error}</p>` : null}<input id="${p.name}" name="${p.name}" type="text" value="${p.value ?? ''}"${attr('size', p.size)}${attr('aria-invalid', p.error ? 'true' : null)}/></div>`;
}

const HIDDEN = ['sort', 'dir', 'pageSize', 'received', 'updatedFrom', 'confidential'] as const;

/** The filter form: a plain GET form, the user's own values shown again (escaped), each error beside its field. */
export function filterForm(choices: FilterChoices, raw: Raw, errors: Record<string, string>): SafeHtml {
  const l = options(choices);
  const dateValue = (k: string) => {
    const v = raw[k];
    if (v === undefined || errors[k]) return v;
    const iso = parseDateInput(v);
    return iso ? formatDateVi(iso) : v;
  };
  const dateInput = (name: string, label: string) =>
    input({ name, label, value: dateValue(name), error: errors[name], hint: 'dd/mm/yyyy', size: 11 });
  const hidden = HIDDEN.map((k) => (raw[k] ? h`<input type="hidden" name="${k}" value="${raw[k]}"/>` : null));
  return h`<form method="get" action="/admin/tasks" class="filters" aria-label="Lọc danh sách nhiệm vụ">${[
    input({ name: 'q', label: 'Từ khoá (không cần dấu)', value: raw.q, error: errors.q, size: 28 }),
    select({
      name: 'agency',
      label: 'Đơn vị',
      options: l.agencies,
      value: raw.agency,
      empty: '— Tất cả đơn vị —',
      error: errors.agency,
    }),
    select({
      name: 'role',
      label: 'Vai trò của đơn vị',
      options: ROLE_OPTIONS,
      value: raw.role,
      empty: 'chủ trì',
      error: errors.role,
    }),
    select({
      name: 'status',
      label: 'Tình trạng',
      options: STATUS_OPTIONS,
      value: raw.status,
      empty: '— Mọi tình trạng —',
      error: errors.status,
    }),
    dateInput('asOf', 'Tính đến ngày'),
    select({
      name: 'leader',
      label: 'Lãnh đạo giao',
      options: l.leaders,
      value: raw.leader,
      empty: '— Tất cả —',
      error: errors.leader,
    }),
    select({
      name: 'sector',
      label: 'Lĩnh vực',
      options: l.sectors,
      value: raw.sector,
      empty: '— Tất cả —',
      error: errors.sector,
    }),
    input({
      name: 'document',
      label: 'Số văn bản',
      value: raw.document,
      error: errors.document,
      hint: 'ví dụ 1147/UBND-KSTT',
      size: 16,
    }),
    dateInput('assignedFrom', 'Giao từ ngày'),
    dateInput('assignedTo', 'Giao đến ngày'),
    select({
      name: 'starred',
      label: 'Trọng tâm',
      options: STARRED_OPTIONS,
      value: raw.starred,
      empty: '— Tất cả —',
      error: errors.starred,
    }),
    hidden,
  ]}<div class="field"><button type="submit">Lọc</button> <a href="/admin/tasks">Bỏ lọc</a></div></form>`;
}

/** The table's columns; their names above each value on a phone come from admin-narrow.css, in this order. */
export const TASK_LIST_COLUMNS: Array<{ label: string; sort?: TaskSort }> = [
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
    const day = h >= 24 ? nextDay(m[1]!) : m[1]!;
    return `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)} ${h >= 24 ? `0${h - 24}` : h < 10 ? `0${h}` : h}:${m[3]}`;
  }
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return '';
  const d = new Date(ms + 7 * 3_600_000).toISOString();
  return `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)} ${d.slice(11, 16)}`;
}

/** The day after an ISO day, remembered (addDays goes through Date: a third of a 50-row page's time). */
const nextDays = new Map<string, string>();
function nextDay(day: string): string {
  let next = nextDays.get(day);
  if (next === undefined) {
    if (nextDays.size >= 4096) nextDays.clear();
    nextDays.set(day, (next = addDays(day, 1)));
  }
  return next;
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

const STAR = utf8Bytes('<span class="tag" title="Nhiệm vụ trọng tâm">★ </span>');
const SECRET = utf8Bytes('<span class="tag">[Mật] </span>');
const WITH = utf8Bytes('<span class="muted"> — phối hợp: ');

/** One row as bytes: a 50-row page is most of the list's markup, so it is joined by hand, each text escaped. */
function rowBytes(r: TaskListRow): string {
  const code = textToBytes(r.code);
  return (
    `<tr><td><a href="/admin/tasks/${code}">${code}</a></td><td>${r.starred ? STAR : ''}${r.confidential ? SECRET : ''}` +
    `${textToBytes(r.title)}</td><td>${textToBytes(r.leadAgencyName)}` +
    (r.coordinatorNames.length > 0 ? `${WITH}${textToBytes(r.coordinatorNames.join('; '))}</span>` : '') +
    `</td><td>${textToBytes(r.documentNumber ?? '')}</td><td>${formatDateVi(r.assignedOn)}</td>` +
    `<td>${textToBytes(deadlineText(r))}</td><td>${textToBytes(statusText(r))}</td>` +
    `<td>${r.lastUpdateAt ? formatInstantVi(r.lastUpdateAt) : ''}</td></tr>`
  );
}

function header(filter: TaskFilter): SafeHtml[] {
  return TASK_LIST_COLUMNS.map((col) => {
    if (!col.sort) return h`<th scope="col">${col.label}</th>`;
    const active = filter.sort === col.sort;
    const nextDir = active && filter.dir === 'asc' ? 'desc' : 'asc';
    const sortHref = href(filterToQuery(filter, { sort: col.sort, dir: nextDir, page: undefined }));
    return h`<th scope="col"${attr('aria-sort', active ? (filter.dir === 'asc' ? 'ascending' : 'descending') : null)}><a href="${sortHref}" title="${`Sắp xếp theo ${TASK_SORT_LABELS[col.sort].toLowerCase()}`}">${col.label}${active ? (filter.dir === 'asc' ? ' ▲' : ' ▼') : ''}</a></th>`;
  });
}

/**
 * Rows remembered by identity (markup-memo.ts): a loaded row is never changed, and one loaded again equal to the
 * one before is that one (domain/task-query.ts sameRows), so a row is rendered again only when it changed.
 */
const rowMarkup = new MarkupMemo('task list row', 4_000);

export function taskTable(rows: TaskListRow[], filter: TaskFilter): SafeHtml {
  let body = '';
  for (const r of rows) body += rowMarkup.get(String(objectId(r)), () => SafeHtml.fromBytes(rowBytes(r))).bytes;
  // the table's caption and heads (sort links) come from the filter alone
  const top = listParts.get(
    `table|${JSON.stringify(filter)}`,
    () =>
      h`<div class="table-wrap stack"><table class="task-list"><caption>Danh sách nhiệm vụ, tình trạng tính đến ngày ${formatDateVi(filter.asOf)}</caption><thead><tr>${header(filter)}</tr></thead><tbody>`,
  );
  return h`${top}${SafeHtml.fromBytes(body)}</tbody></table></div>`;
}

/** The list's parts that show no task (the form, the heads, the counts), by what they are made from. */
const listParts = new MarkupMemo('task list part', 512);

/** components.tsx Pager, as a string */
export function pager(p: {
  page: number;
  pageSize: number;
  total: number;
  baseUrl: string;
  query: Record<string, string>;
}): SafeHtml {
  const pages = Math.max(1, Math.ceil(p.total / p.pageSize));
  const link = (n: number) => href({ ...p.query, page: String(n) }, p.baseUrl);
  return h`<nav class="pager" aria-label="Phân trang">${p.page > 1 ? h`<a href="${link(p.page - 1)}">← Trang trước</a>` : null}<span>Trang ${p.page}/${pages} (${p.total} bản ghi)</span>${p.page < pages ? h`<a href="${link(p.page + 1)}">Trang sau →</a>` : null}</nav>`;
}

/** Everything below the title of a list that could be read: form, counts per status, total, table, pager. */
export function taskListBody(p: {
  choices: FilterChoices;
  raw: Raw;
  filter: TaskFilter;
  counts: StatusCounts;
  rows: TaskListRow[];
  total: number;
  page: number;
  pageSize: number;
  canExport: boolean;
}): SafeHtml {
  const { filter, counts } = p;
  const statusLink = (label: string, n: number, s: (typeof TASK_STATUSES)[number]) =>
    filter.status === s
      ? h`<strong data-status="${s}">${label}: ${n}</strong>`
      : h`<a data-status="${s}" href="${href(filterToQuery(filter, { status: s, page: undefined }))}">${label}: ${n}</a>`;
  const all = () =>
    filter.status === undefined
      ? h`<strong>Tất cả: ${counts.all}</strong>`
      : h`<a href="${href(filterToQuery(filter, { status: undefined, page: undefined }))}">Tất cả: ${counts.all}</a>`;
  const exports = () => {
    if (!p.canExport) return null;
    const exportQuery = filterToQuery(filter, { page: undefined, pageSize: undefined });
    return h` Xuất danh sách: <a href="${href(exportQuery, '/admin/tasks/export.xlsx')}">Excel (.xlsx)</a> · <a href="${href(exportQuery, '/admin/tasks/export.csv')}">CSV</a>`;
  };
  const raw = { ...p.raw, asOf: filter.asOf };
  // the choices are one object while they hold (task-filter-choices.ts)
  const form = listParts.get(`form|${objectId(p.choices)}|${JSON.stringify(raw)}`, () =>
    filterForm(p.choices, raw, {}),
  );
  const summary = listParts.get(
    `counts|${JSON.stringify(filter)}|${JSON.stringify(counts)}|${p.total}|${p.canExport}`,
    () =>
      h`<section aria-labelledby="status-counts"><h2 id="status-counts">Theo tình trạng, tính đến ngày ${formatDateVi(filter.asOf)}</h2><ul class="status-counts"><li>${all()}</li>${TASK_STATUSES.map((s) => h`<li>${statusLink(TASK_STATUS_LABELS[s], counts.byStatus[s], s)}</li>`)}</ul></section><p><strong data-total="${String(p.total)}">${p.total}</strong> nhiệm vụ khớp bộ lọc.${exports()}</p>`,
  );
  return h`${form}${summary}${
    p.rows.length === 0 ? h`<p class="empty">Không có nhiệm vụ nào khớp bộ lọc.</p>` : taskTable(p.rows, filter)
  }${pager({ page: p.page, pageSize: p.pageSize, total: p.total, baseUrl: '/admin/tasks', query: filterToQuery(filter, { page: undefined }) })}${
    p.page > 1 && p.rows.length === 0
      ? h`<p><a href="${href({ ...filterToQuery(filter), page: '1' })}">Về trang đầu</a></p>`
      : null
  }`;
}

export function errorsByField(errors: FilterError[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) if (!(e.path in out)) out[e.path] = e.message;
  return out;
}
