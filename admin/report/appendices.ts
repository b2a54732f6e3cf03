/**
 * The appendices of the meeting report (Phụ lục I–IV): the per-agency table of the year to date, the overdue tasks
 * by agency with their days overdue, the open tasks without a deadline and their urging, the units that did not
 * update the system. Words and cells only; the renderers draw them.
 */
import { formatDateVi } from '../domain/dates.ts';
import { formatNumber, formatRate } from '../domain/format.ts';
import { type Appendix, type Block, ndDate, type TableBlock } from './form.ts';
import type { AgencyTasks, Figures, MeetingReport, TaskLine, ViewFigures } from './model.ts';

const n = formatNumber;

export function completed(f: Figures): number {
  return f.completedOnTime + f.completedLate;
}

export const para = (text: string): Block => ({ kind: 'paragraph', runs: [{ text }] });

function taskTitle(t: TaskLine): string {
  return t.hidden ? `${t.title} (nội dung không hiển thị)` : t.title;
}

function overdueTable(groups: AgencyTasks[]): Block {
  let i = 0;
  const rows: TableBlock['rows'] = [];
  groups.forEach((g, gi) => {
    rows.push({ group: `${gi + 1}. ${g.agencyName} (${n(g.tasks.length)} nhiệm vụ)` });
    for (const t of g.tasks) {
      i++;
      rows.push({
        cells: [
          n(i),
          t.code ?? '—',
          taskTitle(t),
          t.document ?? '',
          formatDateVi(t.assignedOn),
          formatDateVi(t.effectiveDeadline),
          n(t.overdueDays),
        ],
      });
    }
  });
  return {
    kind: 'table',
    head: ['STT', 'Mã nhiệm vụ', 'Nội dung nhiệm vụ', 'Văn bản giao', 'Ngày giao', 'Thời hạn', 'Số ngày quá hạn'],
    widths: [5, 12, 43, 13, 9, 9, 9],
    numeric: [true, false, false, false, false, false, true],
    rows,
  };
}

function agencyTable(r: MeetingReport): Block {
  const row = (name: string, m: ViewFigures, y: ViewFigures, i: string, bold = false) => ({
    bold,
    cells: [
      i,
      name,
      n(m.assigned.total),
      n(y.assigned.total),
      n(y.assigned.completedOnTime),
      n(y.assigned.completedLate),
      n(y.assigned.inProgress),
      n(y.assigned.overdue),
      n(y.assigned.noDeadline),
      y.assigned.due === 0
        ? '—'
        : `${formatRate(y.assigned.completionRate)} (${n(completed(y.assigned))}/${n(y.assigned.due)})`,
      n(y.backlog.total),
      n(y.backlog.overdue),
    ],
  });
  return {
    kind: 'table',
    head: [
      'STT',
      'Đơn vị',
      'Giao trong tháng',
      'Giao từ đầu năm',
      'Hoàn thành đúng hạn',
      'Hoàn thành quá hạn',
      'Đang thực hiện trong hạn',
      'Đang thực hiện quá hạn',
      'Không thời hạn',
      'Tỷ lệ hoàn thành (hoàn thành/đến hạn)',
      'Tồn đọng năm trước',
      'Tồn đọng còn quá hạn',
    ],
    widths: [4, 22, 7, 7, 7, 7, 7, 7, 7, 11, 7, 7],
    numeric: [true, false, true, true, true, true, true, true, true, true, true, true],
    rows: [
      ...r.agencies.map((a, i) => row(a.name, a.month, a.yearToDate, n(i + 1))),
      row('Tổng cộng', r.month, r.yearToDate, '', true),
    ],
  };
}

function undatedTable(r: MeetingReport): Block {
  const urging = r.urgingKnown;
  return {
    kind: 'table',
    head: [
      'STT',
      'Mã nhiệm vụ',
      'Nội dung nhiệm vụ',
      'Đơn vị chủ trì',
      'Ngày giao',
      ...(urging ? ['Đôn đốc gần nhất'] : []),
    ],
    widths: [5, 12, 42, 21, 10, ...(urging ? [10] : [])],
    numeric: [true, false, false, false, false, false],
    rows: r.undated.map((t, i) => ({
      cells: [
        n(i + 1),
        t.code ?? '—',
        taskTitle(t),
        t.agencyName,
        formatDateVi(t.assignedOn),
        ...(urging ? [t.lastUrgedOn ? formatDateVi(t.lastUrgedOn) : 'Chưa đôn đốc'] : []),
      ],
    })),
  };
}

export function appendices(r: MeetingReport): Appendix[] {
  const year = r.period.slice(0, 4);
  const office = r.office;
  const overdueTotal = r.overdue.reduce((s, g) => s + g.tasks.length, 0);
  const attached = `(Kèm theo Báo cáo số      /BC-VP ${ndDate(r.issuedOn)} của ${office})`;
  return [
    {
      label: 'Phụ lục I',
      title: `KẾT QUẢ THỰC HIỆN NHIỆM VỤ THEO ĐƠN VỊ (LŨY KẾ TỪ ĐẦU NĂM ${year} ĐẾN NGÀY ${formatDateVi(r.asOf)})`,
      subtitle: attached,
      blocks: [agencyTable(r)],
    },
    {
      label: 'Phụ lục II',
      title: `DANH SÁCH NHIỆM VỤ QUÁ HẠN THEO ĐƠN VỊ (TÍNH ĐẾN NGÀY ${formatDateVi(r.asOf)})`,
      subtitle: attached,
      blocks: overdueTotal === 0 ? [para('Không có nhiệm vụ quá hạn.')] : [overdueTable(r.overdue)],
    },
    {
      label: 'Phụ lục III',
      title: `NHIỆM VỤ KHÔNG THỜI HẠN ĐANG THỰC HIỆN${r.urgingKnown ? ' VÀ VIỆC ĐÔN ĐỐC' : ''}`,
      subtitle: attached,
      blocks: r.undated.length === 0 ? [para('Không có nhiệm vụ không thời hạn đang thực hiện.')] : [undatedTable(r)],
    },
    {
      label: 'Phụ lục IV',
      title: 'ĐƠN VỊ CHƯA CẬP NHẬT KẾT QUẢ TRÊN HỆ THỐNG TRONG 30 NGÀY (ĐỀ NGHỊ PHÊ BÌNH)',
      subtitle: attached,
      blocks:
        r.inactiveUnits.length === 0
          ? [para('Không có đơn vị nào.')]
          : [
              {
                kind: 'table',
                head: [
                  'STT',
                  'Đơn vị',
                  'Số tài khoản',
                  'Đăng nhập gần nhất',
                  'Cập nhật gần nhất',
                  'Nhiệm vụ đang thực hiện',
                  'Tỷ lệ nhiệm vụ được cập nhật trong 30 ngày',
                ],
                widths: [5, 35, 9, 13, 13, 11, 14],
                numeric: [true, false, true, false, false, true, true],
                rows: r.inactiveUnits.map((u, i) => ({
                  cells: [
                    n(i + 1),
                    u.name,
                    n(u.accounts),
                    u.lastLoginAt ? formatDateVi(u.lastLoginAt.slice(0, 10)) : 'Chưa đăng nhập',
                    u.lastUpdateAt ? formatDateVi(u.lastUpdateAt.slice(0, 10)) : 'Chưa cập nhật',
                    n(u.openTasks),
                    formatRate(u.updatedShare),
                  ],
                })),
              },
            ],
    },
  ];
}
