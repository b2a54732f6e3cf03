/**
 * The province-merger preview page (issue 12, "an admin page showing the same preview"): a GET form with the paths
 * on the server, then the dry run's plan: agencies mapped to successors, notes, and the counts side by side. The
 * merger itself is run by the command shown at the bottom (it copies files and may take a minute).
 */
import type { SessionUser } from '../auth/session.ts';
import { formatDateVi } from '../domain/dates.ts';
import { formatNumber } from '../domain/format.ts';
import type { MergeProvinceResult } from '../domain/province-merge.ts';
import { ErrorSummary, Field } from './components.tsx';
import { Layout } from './layout.tsx';

export interface ProvinceMergeFormValues {
  from: string;
  from_uploads: string;
  prefix: string;
  on: string;
  map: string;
}

/** Quotes a path for the shell command shown to the administrator. */
const sh = (s: string) => (/^[\w./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);

function command(v: ProvinceMergeFormValues, on: string): string {
  const parts = ['npm run merge-province --', '--from', sh(v.from)];
  if (v.prefix) parts.push('--prefix', sh(v.prefix));
  parts.push('--on', on);
  if (v.map) parts.push('--map', sh(v.map));
  if (v.from_uploads) parts.push('--from-uploads', sh(v.from_uploads));
  return parts.join(' ');
}

function Preview(p: { result: MergeProvinceResult; values: ProvinceMergeFormValues }) {
  const { plan, rows } = p.result;
  const mapped = plan.agencies.filter((a) => a.successor);
  const stillOpen = plan.agencies.filter((a) => !a.successor && a.status === 'active' && a.openTasks > 0);
  return (
    <section aria-labelledby="preview-title">
      <h2 id="preview-title">
        Chạy thử: {plan.provinceName} (đến {formatDateVi(plan.lastDay)})
      </h2>
      <p>
        {formatNumber(plan.agencies.length)} đơn vị được giữ làm đơn vị lịch sử
        {plan.prefix ? ` (mã ${plan.prefix}-…)` : ''}; lãnh đạo giữ là lãnh đạo của tỉnh cũ; tài khoản bị khoá; các kỳ
        công bố được lưu trữ riêng là của tỉnh cũ. Chưa ghi gì.
      </p>
      <h3>Đơn vị hợp nhất vào đơn vị kế thừa từ {formatDateVi(plan.on)}</h3>
      {mapped.length === 0 ? (
        <p>Không có (chưa có tệp ánh xạ).</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Đơn vị tỉnh cũ</th>
              <th scope="col">Kế thừa ở tỉnh này</th>
              <th scope="col" class="num">
                Nhiệm vụ chuyển
              </th>
            </tr>
          </thead>
          <tbody>
            {mapped.map((a) => (
              <tr>
                <td>
                  {a.newCode} {a.name}
                </td>
                <td>
                  {a.successor!.code} {a.successor!.name}
                </td>
                <td class="num">{formatNumber(a.openTasks)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ul>
        {stillOpen.length > 0 && (
          <li>
            {stillOpen.length} đơn vị chưa ánh xạ còn nhiệm vụ đang thực hiện, vẫn giữ ở đơn vị cũ:{' '}
            {stillOpen.map((a) => a.newCode).join(', ')}.
          </li>
        )}
        {plan.ignoredMapLines.map((m) => (
          <li>
            Dòng {m.line} của tệp ánh xạ ({m.code}) không áp dụng: đơn vị đã ngừng hoạt động ở tỉnh cũ.
          </li>
        ))}
        {plan.documentCollisions.length > 0 && (
          <li>
            {plan.documentCollisions.length} văn bản trùng số và ngày với văn bản của tỉnh này, được ghi thêm “[
            {plan.prefix ?? 'tỉnh cũ'}]” sau số.
          </li>
        )}
        {plan.notCarried.length > 0 && (
          <li>
            Không chép (dữ liệu vận hành của hệ thống cũ):{' '}
            {plan.notCarried.map((t) => `${t.table} (${t.rows})`).join(', ')}.
          </li>
        )}
      </ul>
      <h3>Số liệu (thống kê tính đến ngày {formatDateVi(plan.lastDay)})</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">Mục</th>
            <th scope="col" class="num">
              Tỉnh này trước
            </th>
            <th scope="col" class="num">
              Tỉnh cũ
            </th>
            <th scope="col" class="num">
              Sau (dự kiến)
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <th scope="row">{r.label}</th>
              <td class="num">{formatNumber(r.before)}</td>
              <td class="num">{formatNumber(r.former)}</td>
              <td class="num">{formatNumber(r.after)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Sự kiện sau hợp nhất gồm {formatNumber(plan.openTasksMoved)} sự kiện chuyển nhiệm vụ ngày{' '}
        {formatDateVi(plan.on)}.
      </p>
      <h3>Thực hiện</h3>
      <p>
        Việc hợp nhất chép cả tệp đính kèm và có thể mất khoảng một phút; quản trị viên chạy lệnh sau trên máy chủ (nên
        sao lưu trước bằng <code>npm run backup</code>):
      </p>
      <pre>
        <code>{command(p.values, plan.on)}</code>
      </pre>
    </section>
  );
}

export function ProvinceMergePage(p: {
  user: SessionUser | null;
  values: ProvinceMergeFormValues;
  errors: Record<string, string>;
  result: MergeProvinceResult | null;
}) {
  const v = p.values;
  return (
    <Layout title="Hợp nhất tỉnh: chạy thử" user={p.user} current="agencies">
      <p class="hint">
        Đưa toàn bộ cơ sở dữ liệu của một tỉnh cũ (cùng phần mềm) vào tỉnh này: văn bản, nhiệm vụ với mọi diễn biến, tệp
        đính kèm, lãnh đạo, đơn vị và các kỳ công bố. Trang này chỉ chạy thử (không ghi gì) với các đường dẫn trên máy
        chủ; tệp ánh xạ là CSV “mã đơn vị tỉnh cũ,mã đơn vị tỉnh này”.
      </p>
      <form method="get" action="/admin/province-merge">
        <ErrorSummary errors={p.errors} />
        <Field
          name="from"
          label="Cơ sở dữ liệu tỉnh cũ (đường dẫn trên máy chủ)"
          value={v.from}
          error={p.errors.from}
          required
        />
        <Field
          name="from_uploads"
          label="Thư mục tệp đính kèm của tỉnh cũ (để trống: uploads/ cạnh tệp trên)"
          value={v.from_uploads}
          error={p.errors.from_uploads}
        />
        <Field name="prefix" label="Tiền tố mã (ví dụ BD)" value={v.prefix} error={p.errors.prefix} maxlength={10} />
        <Field name="on" label="Ngày hợp nhất (dd/mm/yyyy)" value={v.on} error={p.errors.on} required />
        <Field name="map" label="Tệp ánh xạ đơn vị (đường dẫn trên máy chủ)" value={v.map} error={p.errors.map} />
        <button type="submit">Chạy thử</button>
      </form>
      {p.result && <Preview result={p.result} values={v} />}
    </Layout>
  );
}
