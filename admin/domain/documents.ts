/**
 * Directive documents (văn bản chỉ đạo) and the tasks they assign (DESIGN.md §3). One document and all its tasks
 * are written in ONE immediate transaction (createTask for each, the file, the audit row): either everything is
 * recorded or nothing is. validateDocumentInput (document-input.ts) checks everything first and returns Vietnamese
 * messages per field, for the admin form and the API alike.
 */
import type { DB } from '../db/open.ts';
import type { Env } from '../env.ts';
import { can, taskScopeSql, type Principal } from '../auth/permissions.ts';
import { writeAudit } from '../audit/audit.ts';
import { runWithUploads, storeUpload, type AcceptedUpload } from '../files/store.ts';
import { DomainError } from './rules.ts';
import { createTask, getTask } from './tasks.ts';
import { noticeNewTask } from './notices.ts';
import { taskResource } from './task-actions.ts';
import { loadCatalogs, type NewDocumentInput } from './document-input.ts';
import { today } from './dates.ts';

export {
  blankRawTask,
  DOCUMENT_NUMBER_RE,
  DOCUMENT_TYPES,
  type DocumentTaskInput,
  isBlankTask,
  loadCatalogs,
  MAX_TASKS_PER_DOCUMENT,
  type NewDocumentInput,
  parseDateField,
  type RawDocument,
  type RawTask,
  validateDocumentInput,
} from './document-input.ts';

export interface CreatedDocument {
  documentId: number;
  taskIds: number[];
  codes: string[];
  fileId: number | null;
}

/**
 * Records a validated document, its file and all its tasks in ONE immediate transaction (createTask joins it),
 * audited in the same transaction. Re-checks what could have changed since validation (agencies merged,
 * duplicate number) by letting the constraints and createTask refuse; any refusal rolls everything back and
 * removes the stored file.
 */
