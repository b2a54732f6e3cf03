/**
 * Sections of the leaders' overview below the tables: overdue ageing, the 12-month trend and the confirmers'
 * backlog, each chart (svg-charts.ts) beside a table of the same figures. Built with `h` (views/html.ts), not JSX:
 * the page is rendered on every request and JSX nodes were most of its time.
 */
import { formatDateVi } from '../domain/dates.ts';
import { formatNumber, formatRate } from '../domain/format.ts';
import { ageingHref, monthHref, tasksHref } from '../domain/overview-links.ts';
import type { OverviewData, ViewKey } from '../domain/overview.ts';
import { h, type SafeHtml } from './html.ts';
import { VIEW_LABELS } from './overview-tables.ts';
import { barChart, columnChart, lineChart, type Bar } from './svg-charts.ts';

const VIEWS: ViewKey[] = ['assigned', 'backlog', 'cumulative'];

/** A count linking to its task list, plain when it is zero or has no list. */
export function linkedCount(href: string | null, n: number): SafeHtml {
  return href && n !== 0 ? h`<a href="${href}">${formatNumber(n)}</a>` : h`${formatNumber(n)}`;
}

export function ageing(data: OverviewData): SafeHtml {
  const { stats, period } = data;
  const c = stats.cumulative.totals;
  const bars: Bar[] = [
    { label: 'Đang quá hạn', value: c.overdue, text: formatNumber(c.overdue) },
    { label: 'Quá hạn trên 30 ngày', value: c.overdueOver30, text: formatNumber(c.overdueOver30) },
    { label: 'Quá hạn trên 60 ngày', value: c.overdueOver60, text: formatNumber(c.overdueOver60), warn: true },
    { label: 'Quá hạn trên 120 ngày', value: c.overdueOver120, text: formatNumber(c.overdueOver120), warn: true },
  ].map((b) => ({ ...b, href: ageingHref(period, 'cumulative') }));
  const rows = VIEWS.map((v) => {
    const t = stats[v].totals;
    const href = ageingHref(period, v);
    const cells = [t.overdue, t.overdueOver30, t.overdueOver60, t.overdueOver120].map(
      (n) => h`<td>${linkedCount(href, n)}</td>`,
    );
    return h`<tr><th scope="row">${VIEW_LABELS[v]}</th>${cells}</tr>`;
  });
  const chart = barChart({
    id: 'chart-ageing',
    title: `Nhiệm vụ đang quá hạn theo thời gian quá hạn, tính đến ${formatDateVi(period.asOf)} (lũy kế)`,
    desc: bars.map((b) => `${b.label}: ${b.text}`).join('; '),
    bars,
  });
  return h`<section aria-labelledby="tuoi-qua-han"><h2 id="tuoi-qua-han">Thời gian quá hạn</h2>${chart}<p>Nhóm sau nằm trong nhóm trước; mỗi số mở danh sách nhiệm vụ quá hạn, quá hạn lâu nhất trước.</p><div class="table-wrap"><table class="overview-table" id="bang-qua-han"><caption>Số nhiệm vụ đang quá hạn theo thời gian quá hạn</caption><thead><tr><th scope="col">Nhóm</th><th scope="col">Đang quá hạn</th><th scope="col">Trên 30 ngày</th><th scope="col">Trên 60 ngày</th><th scope="col">Trên 120 ngày</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

const monthLabel = (m: string) => `${Number(m.slice(5, 7))}/${m.slice(2, 4)}`;

export function trend(data: OverviewData): SafeHtml {
  const points = data.trend;
  const rate = lineChart({
    id: 'chart-rate',
    title: 'Tỷ lệ hoàn thành (lũy kế) tại ngày cuối mỗi tháng',
    desc: points.map((t) => `${monthLabel(t.month)}: ${formatRate(t.completionRate)}`).join('; '),
    points: points.map((t) => ({
      label: monthLabel(t.month),
      value: t.completionRate,
      text: formatRate(t.completionRate),
    })),
    tickText: (v) => formatRate(v),
  });
  const overdue = columnChart({
    id: 'chart-overdue',
    title: 'Số nhiệm vụ đang quá hạn tại ngày cuối mỗi tháng',
    desc: points.map((t) => `${monthLabel(t.month)}: ${formatNumber(t.overdue)}`).join('; '),
    warn: true,
    tickText: (v) => formatNumber(Math.round(v)),
    points: points.map((t) => ({
      label: monthLabel(t.month),
      value: t.overdue,
      text: formatNumber(t.overdue),
      href: monthHref(t, 'overdue'),
    })),
  });
  const rows = points.map(
    (t) =>
      h`<tr><th scope="row">Tháng ${Number(t.month.slice(5, 7))}/${t.month.slice(0, 4)}</th><td>${linkedCount(monthHref(t, 'assigned'), t.assigned)}</td><td>${formatNumber(t.due)}</td><td>${formatRate(t.completionRate)}</td><td>${linkedCount(monthHref(t, 'overdue'), t.overdue)}</td></tr>`,
  );
  return h`<section aria-labelledby="xu-huong"><h2 id="xu-huong">Diễn biến 12 tháng</h2><div class="chart-pair">${rate}${overdue}</div><div class="table-wrap"><table class="overview-table" id="bang-xu-huong"><caption>Số liệu từng tháng (tháng đang diễn ra tính đến ngày chốt)</caption><thead><tr><th scope="col">Tháng</th><th scope="col">Giao trong tháng</th><th scope="col">Đến hạn (lũy kế)</th><th scope="col">Tỷ lệ hoàn thành</th><th scope="col">Đang quá hạn</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

export function confirmation(data: OverviewData): SafeHtml {
  const q = data.confirmation;
  const all = tasksHref({ status: 'awaitingConfirmation', sort: 'last_update', dir: 'asc' });
  const rows = q.oldest.map(
    (r) =>
      h`<tr><td><a href="${`/admin/tasks/${r.code}`}">${r.code}</a></td><td>${r.title}</td><td>${r.agencyName}</td><td>${formatDateVi(r.reportedOn)}</td><td class="n">${formatNumber(r.daysWaiting)}</td></tr>`,
  );
  const table =
    q.oldest.length > 0 &&
    h`<div class="table-wrap"><table class="overview-table list" id="bang-cho-xac-nhan"><caption>Chờ lâu nhất trước</caption><thead><tr><th scope="col">Mã</th><th scope="col">Nhiệm vụ</th><th scope="col">Đơn vị chủ trì</th><th scope="col">Ngày gửi báo cáo</th><th scope="col">Số ngày chờ</th></tr></thead><tbody>${rows}</tbody></table></div>`;
  return h`<section aria-labelledby="cho-xac-nhan"><h2 id="cho-xac-nhan">Báo cáo chờ Tổ công tác xác nhận (hôm nay)</h2><p>Đơn vị đã gửi báo cáo kết quả; nhiệm vụ gửi báo cáo trong hạn không bị tính quá hạn trong thời gian chờ. <a href="${all}">${formatNumber(q.total)} báo cáo đang chờ</a>: ${formatNumber(q.byAge.upTo7)} chờ đến 7 ngày, ${formatNumber(q.byAge.upTo30)} chờ 8–30 ngày, <strong>${formatNumber(q.byAge.over30)} chờ trên 30 ngày</strong>.</p>${table}</section>`;
}
