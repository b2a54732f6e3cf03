/**
 * The national site's pages, plain HTML from TypeScript (escaped by `h`, admin/views/html.ts) with the provinces'
 * stylesheet (site.css, copied beside them) and no JavaScript. Every link is relative, so the site works wherever it
 * is served (/toan-quoc/ in the demo, any static host). Each province's figure links to its own report page.
 */
import { formatDateVi } from '../domain/dates.ts';
import { formatNumber, formatRate } from '../domain/format.ts';
import { h, type SafeHtml } from '../views/html.ts';
import type { PeriodComparison, ProvinceRow, Rollup, ViewFigures } from './compare.ts';

export const TITLE = 'Tổng hợp toàn quốc — Theo dõi nhiệm vụ UBND tỉnh giao';

export function periodLabel(period: string): string {
  return `tháng ${Number(period.slice(5))}/${period.slice(0, 4)}`;
}

function layout(title: string, root: string, body: SafeHtml): string {
  return `<!doctype html>\n${h`<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="${root}css/site.css">
</head>
<body>
<a class="skip" href="#main">Bỏ qua, đến nội dung chính</a>
<header class="site"><div class="wrap brand"><div>
<p class="org">Tổng hợp từ dữ liệu mở đã công bố của các tỉnh</p>
<a class="name" href="${root}">Theo dõi nhiệm vụ UBND tỉnh giao — toàn quốc</a>
</div></div></header>
<main id="main" class="wrap">
${body}
</main>
<footer class="site"><div class="wrap"><p>Số liệu của từng tỉnh lấy nguyên văn từ gói dữ liệu (datapackage.json) tỉnh đã công bố, sau khi kiểm tra kích thước, mã SHA-256 và lược đồ bản công bố; dòng “Cộng các tỉnh” là tổng các số đó, tỷ lệ tính lại từ tổng. Dữ liệu tổng hợp: <a href="${root}du-lieu-mo/danh-muc.json">danh-muc.json</a>.</p></div></footer>
</body>
</html>`.toString()}\n`;
}

/** A figure linking back to the province's own report page (or its place in the copied folder). */
function linked(text: string, row: ProvinceRow): SafeHtml {
  if (row.href) return h`<a href="${row.href}">${text}</a>`;
  return h`${text}`;
}

function viewCells(v: ViewFigures | null, row: ProvinceRow | null): SafeHtml {
  if (!v) return h`<td colspan="7">Không có số liệu theo kỳ (bản công bố theo lược đồ phiên bản 1)</td>`;
  const cell = (text: string, key: string) =>
    h`<td class="num" data-field="${key}">${row ? linked(text, row) : text}</td>`;
  return h`${cell(formatNumber(v.assigned), 'assigned')}${cell(formatNumber(v.due), 'due')}${cell(formatRate(v.completionRate), 'completionRate')}${cell(
    formatNumber(v.overdue),
    'overdue',
  )}${cell(formatNumber(v.over30), 'over30')}${cell(formatNumber(v.over60), 'over60')}${cell(formatNumber(v.over120), 'over120')}`;
}

const VIEW_HEAD = h`<th scope="col">Giao trong kỳ</th><th scope="col">Đến hạn</th><th scope="col">Tỷ lệ hoàn thành</th><th scope="col">Quá hạn</th><th scope="col">Quá hạn &gt; 30 ngày</th><th scope="col">&gt; 60 ngày</th><th scope="col">&gt; 120 ngày</th>`;

function viewTable(c: PeriodComparison, key: 'month' | 'yearToDate', caption: string): SafeHtml {
  const rows = c.rows.map(
    (r) =>
      h`<tr data-province="${r.code}"><th scope="row">${r.name}${r.note ? h`<br><small>Trang của tỉnh: ${r.note}</small>` : ''}</th>${viewCells(r[key], r)}</tr>`,
  );
  return h`<div class="table-wrap" tabindex="0" role="region" aria-label="${caption}">
<table data-testid="${key}"><caption>${caption}</caption>
<thead><tr><th scope="col">Tỉnh</th>${VIEW_HEAD}</tr></thead>
<tbody>${rows}</tbody>
<tfoot><tr data-province="toan-quoc"><th scope="row">Cộng các tỉnh</th>${viewCells(c.national[key], null)}</tr></tfoot>
</table></div>`;
}

function activityTable(c: PeriodComparison): SafeHtml {
  const cells = (a: ProvinceRow['activity'], row: ProvinceRow | null) => {
    if (!a) return h`<td colspan="3">Chưa công bố mức độ cập nhật</td>`;
    const f = (text: string, key: string) =>
      h`<td class="num" data-field="${key}">${row ? linked(text, row) : text}</td>`;
    return h`${f(formatNumber(a.units), 'units')}${f(formatNumber(a.used), 'used')}${f(formatRate(a.share), 'usedShare')}`;
  };
  return h`<div class="table-wrap" tabindex="0" role="region" aria-label="Mức độ cập nhật">
<table data-testid="activity"><caption>Mức độ cập nhật trong tháng: tỷ lệ đơn vị có sử dụng hệ thống</caption>
<thead><tr><th scope="col">Tỉnh</th><th scope="col">Số đơn vị</th><th scope="col">Đơn vị có sử dụng hệ thống</th><th scope="col">Tỷ lệ</th></tr></thead>
<tbody>${c.rows.map((r) => h`<tr data-province="${r.code}"><th scope="row">${r.name}</th>${cells(r.activity, r)}</tr>`)}</tbody>
<tfoot><tr data-province="toan-quoc"><th scope="row">Cộng các tỉnh</th>${cells(c.national.activity, null)}</tr></tfoot>
</table></div>`;
}

