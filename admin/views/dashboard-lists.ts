/**
 * The dashboard's lists (cards and their first rows) as markup built as a byte string (html.ts): the markup the JSX
 * of routes/dashboard.tsx and views/components.tsx Table made, byte for byte (dashboard-lists.test.ts holds them
 * equal), at a fraction of its cost on the page every user opens first.
 */
import type { DashboardList } from '../domain/dashboard.ts';
import { formatDateVi } from '../domain/dates.ts';
import { formatNumber } from '../domain/format.ts';
import { h, SafeHtml, textToBytes as t, utf8Bytes } from './html.ts';
import { href } from './html-parts.ts';

const HEAD = ['Mã', 'Nhiệm vụ', 'Đơn vị chủ trì', 'Thời hạn', 'Tình trạng'];
const THEAD = utf8Bytes(`<thead><tr>${HEAD.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead>`);
// data-label: the column's name, shown beside the value when a phone stacks each row as a card (admin-narrow.css)
const TD = HEAD.map((label) => `<td data-label="${t(label)}">`);
const CARDS = utf8Bytes('<ul class="cards" aria-label="Việc cần chú ý">');
const SEE_ALL = utf8Bytes('Xem tất cả ');
const TASKS = utf8Bytes(' nhiệm vụ</a></p>');

/** The task list a card or a "see all" opens (a list's query is never empty: it has its date). */
export function listHref(query: Record<string, string>): string {
  return href(query);
}

/** The lists as a byte string (html.ts), to be put into a page built with `h`. */
export function dashboardListsBytes(lists: DashboardList[]): SafeHtml {
  let out = CARDS;
  for (const l of lists) {
    out += `<li class="card${l.warn && l.total > 0 ? ' warn' : ''}"><a href="${t(listHref(l.query))}" data-list="${t(l.key)}"><span class="n">${t(formatNumber(l.total))}</span> ${t(l.label)}</a>`;
    if (l.workLink) out += `<p class="hint"><a href="${t(l.workLink.href)}">${t(l.workLink.label)}</a></p>`;
    out += '</li>';
  }
  out += '</ul>';
  for (const l of lists) {
    if (l.rows.length === 0) continue;
    out += `<section aria-labelledby="list-${t(l.key)}"><h2 id="list-${t(l.key)}">${t(l.label)}</h2><div class="table-wrap stack"><table>${THEAD}<tbody>`;
    for (const r of l.rows) {
      const deadline = r.effectiveDeadline ? formatDateVi(r.effectiveDeadline) : 'Không thời hạn';
      const status = r.overdueDays > 0 ? `${r.statusLabel} (${r.overdueDays} ngày)` : r.statusLabel;
      out +=
        `<tr>${TD[0]}<a href="/admin/tasks/${t(r.code)}">${t(r.code)}</a></td>${TD[1]}${t(r.title)}</td>` +
        `${TD[2]}${t(r.leadAgencyName)}</td>${TD[3]}${t(deadline)}</td>${TD[4]}${t(status)}</td></tr>`;
    }
    out += '</tbody></table></div>';
    if (l.total > l.rows.length)
      out += `<p><a href="${t(listHref(l.query))}">${SEE_ALL}${t(formatNumber(l.total))}${TASKS}`;
    out += '</section>';
  }
  return SafeHtml.fromBytes(out);
}

/** The same lists as a normal string. */
export function dashboardListsHtml(lists: DashboardList[]): string {
  return dashboardListsBytes(lists).toString();
}

/**
 * The dashboard's table of figures: components.tsx Table as a byte string (dashboard-lists.test.ts holds them
 * equal), each value under its name on a phone.
 */
export function figureTable(caption: string, rows: Array<[string, string]>): SafeHtml {
  const cells = rows.map(
    ([name, value]) => h`<tr><td data-label="Phân loại">${name}</td><td data-label="Số nhiệm vụ">${value}</td></tr>`,
  );
  return h`<div class="table-wrap stack"><table><caption>${caption}</caption><thead><tr><th scope="col">Phân loại</th><th scope="col">Số nhiệm vụ</th></tr></thead><tbody>${cells}</tbody></table></div>`;
}
