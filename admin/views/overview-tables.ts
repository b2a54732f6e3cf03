/**
 * The leaders' overview tables (admin/views/overview-page.ts lays them out): the three views side by side, per
 * agency (sortable by any column through links: no script) and per leader. Every count links to the task list
 * that shows those tasks (domain/overview-links.ts); rates stand beside their counts.
 */
import { escapeHtml, h, SafeHtml, utf8Bytes } from './html.ts';
import { MarkupMemo, objectId } from './markup-memo.ts';
import { href } from './html-parts.ts';
import { MIN_DUE_FOR_RANKING, type Counts } from '../domain/counts.ts';
import { formatNumber, formatRate } from '../domain/format.ts';
import { figureHref, type LinkScope } from '../domain/overview-links.ts';
import { periodQuery, type OverviewPeriod } from '../domain/overview-period.ts';
import { metricValue, type GroupRow, type Metric, type SortKey, type ViewKey } from '../domain/overview.ts';

export interface Column {
  view: ViewKey;
  metric: Metric;
  label: string;
}

export const VIEW_LABELS: Record<ViewKey, string> = {
  assigned: 'Giao trong kỳ',
  backlog: 'Tồn đọng từ kỳ trước',
  cumulative: 'Lũy kế đến ngày chốt',
};

/**
 * The per-agency table shows one view at a time (tabs above it), each with its full breakdown: three views side by
 * side were 13 narrow columns, unreadable below a wide screen, and twice the links (the page renders per request).
 */
export const AGENCY_COLUMNS: Record<ViewKey, Column[]> = {
  assigned: [
    { view: 'assigned', metric: 'total', label: 'Tổng' },
    { view: 'assigned', metric: 'completedOnTime', label: 'HT đúng hạn' },
    { view: 'assigned', metric: 'completedLate', label: 'HT quá hạn' },
    { view: 'assigned', metric: 'inProgress', label: 'Đang trong hạn' },
    { view: 'assigned', metric: 'overdue', label: 'Quá hạn' },
    { view: 'assigned', metric: 'completionRate', label: 'Tỷ lệ HT' },
    { view: 'assigned', metric: 'onTimeRate', label: 'Tỷ lệ HT đúng hạn' },
    { view: 'assigned', metric: 'overdueRate', label: 'Tỷ lệ QH' },
  ],
  backlog: [
    { view: 'backlog', metric: 'total', label: 'Tồn đầu kỳ' },
    { view: 'backlog', metric: 'completed', label: 'Đã HT trong kỳ' },
    { view: 'backlog', metric: 'inProgress', label: 'Còn trong hạn' },
    { view: 'backlog', metric: 'overdue', label: 'Còn quá hạn' },
    { view: 'backlog', metric: 'completionRate', label: 'Tỷ lệ HT' },
  ],
  cumulative: [
    { view: 'cumulative', metric: 'total', label: 'Tổng' },
    { view: 'cumulative', metric: 'completedOnTime', label: 'HT đúng hạn' },
    { view: 'cumulative', metric: 'completedLate', label: 'HT quá hạn' },
    { view: 'cumulative', metric: 'inProgress', label: 'Đang trong hạn' },
    { view: 'cumulative', metric: 'overdue', label: 'Quá hạn' },
    { view: 'cumulative', metric: 'awaitingConfirmation', label: 'Chờ xác nhận' },
    { view: 'cumulative', metric: 'completionRate', label: 'Tỷ lệ HT' },
    { view: 'cumulative', metric: 'overdueRate', label: 'Tỷ lệ QH' },
  ],
};

export const AGENCY_VIEWS: ViewKey[] = ['assigned', 'backlog', 'cumulative'];

export const LEADER_COLUMNS: Column[] = [
  { view: 'assigned', metric: 'total', label: 'Tổng' },
  { view: 'assigned', metric: 'completedOnTime', label: 'HT đúng hạn' },
  { view: 'assigned', metric: 'completedLate', label: 'HT quá hạn' },
  { view: 'assigned', metric: 'inProgress', label: 'Đang trong hạn' },
  { view: 'assigned', metric: 'overdue', label: 'Quá hạn' },
  { view: 'assigned', metric: 'completionRate', label: 'Tỷ lệ HT' },
  { view: 'backlog', metric: 'overdue', label: 'Tồn đọng còn quá hạn' },
  { view: 'cumulative', metric: 'total', label: 'Lũy kế: tổng' },
  { view: 'cumulative', metric: 'overdue', label: 'Lũy kế: quá hạn' },
  { view: 'cumulative', metric: 'completionRate', label: 'Lũy kế: tỷ lệ HT' },
];