function leftOutNote(r: Rollup, root: string): SafeHtml {
  if (r.leftOut.length === 0)
    return h`<p class="note" data-testid="left-out">Mọi tỉnh công bố cùng các kỳ: không kỳ nào bị loại khỏi so sánh.</p>`;
  return h`<div class="note" data-testid="left-out"><p>Chỉ so sánh các kỳ mà mọi tỉnh đều công bố${
    r.commonPeriods.length ? h` (<a href="${root}">xem danh sách</a>)` : ''
  }. Các kỳ sau không được so sánh vì không phải tỉnh nào cũng có:</p>
<ul>${r.leftOut.map((x) => h`<li>${x.name}: ${x.periods.map(periodLabel).join(', ')}</li>`)}</ul></div>`;
}

/** The page of one common period: the provinces side by side on the same rules. */
export function periodPage(r: Rollup, c: PeriodComparison): string {
  const root = '../../';
  const asOf = [...new Set(c.rows.map((x) => formatDateVi(x.asOf)))].join(', ');
  const rules = [...new Set(c.rows.map((x) => x.rulesVersion))];
  const body = h`<h1>So sánh các tỉnh, ${periodLabel(c.period)}</h1>
<p class="lead">${formatNumber(c.rows.length)} tỉnh, số liệu tính đến hết ngày ${asOf}. Mỗi con số dẫn về trang báo cáo của chính tỉnh đó.</p>
${rules.length > 1 ? h`<p class="note">Các tỉnh dùng quy tắc tính khác phiên bản (${rules.join(', ')}): so sánh cần thận trọng.</p>` : ''}
<p>Nhiệm vụ giao trong kỳ; tỷ lệ hoàn thành = đã hoàn thành ÷ đến hạn (đến hạn = đã hoàn thành + quá hạn), theo cách tính của Tổ công tác của Thủ tướng Chính phủ; quá hạn chia theo số ngày quá hạn.</p>
${viewTable(c, 'month', `Nhiệm vụ giao trong ${periodLabel(c.period)}`)}
${viewTable(c, 'yearToDate', `Nhiệm vụ giao từ 01/01/${c.period.slice(0, 4)} đến ngày chốt`)}
${activityTable(c)}
${leftOutNote(r, root)}
<p><a href="${root}du-lieu-mo/tong-hop-${c.period}.csv">Tải số liệu so sánh kỳ này (CSV)</a> · <a href="${root}">Về trang tổng hợp</a></p>`;
  return layout(`So sánh các tỉnh, ${periodLabel(c.period)} — ${TITLE}`, root, body);
}

/** The national index: provinces, their sources and checks, the common periods, what was left out. */
export function indexPage(r: Rollup): string {
  const provinces = r.provinces.map(
    (p) =>
      h`<tr data-province="${p.code}"><th scope="row">${p.name}</th><td>${p.code}</td><td>${p.source.origin ? h`<a href="${p.source.origin}/">${p.source.label}</a>` : p.source.label}</td><td>${p.periods.map((x) => periodLabel(x.period)).join(', ')}</td><td>Đạt kiểm tra</td></tr>`,
  );
  const refused = r.refused.map(
    (x) =>
      h`<tr data-refused="${x.source.label}"><th scope="row">—</th><td>—</td><td>${x.source.label}</td><td>—</td><td><strong>Không đạt kiểm tra</strong>: ${x.reason}</td></tr>`,
  );
  const periods = r.commonPeriods.length
    ? h`<ul data-testid="periods">${[...r.commonPeriods].reverse().map((p) => h`<li><a href="bao-cao/${p}/">${periodLabel(p)}</a></li>`)}</ul>`
    : h`<p data-testid="periods">Không có kỳ nào mà mọi tỉnh đều công bố.</p>`;
  const body = h`<h1>Tổng hợp toàn quốc</h1>
<p class="lead">${formatNumber(r.provinces.length)} tỉnh đạt kiểm tra${r.refused.length ? h`, ${formatNumber(r.refused.length)} nguồn không đạt kiểm tra` : ''}; ${formatNumber(r.commonPeriods.length)} kỳ chung.</p>
<h2>Các kỳ mọi tỉnh đều công bố</h2>
${periods}
${leftOutNote(r, '')}
<h2>Các tỉnh và nguồn dữ liệu</h2>
<div class="table-wrap" tabindex="0" role="region" aria-label="Các tỉnh và nguồn dữ liệu">
<table data-testid="provinces"><thead><tr><th scope="col">Tỉnh</th><th scope="col">Mã</th><th scope="col">Nguồn</th><th scope="col">Các kỳ đã công bố</th><th scope="col">Kiểm tra</th></tr></thead>
<tbody>${provinces}${refused}</tbody></table></div>
<p>Dữ liệu mở tổng hợp: <a href="du-lieu-mo/danh-muc.json">danh mục (JSON)</a>${r.commonPeriods.map((p) => h`, <a href="du-lieu-mo/tong-hop-${p}.csv">${periodLabel(p)} (CSV)</a>`)}.</p>`;
  return layout(TITLE, '', body);
}
