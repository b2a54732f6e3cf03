/**
 * The unit's internal record of a task (issue 11, migration 0009): delegations to officers and the internal steps
 * (delegated, draft saved, submitted for the head's approval, approved, sent back). Internal steps are append-only,
 * shown only to the people of that unit, never published and never read by statistics: what waits for the head
 * becomes a normal task event (reported, extension_requested, explanation_submitted) only when the head approves.
 *
 *   delegation ─▶ officer drafts (draft_saved) ─▶ focal point submits ─┬─ unit setting off ─▶ task event
 *                                                                      └─ on: submitted ─▶ head: approved ─▶ task event
 *                                                                                       └─▶ head: sent_back (reason)
 */
import type { DB } from '../db/open.ts';
import { statement } from '../db/statements.ts';
import type { EventFile, IdName } from './task-view.ts';

export type InternalStepKind = 'delegated' | 'draft_saved' | 'submitted' | 'approved' | 'sent_back';
/** What a submission to the head carries (the task action that becomes a task event once approved). */
export type SubmissionSubject = 'report' | 'request_extension' | 'explain';
export const SUBMISSION_SUBJECTS: readonly SubmissionSubject[] = ['report', 'request_extension', 'explain'];

export const SUBJECT_LABELS: Record<SubmissionSubject, string> = {
  report: 'Báo cáo kết quả',
  request_extension: 'Đề nghị gia hạn',
  explain: 'Giải trình',
};

export const STEP_LABELS: Record<InternalStepKind, string> = {
  delegated: 'Giao chuyên viên thực hiện',
  draft_saved: 'Chuyên viên soạn dự thảo báo cáo kết quả',
  submitted: 'Trình thủ trưởng đơn vị duyệt',
  approved: 'Thủ trưởng đơn vị duyệt, gửi Văn phòng',
  sent_back: 'Thủ trưởng đơn vị trả lại',
};

export interface InternalStep {
  id: number;
  task_id: number;
  agency_id: number;
  kind: InternalStepKind;
  subject: SubmissionSubject | null;
  actor_user_id: number | null;
  actor_name: string | null;
  occurred_on: string;
  recorded_at: string;
  note: string;
  /** JSON as stored */
  data: string;
  event_id: number | null;
  files: EventFile[];
}

export interface Delegation {
  user_id: number;
  user_name: string;
  note: string;
  internal_due_on: string | null;
  delegated_by_name: string | null;
  created_at: string;
}

/** The agency setting "thủ trưởng duyệt trước khi gửi Văn phòng". */
export function headApprovalRequired(db: DB, agencyId: number): boolean {
  return statement(db, 'SELECT head_approval FROM agencies WHERE id = ?').pluck().get(agencyId) === 1;
}

/** Writes the setting (the caller audits it in the same transaction). */
export function setHeadApproval(db: DB, agencyId: number, on: boolean): void {
  statement(db, 'UPDATE agencies SET head_approval = ? WHERE id = ?').run(on ? 1 : 0, agencyId);
}

/**
 * Users the task is delegated to by their current unit (live delegations of enabled users still in the agency
 * that delegated): what can() needs for an officer (AgencyResource.delegatedUserIds).
 */
export function delegatedUserIds(db: DB, taskId: number): number[] {
  return statement(
    db,
    `SELECT d.user_id FROM task_delegations d JOIN users u ON u.id = d.user_id AND u.agency_id = d.agency_id
        WHERE d.task_id = ? AND d.revoked_at IS NULL AND u.disabled = 0 ORDER BY d.user_id`,
  )
    .pluck()
    .all(taskId) as number[];
}

/** The task's live delegations made by `agencyId`, oldest first. */
export function liveDelegations(db: DB, taskId: number, agencyId: number): Delegation[] {
  return statement(
    db,
    `SELECT d.user_id, u.display_name AS user_name, d.note, d.internal_due_on, b.display_name AS delegated_by_name,
              d.created_at
         FROM task_delegations d JOIN users u ON u.id = d.user_id LEFT JOIN users b ON b.id = d.delegated_by
        WHERE d.task_id = ? AND d.agency_id = ? AND d.revoked_at IS NULL ORDER BY d.id`,
  ).all(taskId, agencyId) as Delegation[];
}

/** Enabled officers of an agency, by name. */
export function unitOfficers(db: DB, agencyId: number): IdName[] {
  return statement(
    db,
    `SELECT id, display_name AS name FROM users
        WHERE agency_id = ? AND role = 'agency' AND unit_role = 'officer' AND disabled = 0 ORDER BY display_name, id`,
  ).all(agencyId) as IdName[];
}

/** One live delegation row (no audit: recordUnitAction audits; test fixtures call it directly). */
export function insertDelegation(
  db: DB,
  d: {
    taskId: number;
    userId: number;
    agencyId: number;
    note?: string;
    internalDueOn?: string | null;
    delegatedBy?: number | null;
    at: Date;
  },
): number {
  const info = statement(
    db,
    `INSERT INTO task_delegations (task_id, user_id, agency_id, note, internal_due_on, delegated_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    d.taskId,
    d.userId,
    d.agencyId,
    d.note ?? '',
    d.internalDueOn ?? null,
    d.delegatedBy ?? null,
    d.at.toISOString(),
  );
  return Number(info.lastInsertRowid);
}

export function appendInternalStep(
  db: DB,
  s: {
    taskId: number;
    agencyId: number;
    kind: InternalStepKind;
    subject?: SubmissionSubject | null;
    actorUserId: number | null;
    occurredOn: string;
    at: Date;
    note?: string;
    data?: Record<string, unknown>;
    eventId?: number | null;
    fileIds?: readonly number[];
  },
): number {
  const id = Number(
    statement(
      db,
      `INSERT INTO task_internal_steps (task_id, agency_id, kind, subject, actor_user_id, occurred_on, recorded_at, note, data, event_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      s.taskId,
      s.agencyId,
      s.kind,
      s.subject ?? null,
      s.actorUserId,
      s.occurredOn,
      s.at.toISOString(),
      s.note ?? '',
      JSON.stringify(s.data ?? {}),
      s.eventId ?? null,
    ).lastInsertRowid,
  );
  const link = statement(db, 'INSERT INTO internal_step_files (step_id, file_id) VALUES (?, ?)');
  for (const f of new Set(s.fileIds ?? [])) link.run(id, f);
  return id;
}

