/**
 * Everything a person (or an integration client) does to an existing task, in one place for the admin pages and
 * the API: the permission for each action, record-level agency scoping, input checks, the rules (checkEvent via
 * appendEvent), attached files, and the audit row — all in ONE immediate transaction, so a refusal changes nothing.
 *
 *   recordTaskAction({ db, env, now }, principal, 'NV-2026-00012', { kind: 'report', note, files }, meta)
 *
 * Files are accepted (checked by content) before, with acceptUpload; they are written inside the transaction and
 * removed again if it fails (admin/files/store.ts).
 */
import type { DB } from '../db/open.ts';
import type { Env } from '../env.ts';
import { can, type Action, type AgencyResource, type Principal } from '../auth/permissions.ts';
import { writeAudit } from '../audit/audit.ts';
import { runWithUploads, storeUpload, type AcceptedUpload } from '../files/store.ts';
import { DomainError } from './rules.ts';
import { classifyAsOf, type EventKind } from './status.ts';
import { appendEvent, factsFromRow, getTaskByCode, taskSearchText, type TaskRow } from './tasks.ts';
import { isIsoDate, today, type IsoDate } from './dates.ts';

export const NOTE_MAX = 4000;

/** Fields of a task the Office may correct, with a recorded reason (a 'corrected' event holding the diff). */
export interface TaskEdit {
  title?: string;
  content?: string;
  leaderId?: number | null;
  sectorId?: number | null;
  starred?: boolean;
  confidential?: boolean;
  coordinatorIds?: number[];
  deadline?: IsoDate | null;
  noDeadlineReason?: string | null;
}

export type TaskActionInput =
  | { kind: 'receive'; note?: string }
  | { kind: 'progress'; note: string }
  | { kind: 'report'; note: string; files: AcceptedUpload[] }
  | { kind: 'request_extension'; newDeadline: IsoDate; note: string }
  | { kind: 'explain'; note: string; files?: AcceptedUpload[] }
  | { kind: 'urge'; note?: string }
  | { kind: 'edit'; changes: TaskEdit; note: string }
  | { kind: 'reassign'; toAgencyId: number; note: string }
  | { kind: 'cancel'; note: string }
  | { kind: 'confirm'; note?: string }
  | { kind: 'return_report'; note: string }
  | { kind: 'approve_extension'; newDeadline: IsoDate; note?: string }
  | { kind: 'reject_extension'; note: string };

export type TaskActionKind = TaskActionInput['kind'];

/** The permission each action needs (MATRIX); agency users need the 'lead' scope for every write. */
export const ACTION_PERMISSION: Record<TaskActionKind, Action> = {
  receive: 'task.receive',
  progress: 'task.progress',
  report: 'task.report',
  request_extension: 'extension.request',
  explain: 'explanation.submit',
  urge: 'task.urge',
  edit: 'task.edit',
  reassign: 'task.reassign',
  cancel: 'task.cancel',
  confirm: 'report.confirm',
  return_report: 'task.return',
  approve_extension: 'extension.decide',
  reject_extension: 'extension.decide',
};

export const ACTION_EVENT: Record<TaskActionKind, EventKind> = {
  receive: 'received',
  progress: 'progress',
  report: 'reported',
  request_extension: 'extension_requested',
  explain: 'explanation_submitted',
  urge: 'urged',
  edit: 'corrected',
  reassign: 'reassigned',
  cancel: 'cancelled',
  confirm: 'confirmed',
  return_report: 'returned',
  approve_extension: 'extension_approved',
  reject_extension: 'extension_rejected',
};

/** Vietnamese labels of the fields a correction may change (shown in the timeline). */
export const EDIT_FIELD_LABELS: Record<keyof TaskEdit, string> = {
  title: 'Tên nhiệm vụ',
  content: 'Nội dung',
  leaderId: 'Lãnh đạo giao',
  sectorId: 'Lĩnh vực',
  starred: 'Ưu tiên',
  confidential: 'Mật',
  coordinatorIds: 'Đơn vị phối hợp',
  deadline: 'Thời hạn',
  noDeadlineReason: 'Lý do không thời hạn',
};

