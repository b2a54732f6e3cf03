/** What the document pages read (admin/routes/documents.tsx): the choices of the entry form and a document's tasks. */
import type { DB } from '../db/open.ts';
import { taskScopeSql, type Principal } from '../auth/permissions.ts';
import type { TaskRow } from './tasks.ts';
import { sortByNameVi } from './collation.ts';

export interface NewTaskChoices {
  agencies: Array<{ id: number; name: string }>;
  leaders: Array<{ id: number; name: string; title: string }>;
  sectors: Array<{ id: number; name: string }>;
}

/** What a new task may be given: active agencies (not merged, not dissolved), active leaders and sectors. */
export function newTaskChoices(db: DB): NewTaskChoices {
  return {
    agencies: sortByNameVi(
      db
        .prepare('SELECT id, name FROM agencies WHERE successor_id IS NULL AND dissolved_on IS NULL')
        .all() as NewTaskChoices['agencies'],
    ),
    leaders: db
      .prepare('SELECT id, name, title FROM leaders WHERE active = 1 ORDER BY id')
      .all() as NewTaskChoices['leaders'],
    sectors: sortByNameVi(
      db.prepare('SELECT id, name FROM sectors WHERE active = 1').all() as NewTaskChoices['sectors'],
    ),
  };
}

/** The tasks of a document that `principal` may read, in creation order. */
export function documentTasks(db: DB, docId: number, principal: Pick<Principal, 'role' | 'agencyId'>): TaskRow[] {
  const scope = taskScopeSql(principal, 'task.read', 't');
  return db
    .prepare(`SELECT t.* FROM tasks t WHERE t.document_id = ? AND ${scope.sql} ORDER BY t.id`)
    .all(docId, ...scope.params) as TaskRow[];
}

/** A directive document with its signer's name and how many of its tasks the reader may see. */
export interface DocumentRecord {
  id: number;
  number: string;
  doc_type: string;
  issued_on: string;
  signer_id: number | null;
  signer_name: string | null;
  summary: string;
  created_at: string;
  task_count: number;
}

/** Documents matching `where` (positional params), counting only the tasks `principal` may read; an agency reader
 * sees a document only through a task it may read. */
function documentsSql(principal: Pick<Principal, 'role' | 'agencyId'>, where: string, params: Array<string | number>) {
  const scope = taskScopeSql(principal, 'task.read', 't');
  const visible = `t.document_id = d.id AND ${scope.sql}`;
  const restricted = scope.sql !== '1';
  return {
    sql: `SELECT d.id, d.number, d.doc_type, d.issued_on, d.signer_id, l.name AS signer_name, d.summary, d.created_at,
                 (SELECT count(*) FROM tasks t WHERE ${visible}) AS task_count
            FROM documents d LEFT JOIN leaders l ON l.id = d.signer_id
           WHERE ${where}${restricted ? ` AND EXISTS (SELECT 1 FROM tasks t WHERE ${visible})` : ''}`,
    params: [...scope.params, ...params, ...(restricted ? scope.params : [])],
  };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

export interface DocumentSearch {
  /** part of the number */
  number?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** One page of the documents `principal` may see, newest first. */
export function listDocumentRecords(
  db: DB,
  principal: Pick<Principal, 'role' | 'agencyId'>,
  search: DocumentSearch,
  page: number,
  pageSize: number,
): { rows: DocumentRecord[]; total: number } {
  const where: string[] = ['1'];
  const params: Array<string | number> = [];
  if (search.number) {
    where.push("d.number LIKE ? ESCAPE '\\'");
    params.push(`%${escapeLike(search.number)}%`);
  }
  if (search.from) {
    where.push('d.issued_on >= ?');
    params.push(search.from);
  }
  if (search.to) {
    where.push('d.issued_on <= ?');
    params.push(search.to);
  }
  const q = documentsSql(principal, where.join(' AND '), params);
  const total = (db.prepare(`SELECT count(*) AS n FROM (${q.sql})`).get(...q.params) as { n: number }).n;
  const rows = db
    .prepare(`${q.sql} ORDER BY d.issued_on DESC, d.id DESC LIMIT ? OFFSET ?`)
    .all(...q.params, pageSize, (page - 1) * pageSize) as DocumentRecord[];
  return { rows, total };
}

/** The document if `principal` may see it. */
export function findDocumentRecord(
  db: DB,
  principal: Pick<Principal, 'role' | 'agencyId'>,
  id: number,
): DocumentRecord | undefined {
  const q = documentsSql(principal, 'd.id = ?', [id]);
  return db.prepare(q.sql).get(...q.params) as DocumentRecord | undefined;
}

/** Ids of the document's tasks `principal` may read, by task code. */
export function documentTaskIds(db: DB, docId: number, principal: Pick<Principal, 'role' | 'agencyId'>): number[] {
  const scope = taskScopeSql(principal, 'task.read', 't');
  return db
    .prepare(`SELECT t.id FROM tasks t WHERE t.document_id = ? AND ${scope.sql} ORDER BY t.code`)
    .pluck()
    .all(docId, ...scope.params) as number[];
}

/** Whether a document with this id exists at all (to tell "not yours" from "not there"). */
export function documentExists(db: DB, id: number): boolean {
  return db.prepare('SELECT 1 FROM documents WHERE id = ?').get(id) !== undefined;
}

/** A document's number and date, to check a new task against it. */
export function findDocumentHeader(db: DB, id: number): { number: string; issued_on: string } | undefined {
  return db.prepare('SELECT number, issued_on FROM documents WHERE id = ?').get(id) as
    | { number: string; issued_on: string }
    | undefined;
}
