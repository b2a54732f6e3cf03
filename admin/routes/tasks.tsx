/**
 * The task page's routes (issue 4): GET shows the page (view model from admin/domain/task-view.ts, rendered by
 * admin/views/task-page.tsx); each action is a POST form under /admin/tasks/:code/… that goes through
 * recordTaskAction (admin/domain/task-actions.ts: matrix, 'lead' scope for agency writes, the rules, files, audit in
 * one transaction). Refusals by the rules re-show the page with the message and what the user typed; success
 * redirects (POST-redirect-GET) with a flash key.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { assertCan, requirePermission } from '../auth/permissions.ts';
import { getTaskByCode, type TaskRow } from '../domain/tasks.ts';
import { DomainError } from '../domain/rules.ts';
import { today } from '../domain/dates.ts';
import {
  ACTION_PERMISSION,
  recordTaskAction,
  taskResource,
  type ActionResult,
  type TaskActionInput,
  type TaskActionKind,
  type TaskEdit,
} from '../domain/task-actions.ts';
import { loadTaskPage } from '../domain/task-view.ts';
import { parseDateField } from '../domain/documents.ts';
import { acceptUpload, filesOf, UploadError, type AcceptedUpload } from '../files/store.ts';
import type { FormValues } from '../views/forms.tsx';
import { ACTION_SLUGS, type FormState } from '../views/task-action-forms.tsx';
import { SUBMISSION_SUBJECTS, type SubmissionSubject } from '../domain/unit-steps.ts';
import { TaskPageView } from '../views/task-page.tsx';
import { flashFromQuery, readForm, type FormBody } from './form-helpers.ts';

export { ACTION_SLUGS };

type Values = FormValues;

/** Flash message key after each action (form-helpers.ts FLASH_MESSAGES). */
export const ACTION_FLASH: Record<TaskActionKind, string> = {
  receive: 'task_received',
  progress: 'task_progress',
  report: 'task_reported',
  request_extension: 'task_extension_requested',
  explain: 'task_explained',
  urge: 'task_urged',
  edit: 'task_corrected',
  reassign: 'task_reassigned',
  cancel: 'task_cancelled',
  confirm: 'task_confirmed',
  return_report: 'task_returned',
  approve_extension: 'task_extension_approved',
  reject_extension: 'task_extension_rejected',
  delegate: 'task_delegated',
  draft_report: 'task_draft_saved',
  approve_submission: 'task_unit_approved',
  send_back: 'task_unit_sent_back',
};

/** A submission that now waits for the head says so instead of "sent to the Office". */
function flashFor(kind: TaskActionKind, result: ActionResult): string {
  return result.eventId === null && (kind === 'report' || kind === 'request_extension' || kind === 'explain')
    ? 'task_unit_submitted'
    : ACTION_FLASH[kind];
}

/** Pages an inline action may send the user back to (never a user-supplied URL). */
const BACK_PAGES = new Set(['/admin/queues/reports', '/admin/queues/extensions', '/admin/inbox']);

/** NV-YYYY-NNNNN, or with the prefixes a province merger gave it (PL-NV-2017-02349: issue 12, npm run merge-province) */
export const TASK_CODE_PATTERN = '[A-Z0-9-]*NV-[0-9]+-[0-9]+';

function renderTaskPage(
  c: Context<AppEnv>,
  deps: AppDeps,
  task: TaskRow,
  state?: FormState,
  status: 200 | 422 | 409 = 200,
) {
  const page = loadTaskPage(deps.db, task, c.get('principal')!, today(deps.clock()));
  return c.html(<TaskPageView page={page} user={c.get('user')} flash={flashFromQuery(c)} state={state} />, status);
}

