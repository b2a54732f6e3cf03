/**
 * What may happen next to a task (DESIGN.md §1, §3): checked before any event is appended, by the admin panel,
 * the API and the importer alike. Each refusal is a DomainError with a Vietnamese message for the user.
 */
import { classifyAsOf, deadlineChange, type EventKind, type TaskFacts } from './status.ts';
import { formatDateVi, isIsoDate, type IsoDate } from './dates.ts';

export class DomainError extends Error {
  readonly code: string;
  readonly status: 400 | 403 | 404 | 409 | 422;
  constructor(code: string, message: string, status: 400 | 403 | 404 | 409 | 422 = 409) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.status = status;
  }
}

export interface ProposedEvent {
  kind: EventKind;
  occurredOn: IsoDate;
  data?: { newDeadline?: IsoDate; toAgencyId?: number; [key: string]: unknown };
  note?: string;
}

export interface RuleContext {
  /** a pending extension request (requested and neither approved nor rejected yet) */
  extensionPending: boolean;
  /** an extension request was ever made */
  extensionEverRequested: boolean;
  /** the unit has acknowledged the task: received it, or reported, asked for an extension or explained */
  unitActed?: boolean;
}

/** The way to move a deadline once a correction is no longer allowed (DESIGN.md §1: at most one extension). */
const EXTENSION_WAY =
  'Từ nay thời hạn chỉ được thay đổi qua đề nghị gia hạn của đơn vị (tối đa một lần) do Tổ công tác phê duyệt; thời hạn ban đầu được giữ nguyên trong hồ sơ.';

/**
 * A correction of the deadline counts from the day it is made (status.ts deadlineHistory), so it never moves a
 * figure as of an earlier day. It is allowed only as a data-entry fix: before the unit has acknowledged the task
 * and while neither the original deadline nor the one in force has passed on that day; otherwise it would turn an
 * overdue task into one on time, or stand in for the one extension. Throws DomainError with the reason.
 */
export function checkDeadlineCorrection(facts: TaskFacts, ctx: RuleContext, on: IsoDate, to: IsoDate | null): void {
  if (ctx.unitActed || facts.receivedOn !== null || facts.extRequestedOn !== null || facts.reportWindows.length > 0) {
    throw new DomainError(
      'deadline_locked',
      `Đơn vị đã tiếp nhận nhiệm vụ${facts.receivedOn ? ` (ngày ${formatDateVi(facts.receivedOn)})` : ''}: không được điều chỉnh thời hạn nữa. ${EXTENSION_WAY}`,
    );
  }
  const original = facts.deadlineHistory[0]![0];
  const passed = [original, facts.deadline].find((d) => d !== null && d < on);
  if (passed) {
    throw new DomainError(
      'deadline_passed',
      `Thời hạn ${passed === original ? 'ban đầu ' : ''}${formatDateVi(passed)} đã qua: điều chỉnh thời hạn lúc này sẽ làm thay đổi số liệu của những ngày đã qua nên không được phép. ${EXTENSION_WAY}`,
    );
  }
  if (to !== null && !isIsoDate(to)) throw new DomainError('bad_date', 'Thời hạn không hợp lệ.', 422);
  if (to !== null && to < on) {
    throw new DomainError(
      'bad_deadline',
      `Thời hạn mới không được trước ngày điều chỉnh (${formatDateVi(on)}): việc điều chỉnh chỉ có hiệu lực từ ngày thực hiện.`,
      422,
    );
  }
}

