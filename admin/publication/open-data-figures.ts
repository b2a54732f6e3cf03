/**
 * The period figures of a snapshot as open-data rows (so-lieu.csv, the "So lieu theo ky" sheet) and the agencies
 * newly overdue in the month (moi-qua-han.csv, the "Moi qua han" sheet). One long table, one row per
 * (period, view, province or agency), so many provinces' files can be stacked for a national roll-up. A stored
 * snapshot of schema version 1 has only the cumulative view (rules version 1) and no newly-overdue list.
 */
import { stringifyCsv } from '../files/spreadsheet-cells.ts';
import {
  type AnyCounts,
  isCurrentSnapshot,
  type PublicCounts,
  rulesVersionOf,
  STATUS_LABELS,
  type StoredSnapshotHeader,
} from './schema.ts';

/** The counts' keys as published (JSON keys, CSV columns), with their Vietnamese names. */
export const COUNT_COLUMNS: Array<[keyof PublicCounts, string]> = [
  ['total', 'Tổng số nhiệm vụ'],
  ['completedOnTime', STATUS_LABELS.completedOnTime],
  ['completedLate', STATUS_LABELS.completedLate],
  ['inProgress', STATUS_LABELS.inProgress],
  ['overdue', STATUS_LABELS.overdue],
  ['noDeadline', STATUS_LABELS.noDeadline],
  ['due', 'Số nhiệm vụ đến hạn'],
  ['awaitingConfirmation', 'Đã báo cáo, chờ xác nhận'],
  ['dueSoon', 'Sắp đến hạn (trong 3 ngày)'],
  ['overdueOver30', 'Quá hạn trên 30 ngày'],
  ['overdueOver60', 'Quá hạn trên 60 ngày'],
  ['overdueOver120', 'Quá hạn trên 120 ngày'],
  ['completionRate', 'Tỷ lệ hoàn thành (từ quy tắc phiên bản 2)'],
  ['onTimeRate', 'Tỷ lệ hoàn thành đúng hạn'],
  ['overdueRate', 'Tỷ lệ quá hạn'],
];

/** A count of any stored snapshot by key (a version-1 count has no completion rate: null). */
export function countValue(c: AnyCounts, key: keyof PublicCounts): number | null {
  return key in c ? (c as PublicCounts)[key] : null;
}

export const SCOPES = { month: 'thang', yearToDate: 'tu_dau_nam', cutoff: 'ngay_chot' } as const;
export const VIEWS = { assigned: 'giao_trong_ky', backlog: 'ton_dong', cumulative: 'luy_ke' } as const;

export interface FigureColumn {
  column: string;
  type: string;
  meaning: string;
}

export const FIGURE_DICTIONARY: FigureColumn[] = [
  { column: 'ky', type: 'YYYY-MM', meaning: 'Kỳ công bố' },
  { column: 'ngay_chot', type: 'YYYY-MM-DD', meaning: 'Ngày chốt số liệu' },
  { column: 'phien_ban_quy_tac', type: 'số nguyên', meaning: 'Phiên bản quy tắc tính số liệu (xem trang Phương pháp)' },
  {
    column: 'pham_vi',
    type: 'mã',
    meaning: `${SCOPES.month} = tháng công bố, ${SCOPES.yearToDate} = từ đầu năm đến ngày chốt, ${SCOPES.cutoff} = chỉ có số lũy kế (bản công bố theo quy tắc phiên bản 1)`,
  },
  { column: 'tu_ngay', type: 'YYYY-MM-DD', meaning: 'Ngày đầu của phạm vi (trống với số lũy kế của bản phiên bản 1)' },
  { column: 'den_ngay', type: 'YYYY-MM-DD', meaning: 'Ngày cuối của phạm vi (ngày chốt số liệu)' },
  {
    column: 'cach_tinh',
    type: 'mã',
    meaning: `${VIEWS.assigned} = nhiệm vụ giao trong kỳ; ${VIEWS.backlog} = tồn đọng từ kỳ trước (giao trước ngày đầu kỳ, chưa hoàn thành vào ngày liền trước); ${VIEWS.cumulative} = lũy kế đến ngày chốt`,
  },
  { column: 'ma_co_quan', type: 'văn bản', meaning: 'Mã cơ quan chủ trì tại ngày chốt; trống = toàn tỉnh' },
  { column: 'co_quan', type: 'văn bản', meaning: 'Tên cơ quan; "Toàn tỉnh" cho dòng tổng' },
  ...COUNT_COLUMNS.map(([key, label]) => ({
    column: key,
    type: key.endsWith('Rate') ? 'số thập phân 0–1; trống = chưa có nhiệm vụ đến hạn' : 'số nguyên',
    meaning: label,
  })),
];

