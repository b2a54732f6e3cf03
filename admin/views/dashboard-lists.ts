/**
 * The dashboard's lists (cards and their first rows) as markup built as a string: the markup the JSX of
 * routes/dashboard.tsx and views/components.tsx Table made, byte for byte (dashboard-lists.test.ts holds them
 * equal), at a fraction of its cost on the page every user opens first.
 */
import type { DashboardList } from '../domain/dashboard.ts';
import { formatDateVi } from '../domain/dates.ts';
import { formatNumber } from '../domain/format.ts';
import { escapeHtml as e } from './html.ts';

const HEAD = ['Mã', 'Nhiệm vụ', 'Đơn vị chủ trì', 'Thời hạn', 'Tình trạng'];
const THEAD = `<thead><tr>${HEAD.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead>`;

export function listHref(query: Record<string, string>): string {
  return `/admin/tasks?${new URLSearchParams(query).toString()}`;
}

function cell(label: string, html: string): string {
  return `<td data-label="${e(label)}">${html}</td>`;
}

export function dashboardListsHtml(lists: DashboardList[]): string {
  let out = '<ul class="cards" aria-label="Việc cần chú ý">';
  for (const l of lists) {
    out += `<li class="card${l.warn && l.total > 0 ? ' warn' : ''}"><a href="${e(listHref(l.query))}" data-list="${e(l.key)}"><span class="n">${e(formatNumber(l.total))}</span> ${e(l.label)}</a>`;
    if (l.workLink) out += `<p class="hint"><a href="${e(l.workLink.href)}">${e(l.workLink.label)}</a></p>`;
    out += '</li>';
  }
  out += '</ul>';
  for (const l of lists) {
    if (l.rows.length === 0) continue;
    out += `<section aria-labelledby="list-${e(l.key)}"><h2 id="list-${e(l.key)}">${e(l.label)}</h2><div class="table-wrap stack"><table>${THEAD}<tbody>`;
    for (const r of l.rows) {
      const deadline = r.effectiveDeadline ? formatDateVi(r.effectiveDeadline) : 'Không thời hạn';
      const status = r.overdueDays > 0 ? `${r.statusLabel} (${r.overdueDays} ngày)` : r.statusLabel;
      out +=
        '<tr>' +
        cell(HEAD[0]!, `<a href="/admin/tasks/${e(r.code)}">${e(r.code)}</a>`) +
        cell(HEAD[1]!, e(r.title)) +
        cell(HEAD[2]!, e(r.leadAgencyName)) +
        cell(HEAD[3]!, e(deadline)) +
        cell(HEAD[4]!, e(status)) +
        '</tr>';
    }
    out += '</tbody></table></div>';
    if (l.total > l.rows.length)
      out += `<p><a href="${e(listHref(l.query))}">Xem tất cả ${e(formatNumber(l.total))} nhiệm vụ</a></p>`;
    out += '</section>';
  }
  return out;
}
