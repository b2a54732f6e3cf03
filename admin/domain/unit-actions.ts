/**
 * The actions inside a unit (issue 11), recorded by recordTaskAction (task-actions.ts) in its transaction, after
 * the matrix check: the focal point delegates a task to officers; an officer drafts the result report; where the
 * unit's setting asks for it, what the focal point submits (report, extension request, explanation) waits for the
 * head, who approves it (then, and only then, it becomes the normal task event the Office and the statistics see)
 * or sends it back with a reason. Every step is an internal step (unit-steps.ts) and an audit row.
 */
import type { DB } from '../db/open.ts';
import type { AgencyResource, Principal } from '../auth/permissions.ts';
import { noticeDelegated, noticesForEvent, noticeUnitStep } from './notices.ts';
import { writeAudit } from '../audit/audit.ts';
import { DomainError } from './rules.ts';
import type { EventKind } from './status.ts';
import { appendEvent, factsFromRow, type AppendEventInput, type TaskRow } from './tasks.ts';
import { classifyAsOf } from './status.ts';
import type { IsoDate } from './dates.ts';
import {
  appendInternalStep,
  headApprovalRequired,
  insertDelegation,
  internalSteps,
  isInternalFileOf,
  liveDelegations,
  pendingSubmissions,
  SUBJECT_LABELS,
  SUBMISSION_SUBJECTS,
  unitOfficers,
  type SubmissionSubject,
} from './unit-steps.ts';

export type UnitActionInput =
  | { kind: 'delegate'; userIds: number[]; note?: string; internalDueOn?: IsoDate | null }
  | { kind: 'draft_report'; note: string; fileIds: number[] }
  | { kind: 'approve_submission'; subject: SubmissionSubject; note?: string }
  | { kind: 'send_back'; subject: SubmissionSubject; note: string };

export type UnitActionKind = UnitActionInput['kind'];
export const UNIT_ACTION_KINDS: readonly UnitActionKind[] = [
  'delegate',
  'draft_report',
  'approve_submission',
  'send_back',
];

export function isUnitAction(kind: string): kind is UnitActionKind {
  return (UNIT_ACTION_KINDS as readonly string[]).includes(kind);
}

/** The task event each submission becomes once it reaches the Office. */
export const SUBJECT_EVENT: Record<SubmissionSubject, EventKind> = {
  report: 'reported',
  request_extension: 'extension_requested',
  explain: 'explanation_submitted',
};

export interface UnitContext {
  db: DB;
  now: Date;
  on: IsoDate;
  principal: Principal;
  task: TaskRow;
  meta: { ip?: string; userAgent?: string };
  /** the task's scoping facts as they stand now (task-actions.ts taskResource) */
  resource: () => AgencyResource;
}

export interface UnitResult {
  taskId: number;
  eventId: number | null;
  stepId: number;
  fileIds: number[];
}

const ROLLBACK = Symbol('rollback');

/** Runs the rules of appendEvent for `input` and undoes everything (a savepoint): throws what the rules refuse. */
export function assertEventAccepted(db: DB, taskId: number, input: AppendEventInput): void {
  try {
    db.transaction(() => {
      appendEvent(db, taskId, input);
      throw ROLLBACK;
    })();
  } catch (e) {
    if (e !== ROLLBACK) throw e;
  }
}

/** Does a submission by `principal` on `task` wait for the head? Only a focal point's, where the unit requires it. */
export function waitsForHead(db: DB, principal: Principal, task: TaskRow): boolean {
  // an integration client (document system) sends what the unit already signed; the head submits directly
  return principal.kind === 'user' && principal.role === 'agency' && headApprovalRequired(db, task.lead_agency_id);
}

/** Draft files the focal point reuses on submission: only files of this task's internal steps by this unit. */
export function checkDraftFiles(db: DB, task: TaskRow, agencyId: number, ids: readonly number[]): number[] {
  for (const id of ids) {
    if (!isInternalFileOf(db, id, task.id, agencyId))
      throw new DomainError('bad_file', 'Tệp dự thảo đã chọn không thuộc nhiệm vụ này.', 422);
  }
  return [...new Set(ids)];
}