export function createDocumentWithTasks(
  deps: { db: DB; env: Pick<Env, 'uploadDir'>; now: Date },
  principal: Principal,
  input: NewDocumentInput,
  file: AcceptedUpload | null,
  meta: { ip?: string; userAgent?: string } = {},
): CreatedDocument {
  const { db } = deps;
  if (!can(principal, 'document.create') || !can(principal, 'task.create')) {
    throw new DomainError('forbidden', 'Bạn không có quyền nhập văn bản chỉ đạo.', 403);
  }
  if (input.tasks.length === 0) throw new DomainError('no_tasks', 'Văn bản cần giao ít nhất một nhiệm vụ.', 422);
  if (input.issuedOn > today(deps.now))
    throw new DomainError('bad_date', 'Ngày ban hành không được sau ngày hôm nay.', 422);
  const actorUserId = principal.kind === 'user' ? principal.id : null;
  return runWithUploads(db, (pending) => {
    const { activeAgencies } = loadCatalogs(db);
    for (const t of input.tasks) {
      for (const a of [t.leadAgencyId, ...t.coordinatorIds]) {
        if (!activeAgencies.has(a))
          throw new DomainError('agency_inactive', 'Đơn vị được giao không tồn tại hoặc đã sáp nhập/giải thể.', 422);
      }
    }
    if (db.prepare('SELECT 1 FROM documents WHERE number = ? AND issued_on = ?').get(input.number, input.issuedOn)) {
      throw new DomainError(
        'duplicate_document',
        'Đã có văn bản cùng số, ký hiệu và ngày ban hành này trong hệ thống.',
        409,
      );
    }
    const fileId = file ? storeUpload({ db, env: deps.env }, file, { actorUserId, pending }) : null;
    const documentId = Number(
      db
        .prepare(
          'INSERT INTO documents (number, doc_type, issued_on, signer_id, summary, file_id, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(input.number, input.docType, input.issuedOn, input.signerId, input.summary, fileId, actorUserId)
        .lastInsertRowid,
    );
    const taskIds: number[] = [];
    for (const t of input.tasks) {
      taskIds.push(
        createTask(db, {
          title: t.title,
          content: t.content,
          documentId,
          documentNumber: input.number,
          leadAgencyId: t.leadAgencyId,
          coordinatorIds: t.coordinatorIds,
          leaderId: t.leaderId,
          specialistId: principal.kind === 'user' && principal.role === 'specialist' ? principal.id : null,
          sectorId: t.sectorId,
          assignedOn: input.issuedOn,
          deadline: t.deadline,
          noDeadlineReason: t.noDeadlineReason,
          starred: t.starred,
          confidential: t.confidential,
          actorUserId,
        }),
      );
    }
    // "a new task for my unit" notices, in the same transaction as the tasks
    for (const id of taskIds)
      noticeNewTask(db, { taskId: id, now: deps.now, actorUserId }, taskResource(db, getTask(db, id)!));
    const codes = taskIds.map((id) => db.prepare('SELECT code FROM tasks WHERE id = ?').pluck().get(id) as string);
    writeAudit(db, {
      at: deps.now,
      actor: principal,
      action: 'document.create',
      targetType: 'document',
      targetId: documentId,
      ip: meta.ip,
      userAgent: meta.userAgent,
      details: {
        number: input.number,
        issuedOn: input.issuedOn,
        fileId,
        tasks: codes,
        withoutDeadline: codes.filter((_c, i) => input.tasks[i]!.deadline === null),
      },
    });
    return { documentId, taskIds, codes, fileId };
  });
}

export interface DocumentListRow {
  id: number;
  number: string;
  doc_type: string;
  issued_on: string;
  summary: string;
  signer_name: string | null;
  file_id: number | null;
  task_count: number;
}

/** Documents the principal may see (agency users: those with a task they lead or coordinate), newest first. */
export function listDocuments(
  db: DB,
  principal: Pick<Principal, 'role' | 'agencyId'>,
  opts: { page: number; pageSize: number; q?: string },
): { rows: DocumentListRow[]; total: number } {
  const scope = taskScopeSql(principal, 'task.read', 't');
  const where: string[] = [`EXISTS (SELECT 1 FROM tasks t WHERE t.document_id = d.id AND ${scope.sql})`];
  const params: Array<string | number> = [...scope.params];
  if (opts.q) {
    where.push("(d.number LIKE ? ESCAPE '\\' OR d.summary LIKE ? ESCAPE '\\')");
    const like = `%${opts.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    params.push(like, like);
  }
  const w = `WHERE ${where.join(' AND ')}`;
  const total = db
    .prepare(`SELECT count(*) FROM documents d ${w}`)
    .pluck()
    .get(...params) as number;
  const rows = db
    .prepare(
      `SELECT d.id, d.number, d.doc_type, d.issued_on, d.summary, d.file_id, l.name AS signer_name,
              (SELECT count(*) FROM tasks t WHERE t.document_id = d.id AND ${scope.sql}) AS task_count
         FROM documents d LEFT JOIN leaders l ON l.id = d.signer_id ${w}
        ORDER BY d.issued_on DESC, d.id DESC LIMIT ? OFFSET ?`,
    )
    .all(...scope.params, ...params, opts.pageSize, (Math.max(1, opts.page) - 1) * opts.pageSize) as DocumentListRow[];
  return { rows, total };
}

export interface DocumentRow {
  id: number;
  number: string;
  doc_type: string;
  issued_on: string;
  signer_id: number | null;
  signer_name: string | null;
  signer_title: string | null;
  summary: string;
  file_id: number | null;
  file_name: string | null;
  file_size: number | null;
  created_at: string;
}

export function getDocument(db: DB, id: number): DocumentRow | undefined {
  return db
    .prepare(
      `SELECT d.*, l.name AS signer_name, l.title AS signer_title, f.original_name AS file_name, f.size AS file_size
         FROM documents d LEFT JOIN leaders l ON l.id = d.signer_id LEFT JOIN files f ON f.id = d.file_id WHERE d.id = ?`,
    )
    .get(id) as DocumentRow | undefined;
}
