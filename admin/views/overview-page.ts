/**
 * The leaders' overview page (admin/routes/overview.tsx): period picker, the three views in brief, per agency and
 * per leader tables (overview-tables.ts), overdue ageing, the 12-month trend and the confirmers' backlog. Charts
 * are server-drawn SVG (svg-charts.ts), each beside a table of the same figures. Works without JavaScript.
 */
import type { SessionUser } from '../auth/session.ts';
import type { Counts } from '../domain/counts.ts';
import { formatDateVi } from '../domain/dates.ts';
import { formatNumber, formatRate } from '../domain/format.ts';
import { figureHref } from '../domain/overview-links.ts';
import type { OverviewPeriod, PickerValues } from '../domain/overview-period.ts';
import { dayBefore, sortGroupRows, type OverviewData, type SortKey, type ViewKey } from '../domain/overview.ts';
import { periodPicker, type QuickPick } from './period-picker.ts';
import { ageing, confirmation, linkedCount, trend } from './overview-sections.ts';
import { agencyTable, leaderTable, VIEW_LABELS } from './overview-tables.ts';
import { barChart } from './svg-charts.ts';
import { attr, h, type SafeHtml } from './html.ts';
import { MarkupMemo, objectId } from './markup-memo.ts';
import { shellAround } from './page-shell.ts';

type Row = [string, (c: Counts) => number | null, keyof Counts | null, boolean?];

const SUMMARY_ROWS: Row[] = [
  ['Tổng số nhiệm vụ', (c) => c.total, 'total'],
  ['Hoàn thành đúng hạn', (c) => c.completedOnTime, 'completedOnTime'],
  ['Hoàn thành quá hạn', (c) => c.completedLate, 'completedLate'],
  ['Đang thực hiện trong hạn', (c) => c.inProgress, 'inProgress'],
  ['— trong đó đã báo cáo, chờ xác nhận', (c) => c.awaitingConfirmation, 'awaitingConfirmation'],
  ['Đang thực hiện quá hạn', (c) => c.overdue, 'overdue'],
  ['Không thời hạn', (c) => c.noDeadline, 'noDeadline'],
  ['Đến hạn (đã hoàn thành + đang quá hạn)', (c) => c.due, null],
  ['Tỷ lệ hoàn thành', (c) => c.completionRate, null, true],
  ['Tỷ lệ hoàn thành đúng hạn', (c) => c.onTimeRate, null, true],
  ['Tỷ lệ quá hạn', (c) => c.overdueRate, null, true],
];

const VIEWS: ViewKey[] = ['assigned', 'backlog', 'cumulative'];

function summary(data: OverviewData): SafeHtml {
  const { stats, period } = data;
  const start = figureHref(period, 'backlog', 'openAtStart');
  const rows = SUMMARY_ROWS.map(([label, get, metric, rate]) => {
    const cells = VIEWS.map((v) => {
      const value = get(stats[v].totals);
      if (rate) return h`<td>${formatRate(value)}</td>`;
      const href =
        metric === null ? null : v === 'backlog' && metric === 'total' ? start : figureHref(period, v, metric as never);
      return h`<td>${linkedCount(href, value ?? 0)}</td>`;
    });
    return h`<tr><th scope="row">${label}</th>${cells}</tr>`;
  });
  const c = stats.cumulative.totals;
  const startLink = start ? h`<a href="${start}">${formatNumber(stats.backlog.openAtStart)}</a>` : null;
  return h`<section aria-labelledby="tong-hop"><h2 id="tong-hop">Tổng hợp theo ba cách tính</h2><ul class="cards" aria-label="Số liệu chính"><li class="card"><a${attr('href', figureHref(period, 'assigned', 'total'))}><span class="n">${formatNumber(stats.assigned.totals.total)}</span> nhiệm vụ giao trong kỳ</a><p class="hint">Tỷ lệ hoàn thành ${formatRate(stats.assigned.totals.completionRate)}</p></li><li class="card"><a${attr('href', start)}><span class="n">${formatNumber(stats.backlog.openAtStart)}</span> nhiệm vụ tồn đọng đầu kỳ</a><p class="hint">Đã hoàn thành trong kỳ ${formatNumber(stats.backlog.totals.completedOnTime + stats.backlog.totals.completedLate)}</p></li><li class="${c.overdue > 0 ? 'card warn' : 'card'}"><a${attr('href', figureHref(period, 'cumulative', 'overdue'))}><span class="n">${formatNumber(c.overdue)}</span> đang quá hạn (lũy kế)</a><p class="hint">Tỷ lệ quá hạn ${formatRate(c.overdueRate)}</p></li><li class="card"><a${attr('href', figureHref(period, 'cumulative', 'awaitingConfirmation'))}><span class="n">${formatNumber(c.awaitingConfirmation)}</span> đã báo cáo, chờ xác nhận</a></li></ul><p>Giao trong kỳ: nhiệm vụ giao từ ${formatDateVi(period.from)} đến ${formatDateVi(period.asOf)}; tồn đọng: nhiệm vụ giao trước kỳ, chưa hoàn thành ngày ${formatDateVi(dayBefore(period))}; lũy kế: mọi nhiệm vụ giao đến ngày chốt. Nhiệm vụ đã thu hồi không được tính.</p><div class="table-wrap"><table class="overview-table" id="bang-tong-hop"><caption>${period.label}: ba cách tính</caption><thead><tr><th scope="col">Chỉ tiêu</th>${VIEWS.map((v) => h`<th scope="col">${VIEW_LABELS[v]}</th>`)}</tr></thead><tbody>${rows}<tr><th scope="row">Tồn đọng đầu kỳ / thu hồi trong kỳ</th><td>—</td><td>${startLink} / ${formatNumber(stats.backlog.cancelledInPeriod)}</td><td>—</td></tr></tbody></table></div></section>`;
}