function strings(body: FormBody, name: string, max = 20): string[] {
  const v = body[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list
    .filter((x): x is string => typeof x === 'string')
    .slice(0, 200)
    .map((s) => s.trim().slice(0, max));
}

function text(body: FormBody, name: string, max: number): string {
  const v = body[name];
  return typeof v === 'string' ? v.slice(0, max) : '';
}

function ids(list: string[], message: string): number[] {
  return list.filter(Boolean).map((s) => {
    if (!/^[0-9]{1,9}$/.test(s)) throw new DomainError('bad_id', message, 422);
    return Number(s);
  });
}

function subjectOf(body: FormBody, values: Values): SubmissionSubject {
  const raw = text(body, 'subject', 30);
  values.subject = raw;
  if (!(SUBMISSION_SUBJECTS as readonly string[]).includes(raw))
    throw new DomainError('bad_subject', 'Nội dung cần duyệt không hợp lệ.', 422);
  return raw as SubmissionSubject;
}

/** Form values → the domain input; throws DomainError(422) for what the form itself got wrong. */
async function inputFrom(
  kind: TaskActionKind,
  body: FormBody,
  maxBytes: number,
  values: Values,
): Promise<TaskActionInput> {
  const note = text(body, 'note', 4001);
  values.note = note;
  const date = (name: string, label: string) => {
    const raw = text(body, name, 20);
    values[name] = raw;
    if (!raw.trim()) throw new DomainError('date_required', `Cần nhập ${label}.`, 422);
    const d = parseDateField(raw);
    if (!d)
      throw new DomainError('bad_date', `${label[0]!.toUpperCase()}${label.slice(1)} không hợp lệ (dd/mm/yyyy).`, 422);
    return d;
  };
  const accept = async (required: boolean): Promise<AcceptedUpload[]> => {
    const files = filesOf(body, 'files');
    if (files.length > 10) throw new DomainError('too_many_files', 'Tối đa 10 tệp cho một lần gửi.', 422);
    if (required && files.length === 0) {
      throw new DomainError(
        'file_required',
        'Báo cáo kết quả cần kèm ít nhất một tệp (văn bản báo cáo, tài liệu kết quả).',
        422,
      );
    }
    const out: AcceptedUpload[] = [];
    for (const f of files) out.push(await acceptUpload(f, { maxBytes }));
    return out;
  };
  switch (kind) {
    case 'receive':
      return { kind, note };
    case 'progress':
      return { kind, note, files: await accept(false) };
    case 'draft_report':
      return { kind, note, files: await accept(false) };
    case 'delegate': {
      const officers = strings(body, 'officers');
      values.officers = officers;
      const dueRaw = text(body, 'internal_due', 20);
      values.internal_due = dueRaw;
      let internalDueOn: string | null = null;
      if (dueRaw.trim()) {
        internalDueOn = parseDateField(dueRaw);
        if (!internalDueOn) throw new DomainError('bad_date', 'Hạn nội bộ không hợp lệ (dd/mm/yyyy).', 422);
      }
      return { kind, note, internalDueOn, userIds: ids(officers, 'Chuyên viên đã chọn không hợp lệ.') };
    }
    case 'approve_submission':
    case 'send_back':
      return { kind, note, subject: subjectOf(body, values) };
    case 'cancel':
    case 'return_report':
    case 'reject_extension':
    case 'urge':
    case 'confirm':
      return { kind, note } as TaskActionInput;
    case 'report': {
      const draftFiles = strings(body, 'draft_files');
      values.draft_files = draftFiles;
      const draftFileIds = ids(draftFiles, 'Tệp dự thảo đã chọn không hợp lệ.');
      return { kind, note, draftFileIds, files: await accept(draftFileIds.length === 0) };
    }
    case 'explain':
      return { kind, note, files: await accept(false) };
    case 'request_extension':
      return { kind, note, newDeadline: date('new_deadline', 'thời hạn đề nghị') };
    case 'approve_extension':
      return { kind, note, newDeadline: date('new_deadline', 'thời hạn mới') };
    case 'reassign': {
      const raw = text(body, 'to_agency', 12);
      values.to_agency = raw;
      const id = /^[0-9]{1,9}$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isSafeInteger(id)) throw new DomainError('agency_required', 'Cần chọn đơn vị chủ trì mới.', 422);
      return { kind, note, toAgencyId: id };
    }
    case 'edit': {
      const title = text(body, 'title', 600);
      const content = text(body, 'content', 10_001);
      const leader = text(body, 'leader', 12).trim();
      const sector = text(body, 'sector', 12).trim();
      const coordinators = strings(body, 'coordinators');
      const noDeadline = text(body, 'no_deadline', 5) === '1';
      const deadlineRaw = text(body, 'deadline', 20);
      const reason = text(body, 'reason', 4001);
      Object.assign(values, {
        title,
        content,
        leader,
        sector,
        coordinators,
        starred: text(body, 'starred', 5),
        confidential: text(body, 'confidential', 5),
        deadline: deadlineRaw,
        no_deadline: noDeadline ? '1' : '',
        no_deadline_reason: text(body, 'no_deadline_reason', 1001),
        reason,
      });
      const id = (s: string, msg: string) => {
        if (!s) return null;
        if (!/^[0-9]{1,9}$/.test(s)) throw new DomainError('bad_id', msg, 422);
        return Number(s);
      };
      let deadline: string | null = null;
      if (!noDeadline) {
        if (!deadlineRaw.trim())
          throw new DomainError(
            'deadline_required',
            'Cần nhập thời hạn, hoặc chọn “không thời hạn” và ghi rõ lý do.',
            422,
          );
        deadline = parseDateField(deadlineRaw);
        if (!deadline) throw new DomainError('bad_date', 'Thời hạn không hợp lệ (dd/mm/yyyy).', 422);
      } else if (deadlineRaw.trim()) {
        throw new DomainError('bad_date', 'Đã chọn “không thời hạn” thì để trống ô thời hạn.', 422);
      }
      const coordinatorIds = coordinators.map((s) => id(s, 'Đơn vị phối hợp không hợp lệ.')!).filter((x) => x !== null);
      const changes: TaskEdit = {
        title,
        content,
        leaderId: id(leader, 'Lãnh đạo giao không hợp lệ.'),
        sectorId: id(sector, 'Lĩnh vực không hợp lệ.'),
        coordinatorIds,
        starred: values.starred === '1',
        confidential: values.confidential === '1',
        deadline,
        noDeadlineReason: noDeadline ? (values.no_deadline_reason as string) : null,
      };
      return { kind, note: reason, changes };
    }
  }
}

