/**
 * Tasks and their events in SQL. Every write goes through appendEvent / createTask, which check the rules,
 * append the event and rewrite the task's derived facts in one immediate transaction.
 */
import type { DB } from '../db/open.ts';
import { statement } from '../db/statements.ts';
import { deadlineChange, deriveFacts, settledAsOf, type EventKind, type EventLite, type TaskFacts } from './status.ts';
import { checkEvent, DomainError, extensionContext, type ProposedEvent } from './rules.ts';
import { foldVietnamese } from './text.ts';
import type { IsoDate } from './dates.ts';
import { deadlineCalendarOf } from './holidays.ts';
import type { DeadlineCalendar } from './holidays-history.ts';

export interface TaskRow {
  id: number;
  code: string;
  title: string;
  content: string;
  document_id: number | null;
  lead_agency_id: number;
  leader_id: number | null;
  specialist_id: number | null;
  sector_id: number | null;
  assigned_on: string;
  deadline: string | null;
  no_deadline_reason: string | null;
  starred: number;
  confidential: number;
  received_on: string | null;
  ext_requested_on: string | null;
  ext_approved_on: string | null;
  ext_deadline: string | null;
  reported_on: string | null;
  completed_on: string | null;
  confirmed_on: string | null;
  cancelled_on: string | null;
  explained_on: string | null;
  last_event_on: string | null;
  last_update_at: string | null;
  report_windows: string | null;
  agency_history: string | null;
  deadline_history: string | null;
  settled_on: string | null;
  settled_category: string | null;
}

export interface EventRow {
  id: number;
  task_id: number;
  kind: EventKind;
  occurred_on: string;
  recorded_at: string;
  actor_user_id: number | null;
  agency_id: number | null;
  note: string;
  data: string;
  public: number;
}

/** The columns of a task row that hold facts, as read by the statistics. */
export type FactsRow = Pick<
  TaskRow,
  | 'assigned_on'
  | 'deadline'
  | 'lead_agency_id'
  | 'received_on'
  | 'ext_requested_on'
  | 'ext_approved_on'
  | 'ext_deadline'
  | 'reported_on'
  | 'completed_on'
  | 'confirmed_on'
  | 'cancelled_on'
  | 'explained_on'
  | 'last_event_on'
  | 'report_windows'
  | 'agency_history'
  | 'deadline_history'
>;

export const FACTS_COLUMNS =
  'assigned_on, deadline, lead_agency_id, received_on, ext_requested_on, ext_approved_on, ext_deadline, reported_on, ' +
  'completed_on, confirmed_on, cancelled_on, explained_on, last_event_on, report_windows, agency_history, deadline_history';

/** Rebuilds TaskFacts from the stored columns (cheap: JSON is parsed only for the few tasks that need it;
 * a single report window is implied by the scalar columns, see factsToColumns). */
export function factsFromRow(r: FactsRow): TaskFacts {
  return {
    assignedOn: r.assigned_on,
    deadline: r.deadline,
    deadlineHistory: r.deadline_history
      ? (JSON.parse(r.deadline_history) as Array<[string | null, string]>)
      : [[r.deadline, r.assigned_on]],
    receivedOn: r.received_on,
    extRequestedOn: r.ext_requested_on,
    extApprovedOn: r.ext_approved_on,
    extDeadline: r.ext_deadline,
    reportedOn: r.reported_on,
    completedOn: r.completed_on,
    confirmedOn: r.confirmed_on,
    cancelledOn: r.cancelled_on,
    explainedOn: r.explained_on,
    lastEventOn: r.last_event_on,
    reportWindows: r.report_windows
      ? (JSON.parse(r.report_windows) as Array<[string, string | null]>)
      : r.confirmed_on !== null && r.completed_on !== null
        ? [[r.completed_on, r.confirmed_on]]
        : r.reported_on !== null
          ? [[r.reported_on, null]]
          : [],
    agencyHistory: r.agency_history
      ? (JSON.parse(r.agency_history) as Array<[number, string]>)
      : [[r.lead_agency_id, r.assigned_on]],
  };
}

/** The facts as column values for UPDATE/INSERT. report_windows is stored only when it says more than the
 * scalar columns do (a returned report), agency_history only when the task was reassigned, deadline_history only
 * when the deadline was corrected (deadline holds the one in force now); settled_on and
 * settled_category let the statistics count completed and cancelled tasks in SQL (status.ts settledAsOf). */
