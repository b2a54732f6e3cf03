/**
 * Tasks through the integration API:
 *   GET  /api/v1/tasks/:code          a task with its timeline (agency clients: tasks they lead or coordinate)
 *   POST /api/v1/tasks                create one task (Office scope: task.create)
 *   POST /api/v1/tasks/:code/events   record an event; each kind is checked against its own matrix action on the
 *                                     task (assertCan) and then by the domain rules in appendEvent/checkEvent
 * Every write runs in one immediate transaction with its audit row.
 */
import { z } from 'zod';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import type { DB } from '../db/open.ts';
import { assertCan, type Action } from '../auth/permissions.ts';
import { writeAudit } from '../audit/audit.ts';
import { appendEvent, createTask, getTaskByCode, type TaskRow } from '../domain/tasks.ts';
import { today } from '../domain/dates.ts';
import { apiApp, defineOperation, isoDate, mount } from './operation.ts';
import { ApiError, notFound, VALIDATION_MESSAGE, type ApiIssue } from './errors.ts';
import { agencyCode } from './agencies.ts';
import {
  API_EVENT_KINDS,
  EventSchema,
  resolveTaskRefs,
  TaskInputFields,
  taskFieldRules,
  TaskSchema,
  taskViews,
  TaskWithEventsSchema,
  eventViews,
} from './task-view.ts';
import type { EventKind } from '../domain/status.ts';

export const taskCodeParam = z.strictObject({
  code: z.string().min(1).max(50).regex(/^[A-Za-z0-9._-]+$/, 'Mã nhiệm vụ không hợp lệ.').meta({ description: 'mã nhiệm vụ, ví dụ NV-2026-00123' }),
});

/** The matrix action each event kind needs, on the task (DESIGN.md §2). */
export const EVENT_ACTIONS: Record<(typeof API_EVENT_KINDS)[number], Action> = {
  received: 'task.receive',
  progress: 'task.progress',
  reported: 'task.report',
  confirmed: 'report.confirm',
  returned: 'report.confirm',
  extension_requested: 'extension.request',
  extension_approved: 'extension.decide',
  extension_rejected: 'extension.decide',
  explanation_submitted: 'explanation.submit',
  urged: 'task.urge',
  reassigned: 'task.reassign',
  cancelled: 'task.cancel',
};

const note = z.string().trim().max(5000);
const occurredOn = isoDate.optional().meta({ description: 'ngày xảy ra (mặc định: hôm nay); không trước sự kiện gần nhất, không sau hôm nay' });
const plain = <K extends EventKind>(kind: K) => z.strictObject({ kind: z.literal(kind), occurredOn, note: note.default('') });
const withReason = <K extends EventKind>(kind: K, what: string) =>
  z.strictObject({ kind: z.literal(kind), occurredOn, note: note.min(1, `Cần ghi rõ ${what}.`) });

export const EventInputSchema = z.discriminatedUnion('kind', [
  plain('received'),
  plain('progress'),
  plain('reported'),
  plain('confirmed'),
  withReason('returned', 'lý do trả lại báo cáo'),
  z.strictObject({ kind: z.literal('extension_requested'), occurredOn, note: note.default(''), newDeadline: isoDate.optional().meta({ description: 'thời hạn đề nghị' }) }),
  z.strictObject({ kind: z.literal('extension_approved'), occurredOn, note: note.default(''), newDeadline: isoDate.meta({ description: 'thời hạn mới' }) }),
  withReason('extension_rejected', 'lý do không đồng ý gia hạn'),
  withReason('explanation_submitted', 'nội dung giải trình'),
  plain('urged'),
  z.strictObject({ kind: z.literal('reassigned'), occurredOn, note: note.default(''), toAgency: agencyCode }),
  withReason('cancelled', 'lý do thu hồi nhiệm vụ'),
]);

export const TaskCreateSchema = z
  .strictObject({ ...TaskInputFields, documentId: z.number().int().positive().nullable().default(null) })
  .superRefine((t, ctx) => taskFieldRules(t, ctx));

export const getTaskOp = defineOperation({
  id: 'getTask',
  method: 'get',
  path: '/tasks/:code',
  tag: 'tasks',
  summary: 'Một nhiệm vụ và diễn biến',
  description: 'Đơn vị (phạm vi cán bộ đầu mối) chỉ đọc được nhiệm vụ mình chủ trì hoặc phối hợp. Tình trạng tính đến hôm nay.',
  action: 'task.read',
  params: taskCodeParam,
  response: TaskWithEventsSchema,
  errors: [400, 404],
});

export const createTaskOp = defineOperation({
  id: 'createTask',
  method: 'post',
  path: '/tasks',
  tag: 'tasks',
  summary: 'Giao một nhiệm vụ',
  description: 'Tạo nhiệm vụ kèm sự kiện "giao"; mã nhiệm vụ do hệ thống cấp. Nên giao nhiệm vụ cùng văn bản chỉ đạo qua POST /documents.',
  action: 'task.create',
  body: TaskCreateSchema,
  response: TaskSchema,
  status: 201,
  errors: [400, 409, 413, 415, 422],
});

export const recordEventOp = defineOperation({
  id: 'recordTaskEvent',
  method: 'post',
  path: '/tasks/:code/events',
  tag: 'tasks',
  summary: 'Ghi một sự kiện của nhiệm vụ',
  description:
    'Mỗi loại sự kiện cần quyền riêng trên nhiệm vụ: received/progress/reported/extension_requested/explanation_submitted — đơn vị chủ trì; ' +
    'confirmed/returned/extension_approved/extension_rejected — Tổ công tác; urged/reassigned/cancelled — chuyên viên Văn phòng. ' +
    'Quy tắc nghiệp vụ (gia hạn tối đa một lần, chỉ xác nhận khi đã có báo cáo…) bị vi phạm thì trả 409 hoặc 422.',
  action: 'task.read',
  params: taskCodeParam,
  body: EventInputSchema,
  response: z.object({ event: EventSchema, task: TaskSchema }),
  status: 201,
  errors: [400, 404, 409, 413, 415, 422],
});

