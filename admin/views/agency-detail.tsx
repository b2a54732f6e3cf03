/**
 * The agency page of the admin (routes/agencies.tsx): facts, name history, predecessors, and the forms that change
 * it (rename from a day, establishment day, merger dated in the past with its reason, dissolution). Reads nothing:
 * the route hands it the rows.
 */
import type { Child } from 'hono/jsx';
import type { SessionUser } from '../auth/session.ts';
import {
  AGENCY_KIND_LABELS,
  AGENCY_KINDS,
  AGENCY_STATUS_LABELS,
  type AgencyListRow,
  type AgencyRow,
  type AgencyStatus,
} from '../domain/agencies.ts';
import { formatDateVi } from '../domain/dates.ts';
import { Layout } from './layout.tsx';
import { ErrorSummary, Field, Flash, SelectField } from './components.tsx';
import { DateField, TextAreaField } from './forms.tsx';

type Values = Record<string, string>;
type Errors = Record<string, string>;

export const agencyKindOptions = AGENCY_KINDS.map((k) => ({ value: k, label: AGENCY_KIND_LABELS[k] }));

export interface AgencyDetailProps {
  user: SessionUser | null;
  a: AgencyRow;
  status: AgencyStatus;
  row: AgencyListRow;
  successor: AgencyRow | undefined;
  /** agencies merged into this one */
  predecessors: AgencyListRow[];
  names: Array<{ from: string; name: string }>;
  /** active agencies it may merge into or hand its tasks to */
  others: Array<{ value: string; label: string }>;
  /** the task whose last event bounds a merger or dissolution day from below */
  blocking: { code: string; lastEventOn: string } | null;
  msg: string | null;
  form?: 'rename' | 'merge' | 'dissolve';
  values?: Values;
  errors?: Errors;
  /** the unit-process form (routes/agency-unit.tsx) */
  headApproval: Child;
}