const isRate = (m: Metric) => m.endsWith('Rate');

/**
 * Renders figure cells for one page: a linked count, or a rate (muted when the unit has too few due tasks to be
 * ranked). Built as strings with each column's link prefix computed once: the agency table has ~900 cells, and JSX
 * nodes plus a URL per cell were most of the page's time (views/html.ts).
 */
export function cellRenderer(period: OverviewPeriod, cols: Column[]) {
  const prefixes = cols.map((col) => {
    if (isRate(col.metric)) return null;
    const href =
      col.view === 'backlog' && col.metric === 'total'
        ? figureHref(period, 'backlog', 'openAtStart')
        : figureHref(period, col.view, col.metric);
    return href === null ? null : escapeHtml(href);
  });
  /** `scope` is the escaped '&amp;agency=…' / '&amp;leader=…' suffix, '' for the whole province, null for no links */
  return (r: Record<ViewKey, Counts | null>, scope: string | null): string => {
    let out = '';
    for (let i = 0; i < cols.length; i++) {
      const col = cols[i]!;
      const counts = r[col.view];
      const v = metricValue(counts, col.metric);
      if (isRate(col.metric)) {
        const low = (counts?.due ?? 0) < MIN_DUE_FOR_RANKING;
        out += low ? `<td class="muted">${utf8Bytes(formatRate(v))}</td>` : `<td>${utf8Bytes(formatRate(v))}</td>`;
        continue;
      }
      const text = utf8Bytes(formatNumber(v ?? 0));
      const prefix = prefixes[i];
      // a zero opens nothing worth seeing: plain text (and ~10 % less page)
      out +=
        prefix != null && scope !== null && v !== 0
          ? `<td><a href="${prefix}${scope}">${text}</a></td>`
          : `<td>${text}</td>`;
    }
    return out;
  };
}

/** The escaped query-string suffix that narrows a figure's link to one agency or leader. */
export function scopeSuffix(scope: LinkScope): string {
  let s = '';
  if (scope.agency) s += `&amp;agency=${escapeHtml(encodeURIComponent(scope.agency))}`;
  if (scope.leader !== undefined && scope.leader !== null) s += `&amp;leader=${scope.leader}`;
  return s;
}

/** a name per column set (a memo key's part), made once per set */
const colsNames = new WeakMap<Column[], string>();
function colsName(cols: Column[]): string {
  let n = colsNames.get(cols);
  if (n === undefined) colsNames.set(cols, (n = cols.map((c) => `${c.view}.${c.metric}`).join(' ')));
  return n;
}

/**
 * Remembered table bodies and rows (markup-memo.ts), by their figures: a write that moves one task changes a row or
 * two and the totals, and most writes (urges, progress notes) change none. A row is its figures and its name (the
 * same object while they hold); the table (agency or leader) is told by its columns and its total's label.
 */
const bodies = new MarkupMemo('overview table body', 64);
const tableRows = new MarkupMemo('overview table row', 8_000);

function tableBody(
  period: OverviewPeriod,
  cols: Column[],
  rows: readonly GroupRow[],
  totalLabel: string,
  totals: Record<ViewKey, Counts>,
  describe: (r: GroupRow) => { head: string; scope: LinkScope | null },
): SafeHtml {
  // the links depend on the period's first day and cutoff only (figureHref); rows and totals by identity
  const context = `${period.from}|${period.asOf}|${colsName(cols)}|${totalLabel}`;
  const key = `${context}|${objectId(rows)}|${objectId(totals.assigned)}|${objectId(totals.backlog)}|${objectId(totals.cumulative)}`;
  return bodies.get(key, () => {
    const cells = cellRenderer(period, cols);
    let out = '<tbody>';
    for (const r of rows)
      out += tableRows.get(`${context}|${objectId(r)}`, () => {
        const { head, scope } = describe(r);
        return SafeHtml.fromBytes(
          `<tr><th scope="row">${utf8Bytes(head)}</th>${cells(r, scope === null ? null : scopeSuffix(scope))}</tr>`,
        );
      }).bytes;
    return SafeHtml.fromBytes(
      `${out}</tbody><tfoot><tr><th scope="row">${utf8Bytes(totalLabel)}</th>${cells(totals, '')}</tr></tfoot>`,
    );
  });
}

