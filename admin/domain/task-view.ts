/**
 * What a person sees of one task, read in one place (CONVENTIONS habit 13): the admin task page gets one typed view
 * model from loadTaskPage, and the API's task and event views (admin/api/task-view.ts) read the same rows through
 * the smaller functions here (agency maps, coordinators, the timeline with its files).
 */
import type { DB } from '../db/open.ts';
import { statement } from '../db/statements.ts';
import type { ScopedPrincipal } from '../auth/permissions.ts';
import { classifyAsOf, type EventKind, type TaskStatus } from './status.ts';
import { factsFromRow, type TaskRow } from './tasks.ts';
import { availableActions, type TaskActionKind } from './task-actions.ts';
import type { IsoDate } from './dates.ts';
import { sortByNameVi } from './collation.ts';
import { loadUnitView, type UnitView } from './unit-steps.ts';
import { agencyNamer, type AgencyNamer } from './agency-names.ts';

/** A stored file attached to an event (metadata only). */
export interface EventFile {
  id: number;
  original_name: string;
  mime: string;
  size: number;
}

/** One event of a task's timeline, with who recorded it and its files. */
export interface TimelineEvent {
  id: number;
  kind: EventKind;
  occurred_on: string;
  recorded_at: string;
  note: string;
  /** the event's JSON data, as stored */
  data: string;
  public: number;
  agency_id: number | null;
  actor_user_id: number | null;
  actor_name: string | null;
  files: EventFile[];
  /** set when the event was written by an import (admin/import): the timeline shows the file, not the importer */
  importedFrom: ImportedFrom | null;
}

/** The import that wrote an event: which file, by whom (null: the command line), when (instant). */
export interface ImportedFrom {
  fileName: string;
  importedBy: string | null;
  importedAt: string;
}

export interface IdName {
  id: number;
  name: string;
}

/** Agency id → name, every agency (former ones included: the timeline names them). */
export function agencyNames(db: DB): Map<number, string> {
  const rows = statement(db, 'SELECT id, name FROM agencies').all() as IdName[];
  return new Map(rows.map((a) => [a.id, a.name]));
}

