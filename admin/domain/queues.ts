/**
 * The work queues' reads (admin/routes/queues.tsx): reports awaiting confirmation, pending extension requests,
 * explanations, the urging log, and an agency's inbox (new tasks, tasks it must explain).
 */
import type { DB } from '../db/open.ts';
import { statement } from '../db/statements.ts';
import { taskScopeSql, type Principal } from '../auth/permissions.ts';
import { classifyAsOf, type TaskStatus } from './status.ts';
import { factsFromRow, type TaskRow } from './tasks.ts';
import type { IsoDate } from './dates.ts';

/** One task in a queue with the event that put it there. */
export interface QueueRow {
  id: number;
  code: string;
  title: string;
  deadline: string | null;
  ext_deadline: string | null;
  ext_approved_on: string | null;
  reported_on: string | null;
  lead_name: string;
  event_id: number;
  event_on: string;
  note: string;
  data: string;
  actor_name: string | null;
}

export type LoggedQueueRow = QueueRow & { recorded_at: string };

/** Result reports awaiting confirmation, oldest first: the latest 'reported' event of each task whose report is
 * pending (tasks.reported_on is the pending one). */
export function listPendingReports(db: DB, limit: number): { rows: QueueRow[]; total: number } {
  const rows = statement(
    db,
    `SELECT t.id, t.code, t.title, t.deadline, t.ext_deadline, t.ext_approved_on, t.reported_on, a.name AS lead_name,
              e.id AS event_id, e.occurred_on AS event_on, e.note, e.data, u.display_name AS actor_name
         FROM tasks t JOIN agencies a ON a.id = t.lead_agency_id
         JOIN task_events e ON e.id = (SELECT max(id) FROM task_events WHERE task_id = t.id AND kind = 'reported')
         LEFT JOIN users u ON u.id = e.actor_user_id
        WHERE t.reported_on IS NOT NULL AND t.cancelled_on IS NULL
        ORDER BY t.reported_on, t.id LIMIT ?`,
  ).all(limit) as QueueRow[];
  const total = statement(
    db,
    'SELECT count(*) AS n FROM tasks WHERE reported_on IS NOT NULL AND cancelled_on IS NULL',
  ).get() as {
    n: number;
  };
  return { rows, total: total.n };
}

/** Pending extension requests, oldest first. One request per task at most (rules.ts), so "pending" = requested,
 * neither approved nor rejected. A task confirmed complete leaves the queue: its deadline can no longer move
 * (rules.ts refuses the approval), so the request is moot. */
export function listPendingExtensions(db: DB, limit: number): QueueRow[] {
  const rows = db
    .prepare(
      `SELECT t.id, t.code, t.title, t.deadline, t.ext_deadline, t.ext_approved_on, t.reported_on, a.name AS lead_name,
              e.id AS event_id, e.occurred_on AS event_on, e.note, e.data, u.display_name AS actor_name
         FROM tasks t JOIN agencies a ON a.id = t.lead_agency_id
         JOIN task_events e ON e.task_id = t.id AND e.kind = 'extension_requested'
         LEFT JOIN users u ON u.id = e.actor_user_id
        WHERE t.ext_requested_on IS NOT NULL AND t.ext_approved_on IS NULL AND t.cancelled_on IS NULL
          AND t.confirmed_on IS NULL
          AND NOT EXISTS (SELECT 1 FROM task_events r WHERE r.task_id = t.id AND r.kind = 'extension_rejected')
        ORDER BY e.occurred_on, e.id LIMIT ?`,
    )
    .all(limit) as QueueRow[];
  return rows;
}

/** Written explanations, newest first, one page. */
export function listExplanations(db: DB, page: number, pageSize: number): { rows: LoggedQueueRow[]; total: number } {
  const total = db
    .prepare("SELECT count(*) FROM task_events WHERE kind = 'explanation_submitted'")
    .pluck()
    .get() as number;
  const rows = db
    .prepare(
      `SELECT e.id AS event_id, e.occurred_on AS event_on, e.recorded_at, e.note, t.code, t.title, t.deadline, t.ext_deadline,
              t.ext_approved_on, a.name AS lead_name, u.display_name AS actor_name
         FROM task_events e JOIN tasks t ON t.id = e.task_id
         LEFT JOIN agencies a ON a.id = e.agency_id LEFT JOIN users u ON u.id = e.actor_user_id
        WHERE e.kind = 'explanation_submitted'
        ORDER BY e.occurred_on DESC, e.id DESC LIMIT ? OFFSET ?`,
    )
    .all(pageSize, (page - 1) * pageSize) as LoggedQueueRow[];
  return { rows, total };
}

/** The urging log (manual and automatic), newest first, one page. */
export function listUrging(db: DB, page: number, pageSize: number): { rows: LoggedQueueRow[]; total: number } {
  const total = db.prepare("SELECT count(*) FROM task_events WHERE kind = 'urged'").pluck().get() as number;
  const rows = db
    .prepare(
      `SELECT e.id AS event_id, e.occurred_on AS event_on, e.recorded_at, e.note, t.code, t.title, t.deadline,
              a.name AS lead_name, u.display_name AS actor_name
         FROM task_events e JOIN tasks t ON t.id = e.task_id
         LEFT JOIN agencies a ON a.id = e.agency_id LEFT JOIN users u ON u.id = e.actor_user_id
        WHERE e.kind = 'urged'
        ORDER BY e.occurred_on DESC, e.id DESC LIMIT ? OFFSET ?`,
    )
    .all(pageSize, (page - 1) * pageSize) as LoggedQueueRow[];
  return { rows, total };
}

export interface InboxTask {
  code: string;
  title: string;
  assigned_on: string;
  deadline: string | null;
  starred: number;
  doc_number: string | null;
}

/**
 * An agency user's inbox: new tasks that still need acknowledging (not received, not completed, not cancelled — a
 * task confirmed complete without a receipt event, e.g. imported history, needs nothing from the unit), and the
 * tasks it must explain (most overdue first).
 */
export function loadInbox(
  db: DB,
  principal: Principal,
  asOf: IsoDate,
  limit: number,
): { fresh: InboxTask[]; mustExplain: Array<{ t: TaskRow; s: TaskStatus }> } {
  const scope = taskScopeSql(principal, 'task.receive', 't');
  const fresh = db
    .prepare(
      `SELECT t.code, t.title, t.assigned_on, t.deadline, t.starred, d.number AS doc_number
         FROM tasks t LEFT JOIN documents d ON d.id = t.document_id
        WHERE ${scope.sql} AND t.received_on IS NULL AND t.cancelled_on IS NULL AND t.confirmed_on IS NULL
        ORDER BY t.assigned_on DESC, t.id DESC LIMIT ?`,
    )
    .all(...scope.params, limit) as InboxTask[];
  // candidates for an explanation: not explained yet, open or completed late (settled on time never needs one)
  const candidates = db
    .prepare(
      `SELECT t.* FROM tasks t
        WHERE ${scope.sql} AND t.explained_on IS NULL AND t.cancelled_on IS NULL AND t.deadline IS NOT NULL
          AND (t.settled_on IS NULL OR t.settled_category = 'completedLate')`,
    )
    .all(...scope.params) as TaskRow[];
  const mustExplain = candidates
    .map((t) => ({ t, s: classifyAsOf(factsFromRow(t), asOf) }))
    .filter(
      ({ t, s }) =>
        s.explanationRequired ||
        (t.reported_on !== null && s.effectiveDeadline !== null && t.reported_on > s.effectiveDeadline),
    )
    .sort((a, b) => b.s.overdueDays - a.s.overdueDays);
  return { fresh, mustExplain };
}