/** Throws DomainError when `e` may not be appended to a task in state `facts`; returns nothing otherwise. */
export function checkEvent(facts: TaskFacts, ctx: RuleContext, e: ProposedEvent): void {
  if (e.occurredOn < facts.assignedOn) {
    throw new DomainError('before_assignment', 'Ngày sự kiện không được trước ngày giao nhiệm vụ.', 422);
  }
  if (facts.lastEventOn !== null && e.occurredOn < facts.lastEventOn) {
    throw new DomainError(
      'out_of_order',
      'Ngày sự kiện không được trước sự kiện gần nhất của nhiệm vụ (nhật ký chỉ ghi tiếp, không ghi lùi).',
      422,
    );
  }
  const closed = facts.cancelledOn !== null;
  const completed = facts.confirmedOn !== null;
  if (closed && e.kind !== 'corrected') {
    throw new DomainError('cancelled', 'Nhiệm vụ đã bị thu hồi; không thể cập nhật thêm.');
  }
  switch (e.kind) {
    case 'assigned':
      throw new DomainError('already_assigned', 'Nhiệm vụ đã được giao.');
    case 'received':
      if (facts.receivedOn !== null)
        throw new DomainError('already_received', 'Đơn vị đã xác nhận tiếp nhận nhiệm vụ này.');
      return;
    case 'progress':
    case 'urged':
      if (completed)
        throw new DomainError('completed', 'Nhiệm vụ đã hoàn thành; không thể cập nhật tiến độ hay đôn đốc.');
      return;
    case 'reported':
      if (completed) throw new DomainError('completed', 'Nhiệm vụ đã được xác nhận hoàn thành.');
      if (facts.reportedOn !== null) {
        throw new DomainError('report_pending', 'Đã có báo cáo kết quả đang chờ xác nhận; chờ Tổ công tác xử lý.');
      }
      return;
    case 'confirmed':
    case 'returned':
      if (facts.reportedOn === null) {
        throw new DomainError(
          'no_report',
          e.kind === 'confirmed'
            ? 'Chỉ xác nhận hoàn thành khi đơn vị đã gửi báo cáo kết quả.'
            : 'Không có báo cáo kết quả nào đang chờ để trả lại.',
        );
      }
      if (e.kind === 'returned' && !(e.note ?? '').trim()) {
        throw new DomainError('reason_required', 'Cần ghi rõ lý do trả lại báo cáo.', 422);
      }
      return;
    case 'extension_requested':
      if (completed) throw new DomainError('completed', 'Nhiệm vụ đã hoàn thành; không thể xin gia hạn.');
      if (facts.deadline === null)
        throw new DomainError('no_deadline', 'Nhiệm vụ không có thời hạn; không cần gia hạn.');
      if (ctx.extensionEverRequested || facts.extApprovedOn !== null) {
        throw new DomainError(
          'extension_limit',
          'Mỗi nhiệm vụ chỉ được gia hạn tối đa một lần; đơn vị đã sử dụng quyền đề nghị gia hạn cho nhiệm vụ này.',
        );
      }
      if (e.data?.newDeadline !== undefined && facts.deadline !== null && e.data.newDeadline <= facts.deadline) {
        throw new DomainError('bad_deadline', 'Thời hạn đề nghị phải sau thời hạn hiện tại.', 422);
      }
      return;
    case 'extension_approved':
    case 'extension_rejected':
      if (!ctx.extensionPending) throw new DomainError('no_request', 'Không có đề nghị gia hạn nào đang chờ xử lý.');
      // approving after completion would move the deadline under a finished task and turn "late" into "on time"
      if (e.kind === 'extension_approved' && completed) {
        throw new DomainError('completed', 'Nhiệm vụ đã hoàn thành; không thể đồng ý gia hạn.');
      }
      if (e.kind === 'extension_approved') {
        const nd = e.data?.newDeadline;
        if (!nd) throw new DomainError('deadline_required', 'Cần nhập thời hạn mới khi đồng ý gia hạn.', 422);
        if (facts.deadline !== null && nd <= facts.deadline) {
          throw new DomainError('bad_deadline', 'Thời hạn mới phải sau thời hạn ban đầu.', 422);
        }
      } else if (!(e.note ?? '').trim()) {
        throw new DomainError('reason_required', 'Cần ghi rõ lý do không đồng ý gia hạn.', 422);
      }
      return;
    case 'explanation_submitted': {
      if (!(e.note ?? '').trim()) throw new DomainError('text_required', 'Cần nhập nội dung giải trình.', 422);
      const s = classifyAsOf(facts, e.occurredOn);
      const reportLate =
        facts.reportedOn !== null && s.effectiveDeadline !== null && facts.reportedOn > s.effectiveDeadline;
      if (!s.explanationRequired && !reportLate) {
        throw new DomainError('not_late', 'Chỉ giải trình khi nhiệm vụ đã quá hạn hoặc hoàn thành quá hạn.');
      }
      return;
    }
    case 'reassigned':
      if (completed) throw new DomainError('completed', 'Nhiệm vụ đã hoàn thành; không chuyển đơn vị.');
      if (typeof e.data?.toAgencyId !== 'number') {
        throw new DomainError('agency_required', 'Cần chọn đơn vị tiếp nhận nhiệm vụ.', 422);
      }
      return;
    case 'cancelled':
      if (completed) throw new DomainError('completed', 'Nhiệm vụ đã hoàn thành; không thể thu hồi.');
      if (!(e.note ?? '').trim()) throw new DomainError('reason_required', 'Cần ghi rõ lý do thu hồi nhiệm vụ.', 422);
      return;
    case 'corrected': {
      if (!(e.note ?? '').trim()) throw new DomainError('reason_required', 'Cần ghi rõ lý do điều chỉnh.', 422);
      const change = deadlineChange(e.data);
      if (change) checkDeadlineCorrection(facts, ctx, e.occurredOn, change.to);
      return;
    }
  }
}

/** Events by which a unit shows it has the task (after any of them, its deadline is no longer corrected). */
const UNIT_KINDS: ReadonlySet<EventKind> = new Set([
  'received',
  'progress',
  'reported',
  'extension_requested',
  'explanation_submitted',
]);

/** The rule context (extensions, the unit's acknowledgement) from a task's event kinds in order. */
export function extensionContext(kinds: readonly EventKind[]): RuleContext {
  let pending = false;
  let ever = false;
  let unitActed = false;
  for (const k of kinds) {
    if (UNIT_KINDS.has(k)) unitActed = true;
    if (k === 'extension_requested') {
      ever = true;
      pending = true;
    } else if (k === 'extension_approved' || k === 'extension_rejected') {
      pending = false;
    }
  }
  return { extensionPending: pending, extensionEverRequested: ever, unitActed };
}