export function AgencyDetailPage(p: AgencyDetailProps) {
  const { a, status: st, row, successor } = p;
  const errs = (f: string) => (p.form === f ? (p.errors ?? {}) : {});
  const vals = (f: string) => (p.form === f ? (p.values ?? {}) : {});
  const bound = p.blocking
    ? `Ngày không được trước ${formatDateVi(p.blocking.lastEventOn)} (sự kiện gần nhất, của nhiệm vụ ${p.blocking.code}).`
    : 'Đơn vị chưa có sự kiện nào: có thể chọn bất kỳ ngày nào đến hôm nay.';
  return (
    <Layout title={`Đơn vị: ${a.name}`} user={p.user} current="agencies">
      {p.msg && <Flash kind="ok">{p.msg}</Flash>}
      <dl class="facts">
        <dt>Mã</dt>
        <dd>{a.code}</dd>
        <dt>Loại</dt>
        <dd>{AGENCY_KIND_LABELS[a.kind]}</dd>
        <dt>Ngày thành lập</dt>
        <dd>{a.established_on ? formatDateVi(a.established_on) : 'chưa ghi nhận'}</dd>
        <dt>Trạng thái</dt>
        <dd>
          {AGENCY_STATUS_LABELS[st]}
          {st === 'merged' && successor && (
            <>
              {' '}
              vào <a href={`/admin/agencies/${successor.id}`}>{successor.name}</a> từ ngày {formatDateVi(a.merged_on)}
            </>
          )}
          {st === 'dissolved' && ` từ ngày ${formatDateVi(a.dissolved_on)}`}
        </dd>
        <dt>Nhiệm vụ chủ trì</dt>
        <dd>
          {row.total_tasks} (đang thực hiện: {row.open_tasks})
        </dd>
        <dt>Tài khoản đang hoạt động</dt>
        <dd>{row.users}</dd>
      </dl>
      {p.names.length > 1 && (
        <>
          <h2>Tên qua các thời kỳ</h2>
          <ul data-testid="name-history">
            {p.names.map((n) => (
              <li>
                Từ ngày {formatDateVi(n.from)}: {n.name}
              </li>
            ))}
          </ul>
        </>
      )}
      {p.predecessors.length > 0 && (
        <>
          <h2>Đơn vị đã hợp nhất vào đơn vị này</h2>
          <ul data-testid="predecessors">
            {p.predecessors.map((x) => (
              <li>
                <a href={`/admin/agencies/${x.id}`}>{x.name}</a> (từ ngày {formatDateVi(x.merged_on)})
              </li>
            ))}
          </ul>
        </>
      )}
      {st !== 'active' && (
        <p>Đơn vị không còn hoạt động: số liệu và lịch sử của đơn vị vẫn được giữ nguyên trong các kỳ đã công bố.</p>
      )}
      {st === 'active' && (
        <>
          <h2>Đổi tên, thông tin đơn vị</h2>
          <p class="hint">
            Tên mới có hiệu lực từ ngày đổi tên: các sự kiện, danh sách và số liệu tính đến các ngày trước đó vẫn dùng
            tên cũ (kèm "nay là …"). Các kỳ đã công bố giữ nguyên.
          </p>
          <form method="post" action={`/admin/agencies/${a.id}`}>
            <ErrorSummary errors={errs('rename')} />
            <Field
              name="name"
              label="Tên đơn vị"
              value={vals('rename').name ?? a.name}
              error={errs('rename').name}
              required
              maxlength={200}
            />
            <DateField
              name="renamed_on"
              label="Ngày đổi tên có hiệu lực (để trống: hôm nay)"
              hint="Chỉ dùng khi đổi tên; không trước lần đổi tên gần nhất. Dạng dd/mm/yyyy."
              value={vals('rename').renamed_on}
              error={errs('rename').renamed_on}
            />
            <SelectField
              name="kind"
              label="Loại đơn vị"
              value={vals('rename').kind ?? a.kind}
              error={errs('rename').kind}
              options={agencyKindOptions}
            />
            <DateField
              name="established_on"
              label="Ngày thành lập"
              hint="Không thể hợp nhất hoặc chia tách vào đơn vị trước ngày này. Dạng dd/mm/yyyy."
              value={vals('rename').established_on ?? (a.established_on ? formatDateVi(a.established_on) : '')}
              error={errs('rename').established_on}
            />
            <button type="submit">Lưu</button>
          </form>

          {p.headApproval}

          <h2>Hợp nhất vào đơn vị kế thừa</h2>
          <p class="hint">
            Các nhiệm vụ đang thực hiện chuyển sang đơn vị kế thừa từ ngày hợp nhất; số liệu tính đến các ngày trước đó
            vẫn thuộc {a.name}. Nhiệm vụ đã hoàn thành hoặc đã thu hồi giữ nguyên đơn vị. Ngày hợp nhất có thể ở quá khứ
            (ghi nhận muộn): số liệu từ ngày đó thay đổi, được ghi là một điều chỉnh có lý do, và kỳ công bố tiếp theo
            ghi chú "số liệu điều chỉnh do sắp xếp tổ chức". Không hoàn tác được.
          </p>
          <form method="post" action={`/admin/agencies/${a.id}/merge`}>
            <ErrorSummary errors={errs('merge')} />
            <SelectField
              name="successor_id"
              label="Đơn vị kế thừa"
              value={vals('merge').successor_id}
              error={errs('merge').successor_id}
              emptyLabel="— Chọn đơn vị —"
              options={p.others}
            />
            <DateField
              name="on"
              label="Ngày hợp nhất (dd/mm/yyyy)"
              hint={`${bound} Dạng dd/mm/yyyy.`}
              value={vals('merge').on}
              error={errs('merge').on}
              required
            />
            <TextAreaField
              name="reason"
              label="Lý do (căn cứ quyết định)"
              value={vals('merge').reason}
              error={errs('merge').reason}
              required
              maxlength={1000}
            />
            <SelectField
              name="users"
              label="Tài khoản của đơn vị"
              value={vals('merge').users ?? 'disable'}
              error={errs('merge').users}
              options={[
                {
                  value: 'disable',
                  label: 'Khoá tài khoản (mặc định; quản trị viên cấp lại khi đơn vị kế thừa đề nghị)',
                },
                { value: 'move', label: 'Chuyển tài khoản sang đơn vị kế thừa' },
              ]}
            />
            <button type="submit" class="danger">
              Hợp nhất
            </button>
          </form>

          <h2>Chia tách</h2>
          <p>
            <a href={`/admin/agencies/${a.id}/split`}>Chia tách (xem trước từng nhiệm vụ)</a>
          </p>

          <h2>Giải thể</h2>
          <p class="hint">
            Đơn vị còn nhiệm vụ đang thực hiện thì phải chọn đơn vị tiếp nhận. Tài khoản của đơn vị bị khoá. Không hoàn
            tác được.
          </p>
          <form method="post" action={`/admin/agencies/${a.id}/dissolve`}>
            <ErrorSummary errors={errs('dissolve')} />
            <Field
              name="dissolve_on"
              label="Ngày giải thể (dd/mm/yyyy)"
              hint={bound}
              value={vals('dissolve').dissolve_on}
              error={errs('dissolve').dissolve_on}
              required
              maxlength={10}
              autocomplete="off"
            />
            <SelectField
              name="receiver_id"
              label="Đơn vị tiếp nhận nhiệm vụ đang thực hiện"
              value={vals('dissolve').receiver_id}
              error={errs('dissolve').receiver_id}
              emptyLabel="— Không có (đơn vị không còn nhiệm vụ đang thực hiện) —"
              options={p.others}
            />
            <button type="submit" class="danger">
              Giải thể
            </button>
          </form>
        </>
      )}
      <p>
        <a href="/admin/agencies">Về danh sách đơn vị</a>
      </p>
    </Layout>
  );
}
