/**
 * The task page (issue 4): everything on record — document, agencies, original deadline and the extension, status
 * as of today, the full timeline with actors and files — and ONLY the actions the viewer's role allows, each a
 * POST form under /admin/tasks/:code/… that goes through recordTaskAction (admin/domain/task-actions.ts: matrix,
 * 'lead' scope for agency writes, the rules, files, audit in one transaction). Refusals by the rules re-show the
 * page with the message and what the user typed; success redirects (POST-redirect-GET) with a flash key.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { assertCan, requirePermission } from '../auth/permissions.ts';
import { getTaskByCode, factsFromRow, type TaskRow } from '../domain/tasks.ts';
import { CATEGORY_LABELS, classifyAsOf, EVENT_LABELS, type EventKind } from '../domain/status.ts';
import { DomainError } from '../domain/rules.ts';
import { formatDateTimeVi, formatDateVi, today } from '../domain/dates.ts';
import {
  ACTION_PERMISSION,
  EDIT_FIELD_LABELS,
  availableActions,
  recordTaskAction,
  taskResource,
  type TaskActionInput,
  type TaskActionKind,
  type TaskEdit,
} from '../domain/task-actions.ts';
import { parseDateField } from '../domain/documents.ts';
import { acceptUpload, filesOf, formatSize, UploadError, type AcceptedUpload } from '../files/store.ts';
import { Layout } from '../views/layout.tsx';
import { Flash, Field, Table } from '../views/components.tsx';
import {
  ACCEPT_ATTACHMENTS,
  CheckboxField,
  ChoiceField,
  DateField,
  FileField,
  TextAreaField,
} from '../views/forms.tsx';
import { flashFromQuery, readForm, type FormBody } from './form-helpers.ts';
import type { DB } from '../db/open.ts';

export { EVENT_LABELS };

/** URL segment of each action: POST /admin/tasks/:code/<slug>. */
export const ACTION_SLUGS: Record<TaskActionKind, string> = {
  receive: 'receive',
  progress: 'progress',
  report: 'report',
  request_extension: 'extension-request',
  explain: 'explain',
  urge: 'urge',
  edit: 'edit',
  reassign: 'reassign',
  cancel: 'cancel',
  confirm: 'confirm',
  return_report: 'return',
  approve_extension: 'extension-approve',
  reject_extension: 'extension-reject',
};

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
};

/** Pages an inline action may send the user back to (never a user-supplied URL). */
const BACK_PAGES = new Set(['/admin/queues/reports', '/admin/queues/extensions', '/admin/inbox']);

export const TASK_CODE_PATTERN = 'NV-[0-9]+-[0-9]+';

type Values = Record<string, string | string[]>;

interface FormState {
  kind: TaskActionKind;
  message: string;
  values: Values;
}

interface EventView {
  id: number;
  kind: EventKind;
  occurred_on: string;
  recorded_at: string;
  note: string;
  data: string;
  public: number;
  agency_id: number | null;
  actor_name: string | null;
}

function nameMaps(db: DB) {
  const agencies = new Map(
    (db.prepare('SELECT id, name FROM agencies').all() as Array<{ id: number; name: string }>).map((a) => [
      a.id,
      a.name,
    ]),
  );
  return { agencies };
}

function listTimeline(db: DB, taskId: number): EventView[] {
  return db
    .prepare(
      `SELECT e.id, e.kind, e.occurred_on, e.recorded_at, e.note, e.data, e.public, e.agency_id, u.display_name AS actor_name
         FROM task_events e LEFT JOIN users u ON u.id = e.actor_user_id
        WHERE e.task_id = ? ORDER BY e.occurred_on, e.id`,
    )
    .all(taskId) as EventView[];
}

