/**
 * Directive documents (văn bản chỉ đạo) through the integration API:
 *   GET  /api/v1/documents       paged, filtered by number (part of it, any case) and issue-date range
 *   GET  /api/v1/documents/:id   one document with its tasks
 *   POST /api/v1/documents       a document with its tasks, all or nothing, in one transaction
 * An agency client sees only documents that gave it a task it may read (lead or coordinating), and only those tasks.
 */
import { z } from 'zod';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import type { DB } from '../db/open.ts';
import { denyAccess, taskScopeSql, type Principal } from '../auth/permissions.ts';
import { writeAudit } from '../audit/audit.ts';
import { createTask } from '../domain/tasks.ts';
import { today } from '../domain/dates.ts';
import { apiApp, apiSchemas, defineOperation, isoDate, mount, pageQuery } from './operation.ts';
import { ApiError, notFound, VALIDATION_MESSAGE, type ApiIssue } from './errors.ts';
import { resolveTaskRefs, TaskInputFields, taskFieldRules, TaskSchema, taskViews, type ResolvedTask } from './task-view.ts';
import { auditMeta } from './tasks.ts';

export const DocumentSchema = z
  .object({
    id: z.number().int(),
    number: z.string(),
    type: z.string(),
    issuedOn: isoDate,
    signer: z.object({ id: z.number().int(), name: z.string() }).nullable(),
    summary: z.string(),
    createdAt: z.string(),
    taskCount: z.number().int().meta({ description: 'số nhiệm vụ của văn bản mà bên gọi được xem' }),
  })
  .register(apiSchemas, { id: 'Document', description: 'Văn bản chỉ đạo (công văn, quyết định, chỉ thị, thông báo kết luận, kế hoạch…).' });

export const DocumentWithTasksSchema = DocumentSchema.extend({ tasks: z.array(TaskSchema) }).register(apiSchemas, { id: 'DocumentWithTasks' });