export function factsToColumns(f: TaskFacts, calendar?: DeadlineCalendar) {
  const settled = settledAsOf(f, calendar);
  const trivialWindows =
    f.reportWindows.length === 0 ||
    (f.reportWindows.length === 1 &&
      ((f.reportWindows[0]![1] === null && f.reportWindows[0]![0] === f.reportedOn) ||
        (f.reportWindows[0]![0] === f.completedOn && f.reportWindows[0]![1] === f.confirmedOn)));
  const current = f.agencyHistory[f.agencyHistory.length - 1]![0];
  return {
    lead_agency_id: current,
    deadline: f.deadline,
    received_on: f.receivedOn,
    ext_requested_on: f.extRequestedOn,
    ext_approved_on: f.extApprovedOn,
    ext_deadline: f.extDeadline,
    reported_on: f.reportedOn,
    completed_on: f.completedOn,
    confirmed_on: f.confirmedOn,
    cancelled_on: f.cancelledOn,
    explained_on: f.explainedOn,
    last_event_on: f.lastEventOn,
    report_windows: trivialWindows ? null : JSON.stringify(f.reportWindows),
    agency_history: f.agencyHistory.length > 1 ? JSON.stringify(f.agencyHistory) : null,
    deadline_history: f.deadlineHistory.length > 1 ? JSON.stringify(f.deadlineHistory) : null,
    settled_on: settled?.on ?? null,
    settled_category: settled?.category ?? null,
  };
}

export function getTask(db: DB, id: number): TaskRow | undefined {
  return statement(db, 'SELECT * FROM tasks WHERE id = ?').get(id) as TaskRow | undefined;
}

export function getTaskByCode(db: DB, code: string): TaskRow | undefined {
  return statement(db, 'SELECT * FROM tasks WHERE code = ?').get(code) as TaskRow | undefined;
}

export function listEvents(db: DB, taskId: number): EventRow[] {
  return statement(db, 'SELECT * FROM task_events WHERE task_id = ? ORDER BY occurred_on, id').all(
    taskId,
  ) as EventRow[];
}

function eventLite(e: EventRow): EventLite {
  return { id: e.id, kind: e.kind, occurredOn: e.occurred_on, data: JSON.parse(e.data) as EventLite['data'] };
}

/** Recomputes the facts of one task from all its events and stores them. */
export function refreshFacts(db: DB, taskId: number): TaskFacts {
  const task = getTask(db, taskId);
  if (!task) throw new DomainError('not_found', 'Không tìm thấy nhiệm vụ.', 404);
  const events = listEvents(db, taskId);
  const assigned = events.find((e) => e.kind === 'assigned');
  const firstAgency =
    assigned?.agency_id ?? (task.agency_history ? factsFromRow(task).agencyHistory[0]![0] : task.lead_agency_id);
  const lite = events.map(eventLite);
  // the deadline at assignment: what the first correction changed, else the row's (never corrected)
  const firstCorrection = lite.map((e) => (e.kind === 'corrected' ? deadlineChange(e.data) : null)).find((c) => c);
  const original = firstCorrection ? firstCorrection.from : task.deadline;
  const facts = deriveFacts({ assignedOn: task.assigned_on, deadline: original, leadAgencyId: firstAgency }, lite);
  const cols = factsToColumns(facts, deadlineCalendarOf(db)); // the settled category with this database's calendar
  statement(
    db,
    `UPDATE tasks SET lead_agency_id = @lead_agency_id, deadline = @deadline, received_on = @received_on, ext_requested_on = @ext_requested_on,
       ext_approved_on = @ext_approved_on, ext_deadline = @ext_deadline, reported_on = @reported_on,
       completed_on = @completed_on, confirmed_on = @confirmed_on, cancelled_on = @cancelled_on,
       explained_on = @explained_on, last_event_on = @last_event_on, report_windows = @report_windows,
       agency_history = @agency_history, deadline_history = @deadline_history, settled_on = @settled_on, settled_category = @settled_category, last_update_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
     WHERE id = @id`,
  ).run({ ...cols, id: taskId });
  return facts;
}

export interface AppendEventInput extends ProposedEvent {
  actorUserId?: number | null;
  agencyId?: number | null;
  public?: boolean;
  fileIds?: number[];
}

/**
 * Checks the rules and appends one event; the caller's transaction (if any) is joined, otherwise one is opened.
 * Returns the new event id.
 */
