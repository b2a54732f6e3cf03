/** The published update activity of the units (admin/publication/snapshot-activity.ts) for the public pages. */
import type { StoredSnapshotHeader, UnitActivityFacts } from '../../admin/publication/schema.ts';
import { isCurrentSnapshot, type SnapshotHeader } from '../../admin/publication/schema.ts';

/** The rule as the methodology and the activity page state it (one text). */
export const ACTIVITY_RULE = [
  'Cập nhật của đơn vị là các bước chỉ đơn vị chủ trì ghi nhận: xác nhận tiếp nhận, báo cáo tiến độ, báo cáo kết quả, đề nghị gia hạn, giải trình; việc đôn đốc, xác nhận hay đính chính của Văn phòng không tính.',
  'Cập nhật gần nhất: ngày của bước cập nhật gần nhất, đến hết ngày chốt số liệu.',
  'Tỷ lệ được cập nhật trong 30 ngày = số nhiệm vụ đang thực hiện (trong hạn, quá hạn, không thời hạn) có ít nhất một cập nhật của đơn vị trong 30 ngày đến ngày chốt ÷ số nhiệm vụ đang thực hiện; để trống khi đơn vị không có nhiệm vụ đang thực hiện.',
  'Báo cáo gửi sau hạn: báo cáo kết quả đơn vị gửi trong tháng sau thời hạn có hiệu lực vào ngày gửi. Hoàn thành quá hạn: nhiệm vụ hoàn thành trong tháng (ngày hoàn thành trong tháng) sau thời hạn.',
  'Đơn vị không sử dụng hệ thống trong tháng: không có bước cập nhật nào trong tháng công bố.',
  'Chỉ tính nhiệm vụ công khai; số liệu nói về đơn vị, không nêu tên cá nhân.',
];

/** The latest published period that carries the activity, with its rows (units ranked in that snapshot). */
export function latestActivity(
  periods: readonly StoredSnapshotHeader[],
): { report: SnapshotHeader; rows: UnitActivityFacts[] } | null {
  for (let i = periods.length - 1; i >= 0; i--) {
    const p = periods[i]!;
    if (isCurrentSnapshot(p) && p.activity) return { report: p, rows: p.activity };
  }
  return null;
}

export function activityHref(period: string): string {
  return `/du-lieu-mo/${period}/hoat-dong.csv`;
}
