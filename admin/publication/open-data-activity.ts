/**
 * hoat-dong.csv: the units' update activity of a published month (snapshot-activity.ts), one row per ranked unit,
 * with its column dictionary (the open-data page and the Table Schema of the data package read it).
 */
import { stringifyCsv } from '../files/spreadsheet-cells.ts';
import type { FigureColumn, FigureRow } from './open-data-figures.ts';
import { isCurrentSnapshot, type StoredSnapshotHeader } from './schema.ts';

export const ACTIVITY_DICTIONARY: FigureColumn[] = [
  { column: 'ky', type: 'YYYY-MM', meaning: 'Kỳ công bố' },
  { column: 'ngay_chot', type: 'YYYY-MM-DD', meaning: 'Ngày chốt số liệu' },
  { column: 'ma_co_quan', type: 'văn bản', meaning: 'Mã cơ quan, đơn vị' },
  { column: 'co_quan', type: 'văn bản', meaning: 'Tên cơ quan, đơn vị' },
  { column: 'cap_nhat_gan_nhat', type: 'YYYY-MM-DD', meaning: 'Ngày cập nhật gần nhất của đơn vị (trống: chưa có)' },
  {
    column: 'nhiem_vu_dang_thuc_hien',
    type: 'số nguyên',
    meaning: 'Nhiệm vụ đơn vị chủ trì đang thực hiện tại ngày chốt',
  },
  {
    column: 'nhiem_vu_cap_nhat_30_ngay',
    type: 'số nguyên',
    meaning: 'Trong đó có cập nhật của đơn vị trong 30 ngày đến ngày chốt',
  },
  {
    column: 'ty_le_cap_nhat_30_ngay',
    type: 'số thập phân 0–1; trống = không có nhiệm vụ đang thực hiện',
    meaning: 'Tỷ lệ nhiệm vụ đang thực hiện được cập nhật trong 30 ngày',
  },
  { column: 'bao_cao_sau_han', type: 'số nguyên', meaning: 'Báo cáo kết quả gửi trong tháng sau thời hạn' },
  { column: 'hoan_thanh_qua_han', type: 'số nguyên', meaning: 'Nhiệm vụ hoàn thành trong tháng sau thời hạn' },
  { column: 'co_su_dung', type: '0/1', meaning: 'Có cập nhật trong tháng (0 = không sử dụng hệ thống trong tháng)' },
];

/** Rows of ACTIVITY_DICTIONARY, or null for a snapshot published without the activity. */
export function activityRows(h: StoredSnapshotHeader): FigureRow[] | null {
  if (!isCurrentSnapshot(h) || !h.activity) return null;
  const names = new Map(h.agencies.map((a) => [a.code, a.name]));
  return h.activity.map((a) => [
    h.period,
    h.asOf,
    a.code,
    names.get(a.code) ?? a.code,
    a.lastUpdateOn,
    a.openTasks,
    a.openUpdated,
    a.updatedShare,
    a.reportsLate,
    a.completedLate,
    a.usedSystem ? 1 : 0,
  ]);
}

export function activityCsv(h: StoredSnapshotHeader): string | null {
  const rows = activityRows(h);
  return rows === null ? null : stringifyCsv([ACTIVITY_DICTIONARY.map((d) => d.column), ...rows]);
}