function coordinatorsOf(db: DB, taskId: number): number[] {
  return (db.prepare('SELECT agency_id FROM task_coordinators WHERE task_id = ?').all(taskId) as Array<{ agency_id: number }>).map((r) => r.agency_id);
}

/** The task by code, readable by the principal (404 when absent, audited 403 when outside its scope). */
export function loadReadableTask(c: Context<AppEnv>, code: string): TaskRow {
  const db = c.get('deps').db;
  const task = getTaskByCode(db, code);
  if (!task) throw notFound('Không tìm thấy nhiệm vụ.');
  assertCan(c, 'task.read', { leadAgencyId: task.lead_agency_id, coordinatorAgencyIds: coordinatorsOf(db, task.id) }, { type: 'task', id: task.code });
  return task;
}

export function auditMeta(c: Context<AppEnv>) {
  return { at: c.get('deps').clock(), actor: c.get('principal'), ip: c.get('clientIp'), userAgent: c.req.header('user-agent') ?? '' };
}

export const TASK_OPERATIONS = [getTaskOp, createTaskOp, recordEventOp];

export function tasksApi(deps: AppDeps) {
  const { db, clock } = deps;
  const app = apiApp();

  mount(app, getTaskOp, (c, { params }) => {
    const task = loadReadableTask(c, params.code);
    const [view] = taskViews(db, [task.id], today(clock()));
    return { ...view!, events: eventViews(db, task.id) };
  });

  mount(app, createTaskOp, (c, { body }) => {
    const issues: ApiIssue[] = [];
    const now = today(clock());
    const refs = resolveTaskRefs(db, body, now, issues);
    let documentNumber = '';
    if (body.documentId !== null) {
      const d = db.prepare('SELECT number, issued_on FROM documents WHERE id = ?').get(body.documentId) as { number: string; issued_on: string } | undefined;
      if (!d) issues.push({ path: 'documentId', message: 'Không có văn bản với mã số này.' });
      else if (d.issued_on > body.assignedOn) issues.push({ path: 'assignedOn', message: 'Ngày giao không được trước ngày văn bản.' });
      else documentNumber = d.number;
    }
    if (!refs || issues.length > 0) throw new ApiError(422, 'validation', VALIDATION_MESSAGE, issues);
    const id = db.transaction(() => {
      const taskId = createTask(db, {
        title: body.title,
        content: body.content,
        documentId: body.documentId,
        documentNumber,
        leadAgencyId: refs.leadAgencyId,
        coordinatorIds: refs.coordinatorIds,
        leaderId: body.leaderId,
        sectorId: refs.sectorId,
        assignedOn: body.assignedOn,
        deadline: body.deadline,
        noDeadlineReason: body.noDeadlineReason,
        starred: body.starred,
        confidential: body.confidential,
        actorUserId: null,
      });
      const code = (db.prepare('SELECT code FROM tasks WHERE id = ?').get(taskId) as { code: string }).code;
      writeAudit(db, { ...auditMeta(c), action: 'task.create', targetType: 'task', targetId: code, details: { via: 'api', documentId: body.documentId } });
      return taskId;
    }).immediate();
    return taskViews(db, [id], now)[0]!;
  });

  mount(app, recordEventOp, (c, { params, body }) => {
    const task = loadReadableTask(c, params.code);
    const action = EVENT_ACTIONS[body.kind];
    assertCan(c, action, { leadAgencyId: task.lead_agency_id, coordinatorAgencyIds: coordinatorsOf(db, task.id) }, { type: 'task', id: task.code });
    const now = today(clock());
    const on = body.occurredOn ?? now;
    if (on > now) throw new ApiError(422, 'validation', VALIDATION_MESSAGE, [{ path: 'occurredOn', message: 'Ngày sự kiện không được sau ngày hôm nay.' }]);
    const data: { newDeadline?: string; toAgencyId?: number } = {};
    if ((body.kind === 'extension_requested' || body.kind === 'extension_approved') && body.newDeadline !== undefined) data.newDeadline = body.newDeadline;
    if (body.kind === 'reassigned') {
      const to = db.prepare('SELECT id, merged_on, dissolved_on FROM agencies WHERE code = ? COLLATE NOCASE').get(body.toAgency) as
        | { id: number; merged_on: string | null; dissolved_on: string | null }
        | undefined;
      if (!to || to.merged_on !== null || to.dissolved_on !== null) {
        throw new ApiError(422, 'validation', VALIDATION_MESSAGE, [{ path: 'toAgency', message: `Không có đơn vị đang hoạt động mã "${body.toAgency}".` }]);
      }
      data.toAgencyId = to.id;
    }
    const eventId = db.transaction(() => {
      const id = appendEvent(db, task.id, { kind: body.kind, occurredOn: on, note: body.note, data, actorUserId: null });
      writeAudit(db, { ...auditMeta(c), action, targetType: 'task', targetId: task.code, details: { via: 'api', kind: body.kind, eventId: id, occurredOn: on } });
      return id;
    }).immediate();
    const event = eventViews(db, task.id).find((e) => e.id === eventId)!;
    return { event, task: taskViews(db, [task.id], now)[0]! };
  });

  return app;
}