export function taskResource(db: DB, task: Pick<TaskRow, 'id' | 'lead_agency_id'>): AgencyResource {
  return {
    leadAgencyId: task.lead_agency_id,
    coordinatorAgencyIds: db
      .prepare('SELECT agency_id FROM task_coordinators WHERE task_id = ?')
      .pluck()
      .all(task.id) as number[],
  };
}

/** Active = can receive work: not merged into a successor and not dissolved. */
export function isActiveAgency(db: DB, id: number): boolean {
  return !!db.prepare('SELECT 1 FROM agencies WHERE id = ? AND successor_id IS NULL AND dissolved_on IS NULL').get(id);
}

export interface ActionDeps {
  db: DB;
  env: Pick<Env, 'uploadDir'>;
  now: Date;
}

export interface ActionMeta {
  ip?: string;
  userAgent?: string;
}

export interface ActionResult {
  taskId: number;
  eventId: number;
  fileIds: number[];
}

function requireText(s: string | undefined, code: string, message: string): string {
  const v = (s ?? '').trim();
  if (!v) throw new DomainError(code, message, 422);
  if (v.length > NOTE_MAX) throw new DomainError('too_long', `Nội dung dài quá ${NOTE_MAX} ký tự.`, 422);
  return v;
}

function optionalText(s: string | undefined): string {
  const v = (s ?? '').trim();
  if (v.length > NOTE_MAX) throw new DomainError('too_long', `Nội dung dài quá ${NOTE_MAX} ký tự.`, 422);
  return v;
}

function requireDate(d: unknown, message: string): IsoDate {
  if (!isIsoDate(d)) throw new DomainError('bad_date', message, 422);
  return d;
}

/**
 * Checks and records one action on the task `code`, audited in the same transaction. Throws DomainError
 * (Vietnamese message; status 403 when the principal may not act on this task, 404 unknown task, 409/422 rules).
 */
