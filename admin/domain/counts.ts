/**
 * TaskStatus ──addToCounts──▶ Counts ──finishCounts──▶ rates: the published figures of a set of tasks as of one
 * cutoff C, counted the national way (Báo cáo 1270/BC-TCTTTg; DESIGN.md §3). status.ts classifies; this module only
 * adds up, so every caller (stats.ts, period-stats.ts, the publication, the dashboards, the report) counts alike.
 *
 *   due (đến hạn)   = completedOnTime + completedLate + overdue        (in progress, waiting or not, is not due)
 *   completionRate  = (completedOnTime + completedLate) ÷ due
 *   onTimeRate      = completedOnTime ÷ due
 *   overdueRate     = overdue ÷ due                                     so completionRate + overdueRate = 1
 *   every rate is null when due = 0
 *
 * RULES_VERSION names these definitions; each snapshot records the version it was computed with, and
 * RULES_VERSIONS / RULES_TEXT say in Vietnamese what each version meant (the site's methodology page prints them).
 */
import type { TaskStatus } from './status.ts';

export interface Counts {
  total: number;
  completedOnTime: number;
  completedLate: number;
  inProgress: number;
  overdue: number;
  noDeadline: number;
  awaitingConfirmation: number;
  dueSoon: number;
  overdueOver30: number;
  overdueOver60: number;
  overdueOver120: number;
  /** đến hạn: completed by C (on time or late) + overdue on C */
  due: number;
  /** (completed on time + completed late) ÷ due; null when nothing is due */
  completionRate: number | null;
  /** completed on time ÷ due; null when nothing is due */
  onTimeRate: number | null;
  /** overdue (not completed) ÷ due; null when nothing is due (rules version 1: (late + overdue) ÷ due) */
  overdueRate: number | null;
}

export function emptyCounts(): Counts {
  return {
    total: 0,
    completedOnTime: 0,
    completedLate: 0,
    inProgress: 0,
    overdue: 0,
    noDeadline: 0,
    awaitingConfirmation: 0,
    dueSoon: 0,
    overdueOver30: 0,
    overdueOver60: 0,
    overdueOver120: 0,
    due: 0,
    completionRate: null,
    onTimeRate: null,
    overdueRate: null,
  };
}

/** Adds one classified task (or `n` tasks with this same status) to running counts (due and rates: finishCounts). */
export function addToCounts(c: Counts, s: TaskStatus, n = 1): void {
  if (!s.counted || s.category === null) return;
  c.total += n;
  c[s.category] += n;
  if (s.awaitingConfirmation) c.awaitingConfirmation += n;
  if (s.dueSoon) c.dueSoon += n;
  // ageing buckets are cumulative: a task 130 days overdue is over 30, over 60 and over 120
  if (s.overdueDays > 30) c.overdueOver30 += n;
  if (s.overdueDays > 60) c.overdueOver60 += n;
  if (s.overdueDays > 120) c.overdueOver120 += n;
}

/** Adds counts `b` into `a` (both unfinished or finished; call finishCounts on `a` afterwards). */
export function mergeCounts(a: Counts, b: Counts): void {
  a.total += b.total;
  a.completedOnTime += b.completedOnTime;
  a.completedLate += b.completedLate;
  a.inProgress += b.inProgress;
  a.overdue += b.overdue;
  a.noDeadline += b.noDeadline;
  a.awaitingConfirmation += b.awaitingConfirmation;
  a.dueSoon += b.dueSoon;
  a.overdueOver30 += b.overdueOver30;
  a.overdueOver60 += b.overdueOver60;
  a.overdueOver120 += b.overdueOver120;
}

/** Derives due and the rates from the category counts (idempotent). */
export function finishCounts(c: Counts): Counts {
  const completed = c.completedOnTime + c.completedLate;
  c.due = completed + c.overdue;
  c.completionRate = c.due === 0 ? null : completed / c.due;
  c.onTimeRate = c.due === 0 ? null : c.completedOnTime / c.due;
  c.overdueRate = c.due === 0 ? null : c.overdue / c.due;
  return c;
}

