/** The leaders' overview period picker (domain/overview-period.ts parses it): a GET form and quick picks. */
import { formatDateVi, parseDateInput } from '../domain/dates.ts';
import { PICKER_KIND_LABELS, PICKER_KINDS, type PickerValues } from '../domain/overview-period.ts';
import { ErrorSummary } from './components.tsx';

export interface QuickPick {
  label: string;
  href: string;
}

export function PeriodPicker(p: {
  values: PickerValues;
  errors: Record<string, string>;
  quick: QuickPick[];
  /** other parameters a new period keeps (the table's sort) */
  keep?: Record<string, string>;
}) {
  const v = p.values;
  const shown = (raw: string, field: string) => {
    if (raw === '' || p.errors[field]) return raw;
    const iso = parseDateInput(raw);
    return iso ? formatDateVi(iso) : raw;
  };
  const input = (name: 'ref' | 'from' | 'to', label: string, hint: string) => (
    <div class={`field${p.errors[name] ? ' has-error' : ''}`}>
      <label for={name}>{label}</label>
      <p class="hint">{hint}</p>
      {p.errors[name] && <p class="error-text">{p.errors[name]}</p>}
      <input
        id={name}
        name={name}
        value={shown(v[name], name)}
        size={11}
        inputmode="numeric"
        aria-invalid={p.errors[name] ? 'true' : undefined}
      />
    </div>
  );
  return (
    <section aria-labelledby="ky-bao-cao">
      <h2 id="ky-bao-cao">Kỳ báo cáo</h2>
      <ErrorSummary errors={p.errors} />
      <form method="get" action="/admin/overview" class="filters period-picker">
        <div class={`field${p.errors.period ? ' has-error' : ''}`}>
          <label for="period">Loại kỳ</label>
          <p class="hint">chuẩn hoặc tùy chọn</p>
          {p.errors.period && <p class="error-text">{p.errors.period}</p>}
          <select id="period" name="period">
            {PICKER_KINDS.map((k) => (
              <option value={k} selected={k === v.period}>
                {PICKER_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        {input('ref', 'Ngày trong kỳ', 'dd/mm/yyyy; để trống: hôm nay')}
        {input('from', 'Từ ngày', 'khoảng tùy chọn, dd/mm/yyyy')}
        {input('to', 'Đến ngày', 'khoảng tùy chọn, dd/mm/yyyy')}
        {Object.entries(p.keep ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <div class="field">
          <button type="submit">Xem số liệu</button>
        </div>
      </form>
      <p class="quick-picks">
        Chọn nhanh:{' '}
        {p.quick.map((q, i) => (
          <>
            {i > 0 ? ' · ' : ''}
            <a href={q.href}>{q.label}</a>
          </>
        ))}
      </p>
    </section>
  );
}