/** The internal steps of a task recorded by `agencyId`, oldest first, with actor names and files. */
export function internalSteps(db: DB, taskId: number, agencyId: number): InternalStep[] {
  const steps = statement(
    db,
    `SELECT s.id, s.task_id, s.agency_id, s.kind, s.subject, s.actor_user_id, u.display_name AS actor_name,
              s.occurred_on, s.recorded_at, s.note, s.data, s.event_id
         FROM task_internal_steps s LEFT JOIN users u ON u.id = s.actor_user_id
        WHERE s.task_id = ? AND s.agency_id = ? ORDER BY s.id`,
  ).all(taskId, agencyId) as Array<Omit<InternalStep, 'files'>>;
  if (steps.length === 0) return [];
  const rows = statement(
    db,
    `SELECT sf.step_id, f.id, f.original_name, f.mime, f.size FROM internal_step_files sf JOIN files f ON f.id = sf.file_id
        WHERE sf.step_id IN (SELECT value FROM json_each(?)) ORDER BY f.id`,
  ).all(JSON.stringify(steps.map((s) => s.id))) as Array<EventFile & { step_id: number }>;
  const files = new Map<number, EventFile[]>();
  for (const { step_id, ...f } of rows) files.set(step_id, [...(files.get(step_id) ?? []), f]);
  return steps.map((s) => ({ ...s, files: files.get(s.id) ?? [] }));
}

/** Submissions still waiting for the head, per subject (the latest 'submitted' not yet approved or sent back). */
export function pendingSubmissions(steps: readonly InternalStep[]): Map<SubmissionSubject, InternalStep> {
  const out = new Map<SubmissionSubject, InternalStep>();
  for (const s of steps) {
    if (!s.subject) continue;
    if (s.kind === 'submitted') out.set(s.subject, s);
    else if (s.kind === 'approved' || s.kind === 'sent_back') out.delete(s.subject);
  }
  return out;
}

/**
 * The result report the unit is working on: the latest draft, or the submission the head sent back (the focal
 * point starts again from it); none while a submission waits or once one was approved.
 */
export function latestDraft(steps: readonly InternalStep[]): InternalStep | null {
  let draft: InternalStep | null = null;
  let waiting: InternalStep | null = null;
  for (const s of steps) {
    if (s.kind === 'draft_saved') draft = s;
    else if (s.subject !== 'report') continue;
    else if (s.kind === 'submitted') [waiting, draft] = [s, null];
    else if (s.kind === 'sent_back') [draft, waiting] = [waiting, null];
    else if (s.kind === 'approved') [draft, waiting] = [null, null];
  }
  return draft;
}

/** True when `fileId` is attached to an internal step of the task by `agencyId` (draft files reused on submission). */
export function isInternalFileOf(db: DB, fileId: number, taskId: number, agencyId: number): boolean {
  return (
    statement(
      db,
      `SELECT 1 FROM internal_step_files sf JOIN task_internal_steps s ON s.id = sf.step_id
          WHERE sf.file_id = ? AND s.task_id = ? AND s.agency_id = ? LIMIT 1`,
    ).get(fileId, taskId, agencyId) !== undefined
  );
}

/** What the task page shows a person of a unit about the unit's own work on the task. */
export interface UnitView {
  agencyId: number;
  /** the unit requires the head's approval before anything reaches the Office */
  headApproval: boolean;
  steps: InternalStep[];
  delegations: Delegation[];
  /** officers a focal point may delegate to (loaded only when the viewer may delegate) */
  officers: IdName[];
  /** submissions waiting for the head */
  pending: InternalStep[];
  /** the latest draft of the result report not yet submitted */
  draft: InternalStep | null;
}

/** The unit view for a viewer of an agency role (null for the Office, leaders and the administrator). */
export function loadUnitView(
  db: DB,
  taskId: number,
  viewer: { role: string; agencyId: number | null },
  withOfficers: boolean,
): UnitView | null {
  const a = viewer.agencyId;
  if (a === null || !['agency', 'head', 'officer'].includes(viewer.role)) return null;
  const steps = internalSteps(db, taskId, a);
  return {
    agencyId: a,
    headApproval: headApprovalRequired(db, a),
    steps,
    delegations: liveDelegations(db, taskId, a),
    officers: withOfficers ? unitOfficers(db, a) : [],
    pending: [...pendingSubmissions(steps).values()],
    draft: latestDraft(steps),
  };
}

/**
 * The administrator turns "thủ trưởng duyệt trước khi gửi Văn phòng" on or off for an agency, audited in the same
 * transaction. What already waits for the head stays waiting (the head still approves or sends it back).
 */
export function changeHeadApproval(db: DB, agencyId: number, on: boolean, audit: (before: boolean) => void): boolean {
  return db
    .transaction(() => {
      const before = headApprovalRequired(db, agencyId);
      if (before === on) return false;
      setHeadApproval(db, agencyId, on);
      audit(before);
      return true;
    })
    .immediate();
}