/** Minimum number of due tasks before a unit's rate is ranked or compared (DESIGN.md §3). */
export const MIN_DUE_FOR_RANKING = 10;

/** The counting rules in force: stored with every snapshot (see RULES_VERSIONS). */
export const RULES_VERSION = 3;

/** What each rules version meant, in Vietnamese, so the site can say which rules produced an old snapshot. */
export const RULES_VERSIONS: Record<number, { from: string; summary: string }> = {
  1: {
    from: 'trước 12/2026',
    summary:
      'Đến hạn = đã hoàn thành + nhiệm vụ có thời hạn hiệu lực đến ngày chốt số liệu; tỷ lệ quá hạn = (hoàn thành quá hạn + đang quá hạn) ÷ đến hạn; báo cáo đúng hạn đang chờ xác nhận sau thời hạn vẫn tính là quá hạn.',
  },
  2: {
    from: 'từ 12/2026',
    summary:
      'Theo cách tính của Tổ công tác của Thủ tướng (Báo cáo 1270/BC-TCTTTg): đến hạn = đã hoàn thành + đang quá hạn; tỷ lệ hoàn thành = đã hoàn thành ÷ đến hạn; tỷ lệ đúng hạn = hoàn thành đúng hạn ÷ đến hạn; tỷ lệ quá hạn = đang quá hạn ÷ đến hạn; báo cáo gửi trong hạn đang chờ xác nhận không bị tính quá hạn.',
  },
  3: {
    from: 'từ 12/2026',
    summary:
      'Như phiên bản 2, thêm ngày làm việc: thời hạn rơi vào thứ Bảy, Chủ nhật hoặc ngày nghỉ lễ, Tết kết thúc vào cuối ngày làm việc tiếp theo (Bộ luật Dân sự 2015, Điều 148 khoản 5), theo lịch nghỉ như tại cuối chính ngày đó; "sắp đến hạn" tính trong 3 ngày làm việc.',
  },
};