export function recordTaskAction(
  deps: ActionDeps,
  principal: Principal,
  code: string,
  input: TaskActionInput,
  meta: ActionMeta = {},
): ActionResult {
  const { db } = deps;
  const on = today(deps.now);
  const permission = ACTION_PERMISSION[input.kind];
  if (!permission) throw new DomainError('bad_action', 'Thao tác không hợp lệ.', 400);
  return runWithUploads(db, (pending) => {
    const task = getTaskByCode(db, code);
    if (!task) throw new DomainError('task_not_found', 'Không tìm thấy nhiệm vụ.', 404);
    if (!can(principal, permission, taskResource(db, task))) {
      throw new DomainError('forbidden', 'Bạn không có quyền thực hiện thao tác này trên nhiệm vụ này.', 403);
    }
    const actorUserId = principal.kind === 'user' ? principal.id : null;
    const storeAll = (files: AcceptedUpload[] | undefined) =>
      (files ?? []).map((f) => storeUpload({ db, env: deps.env }, f, { actorUserId, pending }));
    let note = '';
    let data: Record<string, unknown> | undefined;
    let fileIds: number[] = [];
    let auditDetails: Record<string, unknown> = {};
    switch (input.kind) {
      case 'receive':
        note = optionalText(input.note);
        break;
      case 'progress':
        note = requireText(input.note, 'text_required', 'Cần nhập nội dung báo cáo tiến độ.');
        break;
      case 'report':
        note = requireText(input.note, 'text_required', 'Cần nhập nội dung báo cáo kết quả.');
        if (input.files.length === 0) {
          throw new DomainError(
            'file_required',
            'Báo cáo kết quả cần kèm ít nhất một tệp (văn bản báo cáo, tài liệu kết quả).',
            422,
          );
        }
        break;
      case 'request_extension': {
        const nd = requireDate(input.newDeadline, 'Cần nhập thời hạn đề nghị gia hạn hợp lệ (dd/mm/yyyy).');
        note = requireText(input.note, 'reason_required', 'Cần nêu lý do đề nghị gia hạn.');
        if (nd <= on) throw new DomainError('bad_deadline', 'Thời hạn đề nghị phải sau ngày hôm nay.', 422);
        data = { newDeadline: nd };
        break;
      }
      case 'explain':
        note = requireText(input.note, 'text_required', 'Cần nhập nội dung giải trình.');
        break;
      case 'urge':
        note = optionalText(input.note) || 'Văn phòng UBND tỉnh đôn đốc thực hiện nhiệm vụ.';
        break;
      case 'edit':
        note = requireText(input.note, 'reason_required', 'Cần ghi rõ lý do điều chỉnh.');
        data = { changes: applyEdit(db, task, input.changes) };
        auditDetails = data;
        break;
      case 'reassign':
        note = requireText(input.note, 'reason_required', 'Cần ghi rõ lý do chuyển đơn vị chủ trì.');
        if (!Number.isSafeInteger(input.toAgencyId) || !isActiveAgency(db, input.toAgencyId)) {
          throw new DomainError('agency_inactive', 'Đơn vị tiếp nhận không tồn tại hoặc đã sáp nhập/giải thể.', 422);
        }
        data = { toAgencyId: input.toAgencyId };
        // the new lead agency is no longer a coordinator of its own task
        db.prepare('DELETE FROM task_coordinators WHERE task_id = ? AND agency_id = ?').run(task.id, input.toAgencyId);
        break;
      case 'cancel':
        note = requireText(input.note, 'reason_required', 'Cần ghi rõ lý do thu hồi nhiệm vụ.');
        break;
      case 'confirm':
        note = optionalText(input.note);
        break;
      case 'return_report':
        note = requireText(input.note, 'reason_required', 'Cần ghi rõ lý do trả lại báo cáo.');
        break;
      case 'approve_extension': {
        const nd = requireDate(input.newDeadline, 'Cần nhập thời hạn mới hợp lệ (dd/mm/yyyy).');
        note = optionalText(input.note);
        data = { newDeadline: nd };
        break;
      }
      case 'reject_extension':
        note = requireText(input.note, 'reason_required', 'Cần ghi rõ lý do không đồng ý gia hạn.');
        break;
      default:
        throw new DomainError('bad_action', 'Thao tác không hợp lệ.', 400);
    }
    const kind = ACTION_EVENT[input.kind];
    if (input.kind === 'report' || input.kind === 'explain') fileIds = storeAll(input.files);
    const eventId = appendEvent(db, task.id, {
      kind,
      occurredOn: on,
      note,
      data,
      actorUserId,
      // agency events are recorded for the agency acting; Office events for the task's lead agency
      agencyId: principal.role === 'agency' ? principal.agencyId : task.lead_agency_id,
      fileIds,
    });
    writeAudit(db, {
      at: deps.now,
      actor: principal,
      action: `task.${kind}`,
      targetType: 'task',
      targetId: task.code,
      ip: meta.ip,
      userAgent: meta.userAgent,
      details: { eventId, fileIds, ...(data && input.kind !== 'edit' ? data : {}), ...auditDetails },
    });
    return { taskId: task.id, eventId, fileIds };
  });
}

/**
 * Applies a correction to the task row and returns the diff {field: {from, to}} for the 'corrected' event.
 * The deadline is a fact the statistics read for every past date, so it may be corrected only as a data-entry
 * fix before the unit has acknowledged the task; afterwards it moves only through an extension (at most one,
 * approved by the working group, with the original deadline kept on record).
 */