/** Records a submission as waiting for the head (nothing reaches the Office or the statistics yet). */
export function submitToHead(
  ctx: UnitContext,
  subject: SubmissionSubject,
  event: AppendEventInput & { note: string },
): UnitResult {
  const { db, task, principal } = ctx;
  const agencyId = principal.agencyId!;
  if (pendingSubmissions(internalSteps(db, task.id, agencyId)).has(subject)) {
    throw new DomainError(
      'already_submitted',
      `${SUBJECT_LABELS[subject]} đã trình thủ trưởng đơn vị và đang chờ duyệt.`,
      409,
    );
  }
  // the rules decide now, so the focal point learns at once what the Office would refuse
  assertEventAccepted(db, task.id, event);
  const fileIds = [...(event.fileIds ?? [])];
  const stepId = appendInternalStep(db, {
    taskId: task.id,
    agencyId,
    kind: 'submitted',
    subject,
    actorUserId: principal.id,
    occurredOn: ctx.on,
    at: ctx.now,
    note: event.note,
    data: event.data,
    fileIds,
  });
  audit(ctx, 'task.unit_submitted', { stepId, subject, fileIds });
  unitNotice(ctx, stepId, 'submitted', subject, event.note);
  return { taskId: task.id, eventId: null, stepId, fileIds };
}

/** Tells the people of the unit a step concerns (admin/domain/notices.ts noticeUnitStep). */
function unitNotice(
  ctx: UnitContext,
  stepId: number,
  step: 'draft_saved' | 'submitted' | 'sent_back',
  subject: string,
  note: string,
): void {
  noticeUnitStep(
    ctx.db,
    {
      taskId: ctx.task.id,
      stepId,
      step,
      agencyId: ctx.principal.agencyId!,
      subject,
      note,
      actorUserId: ctx.principal.kind === 'user' ? ctx.principal.id : null,
      now: ctx.now,
    },
    ctx.resource(),
  );
}

function audit(ctx: UnitContext, action: string, details: Record<string, unknown>): void {
  writeAudit(ctx.db, {
    at: ctx.now,
    actor: ctx.principal,
    action,
    targetType: 'task',
    targetId: ctx.task.code,
    ip: ctx.meta.ip,
    userAgent: ctx.meta.userAgent,
    details,
  });
}

function text(s: string | undefined, max: number): string {
  const v = (s ?? '').trim();
  if (v.length > max) throw new DomainError('too_long', `Nội dung dài quá ${max} ký tự.`, 422);
  return v;
}