export function tasksRoutes(deps: AppDeps) {
  const { db } = deps;
  const app = new Hono<AppEnv>();

  const load = (c: Context<AppEnv>): TaskRow => {
    const task = getTaskByCode(db, c.req.param('code') ?? '');
    if (!task) throw new DomainError('task_not_found', 'Không tìm thấy nhiệm vụ.', 404);
    return task;
  };

  app.get(`/tasks/:code{${TASK_CODE_PATTERN}}`, requirePermission('task.read'), (c) => {
    const task = load(c);
    assertCan(c, 'task.read', taskResource(db, task), { type: 'task', id: task.code });
    return renderTaskPage(c, deps, task);
  });

  for (const kind of Object.keys(ACTION_SLUGS) as TaskActionKind[]) {
    const permission = ACTION_PERMISSION[kind];
    app.post(`/tasks/:code{${TASK_CODE_PATTERN}}/${ACTION_SLUGS[kind]}`, requirePermission(permission), async (c) => {
      const task = load(c);
      // record-level scope first (agency users: only the lead agency writes), audited when refused
      assertCan(c, permission, taskResource(db, task), { type: 'task', id: task.code });
      const body = await readForm(c);
      const values: Values = {};
      let result: ActionResult;
      try {
        const input = await inputFrom(kind, body, deps.env.uploadMaxBytes, values);
        result = recordTaskAction({ db, env: deps.env, now: deps.clock() }, c.get('principal')!, task.code, input, {
          ip: c.get('clientIp'),
          userAgent: c.req.header('user-agent') ?? '',
        });
      } catch (e) {
        const refused = e instanceof UploadError || (e instanceof DomainError && e.status !== 403 && e.status !== 404);
        if (!refused) throw e;
        const fresh = getTaskByCode(db, task.code)!;
        return renderTaskPage(
          c,
          deps,
          fresh,
          { kind, message: e.message, values },
          e instanceof DomainError && e.status === 409 ? 409 : 422,
        );
      }
      const back = text(body, 'back', 100);
      const target = BACK_PAGES.has(back) ? back : `/admin/tasks/${task.code}`;
      return c.redirect(`${target}?msg=${flashFor(kind, result)}`, 303);
    });
  }
  return app;
}
