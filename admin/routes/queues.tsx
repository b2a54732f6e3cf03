/**
 * Work queues (issue 4):
 * - GET /admin/queues/reports     result reports awaiting confirmation, oldest first, with the report text and files;
 *                                 confirm or return (with a reason) inline — the working group;
 * - GET /admin/queues/extensions  pending extension requests (original deadline, requested date, reason); approve
 *                                 with a new deadline (prefilled, adjustable) or reject with a reason;
 * - GET /admin/explanations       written explanations: who explained what, when (for the Office);
 * - GET /admin/urging             the urging log: manual urging from task pages and the quarterly automatic one;
 * - GET /admin/inbox              an agency user's new tasks to acknowledge and the tasks it must explain.
 * Inline forms post to the task action routes (admin/routes/tasks.tsx) with back=<this page>.
 */
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { requirePermission } from '../auth/permissions.ts';
import {
  listExplanations,
  listPendingExtensions,
  listPendingReports,
  listUrging,
  loadInbox,
} from '../domain/queues.ts';
import { formatDateTimeVi, formatDateVi, today } from '../domain/dates.ts';
import { Layout } from '../views/layout.tsx';
import { Flash, Pager, Table } from '../views/components.tsx';
import { DateField, TextAreaField } from '../views/forms.tsx';
import { flashFromQuery } from './form-helpers.ts';
import { eventFiles } from '../domain/task-view.ts';
import { FileLinks } from '../views/task-timeline.tsx';

const QUEUE_LIMIT = 200;
const PAGE_SIZE = 50;