const TOP_AGENCIES = 10;

function agencySection(data: OverviewData, view: ViewKey, sort: SortKey, dir: 'asc' | 'desc'): SafeHtml {
  const { period, stats } = data;
  const rows = sortGroupRows(data.agencies, sort, dir);
  const top = sortGroupRows(data.agencies, 'cumulative.overdue', 'desc')
    .filter((r) => (r.cumulative?.overdue ?? 0) > 0)
    .slice(0, TOP_AGENCIES);
  const totals = {
    assigned: stats.assigned.totals,
    backlog: stats.backlog.totals,
    cumulative: stats.cumulative.totals,
  };
  // the top ten come from the rows alone (the same object while no row changed)
  const chartKey = `${JSON.stringify(period)}|${objectId(data.agencies)}`;
  const chart =
    top.length > 0 &&
    memo.chart.get(chartKey, () =>
      barChart({
        id: 'chart-agencies',
        title: `${top.length} đơn vị có nhiều nhiệm vụ đang quá hạn nhất, tính đến ${formatDateVi(period.asOf)}`,
        desc: top.map((r) => `${r.name}: ${formatNumber(r.cumulative?.overdue ?? 0)}`).join('; '),
        bars: top.map((r) => ({
          label: r.name,
          value: r.cumulative?.overdue ?? 0,
          text: formatNumber(r.cumulative?.overdue ?? 0),
          href: r.code ? figureHref(period, 'cumulative', 'overdue', { agency: r.code }) : null,
          warn: true,
        })),
      }),
    );
  return h`<section aria-labelledby="don-vi"><h2 id="don-vi">Theo đơn vị</h2>${chart}${agencyTable({ period, view, rows, totals, sort, dir })}</section>`;
}

/**
 * The sections, remembered by the figures and period they show (markup-memo.ts): most writes move no figure, and
 * one that does re-renders the sections that show it. The agency and leader tables remember their rows likewise.
 */
const memo = {
  summary: new MarkupMemo('overview summary', 32),
  chart: new MarkupMemo('overview agency chart', 32),
  ageing: new MarkupMemo('overview ageing', 32),
  trend: new MarkupMemo('overview trend', 32),
  confirmation: new MarkupMemo('overview confirmation', 8),
};

/** Everything below the period picker, as one string (the figures of one period). */
function overviewBody(d: OverviewData, view: ViewKey, sort: SortKey, dir: 'asc' | 'desc'): SafeHtml {
  const { stats } = d;
  const totals = {
    assigned: stats.assigned.totals,
    backlog: stats.backlog.totals,
    cumulative: stats.cumulative.totals,
  };
  // what the summary and the ageing read: the period and the three views' totals (each the same object while it holds)
  const totalsKey = `${JSON.stringify(d.period)}|${objectId(totals.assigned)}|${objectId(totals.backlog)}|${objectId(totals.cumulative)}|${stats.backlog.openAtStart}|${stats.backlog.cancelledInPeriod}`;
  return h`${memo.summary.get(totalsKey, () => summary(d))}${agencySection(d, view, sort, dir)}<section aria-labelledby="lanh-dao"><h2 id="lanh-dao">Theo lãnh đạo giao nhiệm vụ</h2>${leaderTable({ period: d.period, rows: d.leaders, totals })}</section>${memo.ageing.get(totalsKey, () => ageing(d))}${memo.trend.get(String(objectId(d.trend)), () => trend(d))}${memo.confirmation.get(String(objectId(d.confirmation)), () => confirmation(d))}`;
}

interface OverviewPageProps {
  user: SessionUser;
  values: PickerValues;
  errors: Record<string, string>;
  quick: QuickPick[];
  data: OverviewData | null;
  view: ViewKey;
  sort: SortKey;
  dir: 'asc' | 'desc';
}

/** The page as UTF-8: the layout around the period picker and the figures (all built as byte strings by `h`). */
export function renderOverviewPage(p: OverviewPageProps): Uint8Array<ArrayBuffer> {
  const d = p.data;
  const period: OverviewPeriod | null = d?.period ?? null;
  const lead =
    period &&
    h`<p class="lead"><strong>${period.label}</strong> (${formatDateVi(period.from)} – ${formatDateVi(period.to)}), số liệu tính đến ngày ${formatDateVi(period.asOf)}, toàn tỉnh, kể cả nhiệm vụ mật.</p>`;
  const picker = periodPicker({
    values: p.values,
    errors: p.errors,
    quick: p.quick,
    keep: {
      ...(p.view === 'assigned' ? {} : { view: p.view }),
      ...(p.sort === 'name' && p.dir === 'asc' ? {} : { sort: p.sort, dir: p.dir }),
    },
  });
  return shellAround(
    { title: 'Tổng hợp tình hình thực hiện nhiệm vụ', user: p.user, current: 'overview' },
    h`${lead}${picker}${d && overviewBody(d, p.view, p.sort, p.dir)}`,
  );
}