export function eventFiles(
  db: DB,
  eventIds: number[],
): Map<number, Array<{ id: number; original_name: string; size: number }>> {
  const out = new Map<number, Array<{ id: number; original_name: string; size: number }>>();
  if (eventIds.length === 0) return out;
  const rows = db
    .prepare(
      `SELECT ef.event_id, f.id, f.original_name, f.size FROM event_files ef JOIN files f ON f.id = ef.file_id
        WHERE ef.event_id IN (SELECT value FROM json_each(?)) ORDER BY f.id`,
    )
    .all(JSON.stringify(eventIds)) as Array<{ event_id: number; id: number; original_name: string; size: number }>;
  for (const r of rows) {
    const list = out.get(r.event_id) ?? [];
    list.push({ id: r.id, original_name: r.original_name, size: r.size });
    out.set(r.event_id, list);
  }
  return out;
}

export function FileLinks(p: { files?: Array<{ id: number; original_name: string; size: number }> }) {
  if (!p.files || p.files.length === 0) return null;
  return (
    <ul class="files">
      {p.files.map((f) => (
        <li>
          <a href={`/admin/files/${f.id}`} download>
            {f.original_name}
          </a>{' '}
          <span class="muted">({formatSize(f.size)})</span>
        </li>
      ))}
    </ul>
  );
}

function formatEditValue(field: string, v: unknown, agencies: Map<number, string>, db: DB): string {
  if (v === null || v === undefined || v === '') return '(trống)';
  switch (field) {
    case 'deadline':
      return formatDateVi(String(v));
    case 'starred':
    case 'confidential':
      return v ? 'có' : 'không';
    case 'coordinatorIds':
      return (v as number[]).map((a) => agencies.get(a) ?? `#${a}`).join('; ') || '(không)';
    case 'leaderId':
      return (
        (db.prepare('SELECT name FROM leaders WHERE id = ?').pluck().get(v) as string | undefined) ?? `#${String(v)}`
      );
    case 'sectorId':
      return (
        (db.prepare('SELECT name FROM sectors WHERE id = ?').pluck().get(v) as string | undefined) ?? `#${String(v)}`
      );
    default: {
      const s = String(v);
      return s.length > 200 ? `${s.slice(0, 200)}…` : s;
    }
  }
}

function EventDetails(p: { e: EventView; agencies: Map<number, string>; db: DB }) {
  const data = JSON.parse(p.e.data) as Record<string, unknown>;
  switch (p.e.kind) {
    case 'assigned':
      return <span>Thời hạn: {data.deadline ? formatDateVi(String(data.deadline)) : 'không thời hạn'}</span>;
    case 'extension_requested':
      return data.newDeadline ? <span>Đề nghị gia hạn đến {formatDateVi(String(data.newDeadline))}</span> : null;
    case 'extension_approved':
      return <span>Gia hạn đến {formatDateVi(String(data.newDeadline))}</span>;
    case 'reassigned':
      return (
        <span>
          Từ {p.agencies.get(Number(data.fromAgencyId)) ?? '?'} sang {p.agencies.get(Number(data.toAgencyId)) ?? '?'}
        </span>
      );
    case 'corrected': {
      const changes = (data.changes ?? {}) as Record<string, { from: unknown; to: unknown }>;
      return (
        <ul class="changes">
          {Object.entries(changes).map(([f, d]) => (
            <li>
              {EDIT_FIELD_LABELS[f as keyof TaskEdit] ?? f}: {formatEditValue(f, d.from, p.agencies, p.db)} →{' '}
              {formatEditValue(f, d.to, p.agencies, p.db)}
            </li>
          ))}
        </ul>
      );
    }
    default:
      return null;
  }
}

const v1 = (values: Values, k: string): string => {
  const v = values[k];
  return typeof v === 'string' ? v : '';
};

