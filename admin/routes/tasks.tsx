/**
 * A minimal read-only task page (issue 3): title, status as of today and the timeline, guarded by the matrix —
 * an agency user sees only tasks its agency leads or coordinates. Issue 4 grows it (actions, files, list).
 */
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { assertCan, requirePermission } from '../auth/permissions.ts';
import { getTaskByCode, listEvents, factsFromRow } from '../domain/tasks.ts';
import { CATEGORY_LABELS, classifyAsOf, type EventKind } from '../domain/status.ts';
import { DomainError } from '../domain/rules.ts';
import { formatDateVi, today } from '../domain/dates.ts';
import { Layout } from '../views/layout.tsx';
import { Table } from '../views/components.tsx';

export const EVENT_LABELS: Record<EventKind, string> = {
  assigned: 'Giao nhiệm vụ',
  received: 'Đơn vị tiếp nhận',
  progress: 'Báo cáo tiến độ',
  reported: 'Báo cáo kết quả',
  confirmed: 'Xác nhận hoàn thành',
  returned: 'Trả lại báo cáo',
  extension_requested: 'Đề nghị gia hạn',
  extension_approved: 'Đồng ý gia hạn',
  extension_rejected: 'Không đồng ý gia hạn',
  explanation_submitted: 'Giải trình',
  urged: 'Đôn đốc',
  reassigned: 'Chuyển đơn vị chủ trì',
  cancelled: 'Thu hồi nhiệm vụ',
  corrected: 'Điều chỉnh',
};

export function tasksRoutes(deps: AppDeps) {
  const { db } = deps;
  const app = new Hono<AppEnv>();
  app.get('/tasks/:code{NV-[0-9]+-[0-9]+}', requirePermission('task.read'), (c) => {
    const code = c.req.param('code');
    const task = getTaskByCode(db, code);
    if (!task) throw new DomainError('task_not_found', 'Không tìm thấy nhiệm vụ.', 404);
    const coordinators = (db.prepare('SELECT agency_id FROM task_coordinators WHERE task_id = ?').all(task.id) as Array<{ agency_id: number }>).map(
      (r) => r.agency_id,
    );
    assertCan(c, 'task.read', { leadAgencyId: task.lead_agency_id, coordinatorAgencyIds: coordinators }, { type: 'task', id: code });
    const asOf = today(deps.clock());
    const status = classifyAsOf(factsFromRow(task), asOf);
    const names = new Map(
      (db.prepare('SELECT id, name FROM agencies').all() as Array<{ id: number; name: string }>).map((a) => [a.id, a.name]),
    );
    const events = listEvents(db, task.id);
    const category = status.category ? CATEGORY_LABELS[status.category] : task.cancelled_on ? 'Đã thu hồi' : 'Chưa tính';
    return c.html(
      <Layout title={`${task.code}: ${task.title}`} user={c.get('user')} current="tasks">
        <dl>
          <dt>Đơn vị chủ trì</dt>
          <dd>{names.get(task.lead_agency_id) ?? ''}</dd>
          {coordinators.length > 0 && (
            <>
              <dt>Đơn vị phối hợp</dt>
              <dd>{coordinators.map((a) => names.get(a) ?? '').join('; ')}</dd>
            </>
          )}
          <dt>Ngày giao</dt>
          <dd>{formatDateVi(task.assigned_on)}</dd>
          <dt>Thời hạn</dt>
          <dd>
            {task.deadline ? formatDateVi(task.deadline) : 'Không thời hạn'}
            {task.ext_deadline && task.ext_approved_on ? ` (gia hạn đến ${formatDateVi(task.ext_deadline)})` : ''}
          </dd>
          <dt>Tình trạng tính đến ngày {formatDateVi(asOf)}</dt>
          <dd>
            <strong>{category}</strong>
            {status.awaitingConfirmation ? ' — đã báo cáo, chờ xác nhận' : ''}
            {status.overdueDays > 0 ? ` — quá hạn ${status.overdueDays} ngày` : ''}
          </dd>
        </dl>
        {task.content && <p>{task.content}</p>}
        <Table
          caption="Diễn biến"
          head={['Ngày', 'Sự kiện', 'Đơn vị', 'Ghi chú']}
          rows={events.map((e) => [formatDateVi(e.occurred_on), EVENT_LABELS[e.kind], e.agency_id ? (names.get(e.agency_id) ?? '') : '', e.note])}
        />
      </Layout>,
    );
  });
  return app;
}
