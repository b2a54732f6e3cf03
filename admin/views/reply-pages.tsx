/** Pages of the right of reply (admin/routes/replies.tsx): a unit's replies with the form, the office's queue. */
import type { SessionUser } from '../auth/session.ts';
import { formatDateTimeVi } from '../domain/dates.ts';
import { REPLY_MAX_CHARS, type ReplyRow } from '../domain/replies.ts';
import { ErrorSummary, Flash, Table } from './components.tsx';
import { Layout } from './layout.tsx';

const STATUS: Record<ReplyRow['status'], string> = {
  pending: 'Chờ Văn phòng xem xét',
  approved: 'Đã công khai',
  declined: 'Không công khai',
};

const periodText = (p: string) => `Tháng ${Number(p.slice(5))}/${p.slice(0, 4)}`;

function fileLink(r: ReplyRow) {
  return r.file_id ? <a href={`/admin/files/${r.file_id}`}>{r.file_name ?? 'Tệp PDF'}</a> : '';
}

export function UnitRepliesPage(p: {
  user: SessionUser;
  periods: string[];
  replies: ReplyRow[];
  values: { period: string; body: string };
  errors: Record<string, string>;
  flash: string | null;
  allowed: boolean;
}) {
  return (
    <Layout title="Ý kiến về số liệu công bố" user={p.user} current="replies">
      {p.flash && <Flash kind="ok">{p.flash}</Flash>}
      <p>
        Đơn vị có thể gửi ý kiến ngắn về số liệu của mình trong một kỳ đã công bố (tối đa {REPLY_MAX_CHARS} ký tự, văn
        bản thuần, kèm một tệp PDF nếu cần). Văn phòng xem xét; ý kiến được đồng ý sẽ hiển thị trên trang công khai của
        đơn vị, trong báo cáo của kỳ và dữ liệu mở, kèm ngày gửi. Ý kiến không làm thay đổi số liệu.
      </p>
      {p.allowed ? (
        <form method="post" action="/admin/y-kien" enctype="multipart/form-data" class="stack-form">
          <ErrorSummary errors={p.errors} />
          <div class={`field${p.errors.period ? ' has-error' : ''}`}>
            <label for="period">Kỳ số liệu</label>
            {p.errors.period && <p class="error-text">{p.errors.period}</p>}
            <select id="period" name="period">
              {p.periods.map((x) => (
                <option value={x} selected={x === p.values.period}>
                  {periodText(x)}
                </option>
              ))}
            </select>
          </div>
          <div class={`field${p.errors.body ? ' has-error' : ''}`}>
            <label for="body">Nội dung ý kiến</label>
            <p class="hint">Tối đa {REPLY_MAX_CHARS} ký tự; không định dạng, không liên kết.</p>
            {p.errors.body && <p class="error-text">{p.errors.body}</p>}
            <textarea id="body" name="body" rows={6} maxlength={REPLY_MAX_CHARS}>
              {p.values.body}
            </textarea>
          </div>
          <div class={`field${p.errors.file ? ' has-error' : ''}`}>
            <label for="file">Tệp PDF kèm theo (không bắt buộc)</label>
            {p.errors.file && <p class="error-text">{p.errors.file}</p>}
            <input id="file" name="file" type="file" accept="application/pdf,.pdf" />
          </div>
          <button type="submit">Gửi ý kiến</button>
        </form>
      ) : (
        <p class="note">Đơn vị đã có tài khoản thủ trưởng: ý kiến do thủ trưởng đơn vị gửi.</p>
      )}
      <h2>Ý kiến đã gửi</h2>
      <Table
        caption="Ý kiến của đơn vị"
        head={['Kỳ', 'Gửi lúc', 'Nội dung', 'Tệp', 'Tình trạng']}
        rows={p.replies.map((r) => [
          periodText(r.period),
          formatDateTimeVi(r.submitted_at),
          r.body,
          fileLink(r),
          <>
            {STATUS[r.status]}
            {r.status === 'declined' && r.decision_reason ? ` — lý do: ${r.decision_reason}` : ''}
          </>,
        ])}
        empty="Đơn vị chưa gửi ý kiến nào."
      />
    </Layout>
  );
}

export function OfficeRepliesPage(p: {
  user: SessionUser;
  pending: ReplyRow[];
  decided: ReplyRow[];
  errors: Record<string, string>;
  flash: string | null;
}) {
  return (
    <Layout title="Ý kiến của đơn vị về số liệu" user={p.user} current="replies-office">
      {p.flash && <Flash kind="ok">{p.flash}</Flash>}
      <ErrorSummary errors={p.errors} />
      <h2>Chờ xem xét ({p.pending.length})</h2>
      {p.pending.length === 0 && <p>Không có ý kiến nào đang chờ.</p>}
      {p.pending.map((r) => (
        <section class="reply" aria-labelledby={`y-kien-${r.id}`}>
          <h3 id={`y-kien-${r.id}`}>
            {r.agency_name} — {periodText(r.period)}
          </h3>
          <p class="muted">
            Gửi lúc {formatDateTimeVi(r.submitted_at)} bởi {r.submitted_by_name} {fileLink(r)}
          </p>
          <blockquote class="reply-body">{r.body}</blockquote>
          <form method="post" action={`/admin/y-kien/xu-ly/${r.id}/dong-y`} class="inline">
            <button type="submit">Đồng ý công khai</button>
          </form>
          <form method="post" action={`/admin/y-kien/xu-ly/${r.id}/tu-choi`}>
            <div class={`field${p.errors[`reason-${r.id}`] ? ' has-error' : ''}`}>
              <label for={`reason-${r.id}`}>Lý do không công khai</label>
              {p.errors[`reason-${r.id}`] && <p class="error-text">{p.errors[`reason-${r.id}`]}</p>}
              <input id={`reason-${r.id}`} name="reason" maxlength={500} />
            </div>
            <button type="submit" class="secondary">
              Không công khai
            </button>
          </form>
        </section>
      ))}
      <h2>Đã xử lý gần đây</h2>
      <Table
        caption="Ý kiến đã xử lý"
        head={['Đơn vị', 'Kỳ', 'Nội dung', 'Xử lý lúc', 'Kết quả']}
        rows={p.decided.map((r) => [
          r.agency_name,
          periodText(r.period),
          r.body,
          r.decided_at ? formatDateTimeVi(r.decided_at) : '',
          <>
            {STATUS[r.status]}
            {r.decision_reason ? ` — ${r.decision_reason}` : ''}
          </>,
        ])}
        empty="Chưa có ý kiến nào được xử lý."
      />
    </Layout>
  );
}
