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
import { assertCan } from '../auth/permissions.ts';
import { writeAudit } from '../audit/audit.ts';
import { createTask, getTask, getTaskByCode, type TaskRow } from '../domain/tasks.ts';
import { coordinatorsOf } from '../domain/task-view.ts';
import { noticeNewTask } from '../domain/notices.ts';
import { findDocumentHeader } from '../domain/document-view.ts';
import {
  ACTION_PERMISSION,
  NOTE_MAX,
  recordTaskAction,
  taskResource,
  type TaskActionInput,
  type TaskActionKind,
} from '../domain/task-actions.ts';
import { acceptUpload, UploadError, type AcceptedUpload } from '../files/store.ts';
import { today } from '../domain/dates.ts';
import { apiApp, apiSchemas, defineOperation, isoDate, mount } from './operation.ts';
import { ApiError, notFound, VALIDATION_MESSAGE, type ApiIssue } from './errors.ts';
import { agencyCode, agencyIdByCode } from './agencies.ts';
import {
  type API_EVENT_KINDS,
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

/** Files per event through the API; the request body may hold one file of UPLOAD_MAX_BYTES in base64. */
export const MAX_API_FILES = 5;

export const taskCodeParam = z.strictObject({
  code: z
    .string()
    .min(1)
    .max(50)
    .regex(/^[A-Za-z0-9._-]+$/, 'Mã nhiệm vụ không hợp lệ.')
    .meta({ description: 'mã nhiệm vụ, ví dụ NV-2026-00123' }),
});

/** API event kind → the admin panel's action (admin/domain/task-actions.ts): one implementation of each action. */
export const EVENT_ACTION: Record<(typeof API_EVENT_KINDS)[number], Exclude<TaskActionKind, 'edit'>> = {
  received: 'receive',
  progress: 'progress',
  reported: 'report',
  confirmed: 'confirm',
  returned: 'return_report',
  extension_requested: 'request_extension',
  extension_approved: 'approve_extension',
  extension_rejected: 'reject_extension',
  explanation_submitted: 'explain',
  urged: 'urge',
  reassigned: 'reassign',
  cancelled: 'cancel',
};

const optionalNote = z.string().trim().max(NOTE_MAX).default('');
const requiredNote = (what: string) => z.string().trim().max(NOTE_MAX).min(1, `Cần ghi rõ ${what}.`);
const FileInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(255).meta({ description: 'tên tệp gốc (tiếng Việt có dấu được giữ nguyên)' }),
  contentBase64: z
    .string()
    .min(4)
    .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'Nội dung tệp phải mã hoá base64.')
    .meta({ description: 'nội dung tệp (PDF, Word, Excel, ảnh, ZIP — kiểm tra theo nội dung), base64' }),
});
const kind = <K extends EventKind>(k: K) => z.literal(k);

export const EventInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: kind('received'), note: optionalNote }),
  z.strictObject({ kind: kind('progress'), note: requiredNote('nội dung báo cáo tiến độ') }),
  z.strictObject({
    kind: kind('reported'),
    note: requiredNote('nội dung báo cáo kết quả'),
    files: z.array(FileInputSchema).min(1).max(MAX_API_FILES),
  }),
  z.strictObject({ kind: kind('confirmed'), note: optionalNote }),
  z.strictObject({ kind: kind('returned'), note: requiredNote('lý do trả lại báo cáo') }),
  z.strictObject({
    kind: kind('extension_requested'),
    newDeadline: isoDate.meta({ description: 'thời hạn đề nghị' }),
    note: requiredNote('lý do đề nghị gia hạn'),
  }),
  z.strictObject({
    kind: kind('extension_approved'),
    newDeadline: isoDate.meta({ description: 'thời hạn mới' }),
    note: optionalNote,
  }),
  z.strictObject({ kind: kind('extension_rejected'), note: requiredNote('lý do không đồng ý gia hạn') }),
  z.strictObject({
    kind: kind('explanation_submitted'),
    note: requiredNote('nội dung giải trình'),
    files: z.array(FileInputSchema).max(MAX_API_FILES).default([]),
  }),
  z.strictObject({ kind: kind('urged'), note: optionalNote }),
  z.strictObject({ kind: kind('reassigned'), toAgency: agencyCode, note: requiredNote('lý do chuyển đơn vị chủ trì') }),
  z.strictObject({ kind: kind('cancelled'), note: requiredNote('lý do thu hồi nhiệm vụ') }),
]);
type EventInput = z.output<typeof EventInputSchema>;