function applyEdit(db: DB, task: TaskRow, ch: TaskEdit): Record<string, { from: unknown; to: unknown }> {
  const diff: Record<string, { from: unknown; to: unknown }> = {};
  const set: Record<string, unknown> = {};
  if (ch.title !== undefined) {
    const t = ch.title.trim();
    if (!t) throw new DomainError('title_required', 'Cần nhập tên nhiệm vụ.', 422);
    if (t.length > 500) throw new DomainError('too_long', 'Tên nhiệm vụ dài quá 500 ký tự.', 422);
    if (t !== task.title) set.title = t;
  }
  if (ch.content !== undefined) {
    const t = ch.content.trim();
    if (t.length > 10_000) throw new DomainError('too_long', 'Nội dung dài quá 10.000 ký tự.', 422);
    if (t !== task.content) set.content = t;
  }
  if (ch.leaderId !== undefined && ch.leaderId !== task.leader_id) {
    if (ch.leaderId !== null && !db.prepare('SELECT 1 FROM leaders WHERE id = ? AND active = 1').get(ch.leaderId)) {
      throw new DomainError('leader_not_found', 'Lãnh đạo giao nhiệm vụ không hợp lệ.', 422);
    }
    set.leader_id = ch.leaderId;
  }
  if (ch.sectorId !== undefined && ch.sectorId !== task.sector_id) {
    if (ch.sectorId !== null && !db.prepare('SELECT 1 FROM sectors WHERE id = ?').get(ch.sectorId)) {
      throw new DomainError('sector_not_found', 'Lĩnh vực không hợp lệ.', 422);
    }
    set.sector_id = ch.sectorId;
  }
  if (ch.starred !== undefined && (ch.starred ? 1 : 0) !== task.starred) set.starred = ch.starred ? 1 : 0;
  if (ch.confidential !== undefined && (ch.confidential ? 1 : 0) !== task.confidential)
    set.confidential = ch.confidential ? 1 : 0;

  const deadlineChanged = ch.deadline !== undefined && ch.deadline !== task.deadline;
  if (deadlineChanged) {
    if (
      task.received_on !== null ||
      task.ext_requested_on !== null ||
      task.reported_on !== null ||
      task.confirmed_on !== null
    ) {
      throw new DomainError(
        'deadline_locked',
        'Đơn vị đã tiếp nhận nhiệm vụ: thời hạn chỉ được thay đổi qua đề nghị gia hạn (tối đa một lần) do Tổ công tác phê duyệt; thời hạn ban đầu được giữ nguyên trong hồ sơ.',
      );
    }
    const d = ch.deadline!;
    if (d !== null && !isIsoDate(d)) throw new DomainError('bad_date', 'Thời hạn không hợp lệ.', 422);
    if (d !== null && d < task.assigned_on)
      throw new DomainError('bad_deadline', 'Thời hạn không được trước ngày giao.', 422);
    set.deadline = d;
  }
  const newDeadline = deadlineChanged ? ch.deadline! : task.deadline;
  if (newDeadline === null) {
    const reason = (ch.noDeadlineReason ?? task.no_deadline_reason ?? '').trim();
    if (!reason) {
      throw new DomainError(
        'no_deadline_reason',
        'Nhiệm vụ không có thời hạn cần ghi rõ lý do (Chủ tịch UBND tỉnh yêu cầu hạn chế giao nhiệm vụ không thời hạn).',
        422,
      );
    }
    if (reason !== (task.no_deadline_reason ?? '')) set.no_deadline_reason = reason;
  } else if (task.no_deadline_reason !== null) {
    set.no_deadline_reason = null;
  }

  const fieldOf: Record<string, keyof TaskEdit> = {
    title: 'title',
    content: 'content',
    leader_id: 'leaderId',
    sector_id: 'sectorId',
    starred: 'starred',
    confidential: 'confidential',
    deadline: 'deadline',
    no_deadline_reason: 'noDeadlineReason',
  };
  for (const [col, value] of Object.entries(set)) {
    diff[fieldOf[col]!] = { from: task[col as keyof TaskRow], to: value };
    db.prepare(`UPDATE tasks SET ${col} = ? WHERE id = ?`).run(value as string | number | null, task.id);
  }

  if (ch.coordinatorIds !== undefined) {
    const before = db
      .prepare('SELECT agency_id FROM task_coordinators WHERE task_id = ? ORDER BY agency_id')
      .pluck()
      .all(task.id) as number[];
    const after = [...new Set(ch.coordinatorIds)].filter((a) => a !== task.lead_agency_id).sort((a, b) => a - b);
    const added = after.filter((a) => !before.includes(a));
    for (const a of added) {
      if (!isActiveAgency(db, a))
        throw new DomainError('agency_inactive', 'Đơn vị phối hợp không tồn tại hoặc đã sáp nhập/giải thể.', 422);
    }
    if (before.join(',') !== after.join(',')) {
      db.prepare('DELETE FROM task_coordinators WHERE task_id = ?').run(task.id);
      for (const a of after)
        db.prepare('INSERT INTO task_coordinators (task_id, agency_id) VALUES (?, ?)').run(task.id, a);
      diff.coordinatorIds = { from: before, to: after };
    }
  }
  if (Object.keys(diff).length === 0) throw new DomainError('no_change', 'Không có thay đổi nào để lưu.', 422);
  if (set.title !== undefined || set.content !== undefined) {
    const docNumber = task.document_id
      ? ((db.prepare('SELECT number FROM documents WHERE id = ?').pluck().get(task.document_id) as
          | string
          | undefined) ?? '')
      : '';
    db.prepare('UPDATE tasks SET search_text = ? WHERE id = ?').run(
      taskSearchText(
        task.code,
        (set.title as string | undefined) ?? task.title,
        (set.content as string | undefined) ?? task.content,
        docNumber,
      ),
      task.id,
    );
  }
  return diff;
}