/** The rules of version RULES_VERSION as the methodology page prints them, verbatim, in this order. */
export const RULES_TEXT = {
  counted:
    'Một nhiệm vụ được tính tại ngày chốt số liệu khi đã được giao vào hoặc trước ngày đó và chưa bị thu hồi vào hoặc trước ngày đó.',
  effectiveDeadline:
    'Thời hạn hiệu lực là thời hạn giao ban đầu, hoặc thời hạn đã gia hạn nếu việc gia hạn được đồng ý vào hoặc trước ngày chốt số liệu; mỗi nhiệm vụ được gia hạn tối đa một lần.',
  workingDays:
    'Khi thời hạn rơi vào thứ Bảy, Chủ nhật hoặc ngày nghỉ lễ, Tết, thời hạn kết thúc vào cuối ngày làm việc tiếp theo (Bộ luật Dân sự 2015, Điều 148 khoản 5); ngày làm việc bù (thứ Bảy đi làm thay cho ngày nghỉ) là ngày làm việc. Ví dụ: thời hạn thứ Bảy, báo cáo gửi thứ Hai kế tiếp là đúng hạn.',
  holidayCalendar:
    'Lịch ngày nghỉ do Văn phòng quản lý: các ngày nghỉ lễ, Tết theo Bộ luật Lao động 2019 (Điều 112) được nạp sẵn, các ngày nghỉ bù và ngày làm việc bù hằng năm theo thông báo của Chính phủ được cập nhật thêm. Mọi thay đổi lịch được lưu lại kèm thời điểm ghi nhận và không xóa.',
  calendarHistory:
    'Một ngày có phải ngày nghỉ hay không được xác định theo lịch như tại cuối chính ngày đó (với ngày sau ngày chốt số liệu: theo lịch tại ngày chốt). Vì vậy thay đổi lịch ghi nhận sau khi một ngày đã qua không làm dời thời hạn đã qua, không thay đổi tình trạng đúng hạn hay quá hạn đã xác định và không thay đổi số liệu của bất kỳ ngày chốt nào trước đó; việc bật hoặc tắt quy tắc ngày làm việc cũng chỉ áp dụng cho các thời hạn chưa qua.',
  completed:
    'Nhiệm vụ hoàn thành khi báo cáo kết quả gửi vào hoặc trước ngày chốt số liệu đã được Tổ công tác xác nhận vào hoặc trước ngày đó; ngày hoàn thành là ngày gửi báo cáo đó.',
  completedOnTime:
    'Hoàn thành đúng hạn: đã hoàn thành, ngày hoàn thành không muộn hơn thời hạn hiệu lực (hoặc nhiệm vụ không có thời hạn).',
  completedLate: 'Hoàn thành quá hạn: đã hoàn thành, ngày hoàn thành muộn hơn thời hạn hiệu lực.',
  inProgress:
    'Đang thực hiện trong hạn: chưa hoàn thành và ngày chốt số liệu chưa quá thời hạn hiệu lực, hoặc đơn vị đã gửi báo cáo kết quả trong hạn và báo cáo đang chờ Tổ công tác xác nhận ("đã báo cáo, chờ xác nhận", kèm số ngày chờ).',
  dueSoon:
    'Sắp đến hạn: đang thực hiện trong hạn và thời hạn hiệu lực còn không quá 3 ngày làm việc kể từ ngày chốt số liệu.',
  overdue:
    'Đang thực hiện quá hạn: chưa hoàn thành, đã quá thời hạn hiệu lực và không có báo cáo gửi trong hạn đang chờ xác nhận. Nếu báo cáo gửi trong hạn bị trả lại sau thời hạn, nhiệm vụ quá hạn kể từ ngày trả lại; báo cáo gửi sau thời hạn không thay đổi tình trạng quá hạn.',
  noDeadline: 'Không thời hạn: chưa hoàn thành và không có thời hạn; được đôn đốc 3 tháng một lần.',
  due: 'Nhiệm vụ đến hạn = nhiệm vụ đã hoàn thành (đúng hạn và quá hạn) + nhiệm vụ đang quá hạn, tính đến ngày chốt số liệu.',
  completionRate: 'Tỷ lệ hoàn thành = số nhiệm vụ đã hoàn thành ÷ số nhiệm vụ đến hạn.',
  onTimeRate: 'Tỷ lệ hoàn thành đúng hạn = số nhiệm vụ hoàn thành đúng hạn ÷ số nhiệm vụ đến hạn.',
  overdueRate: 'Tỷ lệ quá hạn = số nhiệm vụ chưa hoàn thành và đang quá hạn ÷ số nhiệm vụ đến hạn.',
  nullRates: 'Khi chưa có nhiệm vụ đến hạn, các tỷ lệ để trống; mỗi tỷ lệ luôn được công bố kèm số lượng.',
  ageing:
    'Thời gian quá hạn được chia thành các nhóm: trên 30 ngày, trên 60 ngày, trên 120 ngày (nhóm sau nằm trong nhóm trước).',
  periodAssigned:
    'Giao trong kỳ: các nhiệm vụ được giao từ ngày đầu kỳ đến ngày chốt số liệu, không bị thu hồi đến ngày chốt số liệu.',
  periodBacklog:
    'Tồn đọng từ kỳ trước: các nhiệm vụ giao trước ngày đầu kỳ và còn chưa hoàn thành, chưa bị thu hồi vào ngày liền trước ngày đầu kỳ; số liệu cho biết đã hoàn thành trong kỳ bao nhiêu, còn trong hạn, còn quá hạn và quá hạn bao lâu.',
  periodCumulative: 'Lũy kế: tất cả nhiệm vụ được giao đến ngày chốt số liệu, không bị thu hồi đến ngày đó.',
  ranking: `Tỷ lệ của một đơn vị chỉ được xếp hạng khi đơn vị có ít nhất ${MIN_DUE_FOR_RANKING} nhiệm vụ đến hạn.`,
  confidential: 'Nhiệm vụ mật được tính trong số liệu nội bộ; số liệu công khai không bao gồm nhiệm vụ mật.',
} as const;
