/**
 * Everything a person (or an integration client) does to an existing task, in one place for the admin pages and
 * the API: the permission for each action, record-level agency scoping, input checks, the rules (checkEvent via
 * appendEvent), attached files, and the audit row — all in ONE immediate transaction, so a refusal changes nothing.
 *
 *   recordTaskAction({ db, env, now }, principal, 'NV-2026-00012', { kind: 'report', note, files }, meta)
 *
 * Files are accepted (checked by content) before, with acceptUpload; they are written inside the transaction and
 * removed again if it fails (admin/files/store.ts).
 *
 * Inside a unit (issue 11, unit-actions.ts): delegate, draft_report, approve_submission and send_back are internal
 * steps; where the unit's head approves first, a focal point's report, extension request or explanation is
 * recorded as waiting for the head and becomes its task event only when approved.
 */
import type { DB } from '../db/open.ts';
import { statement } from '../db/statements.ts';
import type { Env } from '../env.ts';
import { can, type Action, type AgencyResource, type Principal, type ScopedPrincipal } from '../auth/permissions.ts';
import { writeAudit } from '../audit/audit.ts';
import { runWithUploads, storeUpload, type AcceptedUpload } from '../files/store.ts';
import { DomainError } from './rules.ts';
import { classifyAsOf, type EventKind } from './status.ts';
import { appendEvent, factsFromRow, getTaskByCode, type TaskRow } from './tasks.ts';
import { noticesForEvent } from './notices.ts';
import { applyEdit, isActiveAgency, type TaskEdit } from './task-edit.ts';
import { isIsoDate, today, type IsoDate } from './dates.ts';
import { delegatedUserIds, internalSteps, pendingSubmissions, unitOfficers } from './unit-steps.ts';
import {
  checkDraftFiles,
  isUnitAction,
  recordUnitAction,
  submitToHead,
  waitsForHead,
  type UnitActionInput,
  type UnitActionKind,
} from './unit-actions.ts';

export { EDIT_FIELD_LABELS, isActiveAgency, type TaskEdit } from './task-edit.ts';

export const NOTE_MAX = 4000;

export type TaskActionInput =
  | { kind: 'receive'; note?: string }
  | { kind: 'progress'; note: string; files?: AcceptedUpload[] }
  | { kind: 'report'; note: string; files: AcceptedUpload[]; draftFileIds?: number[] }
  | { kind: 'request_extension'; newDeadline: IsoDate; note: string }
  | { kind: 'explain'; note: string; files?: AcceptedUpload[] }
  | { kind: 'urge'; note?: string }
  | { kind: 'edit'; changes: TaskEdit; note: string }
  | { kind: 'reassign'; toAgencyId: number; note: string }
  | { kind: 'cancel'; note: string }
  | { kind: 'confirm'; note?: string }
  | { kind: 'return_report'; note: string }
  | { kind: 'approve_extension'; newDeadline: IsoDate; note?: string }
  | { kind: 'reject_extension'; note: string }
  | Exclude<UnitActionInput, { kind: 'draft_report' }>
  | { kind: 'draft_report'; note: string; files?: AcceptedUpload[] };

export type TaskActionKind = TaskActionInput['kind'];
/** The actions that append a task event (the others are a unit's internal steps). */
export type EventActionKind = Exclude<TaskActionKind, UnitActionKind>;

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
  delegate: 'task.delegate',
  draft_report: 'report.draft',
  approve_submission: 'unit.approve',
  send_back: 'unit.approve',
};

export const ACTION_EVENT: Record<EventActionKind, EventKind> = {
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

/** What can() needs of a task: its lead and coordinating agencies and the officers it is delegated to. */
export function taskResource(db: DB, task: Pick<TaskRow, 'id' | 'lead_agency_id'>): AgencyResource {
  return {
    leadAgencyId: task.lead_agency_id,
    coordinatorAgencyIds: statement(db, 'SELECT agency_id FROM task_coordinators WHERE task_id = ?')
      .pluck()
      .all(task.id) as number[],
    delegatedUserIds: delegatedUserIds(db, task.id),
  };
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
  /** the task event written; null for a unit's internal step (a delegation, a draft, a submission to the head) */
  eventId: number | null;
  /** the internal step written (unit actions, submissions to the head) */
  stepId?: number;
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
    if (isUnitAction(input.kind)) {
      const unitInput: UnitActionInput =
        input.kind === 'draft_report'
          ? { kind: 'draft_report', note: input.note, fileIds: storeAll(input.files) }
          : (input as UnitActionInput);
      const ctx = { db, now: deps.now, on, principal, task, meta, resource: () => taskResource(db, task) };
      return recordUnitAction(ctx, unitInput, NOTE_MAX);
    }
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
        // files of the unit's draft, reused as they are (already checked and stored when the draft was saved)
        fileIds = checkDraftFiles(db, task, principal.agencyId ?? -1, input.draftFileIds ?? []);
        if (input.files.length === 0 && fileIds.length === 0) {
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
        statement(db, 'DELETE FROM task_coordinators WHERE task_id = ? AND agency_id = ?').run(
          task.id,
          input.toAgencyId,
        );
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
    const kind = ACTION_EVENT[input.kind as EventActionKind];
    if (input.kind === 'report' || input.kind === 'explain' || input.kind === 'progress')
      fileIds = [...fileIds, ...storeAll(input.files)];
    const event = {
      kind,
      occurredOn: on,
      note,
      data,
      actorUserId,
      // agency events are recorded for the agency acting; Office events for the task's lead agency
      agencyId: principal.agencyId ?? task.lead_agency_id,
      fileIds,
    };
    if (
      (input.kind === 'report' || input.kind === 'request_extension' || input.kind === 'explain') &&
      waitsForHead(db, principal, task)
    ) {
      const ctx = { db, now: deps.now, on, principal, task, meta, resource: () => taskResource(db, task) };
      return submitToHead(ctx, input.kind, event);
    }
    const eventId = appendEvent(db, task.id, event);
    // notices in the same transaction as their cause; the resource as it stands after the event (reassignment)
    noticesForEvent(
      db,
      { taskId: task.id, eventId, kind, note, data, actorUserId, now: deps.now },
      taskResource(db, getTaskByCode(db, task.code)!),
    );
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

/** The actions `principal` may attempt on `task` right now (the page shows only these; the rules still decide). */
export function availableActions(
  db: DB,
  principal: ScopedPrincipal,
  task: TaskRow,
  asOf: IsoDate,
): Set<TaskActionKind> {
  const resource = taskResource(db, task);
  const steps = principal.agencyId !== null ? internalSteps(db, task.id, principal.agencyId) : [];
  const waiting = pendingSubmissions(steps);
  const out = new Set<TaskActionKind>();
  // the same text as tasks.ts reads without pluck: a kept statement is shared, so its mode must be too
  const kinds = (
    statement(db, 'SELECT kind FROM task_events WHERE task_id = ? ORDER BY occurred_on, id').all(task.id) as Array<{
      kind: EventKind;
    }>
  ).map((r) => r.kind);
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
        if (open && task.reported_on === null && !waiting.has('report')) out.add(kind);
        break;
      case 'draft_report':
        if (open && task.reported_on === null && !waiting.has('report')) out.add(kind);
        break;
      case 'delegate':
        if (open && principal.agencyId !== null && unitOfficers(db, principal.agencyId).length > 0) out.add(kind);
        break;
      case 'approve_submission':
      case 'send_back':
        if (waiting.size > 0) out.add(kind);
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