export function appendEvent(db: DB, taskId: number, input: AppendEventInput): number {
  const run = () => {
    const task = getTask(db, taskId);
    if (!task) throw new DomainError('not_found', 'Không tìm thấy nhiệm vụ.', 404);
    const facts = factsFromRow(task);
    const kinds = (
      statement(db, 'SELECT kind FROM task_events WHERE task_id = ? ORDER BY occurred_on, id').all(taskId) as Array<{
        kind: EventKind;
      }>
    ).map((r) => r.kind);
    checkEvent(facts, extensionContext(kinds), input);
    if (input.kind === 'reassigned') {
      const to = statement(db, 'SELECT id, merged_on, dissolved_on FROM agencies WHERE id = ?').get(
        input.data!.toAgencyId,
      ) as { id: number } | undefined;
      if (!to) throw new DomainError('agency_not_found', 'Không tìm thấy đơn vị tiếp nhận.', 422);
      if (input.data!.toAgencyId === task.lead_agency_id) {
        throw new DomainError('same_agency', 'Nhiệm vụ đã thuộc đơn vị này.', 422);
      }
    }
    const data =
      input.kind === 'reassigned' ? { ...input.data, fromAgencyId: task.lead_agency_id } : (input.data ?? {});
    const info = statement(
      db,
      `INSERT INTO task_events (task_id, kind, occurred_on, actor_user_id, agency_id, note, data, public)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      taskId,
      input.kind,
      input.occurredOn,
      input.actorUserId ?? null,
      input.agencyId ?? task.lead_agency_id,
      input.note ?? '',
      JSON.stringify(data),
      (input.public ?? defaultPublic(input.kind)) ? 1 : 0,
    );
    const eventId = Number(info.lastInsertRowid);
    for (const fileId of input.fileIds ?? []) {
      statement(db, 'INSERT INTO event_files (event_id, file_id) VALUES (?, ?)').run(eventId, fileId);
    }
    refreshFacts(db, taskId);
    return eventId;
  };
  return db.inTransaction ? run() : db.transaction(run).immediate();
}

/** Explanations, urging and internal corrections stay off the public timeline unless the Office publishes them. */
export function defaultPublic(kind: EventKind): boolean {
  return !['explanation_submitted', 'urged', 'corrected', 'returned', 'extension_rejected'].includes(kind);
}

export interface NewTaskInput {
  code?: string;
  title: string;
  content?: string;
  documentId?: number | null;
  leadAgencyId: number;
  coordinatorIds?: number[];
  leaderId?: number | null;
  specialistId?: number | null;
  sectorId?: number | null;
  assignedOn: IsoDate;
  deadline: IsoDate | null;
  noDeadlineReason?: string | null;
  starred?: boolean;
  confidential?: boolean;
  actorUserId?: number | null;
  documentNumber?: string;
}

/** Next stable public code NV-YYYY-NNNNN for the year of assignment. */
export function nextTaskCode(db: DB, assignedOn: IsoDate): string {
  const year = assignedOn.slice(0, 4);
  const row = statement(
    db,
    'SELECT max(CAST(substr(code, 9) AS INTEGER)) AS n FROM tasks WHERE code LIKE ? AND length(code) = 13',
  ).get(`NV-${year}-%`) as { n: number | null };
  return `NV-${year}-${String((row.n ?? 0) + 1).padStart(5, '0')}`;
}

export function taskSearchText(code: string, title: string, content: string, documentNumber = ''): string {
  return foldVietnamese(`${code} ${title} ${documentNumber} ${content}`);
}

/** Creates a task with its 'assigned' event in one transaction; returns the task id. */
export function createTask(db: DB, input: NewTaskInput): number {
  const run = () => {
    if (!input.title.trim()) throw new DomainError('title_required', 'Cần nhập tên nhiệm vụ.', 422);
    if (input.deadline !== null && input.deadline < input.assignedOn) {
      throw new DomainError('bad_deadline', 'Thời hạn không được trước ngày giao.', 422);
    }
    if (input.deadline === null && !(input.noDeadlineReason ?? '').trim()) {
      throw new DomainError(
        'no_deadline_reason',
        'Nhiệm vụ không có thời hạn cần ghi rõ lý do (Chủ tịch UBND tỉnh yêu cầu hạn chế giao nhiệm vụ không thời hạn).',
        422,
      );
    }
    const code = input.code ?? nextTaskCode(db, input.assignedOn);
    const info = statement(
      db,
      `INSERT INTO tasks (code, title, content, document_id, lead_agency_id, leader_id, specialist_id, sector_id,
           assigned_on, deadline, no_deadline_reason, starred, confidential, search_text)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      code,
      input.title.trim(),
      input.content ?? '',
      input.documentId ?? null,
      input.leadAgencyId,
      input.leaderId ?? null,
      input.specialistId ?? null,
      input.sectorId ?? null,
      input.assignedOn,
      input.deadline,
      input.deadline === null ? (input.noDeadlineReason ?? null) : null,
      input.starred ? 1 : 0,
      input.confidential ? 1 : 0,
      taskSearchText(code, input.title, input.content ?? '', input.documentNumber),
    );
    const taskId = Number(info.lastInsertRowid);
    for (const a of new Set(input.coordinatorIds ?? [])) {
      if (a === input.leadAgencyId) continue;
      statement(db, 'INSERT INTO task_coordinators (task_id, agency_id) VALUES (?, ?)').run(taskId, a);
    }
    statement(
      db,
      `INSERT INTO task_events (task_id, kind, occurred_on, actor_user_id, agency_id, data)
       VALUES (?, 'assigned', ?, ?, ?, ?)`,
    ).run(
      taskId,
      input.assignedOn,
      input.actorUserId ?? null,
      input.leadAgencyId,
      JSON.stringify({ deadline: input.deadline }),
    );
    refreshFacts(db, taskId);
    return taskId;
  };
  return db.inTransaction ? run() : db.transaction(run).immediate();
}