/** One action form. `kind` picks the fields; errors and typed values come back in `state`. */
function ActionForm(p: {
  kind: TaskActionKind;
  code: string;
  task: TaskRow;
  db: DB;
  state?: FormState;
  requested?: string | null;
}) {
  const { kind, code, task, db } = p;
  const st = p.state?.kind === kind ? p.state : undefined;
  const values = st?.values ?? {};
  const id = (f: string) => `${ACTION_SLUGS[kind]}-${f}`;
  const action = `/admin/tasks/${code}/${ACTION_SLUGS[kind]}`;
  const multipart = kind === 'report' || kind === 'explain';
  const err = st?.message;
  const body = (() => {
    switch (kind) {
      case 'receive':
        return { title: 'Xác nhận đã tiếp nhận nhiệm vụ', fields: null, button: 'Xác nhận tiếp nhận' };
      case 'progress':
        return {
          title: 'Báo cáo tiến độ',
          fields: (
            <TextAreaField
              id={id('note')}
              name="note"
              label="Tiến độ thực hiện"
              value={v1(values, 'note')}
              required
              maxlength={4000}
            />
          ),
          button: 'Gửi báo cáo tiến độ',
        };
      case 'report':
        return {
          title: 'Báo cáo kết quả',
          fields: (
            <>
              <TextAreaField
                id={id('note')}
                name="note"
                label="Kết quả thực hiện"
                value={v1(values, 'note')}
                required
                maxlength={4000}
                rows={4}
              />
              <FileField
                id={id('files')}
                name="files"
                label="Tệp đính kèm (văn bản báo cáo, tài liệu kết quả)"
                hint="PDF, Word, Excel, ảnh hoặc ZIP; mỗi tệp tối đa theo cấu hình (mặc định 20 MB). Có thể chọn nhiều tệp."
                multiple
                required
                accept={ACCEPT_ATTACHMENTS}
              />
            </>
          ),
          button: 'Gửi báo cáo kết quả',
        };
      case 'request_extension':
        return {
          title: 'Đề nghị gia hạn',
          fields: (
            <>
              <p class="hint">Mỗi nhiệm vụ chỉ được gia hạn tối đa một lần.</p>
              <DateField
                id={id('new_deadline')}
                name="new_deadline"
                label="Thời hạn đề nghị"
                value={v1(values, 'new_deadline')}
                required
              />
              <TextAreaField
                id={id('note')}
                name="note"
                label="Lý do đề nghị gia hạn"
                value={v1(values, 'note')}
                required
                maxlength={4000}
              />
            </>
          ),
          button: 'Gửi đề nghị gia hạn',
        };
      case 'explain':
        return {
          title: 'Giải trình bằng văn bản',
          fields: (
            <>
              <p class="hint">Nhiệm vụ quá hạn hoặc hoàn thành quá hạn phải có giải trình bằng văn bản.</p>
              <TextAreaField
                id={id('note')}
                name="note"
                label="Nội dung giải trình"
                value={v1(values, 'note')}
                required
                maxlength={4000}
                rows={4}
              />
              <FileField
                id={id('files')}
                name="files"
                label="Văn bản giải trình đã ký (không bắt buộc)"
                accept={ACCEPT_ATTACHMENTS}
              />
            </>
          ),
          button: 'Gửi giải trình',
        };
      case 'urge':
        return {
          title: 'Đôn đốc đơn vị',
          fields: (
            <TextAreaField
              id={id('note')}
              name="note"
              label="Nội dung đôn đốc (không bắt buộc)"
              value={v1(values, 'note')}
              maxlength={4000}
            />
          ),
          button: 'Ghi nhận đôn đốc',
        };
      case 'reassign': {
        const agencies = db
          .prepare(
            'SELECT id, name FROM agencies WHERE successor_id IS NULL AND dissolved_on IS NULL AND id <> ? ORDER BY name',
          )
          .all(task.lead_agency_id) as Array<{ id: number; name: string }>;
        return {
          title: 'Chuyển đơn vị chủ trì',
          fields: (
            <>
              <ChoiceField
                id={id('to_agency')}
                name="to_agency"
                label="Đơn vị chủ trì mới"
                emptyLabel="— Chọn đơn vị —"
                value={v1(values, 'to_agency')}
                options={agencies.map((a) => ({ value: String(a.id), label: a.name }))}
              />
              <TextAreaField
                id={id('note')}
                name="note"
                label="Lý do"
                value={v1(values, 'note')}
                required
                maxlength={4000}
              />
            </>
          ),
          button: 'Chuyển đơn vị',
        };
      }
      case 'cancel':
        return {
          title: 'Thu hồi nhiệm vụ',
          fields: (
            <TextAreaField
              id={id('note')}
              name="note"
              label="Lý do thu hồi"
              value={v1(values, 'note')}
              required
              maxlength={4000}
            />
          ),
          button: 'Thu hồi nhiệm vụ',
          danger: true,
        };
      case 'confirm':
        return {
          title: 'Xác nhận hoàn thành',
          fields: (
            <TextAreaField
              id={id('note')}
              name="note"
              label="Ghi chú (không bắt buộc)"
              value={v1(values, 'note')}
              maxlength={4000}
              rows={2}
            />
          ),
          button: 'Xác nhận hoàn thành',
        };
      case 'return_report':
        return {
          title: 'Trả lại báo cáo kết quả',
          fields: (
            <TextAreaField
              id={id('note')}
              name="note"
              label="Lý do trả lại"
              value={v1(values, 'note')}
              required
              maxlength={4000}
              rows={2}
            />
          ),
          button: 'Trả lại báo cáo',
          danger: true,
        };
      case 'approve_extension':
        return {
          title: 'Đồng ý gia hạn',
          fields: (
            <>
              <DateField
                id={id('new_deadline')}
                name="new_deadline"
                label="Thời hạn mới"
                value={v1(values, 'new_deadline') || (p.requested ? formatDateVi(p.requested) : '')}
                required
                hint="Mặc định là thời hạn đơn vị đề nghị; có thể điều chỉnh. Thời hạn ban đầu vẫn được lưu."
              />
              <TextAreaField
                id={id('note')}
                name="note"
                label="Ghi chú (không bắt buộc)"
                value={v1(values, 'note')}
                maxlength={4000}
                rows={2}
              />
            </>
          ),
          button: 'Đồng ý gia hạn',
        };
      case 'reject_extension':
        return {
          title: 'Không đồng ý gia hạn',
          fields: (
            <TextAreaField
              id={id('note')}
              name="note"
              label="Lý do không đồng ý"
              value={v1(values, 'note')}
              required
              maxlength={4000}
              rows={2}
            />
          ),
          button: 'Không đồng ý gia hạn',
          danger: true,
        };
      case 'edit':
        return {
          title: 'Điều chỉnh thông tin nhiệm vụ',
          fields: <EditFields task={task} db={db} values={st ? values : undefined} />,
          button: 'Lưu điều chỉnh',
        };
    }
  })();
  return (
    <section class="action" id={`action-${ACTION_SLUGS[kind]}`} aria-labelledby={`h-${ACTION_SLUGS[kind]}`}>
      <h3 id={`h-${ACTION_SLUGS[kind]}`}>{body.title}</h3>
      {err && <Flash kind="error">{err}</Flash>}
      <form method="post" action={action} enctype={multipart ? 'multipart/form-data' : undefined}>
        {body.fields}
        <button type="submit" class={'danger' in body && body.danger ? 'danger' : undefined}>
          {body.button}
        </button>
      </form>
    </section>
  );
}

