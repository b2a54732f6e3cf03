/**
 * Directive documents (văn bản chỉ đạo) through the integration API:
 *   GET  /api/v1/documents       paged, filtered by number (part of it, any case) and issue-date range
 *   GET  /api/v1/documents/:id   one document with its tasks
 *   POST /api/v1/documents       a document with its tasks, all or nothing, in one transaction — through the same
 *                                validateDocumentInput / createDocumentWithTasks as the admin form
 * An agency client sees only documents that gave it a task it may read (lead or coordinating), and only those tasks.
 */
import { z } from 'zod';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import type { DB } from '../db/open.ts';
import { denyAccess, type Principal } from '../auth/permissions.ts';
import {
  createDocumentWithTasks,
  DOCUMENT_TYPES,
  MAX_TASKS_PER_DOCUMENT,
  validateDocumentInput,
  type RawDocument,
} from '../domain/documents.ts';
import { today } from '../domain/dates.ts';
import { apiApp, apiSchemas, defineOperation, isoDate, mount, pageQuery } from './operation.ts';
import { ApiError, notFound, VALIDATION_MESSAGE, type ApiIssue } from './errors.ts';
import { TaskInputFields, TaskSchema, taskViews } from './task-view.ts';
import { agencyIdByCode } from './agencies.ts';
import { findSectorIdByCode } from '../domain/references.ts';
import {
  documentExists,
  documentTaskIds,
  findDocumentRecord,
  listDocumentRecords,
  type DocumentRecord,
} from '../domain/document-view.ts';

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
  .register(apiSchemas, {
    id: 'Document',
    description: 'Văn bản chỉ đạo (công văn, quyết định, chỉ thị, thông báo kết luận, kế hoạch…).',
  });

export const DocumentWithTasksSchema = DocumentSchema.extend({ tasks: z.array(TaskSchema) }).register(apiSchemas, {
  id: 'DocumentWithTasks',
});

export const DocumentListSchema = z
  .object({
    items: z.array(DocumentSchema),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  })
  .register(apiSchemas, { id: 'DocumentList' });

/** A task inside a document: assigned on the document's date (as in the admin form), by a leader. */
const { assignedOn: _assignedOn, ...taskFields } = TaskInputFields;
const DocumentTaskInputSchema = z.strictObject({
  ...taskFields,
  leaderId: z.number().int().positive().meta({ description: 'lãnh đạo UBND tỉnh giao nhiệm vụ' }),
});

export const DocumentInputSchema = z.strictObject({
  number: z.string().trim().min(1).max(100).meta({ description: 'số, ký hiệu văn bản, ví dụ 1147/UBND-KSTT' }),
  type: z.enum(DOCUMENT_TYPES),
  issuedOn: isoDate.meta({ description: 'ngày ban hành; cũng là ngày giao các nhiệm vụ' }),
  signerId: z.number().int().positive().meta({ description: 'lãnh đạo ký văn bản' }),
  summary: z.string().trim().min(1).max(2000).meta({ description: 'trích yếu' }),
  tasks: z.array(DocumentTaskInputSchema).min(1).max(MAX_TASKS_PER_DOCUMENT),
});
type DocumentInput = z.output<typeof DocumentInputSchema>;

export const CreatedDocumentSchema = DocumentWithTasksSchema.extend({
  warnings: z
    .array(z.string())
    .meta({ description: 'lưu ý, ví dụ nhiệm vụ không thời hạn sẽ được đôn đốc 3 tháng một lần' }),
}).register(apiSchemas, { id: 'CreatedDocument' });

/** Form field names of validateDocumentInput → API paths. */
const TASK_FIELD_PATHS: Record<string, string> = {
  title: 'title',
  content: 'content',
  lead: 'leadAgency',
  coordinators: 'coordinatingAgencies',
  leader: 'leaderId',
  sector: 'sector',
  deadline: 'deadline',
  no_deadline_reason: 'noDeadlineReason',
};
const DOCUMENT_FIELD_PATHS: Record<string, string> = {
  number: 'number',
  doc_type: 'type',
  issued_on: 'issuedOn',
  signer: 'signerId',
  summary: 'summary',
  tasks: 'tasks',
};

function apiPathOfField(key: string): string {
  const m = /^t([0-9]+)_(.+)$/.exec(key);
  if (m) return `tasks.${m[1]}.${TASK_FIELD_PATHS[m[2]!] ?? m[2]}`;
  return DOCUMENT_FIELD_PATHS[key] ?? key;
}

/**
 * The API body as the admin form's raw document, so validateDocumentInput (admin/domain/documents.ts) checks both
 * alike. Codes are looked up here; an unknown code is reported at its path and left for the shared check to refuse.
 */
