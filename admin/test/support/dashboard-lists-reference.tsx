/**
 * The JSX the dashboard rendered its lists with before they were built as a string (views/dashboard-lists.ts):
 * kept as the reference its test compares against, byte for byte.
 */
import type { DashboardList } from '../../domain/dashboard.ts';
import { formatDateVi } from '../../domain/dates.ts';
import { formatNumber } from '../../domain/format.ts';
import { Table } from '../../views/components.tsx';
import { listHref } from '../../views/dashboard-lists.ts';

export function reference(lists: DashboardList[]) {
  return (
    <>
      <ul class="cards" aria-label="Việc cần chú ý">
        {lists.map((l) => (
          <li class={`card${l.warn && l.total > 0 ? ' warn' : ''}`}>
            <a href={listHref(l.query)} data-list={l.key}>
              <span class="n">{formatNumber(l.total)}</span> {l.label}
            </a>
            {l.workLink && (
              <p class="hint">
                <a href={l.workLink.href}>{l.workLink.label}</a>
              </p>
            )}
          </li>
        ))}
      </ul>
      {lists
        .filter((l) => l.rows.length > 0)
        .map((l) => (
          <section aria-labelledby={`list-${l.key}`}>
            <h2 id={`list-${l.key}`}>{l.label}</h2>
            <Table
              head={['Mã', 'Nhiệm vụ', 'Đơn vị chủ trì', 'Thời hạn', 'Tình trạng']}
              rows={l.rows.map((r) => [
                <a href={`/admin/tasks/${r.code}`}>{r.code}</a>,
                r.title,
                r.leadAgencyName,
                r.effectiveDeadline ? formatDateVi(r.effectiveDeadline) : 'Không thời hạn',
                r.overdueDays > 0 ? `${r.statusLabel} (${r.overdueDays} ngày)` : r.statusLabel,
              ])}
            />
            {l.total > l.rows.length && (
              <p>
                <a href={listHref(l.query)}>Xem tất cả {formatNumber(l.total)} nhiệm vụ</a>
              </p>
            )}
          </section>
        ))}
    </>
  );
}