function EditFields(p: { task: TaskRow; db: DB; values?: Values }) {
  const { task, db } = p;
  const coords = (
    db.prepare('SELECT agency_id FROM task_coordinators WHERE task_id = ?').pluck().all(task.id) as number[]
  ).map(String);
  const v: Values = p.values ?? {
    title: task.title,
    content: task.content,
    leader: task.leader_id === null ? '' : String(task.leader_id),
    sector: task.sector_id === null ? '' : String(task.sector_id),
    coordinators: coords,
    starred: task.starred ? '1' : '',
    confidential: task.confidential ? '1' : '',
    deadline: task.deadline ? formatDateVi(task.deadline) : '',
    no_deadline: task.deadline === null ? '1' : '',
    no_deadline_reason: task.no_deadline_reason ?? '',
    reason: '',
  };
  const leaders = db
    .prepare('SELECT id, name, title FROM leaders WHERE active = 1 OR id = ? ORDER BY id')
    .all(task.leader_id) as Array<{ id: number; name: string; title: string }>;
  const sectors = db
    .prepare('SELECT id, name FROM sectors WHERE active = 1 OR id = ? ORDER BY name')
    .all(task.sector_id) as Array<{ id: number; name: string }>;
  const agencies = db
    .prepare(
      'SELECT id, name FROM agencies WHERE (successor_id IS NULL AND dissolved_on IS NULL) OR id IN (SELECT agency_id FROM task_coordinators WHERE task_id = ?) ORDER BY name',
    )
    .all(task.id) as Array<{ id: number; name: string }>;
  const coordVals = Array.isArray(v.coordinators) ? v.coordinators : v.coordinators ? [v.coordinators] : [];
  return (
    <>
      <Field name="title" label="Tên nhiệm vụ" value={v1(v, 'title')} required maxlength={500} />
      <TextAreaField
        id="edit-content"
        name="content"
        label="Nội dung"
        value={v1(v, 'content')}
        maxlength={10000}
        rows={4}
      />
      <ChoiceField
        id="edit-leader"
        name="leader"
        label="Lãnh đạo giao"
        emptyLabel="— Không —"
        value={v1(v, 'leader')}
        options={leaders.map((l) => ({ value: String(l.id), label: `${l.name} (${l.title})` }))}
      />
      <ChoiceField
        id="edit-sector"
        name="sector"
        label="Lĩnh vực"
        emptyLabel="— Không —"
        value={v1(v, 'sector')}
        options={sectors.map((s) => ({ value: String(s.id), label: s.name }))}
      />
      <ChoiceField
        id="edit-coordinators"
        name="coordinators"
        label="Đơn vị phối hợp"
        hint="Giữ Ctrl để chọn nhiều đơn vị."
        multiple
        value={coordVals}
        options={agencies
          .filter((a) => a.id !== task.lead_agency_id)
          .map((a) => ({ value: String(a.id), label: a.name }))}
      />
      <CheckboxField
        id="edit-starred"
        name="starred"
        label="Nhiệm vụ ưu tiên (gắn sao)"
        checked={v1(v, 'starred') === '1'}
      />
      <CheckboxField
        id="edit-confidential"
        name="confidential"
        label="Mật (không công khai)"
        checked={v1(v, 'confidential') === '1'}
      />
      <DateField
        id="edit-deadline"
        name="deadline"
        label="Thời hạn"
        value={v1(v, 'deadline')}
        hint="Chỉ sửa được khi đơn vị chưa tiếp nhận (sửa lỗi nhập liệu); sau đó thời hạn chỉ thay đổi qua gia hạn."
      />
      <CheckboxField
        id="edit-no-deadline"
        name="no_deadline"
        label="Không thời hạn"
        checked={v1(v, 'no_deadline') === '1'}
      />
      <TextAreaField
        id="edit-no-deadline-reason"
        name="no_deadline_reason"
        label="Lý do không thời hạn"
        value={v1(v, 'no_deadline_reason')}
        maxlength={1000}
        rows={2}
      />
      <TextAreaField
        id="edit-reason"
        name="reason"
        label="Lý do điều chỉnh (bắt buộc, được ghi vào nhật ký)"
        value={v1(v, 'reason')}
        required
        maxlength={4000}
        rows={2}
      />
    </>
  );
}

