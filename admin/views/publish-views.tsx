/**
 * The publish pages' views (admin/routes/publish.tsx): the overview (preview form, public site releases, history of
 * publications and builds) and the preview of a period's numbers with the publish form. Read nothing themselves.
 */
import type { SessionUser } from '../auth/session.ts';
import type { listBuilds, listPublications, listReleases } from '../publication/index.ts';
import type { SnapshotPreview } from '../publication/publish-job.ts';
import type { PublicCounts } from '../publication/schema.ts';
import type { latestRevision } from '../publication/publish.ts';
import { formatDateTimeVi, formatDateVi } from '../domain/dates.ts';
import { formatNumber, formatRate } from '../domain/format.ts';
import { Layout } from './layout.tsx';
import { ErrorSummary, Field, Flash, Table } from './components.tsx';
import { MeetingReportLinks } from './meeting-report-links.tsx';

export type Errors = Record<string, string>;

const BUILD_STATUS: Record<string, string> = { running: 'Đang dựng', succeeded: 'Thành công', failed: 'Thất bại' };
const TRIGGERS: Record<string, string> = {
  admin: 'Trang quản trị',
  schedule: 'Theo lịch',
  cli: 'Dòng lệnh',
  bench: 'Đo hiệu năng',
  test: 'Kiểm thử',
};

function CountsTable(p: { caption: string; rows: Array<{ name: string; counts: PublicCounts }> }) {
  return (
    <Table
      caption={p.caption}
      head={[
        'Đơn vị',
        'Tổng số',
        'Hoàn thành đúng hạn',
        'Hoàn thành quá hạn',
        'Đang thực hiện trong hạn',
        'Đang thực hiện quá hạn',
        'Không thời hạn',
        'Đã đến hạn',
        'Tỷ lệ đúng hạn',
      ]}
      rows={p.rows.map((r) => [
        r.name,
        formatNumber(r.counts.total),
        formatNumber(r.counts.completedOnTime),
        formatNumber(r.counts.completedLate),
        formatNumber(r.counts.inProgress),
        formatNumber(r.counts.overdue),
        formatNumber(r.counts.noDeadline),
        formatNumber(r.counts.due),
        formatRate(r.counts.onTimeRate),
      ])}
    />
  );
}

export function PreviewForm(p: { period: string; asOf: string; errors: Errors }) {
  return (
    <form method="get" action="/admin/publish/preview" class="filters">
      <Field
        name="period"
        label="Kỳ công bố (mm/yyyy)"
        value={p.period}
        error={p.errors.period}
        required
        maxlength={7}
        autocomplete="off"
      />
      <Field
        name="as_of"
        label="Số liệu tính đến ngày (dd/mm/yyyy)"
        value={p.asOf}
        error={p.errors.as_of}
        required
        maxlength={10}
        autocomplete="off"
      />
      <div class="field">
        <button type="submit">Xem trước số liệu</button>
      </div>
    </form>
  );
}