/** One unit action on the task (the caller checked the matrix for this task and runs the transaction). */
export function recordUnitAction(ctx: UnitContext, input: UnitActionInput, noteMax: number): UnitResult {
  const { db, task, principal } = ctx;
  const agencyId = principal.agencyId;
  if (agencyId === null) throw new DomainError('forbidden', 'Bạn không có quyền thực hiện thao tác này.', 403);
  const actorUserId = principal.id;
  const open = task.cancelled_on === null && task.confirmed_on === null;
  switch (input.kind) {
    case 'delegate': {
      if (!open) throw new DomainError('task_closed', 'Nhiệm vụ đã hoàn thành hoặc đã thu hồi.', 409);
      const note = text(input.note, noteMax);
      const ids = [...new Set(input.userIds)];
      if (ids.length === 0) throw new DomainError('officer_required', 'Cần chọn ít nhất một chuyên viên.', 422);
      const officers = new Map(unitOfficers(db, agencyId).map((o) => [o.id, o.name]));
      if (ids.some((id) => !officers.has(id)))
        throw new DomainError('bad_officer', 'Chỉ giao được cho chuyên viên đang hoạt động của đơn vị mình.', 422);
      const already = new Set(liveDelegations(db, task.id, agencyId).map((d) => d.user_id));
      if (ids.some((id) => already.has(id)))
        throw new DomainError('already_delegated', 'Nhiệm vụ đã được giao cho chuyên viên này.', 409);
      const due = input.internalDueOn ?? null;
      if (due !== null) {
        if (due < ctx.on) throw new DomainError('bad_due', 'Hạn nội bộ không được trước ngày hôm nay.', 422);
        const deadline = classifyAsOf(factsFromRow(task), ctx.on).effectiveDeadline;
        if (deadline !== null && due >= deadline)
          throw new DomainError('bad_due', 'Hạn nội bộ phải sớm hơn thời hạn của nhiệm vụ.', 422);
      }
      const delegationIds = ids.map((userId) =>
        insertDelegation(db, {
          taskId: task.id,
          userId,
          agencyId,
          note,
          internalDueOn: due,
          delegatedBy: actorUserId,
          at: ctx.now,
        }),
      );
      // "a task delegated to me" (admin/domain/notices.ts), after the rows so the officer passes the read check
      const resource = ctx.resource();
      ids.forEach((userId, i) => {
        noticeDelegated(
          db,
          {
            taskId: task.id,
            userId,
            delegationId: delegationIds[i],
            note,
            internalDueOn: due,
            byUserId: actorUserId,
            now: ctx.now,
          },
          resource,
        );
      });
      const stepId = appendInternalStep(db, {
        taskId: task.id,
        agencyId,
        kind: 'delegated',
        actorUserId,
        occurredOn: ctx.on,
        at: ctx.now,
        note,
        data: { userIds: ids, names: ids.map((id) => officers.get(id)), internalDueOn: due },
      });
      audit(ctx, 'task.unit_delegated', { stepId, userIds: ids, internalDueOn: due });
      return { taskId: task.id, eventId: null, stepId, fileIds: [] };
    }
    case 'draft_report': {
      if (!open || task.reported_on !== null)
        throw new DomainError('already_reported', 'Nhiệm vụ đã có báo cáo kết quả gửi Văn phòng.', 409);
      const note = text(input.note, noteMax);
      if (!note) throw new DomainError('text_required', 'Cần nhập nội dung dự thảo báo cáo kết quả.', 422);
      const stepId = appendInternalStep(db, {
        taskId: task.id,
        agencyId,
        kind: 'draft_saved',
        subject: 'report',
        actorUserId,
        occurredOn: ctx.on,
        at: ctx.now,
        note,
        fileIds: input.fileIds,
      });
      audit(ctx, 'task.unit_draft_saved', { stepId, fileIds: input.fileIds });
      unitNotice(ctx, stepId, 'draft_saved', 'report', note);
      return { taskId: task.id, eventId: null, stepId, fileIds: input.fileIds };
    }
    case 'approve_submission':
    case 'send_back': {
      if (!SUBMISSION_SUBJECTS.includes(input.subject))
        throw new DomainError('bad_subject', 'Nội dung cần duyệt không hợp lệ.', 422);
      const pending = pendingSubmissions(internalSteps(db, task.id, agencyId)).get(input.subject);
      if (!pending)
        throw new DomainError(
          'nothing_pending',
          `Không có ${SUBJECT_LABELS[input.subject].toLowerCase()} nào đang chờ duyệt.`,
          409,
        );
      const note = text(input.note, noteMax);
      if (input.kind === 'send_back') {
        if (!note) throw new DomainError('reason_required', 'Cần ghi rõ lý do trả lại.', 422);
        const stepId = appendInternalStep(db, {
          taskId: task.id,
          agencyId,
          kind: 'sent_back',
          subject: input.subject,
          actorUserId,
          occurredOn: ctx.on,
          at: ctx.now,
          note,
          data: { submissionId: pending.id },
        });
        audit(ctx, 'task.unit_sent_back', { stepId, subject: input.subject, submissionId: pending.id });
        unitNotice(ctx, stepId, 'sent_back', input.subject, note);
        return { taskId: task.id, eventId: null, stepId, fileIds: [] };
      }
      const fileIds = pending.files.map((f) => f.id);
      // the submission reaches the Office today, as the task event it stands for (the rules decide again now)
      const eventId = appendEvent(db, task.id, {
        kind: SUBJECT_EVENT[input.subject],
        occurredOn: ctx.on,
        note: pending.note,
        data: JSON.parse(pending.data) as Record<string, unknown>,
        actorUserId,
        agencyId,
        fileIds,
      });
      // the Office is told now, as for any such event (admin/domain/notices.ts)
      const data = JSON.parse(pending.data) as Record<string, unknown>;
      noticesForEvent(
        db,
        {
          taskId: task.id,
          eventId,
          kind: SUBJECT_EVENT[input.subject],
          note: pending.note,
          data,
          actorUserId,
          now: ctx.now,
        },
        ctx.resource(),
      );
      const stepId = appendInternalStep(db, {
        taskId: task.id,
        agencyId,
        kind: 'approved',
        subject: input.subject,
        actorUserId,
        occurredOn: ctx.on,
        at: ctx.now,
        note,
        data: { submissionId: pending.id },
        eventId,
      });
      audit(ctx, 'task.unit_approved', { stepId, eventId, subject: input.subject, submissionId: pending.id, fileIds });
      return { taskId: task.id, eventId, stepId, fileIds };
    }
  }
}