function renderTaskPage(
  c: Context<AppEnv>,
  deps: AppDeps,
  task: TaskRow,
  state?: FormState,
  status: 200 | 422 | 409 = 200,
) {
  const { db } = deps;
  const principal = c.get('principal')!;
  const asOf = today(deps.clock());
  const facts = factsFromRow(task);
  const st = classifyAsOf(facts, asOf);
  const { agencies } = nameMaps(db);
  const coordinators = db
    .prepare('SELECT agency_id FROM task_coordinators WHERE task_id = ?')
    .pluck()
    .all(task.id) as number[];
  const events = listTimeline(db, task.id);
  const files = eventFiles(
    db,
    events.map((e) => e.id),
  );
  const doc = task.document_id
    ? (db.prepare('SELECT id, number, doc_type, issued_on FROM documents WHERE id = ?').get(task.document_id) as
        | { id: number; number: string; doc_type: string; issued_on: string }
        | undefined)
    : undefined;
  const leader = task.leader_id
    ? (db.prepare('SELECT name, title FROM leaders WHERE id = ?').get(task.leader_id) as
        | { name: string; title: string }
        | undefined)
    : undefined;
  const sector = task.sector_id
    ? (db.prepare('SELECT name FROM sectors WHERE id = ?').pluck().get(task.sector_id) as string | undefined)
    : undefined;
  const specialist = task.specialist_id
    ? (db.prepare('SELECT display_name FROM users WHERE id = ?').pluck().get(task.specialist_id) as string | undefined)
    : undefined;
  const extRequest = events.find((e) => e.kind === 'extension_requested');
  const extRejected = events.find((e) => e.kind === 'extension_rejected');
  const requested = extRequest ? ((JSON.parse(extRequest.data) as { newDeadline?: string }).newDeadline ?? null) : null;
  const category = st.category ? CATEGORY_LABELS[st.category] : task.cancelled_on ? 'Đã thu hồi' : 'Chưa tính';
  const actions = availableActions(db, principal, task, asOf);
  const msg = flashFromQuery(c);
  const order: TaskActionKind[] = [
    'receive',
    'progress',
    'report',
    'request_extension',
    'explain',
    'confirm',
    'return_report',
    'approve_extension',
    'reject_extension',
    'urge',
    'edit',
    'reassign',
    'cancel',
  ];
  return c.html(
    <Layout title={`${task.code}: ${task.title}`} user={c.get('user')} current="task-list">
      {msg && <Flash kind="ok">{msg}</Flash>}
      {state && (
        <Flash kind="error">
          Không thực hiện được: {state.message} <a href={`#action-${ACTION_SLUGS[state.kind]}`}>Xem biểu mẫu</a>
        </Flash>
      )}
      <dl class="task-facts">
        {doc && (
          <>
            <dt>Văn bản giao</dt>
            <dd>
              <a href={`/admin/documents/${doc.id}`}>
                {doc.doc_type} số {doc.number}
              </a>{' '}
              ngày {formatDateVi(doc.issued_on)}
            </dd>
          </>
        )}
        <dt>Đơn vị chủ trì</dt>
        <dd>{agencies.get(task.lead_agency_id) ?? ''}</dd>
        {coordinators.length > 0 && (
          <>
            <dt>Đơn vị phối hợp</dt>
            <dd>{coordinators.map((a) => agencies.get(a) ?? '').join('; ')}</dd>
          </>
        )}
        {leader && (
          <>
            <dt>Lãnh đạo giao</dt>
            <dd>
              {leader.name} ({leader.title})
            </dd>
          </>
        )}
        {sector && (
          <>
            <dt>Lĩnh vực</dt>
            <dd>{sector}</dd>
          </>
        )}
        {specialist && (
          <>
            <dt>Chuyên viên theo dõi</dt>
            <dd>{specialist}</dd>
          </>
        )}
        <dt>Ngày giao</dt>
        <dd>{formatDateVi(task.assigned_on)}</dd>
        <dt>Thời hạn ban đầu</dt>
        <dd>
          {task.deadline ? formatDateVi(task.deadline) : `Không thời hạn (lý do: ${task.no_deadline_reason ?? ''})`}
        </dd>
        {extRequest && (
          <>
            <dt>Gia hạn</dt>
            <dd>
              Đề nghị ngày {formatDateVi(extRequest.occurred_on)}
              {requested ? ` đến ${formatDateVi(requested)}` : ''}
              {task.ext_approved_on && task.ext_deadline
                ? ` — đã đồng ý ngày ${formatDateVi(task.ext_approved_on)}, thời hạn mới ${formatDateVi(task.ext_deadline)}`
                : extRejected
                  ? ` — không được đồng ý (${formatDateVi(extRejected.occurred_on)})`
                  : ' — đang chờ Tổ công tác xem xét'}
            </dd>
          </>
        )}
        <dt>Tình trạng tính đến ngày {formatDateVi(asOf)}</dt>
        <dd>
          <strong>{category}</strong>
          {st.awaitingConfirmation ? ' — đã báo cáo, chờ xác nhận' : ''}
          {st.overdueDays > 0 ? ` — quá hạn ${st.overdueDays} ngày` : ''}
          {st.dueSoon ? ' — sắp đến hạn' : ''}
          {task.received_on ? '' : ' — đơn vị chưa xác nhận tiếp nhận'}
          {st.explanationRequired && !task.explained_on ? ' — chưa có giải trình' : ''}
        </dd>
        <dt>Đánh dấu</dt>
        <dd>
          {[task.starred ? '★ Ưu tiên' : '', task.confidential ? 'Mật (không công khai)' : 'Công khai']
            .filter(Boolean)
            .join(' · ')}
        </dd>
      </dl>
      {task.content && (
        <>
          <h2>Nội dung</h2>
          <p class="prewrap">{task.content}</p>
        </>
      )}
      <h2 id="timeline">Diễn biến</h2>
      <Table
        caption={`${events.length} sự kiện`}
        head={['Ngày', 'Sự kiện', 'Người thực hiện', 'Đơn vị', 'Nội dung', 'Tệp']}
        rows={events.map((e) => [
          <span title={formatDateTimeVi(e.recorded_at)}>{formatDateVi(e.occurred_on)}</span>,
          <>
            {EVENT_LABELS[e.kind]}
            {e.public ? '' : <span class="tag">nội bộ</span>}
          </>,
          e.actor_name ?? 'Hệ thống',
          e.agency_id ? (agencies.get(e.agency_id) ?? '') : '',
          <>
            {e.note && <p class="prewrap">{e.note}</p>}
            <EventDetails e={e} agencies={agencies} db={db} />
          </>,
          <FileLinks files={files.get(e.id)} />,
        ])}
      />
      {actions.size > 0 ? (
        <>
          <h2>Thao tác</h2>
          <div class="action-list">
            {order
              .filter((k) => actions.has(k))
              .map((k) => (
                <ActionForm kind={k} code={task.code} task={task} db={db} state={state} requested={requested} />
              ))}
          </div>
        </>
      ) : (
        <p class="muted">Bạn chỉ có quyền xem nhiệm vụ này.</p>
      )}
    </Layout>,
    status,
  );
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
    case 'cancel':
    case 'return_report':
    case 'reject_extension':
    case 'urge':
    case 'confirm':
      return { kind, note } as TaskActionInput;
    case 'report':
      return { kind, note, files: await accept(true) };
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
      try {
        const input = await inputFrom(kind, body, deps.env.uploadMaxBytes, values);
        recordTaskAction({ db, env: deps.env, now: deps.clock() }, c.get('principal')!, task.code, input, {
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
      return c.redirect(`${target}?msg=${ACTION_FLASH[kind]}`, 303);
    });
  }
  return app;
}
