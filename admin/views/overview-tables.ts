/**
 * The leaders' overview tables (admin/views/overview-page.tsx lays them out): the three views side by side, per
 * agency (sortable by any column through links: no script) and per leader. Every count links to the task list
 * that shows those tasks (domain/overview-links.ts); rates stand beside their counts.
 */
import { escapeHtml, h, SafeHtml } from './html.ts';
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

export const AGENCY_COLUMNS: Column[] = [
  { view: 'assigned', metric: 'total', label: 'Tổng' },
  { view: 'assigned', metric: 'completedOnTime', label: 'HT đúng hạn' },
  { view: 'assigned', metric: 'completedLate', label: 'HT quá hạn' },
  { view: 'assigned', metric: 'inProgress', label: 'Đang trong hạn' },
  { view: 'assigned', metric: 'overdue', label: 'Quá hạn' },
  { view: 'assigned', metric: 'completionRate', label: 'Tỷ lệ HT' },
  { view: 'backlog', metric: 'total', label: 'Tổng' },
  { view: 'backlog', metric: 'completed', label: 'Đã HT trong kỳ' },
  { view: 'backlog', metric: 'overdue', label: 'Còn quá hạn' },
  { view: 'cumulative', metric: 'overdue', label: 'Quá hạn' },
  { view: 'cumulative', metric: 'awaitingConfirmation', label: 'Chờ xác nhận' },
  { view: 'cumulative', metric: 'completionRate', label: 'Tỷ lệ HT' },
  { view: 'cumulative', metric: 'overdueRate', label: 'Tỷ lệ QH' },
];

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
        out += low ? `<td class="muted">${formatRate(v)}</td>` : `<td>${formatRate(v)}</td>`;
        continue;
      }
      const text = formatNumber(v ?? 0);
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

function tableBody(
  period: OverviewPeriod,
  cols: Column[],
  rows: GroupRow[],
  totalLabel: string,
  totals: Record<ViewKey, Counts>,
  describe: (r: GroupRow) => { head: string; scope: LinkScope | null },
): string {
  const cells = cellRenderer(period, cols);
  let out = '<tbody>';
  for (const r of rows) {
    const { head, scope } = describe(r);
    out += `<tr><th scope="row">${head}</th>${cells(r, scope === null ? null : scopeSuffix(scope))}</tr>`;
  }
  return `${out}</tbody><tfoot><tr><th scope="row">${totalLabel}</th>${cells(totals, '')}</tr></tfoot>`;
}

function groupHeads(cols: Column[]): Array<{ view: ViewKey; span: number }> {
  const out: Array<{ view: ViewKey; span: number }> = [];
  for (const c of cols) {
    const last = out.at(-1);
    if (last && last.view === c.view) last.span++;
    else out.push({ view: c.view, span: 1 });
  }
  return out;
}

function sortHref(period: OverviewPeriod, key: SortKey, dir: 'asc' | 'desc'): string {
  return `/admin/overview?${new URLSearchParams({ ...periodQuery(period), sort: key, dir }).toString()}#don-vi`;
}

function sortHead(p: { period: OverviewPeriod; label: string; sortKey: SortKey; sort: SortKey; dir: 'asc' | 'desc' }) {
  const active = p.sort === p.sortKey;
  // numbers first sort from the largest, names from A
  const next: 'asc' | 'desc' = active ? (p.dir === 'asc' ? 'desc' : 'asc') : p.sortKey === 'name' ? 'asc' : 'desc';
  const ariaSort = active ? h` aria-sort="${p.dir === 'asc' ? 'ascending' : 'descending'}"` : null;
  const mark = active ? (p.dir === 'asc' ? ' ▲' : ' ▼') : '';
  return h`<th scope="col"${ariaSort}><a href="${sortHref(p.period, p.sortKey, next)}" data-sort="${p.sortKey}">${p.label}${mark}</a></th>`;
}

export function agencyTable(p: {
  period: OverviewPeriod;
  rows: GroupRow[];
  totals: Record<ViewKey, Counts>;
  sort: SortKey;
  dir: 'asc' | 'desc';
}): SafeHtml {
  const groups = groupHeads(AGENCY_COLUMNS).map(
    (g) => h`<th scope="colgroup" colspan="${g.span}" class="group">${VIEW_LABELS[g.view]}</th>`,
  );
  const heads = AGENCY_COLUMNS.map((c) =>
    sortHead({
      period: p.period,
      label: c.label,
      sortKey: `${c.view}.${c.metric}` as SortKey,
      sort: p.sort,
      dir: p.dir,
    }),
  );
  const body = tableBody(p.period, AGENCY_COLUMNS, p.rows, 'Toàn tỉnh', p.totals, (r) => ({
    head: escapeHtml(r.name || r.code || ''),
    scope: r.code ? { agency: r.code } : null,
  }));
  const nameHead = sortHead({ period: p.period, label: 'Đơn vị', sortKey: 'name', sort: p.sort, dir: p.dir });
  return h`<p>Đơn vị chủ trì tại ngày chốt số liệu. Bấm tiêu đề cột để sắp xếp; tỷ lệ của đơn vị có dưới ${MIN_DUE_FOR_RANKING} nhiệm vụ đến hạn được in nghiêng, mờ và không xếp hạng. Bấm một số để mở danh sách nhiệm vụ tương ứng.</p><div class="table-wrap"><table class="overview-table" id="bang-don-vi"><caption>Theo đơn vị chủ trì</caption><thead><tr><td></td>${groups}</tr><tr>${nameHead}${heads}</tr></thead>${new SafeHtml(body)}</table></div>`;
}

export function leaderTable(p: {
  period: OverviewPeriod;
  rows: GroupRow[];
  totals: Record<ViewKey, Counts>;
}): SafeHtml {
  const heads = LEADER_COLUMNS.map(
    (c) => h`<th scope="col">${c.view === 'assigned' ? `${VIEW_LABELS.assigned}: ` : ''}${c.label}</th>`,
  );
  const body = tableBody(p.period, LEADER_COLUMNS, p.rows, 'Tổng cộng', p.totals, (r) => ({
    head: `${escapeHtml(r.name)}${r.title ? `<span class="muted"> — ${escapeHtml(r.title)}</span>` : ''}`,
    scope: r.id === null ? null : { leader: r.id },
  }));
  return h`<div class="table-wrap"><table class="overview-table" id="bang-lanh-dao"><caption>Theo lãnh đạo UBND tỉnh giao nhiệm vụ</caption><thead><tr><th scope="col">Lãnh đạo</th>${heads}</tr></thead>${new SafeHtml(body)}</table></div>`;
}