export function PublishOverview(p: {
  user: SessionUser | null;
  flash: string | null;
  defaults: { period: string; asOf: string };
  publications: ReturnType<typeof listPublications>;
  builds: ReturnType<typeof listBuilds>;
  releases: ReturnType<typeof listReleases>;
  running: boolean;
  canRollback: boolean;
}) {
  return (
    <Layout title="Công bố số liệu" user={p.user} current="publish">
      {p.flash && <Flash kind="ok">{p.flash}</Flash>}
      <h2>1. Xem trước và công bố một kỳ</h2>
      <p class="hint">
        Xem trước không ghi gì. Số liệu đã công bố không thay đổi; công bố lại cùng kỳ tạo bản đính chính có ghi chú.
      </p>
      <PreviewForm
        period={`${p.defaults.period.slice(5, 7)}/${p.defaults.period.slice(0, 4)}`}
        asOf={formatDateVi(p.defaults.asOf)}
        errors={{}}
      />

      <h2>2. Trang công khai</h2>
      {p.running ? (
        <p>
          Đang dựng trang công khai. <a href="/admin/publish/build">Xem tiến độ</a>
        </p>
      ) : (
        <form method="post" action="/admin/publish/build">
          <p class="hint">
            Dựng lại trang công khai từ mọi kỳ đã công bố (khoảng một phút). Trang đang chạy chỉ được thay khi bản mới
            dựng xong và đạt kiểm tra.
          </p>
          <button type="submit">Dựng lại trang công khai</button>
        </form>
      )}
      <Table
        caption="Các bản trang công khai (giữ 5 bản gần nhất)"
        head={['Bản', 'Trạng thái', 'Số trang', 'Dựng lúc']}
        rows={p.releases.map((r) => [
          r.id,
          r.current ? 'Đang phục vụ' : r.build ? (BUILD_STATUS[r.build.status] ?? r.build.status) : '',
          r.build?.pages != null ? formatNumber(r.build.pages) : '',
          r.build ? formatDateTimeVi(r.build.started_at) : '',
        ])}
        empty="Chưa có bản trang công khai nào."
      />
      {p.canRollback && (
        <form method="post" action="/admin/publish/rollback">
          <button type="submit" class="secondary">
            Quay lại bản trước
          </button>
        </form>
      )}

      <h2>3. Lịch sử công bố</h2>
      <Table
        caption={`${p.publications.length} bản công bố`}
        head={[
          'Kỳ',
          'Bản',
          'Số liệu đến ngày',
          'Số nhiệm vụ công khai',
          'Ghi chú đính chính',
          'Công bố lúc',
          'SHA-256',
          'Báo cáo phiên họp',
        ]}
        rows={p.publications.map((x, i) => [
          `${x.period.slice(5, 7)}/${x.period.slice(0, 4)}`,
          String(x.revision),
          formatDateVi(x.as_of),
          formatNumber(x.task_count),
          x.note,
          formatDateTimeVi(x.created_at),
          <code>{x.sha256.slice(0, 12)}…</code>,
          // the report follows the latest revision (newest first): links on its row only
          p.publications[i - 1]?.period === x.period ? '' : <MeetingReportLinks period={x.period} />,
        ])}
        empty="Chưa công bố kỳ nào."
      />

      <h2>4. Lịch sử dựng trang</h2>
      <Table
        caption="15 lần dựng gần nhất"
        head={['Bắt đầu', 'Nguồn', 'Trạng thái', 'Số trang', 'Thời gian', 'Lỗi']}
        rows={p.builds.map((b) => [
          formatDateTimeVi(b.started_at),
          TRIGGERS[b.trigger] ?? b.trigger,
          BUILD_STATUS[b.status] ?? b.status,
          b.pages != null ? formatNumber(b.pages) : '',
          b.duration_ms != null ? `${(b.duration_ms / 1000).toFixed(1)} s` : '',
          (b.error ?? '').slice(0, 300),
        ])}
        empty="Chưa dựng trang lần nào."
      />
    </Layout>
  );
}

export function PreviewPage(p: {
  user: SessionUser | null;
  existing: ReturnType<typeof latestRevision>;
  periodInput: string;
  asOfInput: string;
  snap: SnapshotPreview | null;
  errors: Errors;
  note?: string;
}) {
  const s = p.snap;
  const existing = p.existing;
  return (
    <Layout title="Xem trước số liệu công bố" user={p.user} current="publish">
      <ErrorSummary errors={p.errors} />
      <PreviewForm period={p.periodInput} asOf={p.asOfInput} errors={p.errors} />
      {s && (
        <>
          <h2>
            Kỳ {s.period.slice(5, 7)}/{s.period.slice(0, 4)} — số liệu tính đến ngày {formatDateVi(s.asOf)}
          </h2>
          <p>
            {formatNumber(s.totals.total)} nhiệm vụ công khai (nhiệm vụ mật không được tính trong số liệu công khai);{' '}
            {formatNumber(s.taskPages)} trang nhiệm vụ. Tỷ lệ đúng hạn {formatRate(s.totals.onTimeRate)} trên{' '}
            {formatNumber(s.totals.due)} nhiệm vụ đã đến hạn hoặc đã hoàn thành.
          </p>
          <CountsTable caption="Toàn tỉnh" rows={[{ name: 'Tổng số', counts: s.totals }]} />
          <CountsTable
            caption={`Theo đơn vị (${s.agencies.length})`}
            rows={s.agencies.map((a) => ({ name: `${a.name} (${a.code})`, counts: a.counts }))}
          />
          <h2>Công bố</h2>
          {existing && (
            <Flash kind="info">
              Kỳ này đã công bố bản {existing.revision} (số liệu đến ngày {formatDateVi(existing.as_of)}). Công bố lại
              là một bản đính chính: cần ghi rõ nội dung đính chính; bản cũ vẫn được lưu và hiển thị.
            </Flash>
          )}
          <form method="post" action="/admin/publish">
            <input type="hidden" name="period" value={s.period} />
            <input type="hidden" name="as_of" value={s.asOf} />
            <div class={`field${p.errors.note ? ' has-error' : ''}`}>
              <label for="note">
                {existing ? 'Nội dung đính chính (bắt buộc)' : 'Ghi chú (không bắt buộc với lần công bố đầu)'}
              </label>
              {p.errors.note && <p class="error-text">{p.errors.note}</p>}
              <textarea id="note" name="note" rows={3} maxlength={2000} required={existing ? true : undefined}>
                {p.note ?? ''}
              </textarea>
            </div>
            <button type="submit">
              {existing ? `Công bố bản đính chính (bản ${existing.revision + 1})` : 'Công bố kỳ này'}
            </button>
          </form>
        </>
      )}
    </Layout>
  );
}
