/**
 * The split page (issue 12, "Split"): one form, no JavaScript needed. Date, mapping (typed or uploaded), default
 * successor; then a table of every open task with the proposal and a select per row; then the accounts and the
 * reason. "Tính lại đề xuất" re-computes the proposals; "Thực hiện chia tách" applies the rows as shown.
 */
import type { SessionUser } from '../auth/session.ts';
import type { AgencyRow } from '../domain/agencies.ts';
import type { SplitPreview } from '../domain/agency-split-preview.ts';
import { formatDateVi } from '../domain/dates.ts';
import { ErrorSummary, Field, Flash, SelectField } from './components.tsx';
import { FileField, TextAreaField } from './forms.tsx';
import { Layout } from './layout.tsx';

export interface SplitFormValues {
  on: string;
  mapping: string;
  default_id: string;
  users: string;
  users_to: string;
  reason: string;
}

const SOURCE_LABELS = { sector: 'theo lĩnh vực', default: 'đơn vị mặc định' } as const;

export function SplitPage(p: {
  user: SessionUser | null;
  agency: AgencyRow;
  preview: SplitPreview;
  values: SplitFormValues;
  errors: Record<string, string>;
  recomputed?: boolean;
}) {
  const { agency: a, preview, values, errors } = p;
  const action = `/admin/agencies/${a.id}/split`;
  const missing = preview.rows.filter((r) => r.chosen === null).length;
  return (
    <Layout title={`Chia tách đơn vị: ${a.name}`} user={p.user} current="agencies">
      <p class="hint">
        Các nhiệm vụ đang thực hiện của {a.name} chuyển sang các đơn vị tiếp nhận từ ngày chia tách; số liệu tính đến
        các ngày trước đó vẫn thuộc {a.name}. Nhiệm vụ đã hoàn thành hoặc đã thu hồi giữ nguyên đơn vị. Đơn vị kết thúc
        hoạt động từ ngày chia tách. Không hoàn tác được.
      </p>
      {p.recomputed && Object.keys(errors).length === 0 && (
        <Flash kind="info">Đã tính lại đề xuất theo bảng ánh xạ; các dòng bạn đã tự chọn được giữ nguyên.</Flash>
      )}
      <form method="post" action={action} enctype="multipart/form-data">
        <ErrorSummary errors={errors} />
        <Field
          name="on"
          label="Ngày chia tách (dd/mm/yyyy)"
          hint={
            preview.blocking
              ? `Không sớm hơn ${formatDateVi(preview.blocking.lastEventOn)} (sự kiện gần nhất, của nhiệm vụ ${preview.blocking.code}) và không sau hôm nay.`
              : 'Không sau hôm nay.'
          }
          value={values.on}
          error={errors.on}
          required
          maxlength={10}
          autocomplete="off"
        />
        <TextAreaField
          name="mapping"
          label="Bảng ánh xạ lĩnh vực → đơn vị tiếp nhận"
          hint={
            'Mỗi dòng "mã lĩnh vực,mã đơn vị" (ví dụ DD,UBND-XA-AN-NHON). Một dòng chỉ có mã đơn vị (ví dụ danh sách ' +
            'các xã nhận nhiệm vụ của huyện) thêm đơn vị đó vào danh sách chọn của từng dòng. Dòng bắt đầu bằng # là ghi chú.'
          }
          value={values.mapping}
          error={errors.mapping}
          rows={5}
          maxlength={100000}
        />
        <FileField
          name="mapping_file"
          label="Hoặc tải lên tệp ánh xạ (CSV, cùng định dạng; thay cho nội dung ô trên)"
          accept=".csv,.txt,text/csv,text/plain"
        />
        <SelectField
          name="default_id"
          label="Đơn vị tiếp nhận mặc định (cho nhiệm vụ có lĩnh vực chưa ánh xạ)"
          value={values.default_id}
          error={errors.default_id}
          emptyLabel="— Không có —"
          options={preview.activeOptions}
        />
        <p>
          <button type="submit" name="action" value="preview" formnovalidate>
            Tính lại đề xuất
          </button>
        </p>

        <h2 id="rows">Nhiệm vụ đang thực hiện ({preview.rows.length})</h2>
        {errors.rows && <p class="error-text">{errors.rows}</p>}
        {missing > 0 && (
          <p class="hint">
            {missing} nhiệm vụ chưa có đơn vị tiếp nhận: chọn cho từng dòng, thêm vào bảng ánh xạ hoặc chọn đơn vị mặc
            định rồi tính lại.
          </p>
        )}
        {preview.rows.length === 0 ? (
          <p class="empty">Đơn vị không còn nhiệm vụ đang thực hiện.</p>
        ) : (
          <div class="table-wrap stack">
            <table>
              <thead>
                <tr>
                  <th scope="col">Mã</th>
                  <th scope="col">Nhiệm vụ</th>
                  <th scope="col">Lĩnh vực</th>
                  <th scope="col">Sự kiện gần nhất</th>
                  <th scope="col">Đề xuất</th>
                  <th scope="col">Đơn vị tiếp nhận</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r) => {
                  const id = `task_${r.task.id}`;
                  return (
                    <tr class={r.chosen === null ? 'has-error' : undefined}>
                      <td data-label="Mã">
                        <a href={`/admin/tasks/${r.task.code}`}>{r.task.code}</a>
                      </td>
                      <td data-label="Nhiệm vụ">{r.task.title}</td>
                      <td data-label="Lĩnh vực">{r.task.sectorName ?? '—'}</td>
                      <td data-label="Sự kiện gần nhất">{formatDateVi(r.task.lastEventOn)}</td>
                      <td data-label="Đề xuất">
                        {r.proposalSource ? SOURCE_LABELS[r.proposalSource] : 'chưa có'}
                        <input type="hidden" name={`proposed_${r.task.id}`} value={r.proposal?.toString() ?? ''} />
                      </td>
                      <td data-label="Đơn vị tiếp nhận">
                        <select id={id} name={id} aria-label={`Đơn vị tiếp nhận nhiệm vụ ${r.task.code}`}>
                          <option value="">— Chưa chọn —</option>
                          {preview.rowOptions.map((o) => (
                            <option value={o.value} selected={o.value === r.chosen?.toString()}>
                              {o.label}
                            </option>
                          ))}
                        </select>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}

        <h2>Tài khoản và lý do</h2>
        <SelectField
          name="users"
          label="Tài khoản của đơn vị"
          value={values.users}
          error={errors.users}
          options={[
            {
              value: 'disable',
              label: 'Khoá tài khoản (mặc định; quản trị viên cấp lại khi đơn vị tiếp nhận đề nghị)',
            },
            { value: 'move', label: 'Chuyển tài khoản sang một đơn vị tiếp nhận (chọn dưới đây)' },
          ]}
        />
        <SelectField
          name="users_to"
          label="Đơn vị nhận tài khoản (khi chuyển tài khoản)"
          value={values.users_to}
          error={errors.users_to}
          emptyLabel="— Chọn đơn vị —"
          options={preview.activeOptions}
        />
        <TextAreaField
          name="reason"
          label="Lý do (căn cứ quyết định)"
          value={values.reason}
          error={errors.reason}
          required
          rows={2}
          maxlength={1000}
        />
        <button type="submit" name="action" value="apply" class="danger">
          Thực hiện chia tách
        </button>
      </form>
      <p>
        <a href={`/admin/agencies/${a.id}`}>Về trang đơn vị</a>
      </p>
    </Layout>
  );
}