/** Coordinating agency ids of each task, ascending. */
export function coordinatorsOf(db: DB, taskIds: readonly number[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  if (taskIds.length === 0) return out;
  const rows = statement(
    db,
    'SELECT task_id, agency_id FROM task_coordinators WHERE task_id IN (SELECT value FROM json_each(?)) ORDER BY task_id, agency_id',
  ).all(JSON.stringify(taskIds)) as Array<{ task_id: number; agency_id: number }>;
  for (const r of rows) {
    const list = out.get(r.task_id) ?? [];
    list.push(r.agency_id);
    out.set(r.task_id, list);
  }
  return out;
}

/** Files attached to each of the given events, by file id. */
export function eventFiles(db: DB, eventIds: readonly number[]): Map<number, EventFile[]> {
  const out = new Map<number, EventFile[]>();
  if (eventIds.length === 0) return out;
  const rows = statement(
    db,
    `SELECT ef.event_id, f.id, f.original_name, f.mime, f.size FROM event_files ef JOIN files f ON f.id = ef.file_id
        WHERE ef.event_id IN (SELECT value FROM json_each(?)) ORDER BY f.id`,
  ).all(JSON.stringify(eventIds)) as Array<EventFile & { event_id: number }>;
  for (const { event_id, ...f } of rows) {
    const list = out.get(event_id) ?? [];
    list.push(f);
    out.set(event_id, list);
  }
  return out;
}

const TIMELINE_SELECT = `SELECT e.id, e.kind, e.occurred_on, e.recorded_at, e.note, e.data, e.public, e.agency_id, e.actor_user_id,
              u.display_name AS actor_name, i.file_name AS import_file, iu.display_name AS import_by,
              i.imported_at AS import_at
         FROM task_events e LEFT JOIN users u ON u.id = e.actor_user_id
         LEFT JOIN import_events ie ON ie.event_id = e.id LEFT JOIN imports i ON i.id = ie.import_id
         LEFT JOIN users iu ON iu.id = i.imported_by`;

/**
 * A task's events, oldest first, with actor names, files and, for imported events, the import that wrote them; or
 * only the one `eventId` of them (the API's answer to a write: not the whole history).
 */
export function taskTimeline(db: DB, taskId: number, eventId?: number): TimelineEvent[] {
  const events = (
    eventId === undefined
      ? statement(db, `${TIMELINE_SELECT} WHERE e.task_id = ? ORDER BY e.occurred_on, e.id`).all(taskId)
      : statement(db, `${TIMELINE_SELECT} WHERE e.id = ? AND e.task_id = ?`).all(eventId, taskId)
  ) as Array<
    Omit<TimelineEvent, 'files' | 'importedFrom'> & {
      import_file: string | null;
      import_by: string | null;
      import_at: string | null;
    }
  >;
  const files = eventFiles(
    db,
    events.map((e) => e.id),
  );
  return events.map(({ import_file, import_by, import_at, ...e }) => ({
    ...e,
    files: files.get(e.id) ?? [],
    importedFrom:
      import_file !== null ? { fileName: import_file, importedBy: import_by, importedAt: import_at ?? '' } : null,
  }));
}

/** A task row with the names and codes the API shows beside it. */
export type TaskWithRefs = TaskRow & {
  doc_number: string | null;
  doc_issued_on: string | null;
  leader_name: string | null;
  sector_code: string | null;
};

/** Tasks by id with their document, leader and sector references (order not kept; ids not found are absent). */
export function tasksWithRefs(db: DB, ids: readonly number[]): TaskWithRefs[] {
  if (ids.length === 0) return [];
  return statement(
    db,
    `SELECT t.*, d.number AS doc_number, d.issued_on AS doc_issued_on, l.name AS leader_name, s.code AS sector_code
         FROM tasks t LEFT JOIN documents d ON d.id = t.document_id LEFT JOIN leaders l ON l.id = t.leader_id
         LEFT JOIN sectors s ON s.id = t.sector_id
        WHERE t.id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(ids)) as TaskWithRefs[];
}

/** Choices of the correction form: the current values' owners stay selectable even when no longer active. */
export interface EditChoices {
  leaders: Array<IdName & { title: string }>;
  sectors: IdName[];
  /** active agencies plus the task's current coordinators, lead agency left out */
  coordinators: IdName[];
}

/** Everything the task page shows, for one viewer, as of one day. */
export interface TaskPage {
  task: TaskRow;
  asOf: IsoDate;
  status: TaskStatus;
  /** agency id → current name, for the facts and the timeline */
  agencies: Map<number, string>;
  /** names as of a day (issue 12): the timeline names each event's agency as it was on the event's day */
  namer: AgencyNamer;
  coordinatorIds: number[];
  document: { id: number; number: string; doc_type: string; issued_on: string } | null;
  leader: { name: string; title: string } | null;
  sector: string | null;
  specialist: string | null;
  events: TimelineEvent[];
  /** the one extension request, if any, and what became of it */
  extension: { requestedOn: string; requestedDeadline: string | null; rejectedOn: string | null } | null;
  actions: Set<TaskActionKind>;
  /** names for the values of corrected events (leaderId, sectorId) */
  leaderNames: Map<number, string>;
  sectorNames: Map<number, string>;
  /** agencies the task may be reassigned to; loaded only when the viewer may reassign */
  reassignTargets: IdName[];
  /** loaded only when the viewer may correct the task */
  editChoices: EditChoices | null;
  /** the viewer's unit's internal record of the task (issue 11); null for the Office, leaders, administrator */
  unit: UnitView | null;
}

function editChoices(db: DB, task: TaskRow): EditChoices {
  const leaders = statement(db, 'SELECT id, name, title FROM leaders WHERE active = 1 OR id = ? ORDER BY id').all(
    task.leader_id,
  ) as Array<IdName & { title: string }>;
  const sectors = sortByNameVi(
    statement(db, 'SELECT id, name FROM sectors WHERE active = 1 OR id = ?').all(task.sector_id) as IdName[],
  );
  const agencies = sortByNameVi(
    statement(
      db,
      `SELECT id, name FROM agencies
          WHERE (successor_id IS NULL AND dissolved_on IS NULL) OR id IN (SELECT agency_id FROM task_coordinators WHERE task_id = ?)`,
    ).all(task.id) as IdName[],
  );
  return { leaders, sectors, coordinators: agencies.filter((a) => a.id !== task.lead_agency_id) };
}

function reassignTargets(db: DB, task: TaskRow): IdName[] {
  return sortByNameVi(
    statement(db, 'SELECT id, name FROM agencies WHERE successor_id IS NULL AND dissolved_on IS NULL AND id <> ?').all(
      task.lead_agency_id,
    ) as IdName[],
  );
}

function leaderNames(db: DB): Map<number, string> {
  const rows = statement(db, 'SELECT id, name FROM leaders').all() as IdName[];
  return new Map(rows.map((r) => [r.id, r.name]));
}

function sectorNames(db: DB): Map<number, string> {
  const rows = statement(db, 'SELECT id, name FROM sectors').all() as IdName[];
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The task page's view model. The caller has already checked that `principal` may read the task. */
export function loadTaskPage(db: DB, task: TaskRow, principal: ScopedPrincipal, asOf: IsoDate): TaskPage {
  const events = taskTimeline(db, task.id);
  const request = events.find((e) => e.kind === 'extension_requested');
  const rejected = events.find((e) => e.kind === 'extension_rejected');
  const corrected = events.some((e) => e.kind === 'corrected');
  const actions = availableActions(db, principal, task, asOf);
  const document = task.document_id
    ? ((statement(db, 'SELECT id, number, doc_type, issued_on FROM documents WHERE id = ?').get(task.document_id) as
        | TaskPage['document']
        | undefined) ?? null)
    : null;
  const leader = task.leader_id
    ? ((statement(db, 'SELECT name, title FROM leaders WHERE id = ?').get(task.leader_id) as
        | TaskPage['leader']
        | undefined) ?? null)
    : null;
  const sector = task.sector_id
    ? ((statement(db, 'SELECT name FROM sectors WHERE id = ?').pluck().get(task.sector_id) as string | undefined) ??
      null)
    : null;
  const specialist = task.specialist_id
    ? ((statement(db, 'SELECT display_name FROM users WHERE id = ?').pluck().get(task.specialist_id) as
        | string
        | undefined) ?? null)
    : null;
  return {
    task,
    asOf,
    status: classifyAsOf(factsFromRow(task), asOf),
    agencies: agencyNames(db),
    namer: agencyNamer(db),
    coordinatorIds: coordinatorsOf(db, [task.id]).get(task.id) ?? [],
    document,
    leader,
    sector,
    specialist,
    events,
    extension: request
      ? {
          requestedOn: request.occurred_on,
          requestedDeadline: (JSON.parse(request.data) as { newDeadline?: string }).newDeadline ?? null,
          rejectedOn: rejected?.occurred_on ?? null,
        }
      : null,
    actions,
    leaderNames: corrected ? leaderNames(db) : new Map(),
    sectorNames: corrected ? sectorNames(db) : new Map(),
    reassignTargets: actions.has('reassign') ? reassignTargets(db, task) : [],
    editChoices: actions.has('edit') ? editChoices(db, task) : null,
    unit: loadUnitView(db, task.id, principal, actions.has('delegate')),
  };
}