/** The overview with the same period, one view of the agency table and a sort. */
export function overviewHref(period: OverviewPeriod, view: ViewKey, sort?: { key: SortKey; dir: 'asc' | 'desc' }) {
  const base = href({ ...periodQuery(period), view }, '/admin/overview');
  return sort ? `${base}&sort=${sort.key}&dir=${sort.dir}#don-vi` : `${base}#don-vi`;
}

function sortHead(p: {
  period: OverviewPeriod;
  view: ViewKey;
  label: string;
  sortKey: SortKey;
  sort: SortKey;
  dir: 'asc' | 'desc';
}) {
  const active = p.sort === p.sortKey;
  // numbers first sort from the largest, names from A
  const next: 'asc' | 'desc' = active ? (p.dir === 'asc' ? 'desc' : 'asc') : p.sortKey === 'name' ? 'asc' : 'desc';
  const ariaSort = active ? h` aria-sort="${p.dir === 'asc' ? 'ascending' : 'descending'}"` : null;
  const mark = active ? (p.dir === 'asc' ? ' ▲' : ' ▼') : '';
  return h`<th scope="col"${ariaSort}><a href="${overviewHref(p.period, p.view, { key: p.sortKey, dir: next })}" data-sort="${p.sortKey}">${p.label}${mark}</a></th>`;
}

/** the agency table's tabs and heads, by period, view and sort (they show no figure) */
const agencyHeads = new MarkupMemo('overview agency table head', 64);

export function agencyTable(p: {
  period: OverviewPeriod;
  view: ViewKey;
  rows: readonly GroupRow[];
  totals: Record<ViewKey, Counts>;
  sort: SortKey;
  dir: 'asc' | 'desc';
}): SafeHtml {
  const cols = AGENCY_COLUMNS[p.view];
  const top = agencyHeads.get(`${JSON.stringify(p.period)}|${p.view}|${p.sort}|${p.dir}`, () => {
    const tabs = AGENCY_VIEWS.map((v) =>
      v === p.view
        ? h`<a href="${overviewHref(p.period, v)}" aria-current="page">${VIEW_LABELS[v]}</a>`
        : h`<a href="${overviewHref(p.period, v)}">${VIEW_LABELS[v]}</a>`,
    );
    const head = (label: string, sortKey: SortKey) =>
      sortHead({ period: p.period, view: p.view, label, sortKey, sort: p.sort, dir: p.dir });
    const heads = cols.map((c) => head(c.label, `${c.view}.${c.metric}` as SortKey));
    return h`<nav class="view-tabs" aria-label="Cách tính của bảng theo đơn vị">${tabs}</nav><p>Đơn vị chủ trì tại ngày chốt số liệu. Bấm tiêu đề cột để sắp xếp; tỷ lệ của đơn vị có dưới ${MIN_DUE_FOR_RANKING} nhiệm vụ đến hạn được in nghiêng, mờ và không xếp hạng. Bấm một số để mở danh sách nhiệm vụ tương ứng.</p><div class="table-wrap"><table class="overview-table" id="bang-don-vi"><caption>Theo đơn vị chủ trì: ${VIEW_LABELS[p.view].toLowerCase()}</caption><thead><tr>${head('Đơn vị', 'name')}${heads}</tr></thead>`;
  });
  const body = tableBody(p.period, cols, p.rows, 'Toàn tỉnh', p.totals, (r) => ({
    head: escapeHtml(r.name || r.code || ''),
    scope: r.code ? { agency: r.code } : null,
  }));
  return h`${top}${body}</table></div>`;
}

export function leaderTable(p: {
  period: OverviewPeriod;
  rows: readonly GroupRow[];
  totals: Record<ViewKey, Counts>;
}): SafeHtml {
  const heads = LEADER_COLUMNS.map(
    (c) => h`<th scope="col">${c.view === 'assigned' ? `${VIEW_LABELS.assigned}: ` : ''}${c.label}</th>`,
  );
  const body = tableBody(p.period, LEADER_COLUMNS, p.rows, 'Tổng cộng', p.totals, (r) => ({
    head: `${escapeHtml(r.name)}${r.title ? `<span class="muted"> — ${escapeHtml(r.title)}</span>` : ''}`,
    scope: r.id === null ? null : { leader: r.id },
  }));
  return h`<div class="table-wrap"><table class="overview-table" id="bang-lanh-dao"><caption>Theo lãnh đạo UBND tỉnh giao nhiệm vụ</caption><thead><tr><th scope="col">Lãnh đạo</th>${heads}</tr></thead>${body}</table></div>`;
}