export type FigureRow = Array<string | number | null>;

/** Every figure of a stored snapshot as rows of FIGURE_DICTIONARY (province first, then agencies by code). */
export function figureRows(h: StoredSnapshotHeader): FigureRow[] {
  const rules = rulesVersionOf(h);
  const row = (scope: string, from: string | null, view: string, code: string, name: string, c: AnyCounts) => [
    h.period,
    h.asOf,
    rules,
    scope,
    from,
    h.asOf,
    view,
    code,
    name,
    ...COUNT_COLUMNS.map(([k]) => countValue(c, k)),
  ];
  const rows: FigureRow[] = [];
  if (!isCurrentSnapshot(h)) {
    rows.push(row(SCOPES.cutoff, null, VIEWS.cumulative, '', 'Toàn tỉnh', h.totals));
    for (const a of h.agencies) rows.push(row(SCOPES.cutoff, null, VIEWS.cumulative, a.code, a.name, a.counts));
    return rows;
  }
  for (const scope of ['month', 'yearToDate'] as const) {
    const p = h[scope];
    for (const view of ['assigned', 'backlog', 'cumulative'] as const) {
      rows.push(row(SCOPES[scope], p.from, VIEWS[view], '', 'Toàn tỉnh', p[view]));
      for (const a of h.agencies) rows.push(row(SCOPES[scope], p.from, VIEWS[view], a.code, a.name, a[scope][view]));
    }
  }
  return rows;
}

export function figuresCsv(h: StoredSnapshotHeader): string {
  return stringifyCsv([FIGURE_DICTIONARY.map((d) => d.column), ...figureRows(h)]);
}

export const NEWLY_OVERDUE_DICTIONARY: FigureColumn[] = [
  { column: 'ky', type: 'YYYY-MM', meaning: 'Kỳ công bố' },
  { column: 'tu_ngay', type: 'YYYY-MM-DD', meaning: 'Ngày đầu tháng' },
  { column: 'den_ngay', type: 'YYYY-MM-DD', meaning: 'Ngày chốt số liệu' },
  { column: 'ma_co_quan', type: 'văn bản', meaning: 'Mã cơ quan chủ trì vào ngày nhiệm vụ trở thành quá hạn' },
  { column: 'co_quan', type: 'văn bản', meaning: 'Tên cơ quan' },
  {
    column: 'so_nhiem_vu_moi_qua_han',
    type: 'số nguyên',
    meaning: 'Số nhiệm vụ trở thành quá hạn trong tháng (ngày đầu quá hạn nằm trong tháng)',
  },
  {
    column: 'con_qua_han',
    type: 'số nguyên',
    meaning: 'Trong số đó, số nhiệm vụ vẫn quá hạn tại ngày chốt (số còn lại đã hoàn thành hoặc bị thu hồi)',
  },
];

/** Rows of NEWLY_OVERDUE_DICTIONARY, most newly overdue first; null for a version-1 snapshot (not published then). */
export function newlyOverdueRows(h: StoredSnapshotHeader): FigureRow[] | null {
  if (!isCurrentSnapshot(h)) return null;
  return h.newlyOverdue.map((a) => [h.period, h.month.from, h.month.to, a.code, a.name, a.count, a.stillOverdue]);
}

export function newlyOverdueCsv(h: StoredSnapshotHeader): string | null {
  const rows = newlyOverdueRows(h);
  return rows === null ? null : stringifyCsv([NEWLY_OVERDUE_DICTIONARY.map((d) => d.column), ...rows]);
}