export function queuesRoutes(deps: AppDeps) {
  const { db } = deps;
  const app = new Hono<AppEnv>();

  app.get('/queues/reports', requirePermission('report.confirm'), (c) => {
    // the latest 'reported' event of each task whose report is pending (tasks.reported_on is the pending one)
    const { rows, total } = listPendingReports(db, QUEUE_LIMIT);
    const files = eventFiles(
      db,
      rows.map((r) => r.event_id),
    );
    const msg = flashFromQuery(c);
    return c.html(
      <Layout title="Báo cáo chờ xác nhận" user={c.get('user')} current="queue-reports">
        {msg && <Flash kind="ok">{msg}</Flash>}
        <p>
          {total} báo cáo kết quả đang chờ xác nhận, cũ nhất trước
          {total > rows.length ? ` (hiển thị ${rows.length} báo cáo đầu)` : ''}. Xác nhận khi kết quả đạt yêu cầu; trả
          lại kèm lý do khi chưa đạt.
        </p>
        {rows.length === 0 && <p class="empty">Không có báo cáo nào chờ xác nhận.</p>}
        {rows.map((r) => {
          const deadline = r.ext_approved_on && r.ext_deadline ? r.ext_deadline : r.deadline;
          const late = deadline !== null && r.reported_on !== null && r.reported_on > deadline;
          return (
            <article class="queue-item" id={`q-${r.code}`} aria-labelledby={`qh-${r.code}`}>
              <h2 id={`qh-${r.code}`}>
                <a href={`/admin/tasks/${r.code}`}>{r.code}</a>: {r.title}
              </h2>
              <p>
                {r.lead_name} — báo cáo ngày {formatDateVi(r.event_on)}
                {r.actor_name ? ` (${r.actor_name})` : ''} — thời hạn{' '}
                {deadline ? formatDateVi(deadline) : 'không thời hạn'}
                {late ? ' — báo cáo sau thời hạn' : ''}
              </p>
              <blockquote class="prewrap">{r.note}</blockquote>
              <FileLinks files={files.get(r.event_id)} />
              <div class="actions">
                <form method="post" action={`/admin/tasks/${r.code}/confirm`}>
                  <input type="hidden" name="back" value="/admin/queues/reports" />
                  <button type="submit">Xác nhận hoàn thành</button>
                </form>
                <form method="post" action={`/admin/tasks/${r.code}/return`} class="return-form">
                  <input type="hidden" name="back" value="/admin/queues/reports" />
                  <TextAreaField
                    id={`return-${r.code}`}
                    name="note"
                    label="Lý do trả lại"
                    required
                    maxlength={4000}
                    rows={2}
                  />
                  <button type="submit" class="danger">
                    Trả lại báo cáo
                  </button>
                </form>
              </div>
            </article>
          );
        })}
      </Layout>,
    );
  });

  app.get('/queues/extensions', requirePermission('extension.decide'), (c) => {
    // one request per task at most (rules.ts), so "pending" = requested, neither approved nor rejected
    const rows = listPendingExtensions(db, QUEUE_LIMIT);
    const msg = flashFromQuery(c);
    return c.html(
      <Layout title="Đề nghị gia hạn chờ xử lý" user={c.get('user')} current="queue-extensions">
        {msg && <Flash kind="ok">{msg}</Flash>}
        <p>
          Mỗi nhiệm vụ chỉ được gia hạn một lần. Thời hạn ban đầu luôn được lưu; thời hạn mới chỉ có hiệu lực từ ngày
          đồng ý.
        </p>
        {rows.length === 0 && <p class="empty">Không có đề nghị gia hạn nào chờ xử lý.</p>}
        {rows.map((r) => {
          const requested = (JSON.parse(r.data) as { newDeadline?: string }).newDeadline ?? null;
          return (
            <article class="queue-item" id={`q-${r.code}`} aria-labelledby={`qh-${r.code}`}>
              <h2 id={`qh-${r.code}`}>
                <a href={`/admin/tasks/${r.code}`}>{r.code}</a>: {r.title}
              </h2>
              <dl>
                <dt>Đơn vị</dt>
                <dd>{r.lead_name}</dd>
                <dt>Thời hạn ban đầu</dt>
                <dd>{r.deadline ? formatDateVi(r.deadline) : 'Không thời hạn'}</dd>
                <dt>Đề nghị gia hạn đến</dt>
                <dd>{requested ? formatDateVi(requested) : '(không ghi)'}</dd>
                <dt>Ngày đề nghị</dt>
                <dd>
                  {formatDateVi(r.event_on)}
                  {r.actor_name ? ` — ${r.actor_name}` : ''}
                </dd>
                <dt>Lý do</dt>
                <dd class="prewrap">{r.note}</dd>
              </dl>
              <div class="actions">
                <form method="post" action={`/admin/tasks/${r.code}/extension-approve`}>
                  <input type="hidden" name="back" value="/admin/queues/extensions" />
                  <DateField
                    id={`approve-${r.code}`}
                    name="new_deadline"
                    label="Thời hạn mới"
                    value={requested ? formatDateVi(requested) : ''}
                    required
                  />
                  <button type="submit">Đồng ý gia hạn</button>
                </form>
                <form method="post" action={`/admin/tasks/${r.code}/extension-reject`}>
                  <input type="hidden" name="back" value="/admin/queues/extensions" />
                  <TextAreaField
                    id={`reject-${r.code}`}
                    name="note"
                    label="Lý do không đồng ý"
                    required
                    maxlength={4000}
                    rows={2}
                  />
                  <button type="submit" class="danger">
                    Không đồng ý
                  </button>
                </form>
              </div>
            </article>
          );
        })}
      </Layout>,
    );
  });

  app.get('/explanations', requirePermission('explanation.read'), (c) => {
    const page = Math.max(1, Math.min(10_000, Number(c.req.query('page')) || 1));
    const { rows, total } = listExplanations(db, page, PAGE_SIZE);
    const files = eventFiles(
      db,
      rows.map((r) => r.event_id),
    );
    return c.html(
      <Layout title="Giải trình của đơn vị" user={c.get('user')} current="explanations">
        <Table
          caption={`${total} giải trình, mới nhất trước`}
          empty="Chưa có giải trình nào."
          head={['Ngày', 'Nhiệm vụ', 'Đơn vị', 'Người giải trình', 'Nội dung', 'Văn bản']}
          rows={rows.map((r) => [
            <span title={formatDateTimeVi(r.recorded_at)}>{formatDateVi(r.event_on)}</span>,
            <>
              <a href={`/admin/tasks/${r.code}`}>{r.code}</a> {r.title}
              <br />
              <span class="muted">
                Thời hạn{' '}
                {r.ext_approved_on && r.ext_deadline
                  ? formatDateVi(r.ext_deadline)
                  : r.deadline
                    ? formatDateVi(r.deadline)
                    : 'không thời hạn'}
              </span>
            </>,
            r.lead_name,
            r.actor_name ?? '',
            <p class="prewrap">{r.note}</p>,
            <FileLinks files={files.get(r.event_id)} />,
          ])}
        />
        <Pager page={page} pageSize={PAGE_SIZE} total={total} baseUrl="/admin/explanations" query={{}} />
      </Layout>,
    );
  });

  app.get('/urging', requirePermission('urging.read'), (c) => {
    const page = Math.max(1, Math.min(10_000, Number(c.req.query('page')) || 1));
    const { rows, total } = listUrging(db, page, PAGE_SIZE);
    return c.html(
      <Layout title="Nhật ký đôn đốc" user={c.get('user')} current="urging">
        <p class="hint">
          Gồm các lần Văn phòng đôn đốc trên trang nhiệm vụ và các lần hệ thống tự đôn đốc nhiệm vụ không thời hạn (định
          kỳ 3 tháng).
        </p>
        <Table
          caption={`${total} lần đôn đốc, mới nhất trước`}
          empty="Chưa có lần đôn đốc nào."
          head={['Ngày', 'Nhiệm vụ', 'Đơn vị', 'Người đôn đốc', 'Nội dung']}
          rows={rows.map((r) => [
            <span title={formatDateTimeVi(r.recorded_at)}>{formatDateVi(r.event_on)}</span>,
            <>
              <a href={`/admin/tasks/${r.code}`}>{r.code}</a> {r.title}
            </>,
            r.lead_name,
            r.actor_name ?? 'Hệ thống (tự động)',
            <p class="prewrap">{r.note}</p>,
          ])}
        />
        <Pager page={page} pageSize={PAGE_SIZE} total={total} baseUrl="/admin/urging" query={{}} />
      </Layout>,
    );
  });

  app.get('/inbox', requirePermission('task.receive'), (c) => {
    const principal = c.get('principal')!;
    const asOf = today(deps.clock());
    const { fresh, mustExplain } = loadInbox(db, principal, asOf, QUEUE_LIMIT);
    const msg = flashFromQuery(c);
    return c.html(
      <Layout title="Việc cần làm của đơn vị" user={c.get('user')} current="inbox">
        {msg && <Flash kind="ok">{msg}</Flash>}
        <h2>Nhiệm vụ mới chưa tiếp nhận ({fresh.length})</h2>
        <Table
          empty="Không có nhiệm vụ mới."
          head={['Mã', 'Nhiệm vụ', 'Văn bản', 'Ngày giao', 'Thời hạn', '']}
          rows={fresh.map((t) => [
            <a href={`/admin/tasks/${t.code}`}>{t.code}</a>,
            <>
              {t.starred ? '★ ' : ''}
              {t.title}
            </>,
            t.doc_number ?? '',
            formatDateVi(t.assigned_on),
            t.deadline ? formatDateVi(t.deadline) : 'Không thời hạn',
            <form method="post" action={`/admin/tasks/${t.code}/receive`}>
              <input type="hidden" name="back" value="/admin/inbox" />
              <button type="submit" aria-label={`Xác nhận tiếp nhận ${t.code}`}>
                Tiếp nhận
              </button>
            </form>,
          ])}
        />
        <h2>Nhiệm vụ phải giải trình ({mustExplain.length})</h2>
        <p class="hint">Nhiệm vụ quá hạn, hoặc hoàn thành/báo cáo sau thời hạn, phải có giải trình bằng văn bản.</p>
        <Table
          empty="Không có nhiệm vụ nào phải giải trình."
          head={['Mã', 'Nhiệm vụ', 'Thời hạn', 'Tình trạng']}
          rows={mustExplain.map(({ t, s }) => [
            <a href={`/admin/tasks/${t.code}#action-explain`}>{t.code}</a>,
            t.title,
            s.effectiveDeadline ? formatDateVi(s.effectiveDeadline) : '',
            s.overdueDays > 0 ? `Quá hạn ${s.overdueDays} ngày` : 'Hoàn thành/báo cáo sau thời hạn',
          ])}
        />
      </Layout>,
    );
  });

  return app;
}