export const DocumentListSchema = z
  .object({ items: z.array(DocumentSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() })
  .register(apiSchemas, { id: 'DocumentList' });

export const DocumentInputSchema = z
  .strictObject({
    number: z.string().trim().min(1).max(100).meta({ description: 'số, ký hiệu văn bản, ví dụ 1147/UBND-KSTT' }),
    type: z.string().trim().min(1).max(100).meta({ description: 'loại văn bản: Công văn, Quyết định, Chỉ thị, Thông báo kết luận, Kế hoạch…' }),
    issuedOn: isoDate,
    signerId: z.number().int().positive().nullable().default(null).meta({ description: 'lãnh đạo ký văn bản' }),
    summary: z.string().trim().max(5000).default(''),
    tasks: z.array(z.strictObject(TaskInputFields)).min(1).max(200),
  })
  .superRefine((d, ctx) => {
    d.tasks.forEach((t, i) => {
      taskFieldRules(t, ctx, ['tasks', i]);
      if (t.assignedOn < d.issuedOn) ctx.addIssue({ code: 'custom', path: ['tasks', i, 'assignedOn'], message: 'Ngày giao không được trước ngày văn bản.' });
    });
  });

const listQuery = z
  .strictObject({
    number: z.string().trim().min(1).max(100).optional().meta({ description: 'một phần số, ký hiệu văn bản (không phân biệt hoa thường)' }),
    from: isoDate.optional().meta({ description: 'ban hành từ ngày' }),
    to: isoDate.optional().meta({ description: 'ban hành đến ngày' }),
    ...pageQuery,
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'Ngày "đến" phải sau hoặc bằng ngày "từ".' });

export const listDocumentsOp = defineOperation({
  id: 'listDocuments',
  method: 'get',
  path: '/documents',
  tag: 'documents',
  summary: 'Danh sách văn bản chỉ đạo',
  description: 'Mới nhất trước. Đơn vị chỉ thấy văn bản có nhiệm vụ giao cho mình (chủ trì hoặc phối hợp).',
  action: 'document.read',
  query: listQuery,
  response: DocumentListSchema,
  errors: [400],
});

export const getDocumentOp = defineOperation({
  id: 'getDocument',
  method: 'get',
  path: '/documents/:id',
  tag: 'documents',
  summary: 'Một văn bản và các nhiệm vụ của nó',
  action: 'document.read',
  params: z.strictObject({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
  response: DocumentWithTasksSchema,
  errors: [400, 404],
});

export const createDocumentOp = defineOperation({
  id: 'createDocument',
  method: 'post',
  path: '/documents',
  tag: 'documents',
  summary: 'Nhập văn bản chỉ đạo cùng các nhiệm vụ',
  description: 'Văn bản và mọi nhiệm vụ được ghi trong một giao dịch: một nhiệm vụ sai thì không ghi gì.',
  action: 'document.create',
  body: DocumentInputSchema,
  response: DocumentWithTasksSchema,
  status: 201,
  errors: [400, 409, 413, 415, 422],
});

export const DOCUMENT_OPERATIONS = [listDocumentsOp, getDocumentOp, createDocumentOp];

interface DocumentDbRow {
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

function scopeFor(principal: Principal) {
  return taskScopeSql(principal, 'task.read', 't');
}

function documentsSql(principal: Principal, where: string) {
  const scope = scopeFor(principal);
  const visible = `t.document_id = d.id AND ${scope.sql}`;
  // agency clients see a document only through a task they may read
  const restricted = scope.sql !== '1';
  return {
    sql: `SELECT d.id, d.number, d.doc_type, d.issued_on, d.signer_id, l.name AS signer_name, d.summary, d.created_at,
                 (SELECT count(*) FROM tasks t WHERE ${visible}) AS task_count
            FROM documents d LEFT JOIN leaders l ON l.id = d.signer_id
           WHERE ${where}${restricted ? ` AND EXISTS (SELECT 1 FROM tasks t WHERE ${visible})` : ''}`,
    scopeParams: scope.params,
    restricted,
  };
}

function toApi(r: DocumentDbRow): z.infer<typeof DocumentSchema> {
  return {
    id: r.id,
    number: r.number,
    type: r.doc_type,
    issuedOn: r.issued_on,
    signer: r.signer_id !== null ? { id: r.signer_id, name: r.signer_name ?? '' } : null,
    summary: r.summary,
    createdAt: r.created_at,
    taskCount: r.task_count,
  };
}

/** The document with the tasks `principal` may read, or undefined when it does not exist or none is visible. */
export function documentWithTasks(db: DB, principal: Principal, id: number, asOf: string) {
  const q = documentsSql(principal, 'd.id = ?');
  const params = [...q.scopeParams, id, ...(q.restricted ? q.scopeParams : [])];
  const row = db.prepare(q.sql).get(...params) as DocumentDbRow | undefined;
  if (!row) return undefined;
  const scope = scopeFor(principal);
  const ids = (db.prepare(`SELECT t.id FROM tasks t WHERE t.document_id = ? AND ${scope.sql} ORDER BY t.code`).all(id, ...scope.params) as Array<{ id: number }>).map(
    (r) => r.id,
  );
  return { ...toApi(row), tasks: taskViews(db, ids, asOf) };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

export function documentsApi(deps: AppDeps) {
  const { db, clock } = deps;
  const app = apiApp();
  const principalOf = (c: Context<AppEnv>) => c.get('principal')!;

  mount(app, listDocumentsOp, (c, { query }) => {
    const where: string[] = ['1'];
    const params: Array<string | number> = [];
    if (query.number) {
      where.push("d.number LIKE ? ESCAPE '\\'");
      params.push(`%${escapeLike(query.number)}%`);
    }
    if (query.from) {
      where.push('d.issued_on >= ?');
      params.push(query.from);
    }
    if (query.to) {
      where.push('d.issued_on <= ?');
      params.push(query.to);
    }
    const q = documentsSql(principalOf(c), where.join(' AND '));
    const all = [...q.scopeParams, ...params, ...(q.restricted ? q.scopeParams : [])];
    const total = (db.prepare(`SELECT count(*) AS n FROM (${q.sql})`).get(...all) as { n: number }).n;
    const rows = db.prepare(`${q.sql} ORDER BY d.issued_on DESC, d.id DESC LIMIT ? OFFSET ?`).all(...all, query.pageSize, (query.page - 1) * query.pageSize) as DocumentDbRow[];
    return { items: rows.map(toApi), total, page: query.page, pageSize: query.pageSize };
  });

  mount(app, getDocumentOp, (c, { params }) => {
    const doc = documentWithTasks(db, principalOf(c), params.id, today(clock()));
    if (!doc) {
      // exists but outside the client's scope: refused and audited like every other out-of-scope read
      if (db.prepare('SELECT 1 FROM documents WHERE id = ?').get(params.id)) denyAccess(c, 'document.read', { type: 'document', id: params.id });
      throw notFound('Không tìm thấy văn bản.');
    }
    return doc;
  });

  mount(app, createDocumentOp, (c, { body }) => {
    const now = today(clock());
    const issues: ApiIssue[] = [];
    if (body.issuedOn > now) issues.push({ path: 'issuedOn', message: 'Ngày văn bản không được sau ngày hôm nay.' });
    if (body.signerId !== null && !db.prepare('SELECT 1 FROM leaders WHERE id = ? AND active = 1').get(body.signerId)) {
      issues.push({ path: 'signerId', message: 'Không có lãnh đạo đang công tác với mã số này.' });
    }
    const refs: Array<ResolvedTask | null> = body.tasks.map((t, i) => resolveTaskRefs(db, t, now, issues, `tasks.${i}`));
    if (issues.length > 0) throw new ApiError(422, 'validation', VALIDATION_MESSAGE, issues);
    const id = db.transaction(() => {
      if (db.prepare('SELECT 1 FROM documents WHERE number = ? AND issued_on = ?').get(body.number, body.issuedOn)) {
        throw new ApiError(409, 'duplicate_document', `Văn bản số ${body.number} ngày ${body.issuedOn} đã có trong hệ thống.`);
      }
      const docId = Number(
        db
          .prepare('INSERT INTO documents (number, doc_type, issued_on, signer_id, summary, created_by) VALUES (?, ?, ?, ?, ?, NULL)')
          .run(body.number, body.type, body.issuedOn, body.signerId, body.summary).lastInsertRowid,
      );
      const codes = body.tasks.map((t, i) => {
        const r = refs[i]!;
        const taskId = createTask(db, {
          title: t.title,
          content: t.content,
          documentId: docId,
          documentNumber: body.number,
          leadAgencyId: r.leadAgencyId,
          coordinatorIds: r.coordinatorIds,
          leaderId: t.leaderId ?? body.signerId,
          sectorId: r.sectorId,
          assignedOn: t.assignedOn,
          deadline: t.deadline,
          noDeadlineReason: t.noDeadlineReason,
          starred: t.starred,
          confidential: t.confidential,
          actorUserId: null,
        });
        return (db.prepare('SELECT code FROM tasks WHERE id = ?').get(taskId) as { code: string }).code;
      });
      writeAudit(db, { ...auditMeta(c), action: 'document.create', targetType: 'document', targetId: docId, details: { via: 'api', number: body.number, tasks: codes } });
      return docId;
    }).immediate();
    return documentWithTasks(db, principalOf(c), id, now)!;
  });

  return app;
}
