/**
 * events ──deriveFacts──▶ TaskFacts: the first step of the rule described in status.ts. A task's events (append-only,
 * each dated the day it happened) fold into a compact summary that still answers for any cutoff date, because every
 * fact keeps the day it became true. Stored on the task row, rewritten in the same transaction as each event.
 */
import type { IsoDate } from './dates.ts';

export const EVENT_KINDS = [
  'assigned',
  'received',
  'progress',
  'reported',
  'confirmed',
  'returned',
  'extension_requested',
  'extension_approved',
  'extension_rejected',
  'explanation_submitted',
  'urged',
  'reassigned',
  'cancelled',
  'corrected',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** The minimum of an event the rules look at. `data` carries kind-specific fields. */
export interface EventLite {
  id?: number;
  kind: EventKind;
  occurredOn: IsoDate;
  data?: {
    newDeadline?: IsoDate; // extension_approved; extension_requested (the requested one)
    toAgencyId?: number; // reassigned
    fromAgencyId?: number; // reassigned
    [key: string]: unknown;
  };
}

export interface TaskBase {
  assignedOn: IsoDate;
  deadline: IsoDate | null; // deadline at assignment (before any correction), null = no deadline
  leadAgencyId: number; // agency at assignment when no history, else ignored in favour of agencyHistory
}

export interface TaskFacts {
  assignedOn: IsoDate;
  /** the deadline in force now (last entry of deadlineHistory), before any extension */
  deadline: IsoDate | null;
  /** [deadline, in force from]: the first entry is the deadline at assignment, then one per correction */
  deadlineHistory: Array<[IsoDate | null, IsoDate]>;
  receivedOn: IsoDate | null;
  extRequestedOn: IsoDate | null;
  extApprovedOn: IsoDate | null;
  extDeadline: IsoDate | null;
  /** submission day of the report still waiting for a decision, if any */
  reportedOn: IsoDate | null;
  /** submission day of the confirmed report */
  completedOn: IsoDate | null;
  confirmedOn: IsoDate | null;
  cancelledOn: IsoDate | null;
  explainedOn: IsoDate | null;
  lastEventOn: IsoDate | null;
  /** every result report: [submitted, resolved (confirmed or returned) | null] */
  reportWindows: Array<[IsoDate, IsoDate | null]>;
  /** lead agency over time: [agencyId, from]; first entry is the agency at assignment */
  agencyHistory: Array<[number, IsoDate]>;
}

function compareEvents(a: EventLite, b: EventLite): number {
  if (a.occurredOn !== b.occurredOn) return a.occurredOn < b.occurredOn ? -1 : 1;
  return (a.id ?? 0) - (b.id ?? 0);
}

/**
 * Folds a task's events (any order; sorted by day then id) into facts. Events the write path would refuse
 * (a confirmation without a pending report, a second extension) are ignored here, so facts never claim more
 * than the rules allow even for imported history.
 */
export function deriveFacts(base: TaskBase, events: readonly EventLite[]): TaskFacts {
  const facts: TaskFacts = {
    assignedOn: base.assignedOn,
    deadline: base.deadline,
    deadlineHistory: [[base.deadline, base.assignedOn]],
    receivedOn: null,
    extRequestedOn: null,
    extApprovedOn: null,
    extDeadline: null,
    reportedOn: null,
    completedOn: null,
    confirmedOn: null,
    cancelledOn: null,
    explainedOn: null,
    lastEventOn: null,
    reportWindows: [],
    agencyHistory: [[base.leadAgencyId, base.assignedOn]],
  };
  const sorted = [...events].sort(compareEvents);
  for (const e of sorted) {
    facts.lastEventOn = e.occurredOn;
    const open = facts.reportWindows.find((w) => w[1] === null);
    switch (e.kind) {
      case 'received':
        facts.receivedOn ??= e.occurredOn;
        break;
      case 'reported':
        if (!open && facts.confirmedOn === null && facts.cancelledOn === null) {
          facts.reportWindows.push([e.occurredOn, null]);
          facts.reportedOn = e.occurredOn;
        }
        break;
      case 'returned':
        if (open) {
          open[1] = e.occurredOn;
          facts.reportedOn = null;
        }
        break;
      case 'confirmed':
        if (open) {
          open[1] = e.occurredOn;
          facts.reportedOn = null;
          facts.completedOn = open[0];
          facts.confirmedOn = e.occurredOn;
        }
        break;
      case 'extension_requested':
        facts.extRequestedOn ??= e.occurredOn;
        break;
      case 'extension_approved':
        if (facts.extApprovedOn === null && e.data?.newDeadline) {
          facts.extApprovedOn = e.occurredOn;
          facts.extDeadline = e.data.newDeadline;
        }
        break;
      case 'explanation_submitted':
        facts.explainedOn ??= e.occurredOn;
        break;
      case 'reassigned':
        if (typeof e.data?.toAgencyId === 'number') facts.agencyHistory.push([e.data.toAgencyId, e.occurredOn]);
        break;
      case 'cancelled':
        facts.cancelledOn ??= e.occurredOn;
        break;
      case 'corrected': {
        const change = deadlineChange(e.data);
        if (change) {
          facts.deadline = change.to;
          facts.deadlineHistory.push([change.to, e.occurredOn]);
        }
        break;
      }
      default:
        break;
    }
  }
  return facts;
}

/** The deadline change a 'corrected' event carries (task-actions.ts writes data.changes.deadline = {from, to}). */
export function deadlineChange(data: EventLite['data']): { from: IsoDate | null; to: IsoDate | null } | null {
  const changes = data?.changes as Record<string, { from?: unknown; to?: unknown } | undefined> | undefined;
  const d = changes?.deadline;
  if (!d || typeof d !== 'object' || !('to' in d)) return null;
  const date = (v: unknown) => (typeof v === 'string' ? v : null);
  return { from: date(d.from), to: date(d.to) };
}

/** Vietnamese names of the events (the glossary of DESIGN.md §3): admin timeline, public timeline, open data. */
export const EVENT_LABELS: Record<EventKind, string> = {
  assigned: 'Giao nhiệm vụ',
  received: 'Đơn vị tiếp nhận',
  progress: 'Báo cáo tiến độ',
  reported: 'Báo cáo kết quả',
  confirmed: 'Xác nhận hoàn thành',
  returned: 'Trả lại báo cáo kết quả',
  extension_requested: 'Đề nghị gia hạn',
  extension_approved: 'Đồng ý gia hạn',
  extension_rejected: 'Không đồng ý gia hạn',
  explanation_submitted: 'Gửi giải trình',
  urged: 'Đôn đốc',
  reassigned: 'Chuyển đơn vị chủ trì',
  cancelled: 'Thu hồi nhiệm vụ',
  corrected: 'Điều chỉnh thông tin',
};