/** The actions `principal` may attempt on `task` right now (the page shows only these; the rules still decide). */
export function availableActions(
  db: DB,
  principal: Pick<Principal, 'role' | 'agencyId'>,
  task: TaskRow,
  asOf: IsoDate,
): Set<TaskActionKind> {
  const resource = taskResource(db, task);
  const out = new Set<TaskActionKind>();
  const kinds = db
    .prepare('SELECT kind FROM task_events WHERE task_id = ? ORDER BY occurred_on, id')
    .pluck()
    .all(task.id) as EventKind[];
  let pendingExt = false;
  for (const k of kinds) {
    if (k === 'extension_requested') pendingExt = true;
    else if (k === 'extension_approved' || k === 'extension_rejected') pendingExt = false;
  }
  const open = task.cancelled_on === null && task.confirmed_on === null;
  for (const [kind, permission] of Object.entries(ACTION_PERMISSION) as Array<[TaskActionKind, Action]>) {
    if (!can(principal, permission, resource)) continue;
    if (task.cancelled_on !== null && kind !== 'edit') continue;
    switch (kind) {
      case 'receive':
        if (task.received_on === null) out.add(kind);
        break;
      case 'progress':
      case 'urge':
      case 'reassign':
      case 'cancel':
        if (open) out.add(kind);
        break;
      case 'report':
        if (open && task.reported_on === null) out.add(kind);
        break;
      case 'request_extension':
        // shown even after the one request was used, so the unit reads the rule's message instead of a missing button
        if (open && task.deadline !== null) out.add(kind);
        break;
      case 'explain': {
        // overdue now, finished late, or reported after the deadline (the same test as the rules)
        const st = classifyAsOf(factsFromRow(task), asOf);
        const reportLate =
          task.reported_on !== null && st.effectiveDeadline !== null && task.reported_on > st.effectiveDeadline;
        if (st.explanationRequired || reportLate) out.add(kind);
        break;
      }
      case 'confirm':
      case 'return_report':
        if (task.reported_on !== null) out.add(kind);
        break;
      case 'approve_extension':
      case 'reject_extension':
        if (pendingExt) out.add(kind);
        break;
      case 'edit':
        out.add(kind);
        break;
    }
  }
  return out;
}
