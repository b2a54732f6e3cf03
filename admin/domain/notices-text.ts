/**
 * What a notice says, in Vietnamese, for the list page and the mails alike (one wording for both).
 */
import { formatDateVi } from './dates.ts';
import { NOTICE_KIND_LABELS, type NoticeKind } from './notices.ts';

/** what a unit submits to its head (unit-steps.ts SUBJECT_LABELS, kept here so the texts import no workflow) */
const SUBJECTS: Record<string, string> = {
  report: 'Báo cáo kết quả',
  request_extension: 'Đề nghị gia hạn',
  explain: 'Giải trình',
};

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The details of one notice beyond its kind and task (reason, new deadline, days), or ''. */
export function noticeDetail(kind: NoticeKind, data: Record<string, unknown>): string {
  const reason = str(data.reason);
  switch (kind) {
    case 'task_new':
      return data.reassigned
        ? 'Nhiệm vụ được chuyển cho đơn vị chủ trì.'
        : data.part === 'coordinating'
          ? 'Đơn vị được giao phối hợp thực hiện.'
          : 'Đơn vị được giao chủ trì thực hiện.';
    case 'task_delegated': {
      const due = str(data.internalDueOn);
      return [due ? `Hạn nội bộ: ${formatDateVi(due)}.` : '', reason ? `Ghi chú: ${reason}` : '']
        .filter(Boolean)
        .join(' ');
    }
    case 'due_soon': {
      const left = num(data.workingDaysLeft);
      const when = left === null ? '' : left === 0 ? ' (đến hạn trong ngày)' : ` (còn ${left} ngày làm việc)`;
      return `Thời hạn ${formatDateVi(str(data.deadline))}${when}.`;
    }
    case 'overdue':
      return `Đã quá thời hạn ${formatDateVi(str(data.deadline))}. Đơn vị cần báo cáo kết quả và giải trình bằng văn bản.`;
    case 'urged':
    case 'report_returned':
    case 'extension_rejected':
      return reason ? `Lý do: ${reason}` : '';
    case 'extension_approved':
      return `Thời hạn mới: ${formatDateVi(str(data.newDeadline))}.`;
    case 'extension_waiting':
      return [
        data.newDeadline ? `Đề nghị gia hạn đến ${formatDateVi(str(data.newDeadline))}.` : '',
        reason ? `Lý do: ${reason}` : '',
      ]
        .filter(Boolean)
        .join(' ');
    case 'report_waiting':
      return 'Đơn vị đã gửi báo cáo kết quả, chờ Tổ công tác xác nhận.';
    case 'unit_draft':
      return 'Chuyên viên đã lưu dự thảo báo cáo kết quả; cán bộ đầu mối hoặc thủ trưởng gửi Văn phòng.';
    case 'unit_waiting':
      return `${SUBJECTS[str(data.subject)] ?? 'Nội dung'} chờ thủ trưởng đơn vị duyệt trước khi gửi Văn phòng.`;
    case 'unit_sent_back':
      return [
        `${SUBJECTS[str(data.subject)] ?? 'Nội dung'} bị thủ trưởng đơn vị trả lại.`,
        reason ? `Lý do: ${reason}` : '',
      ]
        .filter(Boolean)
        .join(' ');
    case 'waiting_long': {
      const what = data.what === 'extension' ? 'Đề nghị gia hạn' : 'Báo cáo kết quả';
      return `${what} gửi ngày ${formatDateVi(str(data.since))} đã chờ ${num(data.days) ?? '?'} ngày.`;
    }
  }
}

export function noticeTitle(kind: NoticeKind): string {
  return NOTICE_KIND_LABELS[kind];
}
