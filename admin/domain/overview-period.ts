/**
 * The leaders' overview period picker (admin/routes/overview.tsx): query-string input → a checked period
 * [from, to] with its cutoff, or Vietnamese messages and the values to keep in the form.
 *
 *   ?period=month|quarter|half|ytd|year&ref=<a day in it>     a standard period (admin/domain/periods.ts)
 *   ?period=custom&from=<day>&to=<day>                        any [from, to]
 *
 * The cutoff C is `to`, or today when the period is still running (a month not yet over is counted as of today).
 * Refused: unknown kinds, malformed dates, from > to, a period that starts after today or ends before the first
 * day of the data (nothing to count) — DESIGN.md §7: a clear message, nothing computed.
 */
import { formatDateVi, parseDateInput, type IsoDate } from './dates.ts';
import { PERIOD_KINDS, periodLabel, standardPeriod, type PeriodKind } from './periods.ts';

export const PICKER_KINDS = [...PERIOD_KINDS, 'custom'] as const;
export type PickerKind = (typeof PICKER_KINDS)[number];

export const PICKER_KIND_LABELS: Record<PickerKind, string> = {
  month: 'Tháng',
  quarter: 'Quý',
  half: '6 tháng đầu năm',
  ytd: 'Từ đầu năm đến nay',
  year: 'Cả năm',
  custom: 'Khoảng ngày tùy chọn',
};

/** The form as typed (strings), echoed back when it has errors. */
export interface PickerValues {
  period: string;
  ref: string;
  from: string;
  to: string;
}

export interface OverviewPeriod {
  kind: PickerKind;
  from: IsoDate;
  to: IsoDate;
  /** cutoff C: `to`, or today while the period is running */
  asOf: IsoDate;
  label: string;
}

export type PickerResult =
  | { ok: true; period: OverviewPeriod; values: PickerValues }
  | { ok: false; errors: Record<string, string>; values: PickerValues };

/** The days that hold data: [first assigned day, today]. A period must overlap them. */
export interface DataRange {
  firstDay: IsoDate | null;
  today: IsoDate;
}

const MAX_INPUT = 20;

function str(v: string | undefined): string {
  return typeof v === 'string' ? v.trim().slice(0, MAX_INPUT * 2) : '';
}

/** Parses the picker's query string. With no `period`, the default is the year to date. */
export function parsePeriodPicker(query: Record<string, string | undefined>, range: DataRange): PickerResult {
  const values: PickerValues = {
    period: str(query.period) || 'ytd',
    ref: str(query.ref),
    from: str(query.from),
    to: str(query.to),
  };
  const errors: Record<string, string> = {};
  const date = (field: 'ref' | 'from' | 'to', label: string): IsoDate | null => {
    const raw = values[field];
    if (raw === '') return null;
    const d = raw.length <= MAX_INPUT ? parseDateInput(raw) : null;
    if (d === null) errors[field] = `${label} không phải ngày hợp lệ (dd/mm/yyyy).`;
    return d;
  };
  if (!(PICKER_KINDS as readonly string[]).includes(values.period)) {
    errors.period = 'Loại kỳ không hợp lệ (chọn tháng, quý, 6 tháng, từ đầu năm, cả năm hoặc khoảng ngày).';
    return { ok: false, errors, values };
  }
  const kind = values.period as PickerKind;
  let from: IsoDate;
  let to: IsoDate;
  if (kind === 'custom') {
    const f = date('from', 'Từ ngày');
    const t = date('to', 'Đến ngày');
    if (values.from === '') errors.from = 'Cần nhập ngày bắt đầu kỳ (từ ngày).';
    if (values.to === '') errors.to = 'Cần nhập ngày kết thúc kỳ (đến ngày).';
    if (f === null || t === null) return { ok: false, errors, values };
    if (f > t) {
      errors.to = `Ngày kết thúc kỳ (${formatDateVi(t)}) phải sau hoặc bằng ngày bắt đầu (${formatDateVi(f)}).`;
      return { ok: false, errors, values };
    }
    from = f;
    to = t;
  } else {
    const ref = values.ref === '' ? range.today : date('ref', 'Ngày trong kỳ');
    if (ref === null) return { ok: false, errors, values };
    const p = standardPeriod(kind as PeriodKind, ref);
    from = p.from;
    to = p.to;
  }
  const field = kind === 'custom' ? 'from' : 'ref';
  if (from > range.today) {
    errors[field] =
      `Kỳ bắt đầu ngày ${formatDateVi(from)}, sau ngày hôm nay (${formatDateVi(range.today)}): chưa có số liệu.`;
  } else if (range.firstDay === null) {
    errors[field] = 'Chưa có nhiệm vụ nào trong hệ thống: chưa có số liệu để tổng hợp.';
  } else if (to < range.firstDay) {
    errors[kind === 'custom' ? 'to' : 'ref'] =
      `Kỳ kết thúc ngày ${formatDateVi(to)}, trước ngày có dữ liệu đầu tiên (${formatDateVi(range.firstDay)}).`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors, values };
  const asOf = to > range.today ? range.today : to;
  return { ok: true, period: { kind, from, to, asOf, label: periodLabel(from, to) }, values };
}

/** The query string of a period (for links that keep it: sorting, quick picks). */
export function periodQuery(p: Pick<OverviewPeriod, 'kind' | 'from' | 'to'>): Record<string, string> {
  if (p.kind === 'custom') return { period: 'custom', from: p.from, to: p.to };
  // the year to date is named by its last day; every other standard period by its first
  return { period: p.kind, ref: p.kind === 'ytd' ? p.to : p.from };
}