/** Decodes and checks (by content, like the admin forms) the files of an event; refusals name the file's path. */
async function acceptApiFiles(
  files: ReadonlyArray<{ name: string; contentBase64: string }>,
  maxBytes: number,
): Promise<AcceptedUpload[]> {
  const out: AcceptedUpload[] = [];
  const issues: ApiIssue[] = [];
  for (const [i, f] of files.entries()) {
    try {
      out.push(await acceptUpload(new File([Buffer.from(f.contentBase64, 'base64')], f.name), { maxBytes }));
    } catch (e) {
      if (!(e instanceof UploadError)) throw e;
      issues.push({ path: `files.${i}`, message: e.message });
    }
  }
  if (issues.length > 0) throw new ApiError(422, 'validation', VALIDATION_MESSAGE, issues);
  return out;
}

/** The admin panel's action input for an API event (files already accepted). */
function actionInput(db: DB, body: EventInput, files: AcceptedUpload[]): TaskActionInput {
  switch (body.kind) {
    case 'received':
      return { kind: 'receive', note: body.note };
    case 'progress':
      return { kind: 'progress', note: body.note };
    case 'reported':
      return { kind: 'report', note: body.note, files };
    case 'confirmed':
      return { kind: 'confirm', note: body.note };
    case 'returned':
      return { kind: 'return_report', note: body.note };
    case 'extension_requested':
      return { kind: 'request_extension', newDeadline: body.newDeadline, note: body.note };
    case 'extension_approved':
      return { kind: 'approve_extension', newDeadline: body.newDeadline, note: body.note };
    case 'extension_rejected':
      return { kind: 'reject_extension', note: body.note };
    case 'explanation_submitted':
      return { kind: 'explain', note: body.note, files };
    case 'urged':
      return { kind: 'urge', note: body.note };
    case 'reassigned': {
      const to = agencyIdByCode(db, body.toAgency);
      if (to === undefined)
        throw new ApiError(422, 'validation', VALIDATION_MESSAGE, [
          { path: 'toAgency', message: `Không có đơn vị mã "${body.toAgency}".` },
        ]);
      return { kind: 'reassign', toAgencyId: to, note: body.note };
    }
    case 'cancelled':
      return { kind: 'cancel', note: body.note };
  }
}

export const TaskCreateSchema = z
  .strictObject({ ...TaskInputFields, documentId: z.number().int().positive().nullable().default(null) })
  .superRefine((t, ctx) => taskFieldRules(t, ctx));

