/** Helpers of the task route tests (admin/routes/tasks*.test.ts): acting through the routes, preparing states. */
import { TEST_ORIGIN, type TestApp } from './admin-app.ts';
import type { Role } from '../../auth/permissions.ts';
import { recordTaskAction, type TaskActionKind } from '../../domain/task-actions.ts';
import { ACTION_SLUGS } from '../../routes/tasks.tsx';
import { getTaskByCode } from '../../domain/tasks.ts';
import { samplePdf } from '../fixtures/files.ts';
import { insertUser } from '../../auth/users.ts';
import { appendInternalStep, setHeadApproval } from '../../domain/unit-steps.ts';

export type Who = Role | 'agencyB';

export function postMultipart(
  t: TestApp,
  path: string,
  fields: Record<string, string>,
  files: Array<[string, Uint8Array<ArrayBuffer>, string]>,
  cookie: string,
) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  for (const [name, bytes, filename] of files)
    fd.append(name, new File([bytes], filename, { type: 'application/pdf' }));
  return Promise.resolve(t.app.request(path, { method: 'POST', headers: { origin: TEST_ORIGIN, cookie }, body: fd }));
}

export const counts = (t: TestApp) => ({
  events: t.db.prepare('SELECT count(*) FROM task_events').pluck().get() as number,
  files: t.db.prepare('SELECT count(*) FROM files').pluck().get() as number,
  audit: t.db.prepare("SELECT count(*) FROM audit_log WHERE action LIKE 'task.%'").pluck().get() as number,
  steps: t.db.prepare('SELECT count(*) FROM task_internal_steps').pluck().get() as number,
});

/** Puts the task in the state an action needs, directly through the domain. */
export function prepare(t: TestApp, kind: TaskActionKind, code: string) {
  const deps = { db: t.db, env: t.env, now: t.clock.now };
  if (kind === 'confirm' || kind === 'return_report') {
    t.db
      .prepare('INSERT INTO files (storage_name, original_name, mime, size, sha256) VALUES (?, ?, ?, ?, ?)')
      .run('0'.repeat(32), 'x.pdf', 'application/pdf', 1, 'x');
    const task = getTaskByCode(t.db, code)!;
    const agency = t.db.prepare('SELECT id FROM users WHERE agency_id = ? LIMIT 1').pluck().get(task.lead_agency_id) as
      | number
      | undefined;
    const lead = agency
      ? { kind: 'user' as const, id: agency, name: 'x', role: 'agency' as const, agencyId: task.lead_agency_id }
      : null;
    if (lead) recordTaskAction(deps, lead, code, { kind: 'receive' });
    t.db
      .prepare(
        "INSERT INTO task_events (task_id, kind, occurred_on, note) VALUES (?, 'reported', '2026-03-01', 'Đã xong')",
      )
      .run(task.id);
    t.db.prepare("UPDATE tasks SET reported_on = '2026-03-01', last_event_on = '2026-03-01' WHERE id = ?").run(task.id);
  }
  if (kind === 'approve_extension' || kind === 'reject_extension') {
    const task = getTaskByCode(t.db, code)!;
    t.db
      .prepare(
        `INSERT INTO task_events (task_id, kind, occurred_on, note, data) VALUES (?, 'extension_requested', '2026-03-01', 'Chờ số liệu', '{"newDeadline":"2026-07-31"}')`,
      )
      .run(task.id);
    t.db
      .prepare("UPDATE tasks SET ext_requested_on = '2026-03-01', last_event_on = '2026-03-01' WHERE id = ?")
      .run(task.id);
  }
  if (kind === 'explain') t.clock.now = new Date('2026-07-05T03:00:00Z'); // overdue
  const task = getTaskByCode(t.db, code)!;
  if (kind === 'delegate') {
    // a second officer of agency A, not yet given the task (the test app's officer already has it)
    insertUser(
      t.db,
      {
        username: 'chuyenvien-a2',
        displayName: 'Chuyên viên A2',
        email: null,
        role: 'officer',
        agencyId: t.agencies.a,
      },
      t.hasher.hashSync('x'),
      false,
      t.clock.now,
    );
  }
  if (kind === 'approve_submission' || kind === 'send_back') {
    // the unit requires the head's approval, and the focal point's result report waits for it
    setHeadApproval(t.db, task.lead_agency_id, true);
    const fileId = Number(
      t.db
        .prepare('INSERT INTO files (storage_name, original_name, mime, size, sha256) VALUES (?, ?, ?, ?, ?)')
        .run('1'.repeat(32), 'Báo cáo.pdf', 'application/pdf', 1, 'x').lastInsertRowid,
    );
    appendInternalStep(t.db, {
      taskId: task.id,
      agencyId: task.lead_agency_id,
      kind: 'submitted',
      subject: 'report',
      actorUserId: t.users.agency.id,
      occurredOn: '2026-03-02',
      at: t.clock.now,
      note: 'Đã hoàn thành',
      fileIds: [fileId],
    });
  }
}

/** The unit's internal steps: they write no task event (an approval writes the one it stands for). */
export const INTERNAL_KINDS: ReadonlySet<TaskActionKind> = new Set(['delegate', 'draft_report', 'send_back']);

export function validFields(t: TestApp, kind: TaskActionKind): Record<string, string> {
  switch (kind) {
    case 'receive':
    case 'urge':
    case 'confirm':
      return {};
    case 'request_extension':
      return { new_deadline: '31/07/2026', note: 'Chờ số liệu quý 2' };
    case 'approve_extension':
      return { new_deadline: '31/07/2026' };
    case 'reassign':
      return { to_agency: String(t.agencies.c), note: 'Đúng chức năng' };
    case 'delegate': {
      const id = t.db.prepare("SELECT id FROM users WHERE username = 'chuyenvien-a2'").pluck().get() as number;
      return { officers: String(id), internal_due: '30/04/2026', note: 'Chủ trì soạn báo cáo' };
    }
    case 'approve_submission':
      return { subject: 'report' };
    case 'send_back':
      return { subject: 'report', note: 'Cần bổ sung số liệu quý 1' };
    case 'edit':
      return {
        title: 'Tên đã sửa',
        content: '',
        leader: '',
        sector: '',
        deadline: '30/06/2026',
        reason: 'Sai chính tả',
      };
    default:
      return { note: 'Nội dung hợp lệ' };
  }
}

export async function act(t: TestApp, kind: TaskActionKind, who: Who, code: string, fields = validFields(t, kind)) {
  const cookie = await t.cookieFor(who);
  const path = `/admin/tasks/${code}/${ACTION_SLUGS[kind]}`;
  if (kind === 'report' || kind === 'explain')
    return postMultipart(t, path, fields, kind === 'report' ? [['files', samplePdf(), 'Báo cáo.pdf']] : [], cookie);
  return t.post(path, fields, cookie);
}

export const KINDS = Object.keys(ACTION_SLUGS) as TaskActionKind[];
