/**
 * The task page (issue 4): everything on record — document, agencies, original deadline and the extension, status
 * as of today, the full timeline with actors and files — and only the action forms the viewer's role allows.
 * Renders the view model of admin/domain/task-view.ts loadTaskPage; reads nothing itself.
 */
import type { SessionUser } from '../auth/session.ts';
import { CATEGORY_LABELS } from '../domain/status.ts';
import type { TaskActionKind } from '../domain/task-actions.ts';
import type { TaskPage } from '../domain/task-view.ts';
import { formatDateVi } from '../domain/dates.ts';
import { Flash } from './components.tsx';
import { Layout } from './layout.tsx';
import { ACTION_SLUGS, ActionForm, type FormState } from './task-action-forms.tsx';
import { TaskTimeline } from './task-timeline.tsx';
import { UnitPanel } from './unit-forms.tsx';

/** The order the action forms appear in. */
const ORDER: TaskActionKind[] = [
  'receive',
  'delegate',
  'progress',
  'draft_report',
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

export function TaskPageView(p: { page: TaskPage; user: SessionUser | null; flash: string | null; state?: FormState }) {
  const { page, state } = p;
  const { task, asOf, status: st, agencies, coordinatorIds, actions } = page;
  const doc = page.document;
  const leader = page.leader;
  const sector = page.sector;
  const specialist = page.specialist;
  const ext = page.extension;
  const msg = p.flash;
  const category = st.category ? CATEGORY_LABELS[st.category] : task.cancelled_on ? 'Đã thu hồi' : 'Chưa tính';
  return (
    <Layout title={`${task.code}: ${task.title}`} user={p.user} current="task-list">
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
        <dd>{page.namer.labelAsOf(task.lead_agency_id, asOf)}</dd>
        {coordinatorIds.length > 0 && (
          <>
            <dt>Đơn vị phối hợp</dt>
            <dd>{coordinatorIds.map((a) => page.namer.labelAsOf(a, asOf)).join('; ')}</dd>
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
        {ext && (
          <>
            <dt>Gia hạn</dt>
            <dd>
              Đề nghị ngày {formatDateVi(ext.requestedOn)}
              {ext.requestedDeadline ? ` đến ${formatDateVi(ext.requestedDeadline)}` : ''}
              {task.ext_approved_on && task.ext_deadline
                ? ` — đã đồng ý ngày ${formatDateVi(task.ext_approved_on)}, thời hạn mới ${formatDateVi(task.ext_deadline)}`
                : ext.rejectedOn
                  ? ` — không được đồng ý (${formatDateVi(ext.rejectedOn)})`
                  : ' — đang chờ Tổ công tác xem xét'}
            </dd>
          </>
        )}
        {st.effectiveDeadline && st.statedDeadline && st.effectiveDeadline !== st.statedDeadline && (
          <>
            <dt>Thời hạn tính</dt>
            <dd>
              {formatDateVi(st.effectiveDeadline)} (thời hạn {formatDateVi(st.statedDeadline)} rơi vào ngày nghỉ, kết
              thúc vào cuối ngày làm việc tiếp theo)
            </dd>
          </>
        )}
        <dt>Tình trạng tính đến ngày {formatDateVi(asOf)}</dt>
        <dd>
          <strong>{category}</strong>
          {st.awaitingConfirmation ? ` — đã báo cáo, chờ xác nhận ${st.awaitingDays} ngày` : ''}
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
      <TaskTimeline
        events={page.events}
        steps={page.unit?.steps}
        names={{ agencies, namer: page.namer, leaders: page.leaderNames, sectors: page.sectorNames }}
      />
      <UnitPanel page={page} state={state} />
      {ORDER.some((k) => actions.has(k)) ? (
        <>
          <h2>Thao tác</h2>
          <div class="action-list">
            {ORDER.filter((k) => actions.has(k)).map((k) => (
              <ActionForm kind={k} page={page} state={state} />
            ))}
          </div>
        </>
      ) : actions.size === 0 ? (
        <p class="muted">Bạn chỉ có quyền xem nhiệm vụ này.</p>
      ) : null}
    </Layout>
  );
}
