/**
 * Notices (issue 11): rows written in the SAME transaction as their cause, one per recipient and case.
 *
 *   task event (task-actions) ─┐
 *   new task / reassignment ───┼─▶ writeNotices ─▶ notices (UNIQUE user, kind, task, dedupe_key)
 *   delegation (H2) ───────────┤        │ only active users who may read the task: can(principal, 'task.read', resource)
 *   daily job (notice-job.ts) ─┘        ▼
 *                       mail later, by preference (jobs/notice-mail.ts): at once, in the 07:00 digest, or none
 *
 * Callers pass the task's AgencyResource (taskResource in task-actions.ts) so the permission matrix — with every
 * role and delegation rule it holds — decides who is told; this module cannot import task-actions (it is imported
 * by it). Mail is not composed here: the write stays cheap and the preference is read when the mail is built.
 */
import type { DB } from '../db/open.ts';
import { statement } from '../db/statements.ts';
import { can, type AgencyResource, type Principal, type Role } from '../auth/permissions.ts';
import type { EventKind } from './status.ts';

export const NOTICE_KINDS = [
  'task_new',
  'task_delegated',
  'due_soon',
  'overdue',
  'urged',
  'report_returned',
  'extension_approved',
  'extension_rejected',
  'report_waiting',
  'extension_waiting',
  'waiting_long',
  // inside a unit (its internal steps): an officer's draft for the focal point, a submission for the head, the
  // head's sending back for the unit
  'unit_draft',
  'unit_waiting',
  'unit_sent_back',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const NOTICE_KIND_LABELS: Record<NoticeKind, string> = {
  task_new: 'Nhiệm vụ mới giao cho đơn vị',
  task_delegated: 'Nhiệm vụ được giao cho tôi',
  due_soon: 'Sắp đến hạn (trong 3 ngày làm việc)',
  overdue: 'Đã quá hạn, cần giải trình',
  urged: 'Văn phòng đôn đốc',
  report_returned: 'Báo cáo kết quả bị trả lại',
  extension_approved: 'Được đồng ý gia hạn',
  extension_rejected: 'Không được đồng ý gia hạn',
  report_waiting: 'Báo cáo kết quả chờ xác nhận',
  extension_waiting: 'Đề nghị gia hạn chờ xử lý',
  waiting_long: 'Chờ xử lý quá số ngày quy định',
  unit_draft: 'Chuyên viên gửi dự thảo báo cáo',
  unit_waiting: 'Chờ thủ trưởng đơn vị duyệt',
  unit_sent_back: 'Thủ trưởng đơn vị trả lại',
};

/** The kinds each role can receive (the account page offers mail preferences for these only). */
export function kindsForRole(role: Role): NoticeKind[] {
  if (role === 'confirmer') return ['report_waiting', 'extension_waiting', 'waiting_long'];
  const unit: NoticeKind[] = [
    'task_new',
    'task_delegated',
    'due_soon',
    'overdue',
    'urged',
    'report_returned',
    'extension_approved',
    'extension_rejected',
  ];
  if (role === 'agency') return [...unit, 'unit_draft', 'unit_sent_back'];
  if (role === 'head') return [...unit, 'unit_waiting'];
  if (role === 'officer') return [...unit, 'unit_sent_back'];
  return [];
}

export function isNoticeKind(s: unknown): s is NoticeKind {
  return typeof s === 'string' && (NOTICE_KINDS as readonly string[]).includes(s);
}

/** A possible recipient: an active user as stored now. */
export interface Recipient {
  id: number;
  username: string;
  role: Role;
  agencyId: number | null;
}

/** The recipient's role and agency as one string: notices written under another scope are no longer shown. */
export function noticeScope(u: Pick<Recipient, 'role' | 'agencyId'>): string {
  return `${u.role}:${u.agencyId ?? ''}`;
}

export function principalOf(u: Recipient): Principal {
  return { kind: 'user', id: u.id, name: u.username, role: u.role, agencyId: u.agencyId };
}

// COALESCE(unit_role, role): heads and officers are agency users with a unit role (migration 0009)
const RECIPIENT_COLUMNS = 'id, username, COALESCE(unit_role, role) AS role, agency_id AS agencyId';

/** Active users of the given agencies (every role inside a unit; can() then decides per task). */
export function activeUsersOfAgencies(db: DB, agencyIds: readonly number[]): Recipient[] {
  const out: Recipient[] = [];
  for (const a of new Set(agencyIds)) {
    out.push(
      ...(statement(db, `SELECT ${RECIPIENT_COLUMNS} FROM users WHERE agency_id = ? AND disabled = 0 ORDER BY id`).all(
        a,
      ) as Recipient[]),
    );
  }
  return out;
}

/** The working group (Tổ công tác / office lead): active confirmers. */
export function activeConfirmers(db: DB): Recipient[] {
  return statement(
    db,
    `SELECT ${RECIPIENT_COLUMNS} FROM users WHERE role = 'confirmer' AND disabled = 0 ORDER BY id`,
  ).all() as Recipient[];
}

export function activeUser(db: DB, userId: number): Recipient | undefined {
  return statement(db, `SELECT ${RECIPIENT_COLUMNS} FROM users WHERE id = ? AND disabled = 0`).get(userId) as
    | Recipient
    | undefined;
}

export interface NoticeCase {
  taskId: number;
  kind: NoticeKind;
  eventId?: number | null;
  /** what makes the case one besides (user, kind, task): '' = once per task */
  dedupeKey?: string;
  data?: Record<string, unknown>;
}

export interface WriteOptions {
  now: Date;
  /** the person who caused it is not told about their own action */
  excludeUserId?: number | null;
  /** no mail for these notices (the cause already sent one, e.g. the quarterly urge letter) */
  noMail?: boolean;
}

/**
 * Writes one notice per recipient who may read the task; an existing case is left alone. Returns how many were
 * new. Joins the caller's transaction (it must be inside one: the notice belongs to its cause).
 */
export function writeNotices(
  db: DB,
  c: NoticeCase,
  recipients: readonly Recipient[],
  resource: AgencyResource,
  options: WriteOptions,
): number {
  const insert = statement(
    db,
    `INSERT OR IGNORE INTO notices (user_id, scope, task_id, kind, event_id, dedupe_key, data, created_at, mail_state)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const data = JSON.stringify(c.data ?? {});
  const at = options.now.toISOString();
  let n = 0;
  const seen = new Set<number>();
  for (const r of recipients) {
    if (seen.has(r.id) || r.id === options.excludeUserId) continue;
    seen.add(r.id);
    if (!can(principalOf(r), 'task.read', resource)) continue;
    n += insert.run(
      r.id,
      noticeScope(r),
      c.taskId,
      c.kind,
      c.eventId ?? null,
      c.dedupeKey ?? '',
      data,
      at,
      options.noMail ? 'skipped' : 'pending',
    ).changes;
  }
  return n;
}

/** Event kind → notice for the lead unit (with what the unit must know) or for the working group. */
const LEAD_NOTICE: Partial<Record<EventKind, NoticeKind>> = {
  urged: 'urged',
  returned: 'report_returned',
  extension_approved: 'extension_approved',
  extension_rejected: 'extension_rejected',
};
const GROUP_NOTICE: Partial<Record<EventKind, NoticeKind>> = {
  reported: 'report_waiting',
  extension_requested: 'extension_waiting',
};

export interface EventNoticeInput {
  taskId: number;
  eventId: number;
  kind: EventKind;
  note?: string;
  data?: Record<string, unknown>;
  actorUserId?: number | null;
  now: Date;
  noMail?: boolean;
}

/**
 * The notices one task event causes; call inside the event's transaction with the task's resource AFTER the event
 * (for a reassignment, the new lead agency). Returns how many notices were written.
 */
export function noticesForEvent(db: DB, e: EventNoticeInput, resource: AgencyResource): number {
  const options: WriteOptions = { now: e.now, excludeUserId: e.actorUserId ?? null, noMail: e.noMail };
  const base = { taskId: e.taskId, eventId: e.eventId, dedupeKey: String(e.eventId) };
  const note = (e.note ?? '').trim();
  const leadKind = LEAD_NOTICE[e.kind];
  if (leadKind && resource.leadAgencyId !== null) {
    const data: Record<string, unknown> = {};
    if (note) data.reason = note;
    if (e.kind === 'extension_approved' && e.data?.newDeadline) data.newDeadline = e.data.newDeadline;
    return writeNotices(
      db,
      { ...base, kind: leadKind, data },
      activeUsersOfAgencies(db, [resource.leadAgencyId]),
      resource,
      options,
    );
  }
  const groupKind = GROUP_NOTICE[e.kind];
  if (groupKind) {
    const data: Record<string, unknown> = {};
    if (e.kind === 'extension_requested') {
      if (e.data?.newDeadline) data.newDeadline = e.data.newDeadline;
      if (note) data.reason = note;
    }
    return writeNotices(db, { ...base, kind: groupKind, data }, activeConfirmers(db), resource, options);
  }
  if (e.kind === 'reassigned' && resource.leadAgencyId !== null) {
    retireUnreadable(db, e.taskId, resource, e.now);
    // a task moved to my unit is a new task for my unit
    return writeNotices(
      db,
      { ...base, kind: 'task_new', dedupeKey: `reassigned:${e.eventId}`, data: { part: 'lead', reassigned: true } },
      activeUsersOfAgencies(db, [resource.leadAgencyId]),
      resource,
      options,
    );
  }
  return 0;
}

/**
 * After a reassignment, the old unit's unread notices of the task are marked read: they may no longer open it, and
 * the bell (one count, no per-task check) must not announce what the list cannot show.
 */
function retireUnreadable(db: DB, taskId: number, resource: AgencyResource, now: Date): void {
  const unread = statement(
    db,
    `SELECT n.id, u.id AS userId, u.username, COALESCE(u.unit_role, u.role) AS role, u.agency_id AS agencyId
       FROM notices n JOIN users u ON u.id = n.user_id WHERE n.task_id = ? AND n.read_at IS NULL`,
  ).all(taskId) as Array<{ id: number; userId: number; username: string; role: Role; agencyId: number | null }>;
  const markRead = statement(db, 'UPDATE notices SET read_at = ? WHERE id = ?');
  for (const n of unread) {
    const p = principalOf({ id: n.userId, username: n.username, role: n.role, agencyId: n.agencyId });
    if (!can(p, 'task.read', resource)) markRead.run(now.toISOString(), n.id);
  }
}

/**
 * "A new task for my unit": the lead unit's and each coordinating unit's users. Skipped for a task already
 * completed or cancelled (an import replaying history). Call inside the creating transaction, after its events.
 */
export function noticeNewTask(
  db: DB,
  input: { taskId: number; now: Date; actorUserId?: number | null },
  resource: AgencyResource,
): number {
  const open = statement(db, 'SELECT settled_on IS NULL AS open FROM tasks WHERE id = ?').pluck().get(input.taskId);
  if (open !== 1 || resource.leadAgencyId === null) return 0;
  const options = { now: input.now, excludeUserId: input.actorUserId ?? null };
  const lead = writeNotices(
    db,
    { taskId: input.taskId, kind: 'task_new', data: { part: 'lead' } },
    activeUsersOfAgencies(db, [resource.leadAgencyId]),
    resource,
    options,
  );
  const coordinators = (resource.coordinatorAgencyIds ?? []).filter((a) => a !== resource.leadAgencyId);
  return (
    lead +
    writeNotices(
      db,
      { taskId: input.taskId, kind: 'task_new', data: { part: 'coordinating' } },
      activeUsersOfAgencies(db, coordinators),
      resource,
      options,
    )
  );
}

/**
 * "A task delegated to me" (for the unit's internal delegation step). Call inside the delegation's transaction,
 * AFTER the delegation row is written, with taskResource(db, task) as it stands then, so an officer who may read
 * only delegated tasks passes the check. `delegationId` makes a later re-delegation a new case.
 */
export function noticeDelegated(
  db: DB,
  input: {
    taskId: number;
    userId: number;
    delegationId?: number | null;
    note?: string;
    internalDueOn?: string | null;
    byUserId?: number | null;
    now: Date;
  },
  resource: AgencyResource,
): number {
  const user = activeUser(db, input.userId);
  if (!user) return 0;
  const data: Record<string, unknown> = {};
  if (input.note?.trim()) data.reason = input.note.trim();
  if (input.internalDueOn) data.internalDueOn = input.internalDueOn;
  return writeNotices(
    db,
    {
      taskId: input.taskId,
      kind: 'task_delegated',
      dedupeKey: input.delegationId != null ? String(input.delegationId) : '',
      data,
    },
    [user],
    resource,
    { now: input.now, excludeUserId: input.byUserId ?? null },
  );
}

/** The internal step of a unit that tells someone in it (unit-actions.ts): who is told and under which kind. */
const UNIT_STEP_NOTICE = {
  draft_saved: { kind: 'unit_draft', roles: ['agency'] },
  submitted: { kind: 'unit_waiting', roles: ['head'] },
  sent_back: { kind: 'unit_sent_back', roles: ['agency', 'officer'] },
} as const satisfies Record<string, { kind: NoticeKind; roles: readonly Role[] }>;

/**
 * An internal step of the unit: the officer's draft tells the focal points, a submission waiting for approval
 * tells the heads, a sending back (with its reason) tells the focal points and the officers who may read the task.
 * Inside the step's transaction; never anyone outside the unit.
 */
export function noticeUnitStep(
  db: DB,
  input: {
    taskId: number;
    stepId: number;
    step: keyof typeof UNIT_STEP_NOTICE;
    agencyId: number;
    subject: string;
    note?: string;
    actorUserId: number | null;
    now: Date;
  },
  resource: AgencyResource,
): number {
  const rule = UNIT_STEP_NOTICE[input.step];
  const roles: readonly Role[] = rule.roles;
  const recipients = activeUsersOfAgencies(db, [input.agencyId]).filter((u) => roles.includes(u.role));
  const data: Record<string, unknown> = { subject: input.subject };
  if (input.step === 'sent_back' && input.note?.trim()) data.reason = input.note.trim();
  return writeNotices(
    db,
    { taskId: input.taskId, kind: rule.kind, dedupeKey: `step:${input.stepId}`, data },
    recipients,
    resource,
    { now: input.now, excludeUserId: input.actorUserId },
  );
}