function rawDocument(db: DB, body: DocumentInput, issues: ApiIssue[]): RawDocument {
  const agencyRef = (code: string, path: string): string => {
    const id = agencyIdByCode(db, code);
    if (id === undefined) issues.push({ path, message: `Không có đơn vị mã "${code}".` });
    return id === undefined ? '0' : String(id);
  };
  return {
    number: body.number,
    docType: body.type,
    issuedOn: body.issuedOn,
    signer: String(body.signerId),
    summary: body.summary,
    tasks: body.tasks.map((t, i) => {
      let sector = '';
      if (t.sector !== null) {
        const id = findSectorIdByCode(db, t.sector);
        if (id === null) issues.push({ path: `tasks.${i}.sector`, message: `Không có lĩnh vực mã "${t.sector}".` });
        sector = id === null ? '0' : String(id);
      }
      return {
        title: t.title,
        content: t.content,
        lead: agencyRef(t.leadAgency, `tasks.${i}.leadAgency`),
        coordinators: t.coordinatingAgencies.map((code, j) => agencyRef(code, `tasks.${i}.coordinatingAgencies.${j}`)),
        leader: String(t.leaderId),
        sector,
        deadline: t.deadline ?? '',
        noDeadline: t.deadline === null,
        noDeadlineReason: t.noDeadlineReason ?? '',
        starred: t.starred,
        confidential: t.confidential,
      };
    }),
  };
}

const listQuery = z
  .strictObject({
    number: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .meta({ description: 'một phần số, ký hiệu văn bản (không phân biệt hoa thường)' }),
    from: isoDate.optional().meta({ description: 'ban hành từ ngày' }),
    to: isoDate.optional().meta({ description: 'ban hành đến ngày' }),
    ...pageQuery,
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    path: ['to'],
    message: 'Ngày "đến" phải sau hoặc bằng ngày "từ".',
  });

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
  description:
    'Văn bản và mọi nhiệm vụ được ghi trong một giao dịch, cùng quy tắc kiểm tra với biểu mẫu nhập văn bản của trang quản trị: ' +
    'một nhiệm vụ sai thì không ghi gì. Nhiệm vụ được giao vào ngày ban hành văn bản; nhiệm vụ không thời hạn phải ghi lý do.',
  action: 'document.create',
  body: DocumentInputSchema,
  response: CreatedDocumentSchema,
  status: 201,
  errors: [400, 409, 413, 415, 422],
});

export const DOCUMENT_OPERATIONS = [listDocumentsOp, getDocumentOp, createDocumentOp];

function toApi(r: DocumentRecord): z.infer<typeof DocumentSchema> {
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
  const row = findDocumentRecord(db, principal, id);
  if (!row) return undefined;
  const ids = documentTaskIds(db, id, principal);
  return { ...toApi(row), tasks: taskViews(db, ids, asOf) };
}

export function documentsApi(deps: AppDeps) {
  const { db, clock } = deps;
  const app = apiApp();
  const principalOf = (c: Context<AppEnv>) => c.get('principal')!;

  mount(app, listDocumentsOp, (c, { query }) => {
    const { rows, total } = listDocumentRecords(db, principalOf(c), query, query.page, query.pageSize);
    return { items: rows.map(toApi), total, page: query.page, pageSize: query.pageSize };
  });

  mount(app, getDocumentOp, (c, { params }) => {
    const doc = documentWithTasks(db, principalOf(c), params.id, today(clock()));
    if (!doc) {
      // exists but outside the client's scope: refused and audited like every other out-of-scope read
      if (documentExists(db, params.id)) denyAccess(c, 'document.read', { type: 'document', id: params.id });
      throw notFound('Không tìm thấy văn bản.');
    }
    return doc;
  });

  mount(app, createDocumentOp, (c, { body }) => {
    const now = clock();
    const issues: ApiIssue[] = [];
    const raw = rawDocument(db, body, issues);
    const checked = validateDocumentInput(db, raw, today(now));
    const flagged = new Set(issues.map((i) => i.path.replace(/\.[0-9]+$/, '')));
    for (const [key, message] of Object.entries(checked.errors)) {
      const path = apiPathOfField(key);
      if (!flagged.has(path)) issues.push({ path, message });
    }
    if (issues.length > 0 || !checked.value) throw new ApiError(422, 'validation', VALIDATION_MESSAGE, issues);
    const created = createDocumentWithTasks({ db, env: deps.env, now }, principalOf(c), checked.value, null, {
      ip: c.get('clientIp'),
      userAgent: c.req.header('user-agent') ?? '',
    });
    return { ...documentWithTasks(db, principalOf(c), created.documentId, today(now))!, warnings: checked.warnings };
  });

  return app;
}
