/** The leaders' overview period picker (domain/overview-period.ts parses it): a GET form and quick picks. */
import { formatDateVi, parseDateInput } from '../domain/dates.ts';
import { PICKER_KIND_LABELS, PICKER_KINDS, type PickerValues } from '../domain/overview-period.ts';
import { attr, h, type SafeHtml } from './html.ts';
import { errorSummary } from './html-parts.ts';

export interface QuickPick {
  label: string;
  href: string;
}

export function periodPicker(p: {
  values: PickerValues;
  errors: Record<string, string>;
  quick: QuickPick[];
  /** other parameters a new period keeps (the table's sort) */
  keep?: Record<string, string>;
}): SafeHtml {
  const v = p.values;
  const shown = (raw: string, field: string) => {
    if (raw === '' || p.errors[field]) return raw;
    const iso = parseDateInput(raw);
    return iso ? formatDateVi(iso) : raw;
  };
  const fieldClass = (name: string) => (p.errors[name] ? 'field has-error' : 'field');
  const errorText = (name: string) => (p.errors[name] ? h`<p class="error-text">${p.errors[name]}</p>` : null);
  const input = (name: 'ref' | 'from' | 'to', label: string, hint: string) =>
    h`<div class="${fieldClass(name)}"><label for="${name}">${label}</label><p class="hint">${hint}</p>${errorText(name)}<input id="${name}" name="${name}" value="${shown(v[name], name)}" size="11" inputmode="numeric"${attr('aria-invalid', p.errors[name] ? 'true' : null)}/></div>`;
  const options = PICKER_KINDS.map(
    (k) => h`<option value="${k}"${attr('selected', k === v.period && '')}>${PICKER_KIND_LABELS[k]}</option>`,
  );
  const hidden = Object.entries(p.keep ?? {}).map(
    ([name, value]) => h`<input type="hidden" name="${name}" value="${value}"/>`,
  );
  const quick = p.quick.map((q, i) => h`${i > 0 ? ' · ' : ''}<a href="${q.href}">${q.label}</a>`);
  return h`<section aria-labelledby="ky-bao-cao"><h2 id="ky-bao-cao">Kỳ báo cáo</h2>${errorSummary(p.errors)}<form method="get" action="/admin/overview" class="filters period-picker"><div class="${fieldClass('period')}"><label for="period">Loại kỳ</label><p class="hint">chuẩn hoặc tùy chọn</p>${errorText('period')}<select id="period" name="period">${options}</select></div>${input('ref', 'Ngày trong kỳ', 'dd/mm/yyyy; để trống: hôm nay')}${input('from', 'Từ ngày', 'khoảng tùy chọn, dd/mm/yyyy')}${input('to', 'Đến ngày', 'khoảng tùy chọn, dd/mm/yyyy')}${hidden}<div class="field"><button type="submit">Xem số liệu</button></div></form><p class="quick-picks">Chọn nhanh: ${quick}</p></section>`;
}
