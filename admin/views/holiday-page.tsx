/** The holiday calendar page (admin/routes/holidays.tsx): one year's days off and working days, and their history. */
import type { SessionUser } from '../auth/session.ts';
import { formatDateTimeVi, formatDateVi, type IsoDate } from '../domain/dates.ts';
import type { HolidayHistoryRow, HolidayYear } from '../domain/holidays.ts';
import { ErrorSummary, Field, Flash, SelectField, Table } from './components.tsx';
import { Layout } from './layout.tsx';

const WEEKDAYS = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];

function dayLabel(day: IsoDate): string {
  return `${WEEKDAYS[new Date(`${day}T00:00:00Z`).getUTCDay()]}, ${formatDateVi(day)}`;
}

const KIND_LABELS = { day_off: 'Ngày nghỉ', working_day: 'Ngày làm việc bù' } as const;

const CHANGE_LABELS: Record<HolidayHistoryRow['action'], string> = {
  day_off: 'Thêm ngày nghỉ',
  working_day: 'Thêm ngày làm việc bù',
  removed: 'Xóa khỏi lịch',
  rule_on: 'Bật quy tắc ngày làm việc',
  rule_off: 'Tắt quy tắc ngày làm việc',
};

function sourceLabel(r: { source: 'library' | 'admin' }): string {
  return r.source === 'library' ? 'Nạp từ thư viện ngày lễ' : 'Quản trị viên';
}

export interface HolidayPageProps {
  user: SessionUser | null;
  data: HolidayYear;
  ruleHistory: HolidayHistoryRow[];
  libraryFilled: boolean;
  flash: string | null;
  values: Record<string, string>;
  errors: Record<string, string>;
}

export function HolidayPage(p: HolidayPageProps) {
  const { data } = p;
  const y = data.year;
  const history = data.history.map((r) => [
    formatDateTimeVi(r.recordedAt),
    CHANGE_LABELS[r.action],
    r.day ? dayLabel(r.day) : '',
    r.name,
    r.source === 'library' ? sourceLabel(r) : (r.userName ?? sourceLabel(r)),
    r.late ? 'Ghi nhận sau khi ngày đó đã qua: không dời thời hạn đã qua' : '',
  ]);
  return (
    <Layout title="Lịch ngày nghỉ" user={p.user} current="holidays">
      {p.flash && <Flash kind="ok">{p.flash}</Flash>}
      <ErrorSummary errors={p.errors} />
      <section aria-labelledby="rule">
        <h2 id="rule">Quy tắc ngày làm việc</h2>
        <p>
          {data.ruleOn
            ? 'Đang áp dụng: thời hạn rơi vào thứ Bảy, Chủ nhật hoặc ngày nghỉ lễ, Tết kết thúc vào cuối ngày làm việc tiếp theo (Bộ luật Dân sự 2015, Điều 148 khoản 5); "sắp đến hạn" tính theo ngày làm việc.'
            : 'Đang tắt: thời hạn được tính đúng ngày ghi trong văn bản, kể cả khi rơi vào ngày nghỉ.'}{' '}
          Thay đổi lịch hay quy tắc chỉ áp dụng cho các thời hạn chưa qua; số liệu các ngày đã qua giữ nguyên.
        </p>
        <form method="post" action="/admin/holidays/rule">
          <input type="hidden" name="on" value={data.ruleOn ? '0' : '1'} />
          <input type="hidden" name="year" value={String(y)} />
          <button type="submit">{data.ruleOn ? 'Tắt quy tắc ngày làm việc' : 'Bật quy tắc ngày làm việc'}</button>
        </form>
      </section>
      <nav aria-label="Chọn năm" class="year-nav">
        <a href={`/admin/holidays?year=${y - 1}`}>← Năm {y - 1}</a> <strong>Năm {y}</strong>{' '}
        <a href={`/admin/holidays?year=${y + 1}`}>Năm {y + 1} →</a>
      </nav>
      <h2>Các ngày trong lịch năm {y}</h2>
      <p class="hint">
        Ngày nghỉ lễ, Tết theo Bộ luật Lao động 2019 (Điều 112) được nạp sẵn từ thư viện ngày lễ. Hằng năm, hãy thêm các
        ngày Chính phủ thông báo: ngày nghỉ thứ hai dịp Quốc khánh, ngày nghỉ bù khi ngày lễ trùng cuối tuần, ngày nghỉ
        hoán đổi dịp Tết và các thứ Bảy làm việc bù.
      </p>
      <Table
        caption={`${data.days.length} ngày trong lịch năm ${y}`}
        head={['Ngày', 'Loại', 'Tên', 'Nguồn', 'Thao tác']}
        rows={data.days.map((d) => [
          dayLabel(d.day),
          KIND_LABELS[d.kind],
          d.name,
          sourceLabel(d),
          <form method="post" action="/admin/holidays/remove">
            <input type="hidden" name="day" value={d.day} />
            <button type="submit" class="secondary" aria-label={`Xóa ngày ${formatDateVi(d.day)} khỏi lịch`}>
              Xóa
            </button>
          </form>,
        ])}
        empty={`Năm ${y} chưa có ngày nghỉ nào trong lịch.`}
      />
      {!p.libraryFilled && (
        <form method="post" action="/admin/holidays/prefill">
          <input type="hidden" name="year" value={String(y)} />
          <p>Năm {y} chưa được nạp ngày nghỉ lễ, Tết từ thư viện ngày lễ.</p>
          <button type="submit">Nạp ngày nghỉ lễ, Tết năm {y}</button>
        </form>
      )}
      <h2>Thêm ngày</h2>
      <form method="post" action="/admin/holidays">
        <Field
          name="day"
          label="Ngày"
          type="date"
          hint="Ví dụ 2027-09-03."
          value={p.values.day}
          error={p.errors.day}
          required
        />
        <SelectField
          name="kind"
          label="Loại ngày"
          options={[
            { value: 'day_off', label: 'Ngày nghỉ (lễ, Tết, nghỉ bù, nghỉ hoán đổi)' },
            { value: 'working_day', label: 'Ngày làm việc bù (thứ Bảy hoặc Chủ nhật đi làm)' },
          ]}
          value={p.values.kind}
          error={p.errors.kind}
        />
        <Field
          name="name"
          label="Tên ngày"
          hint="Ví dụ: Nghỉ Quốc khánh (ngày thứ hai), Làm bù cho ngày 02/01."
          value={p.values.name}
          error={p.errors.name}
          maxlength={200}
          required
        />
        <button type="submit">Thêm vào lịch</button>
      </form>
      <h2>Lịch sử thay đổi năm {y}</h2>
      <Table
        caption="Mọi thay đổi được lưu lại, không xóa"
        head={['Thời điểm ghi nhận', 'Thay đổi', 'Ngày', 'Tên', 'Người thực hiện', 'Ghi chú']}
        rows={history}
        empty="Chưa có thay đổi nào."
      />
      <h2>Lịch sử bật, tắt quy tắc</h2>
      <Table
        head={['Thời điểm ghi nhận', 'Thay đổi', 'Người thực hiện']}
        rows={p.ruleHistory.map((r) => [formatDateTimeVi(r.recordedAt), CHANGE_LABELS[r.action], r.userName ?? ''])}
        empty="Quy tắc ngày làm việc được áp dụng từ đầu, chưa bị tắt lần nào."
      />
    </Layout>
  );
}