export const getTaskOp = defineOperation({
  id: 'getTask',
  method: 'get',
  path: '/tasks/:code',
  tag: 'tasks',
  summary: 'Một nhiệm vụ và diễn biến',
  description:
    'Đơn vị (phạm vi cán bộ đầu mối) chỉ đọc được nhiệm vụ mình chủ trì hoặc phối hợp. Tình trạng tính đến hôm nay.',
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
  description:
    'Tạo nhiệm vụ kèm sự kiện "giao"; mã nhiệm vụ do hệ thống cấp. Nên giao nhiệm vụ cùng văn bản chỉ đạo qua POST /documents.',
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
    'Cùng một thao tác với trang quản trị (admin/domain/task-actions.ts), ghi ngày hôm nay. Mỗi loại sự kiện cần quyền riêng trên nhiệm vụ: ' +
    'received/progress/reported/extension_requested/explanation_submitted — đơn vị chủ trì; confirmed/extension_approved/extension_rejected — Tổ công tác; ' +
    'returned — Tổ công tác hoặc chuyên viên; urged/reassigned/cancelled — chuyên viên Văn phòng. Báo cáo kết quả cần ít nhất một tệp (base64; ' +
    'PDF, Word, Excel, ảnh, ZIP, kiểm tra theo nội dung). Quy tắc nghiệp vụ (gia hạn tối đa một lần, chỉ xác nhận khi đã có báo cáo…) bị vi phạm thì trả 409 hoặc 422.',
  action: 'task.read',
  params: taskCodeParam,
  body: EventInputSchema,
  response: z.object({ event: EventSchema, task: TaskSchema }).register(apiSchemas, { id: 'RecordedEvent' }),
  status: 201,
  errors: [400, 404, 409, 413, 415, 422],
});

function coordinatorIds(db: DB, taskId: number): number[] {
  return coordinatorsOf(db, [taskId]).get(taskId) ?? [];
}

/** The task by code, readable by the principal (404 when absent, audited 403 when outside its scope). */
export function loadReadableTask(c: Context<AppEnv>, code: string): TaskRow {
  const db = c.get('deps').db;
  const task = getTaskByCode(db, code);
  if (!task) throw notFound('Không tìm thấy nhiệm vụ.');
  assertCan(
    c,
    'task.read',
    { leadAgencyId: task.lead_agency_id, coordinatorAgencyIds: coordinatorIds(db, task.id) },
    { type: 'task', id: task.code },
  );
  return task;
}

export function auditMeta(c: Context<AppEnv>) {
  return {
    at: c.get('deps').clock(),
    actor: c.get('principal'),
    ip: c.get('clientIp'),
    userAgent: c.req.header('user-agent') ?? '',
  };
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
      const d = findDocumentHeader(db, body.documentId);
      if (!d) issues.push({ path: 'documentId', message: 'Không có văn bản với mã số này.' });
      else if (d.issued_on > body.assignedOn)
        issues.push({ path: 'assignedOn', message: 'Ngày giao không được trước ngày văn bản.' });
      else documentNumber = d.number;
    }
    if (!refs || issues.length > 0) throw new ApiError(422, 'validation', VALIDATION_MESSAGE, issues);
    const id = db
      .transaction(() => {
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
        noticeNewTask(db, { taskId, now: clock() }, taskResource(db, getTask(db, taskId)!));
        const code = getTask(db, taskId)!.code;
        writeAudit(db, {
          ...auditMeta(c),
          action: 'task.create',
          targetType: 'task',
          targetId: code,
          details: { via: 'api', documentId: body.documentId },
        });
        return taskId;
      })
      .immediate();
    return taskViews(db, [id], now)[0]!;
  });

  mount(app, recordEventOp, async (c, { params, body }) => {
    const task = loadReadableTask(c, params.code);
    const action = EVENT_ACTION[body.kind];
    // refused here first so the refusal is audited like every out-of-scope call (recordTaskAction checks again)
    assertCan(c, ACTION_PERMISSION[action], taskResource(db, task), { type: 'task', id: task.code });
    const files = 'files' in body ? await acceptApiFiles(body.files, deps.env.uploadMaxBytes) : [];
    const now = clock();
    const result = recordTaskAction(
      { db, env: deps.env, now },
      c.get('principal')!,
      task.code,
      actionInput(db, body, files),
      {
        ip: c.get('clientIp'),
        userAgent: c.req.header('user-agent') ?? '',
      },
    );
    const [event] = eventViews(db, task.id, result.eventId!);
    if (!event) throw new Error(`recordTaskEvent: event ${result.eventId} of ${task.code} not found after writing it`);
    return { event, task: taskViews(db, [task.id], today(now))[0]! };
  });

  return app;
}
