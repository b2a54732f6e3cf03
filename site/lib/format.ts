/** Vietnamese formatting for the public pages (dates dd/mm/yyyy, numbers 1.234, rates 12,5 %). */
import { formatDateVi } from '../../admin/domain/dates.ts';
import { foldVietnamese } from '../../admin/domain/text.ts';

export { formatDateVi };

const intFormat = new Intl.NumberFormat('vi-VN');
const pctFormat = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function num(n: number): string {
  return intFormat.format(n);
}

/** A rate with one decimal, or an em dash when nothing has fallen due. */
export function pct(rate: number | null): string {
  return rate === null ? '—' : `${pctFormat.format(rate * 100)}%`;
}

/** '2026-03' → 'Tháng 3/2026'. */
export function periodLabel(period: string): string {
  const [y, m] = period.split('-');
  return `Tháng ${Number(m)}/${y}`;
}

/** URL-safe lower-case slug without diacritics. */
export function slugify(s: string): string {
  return (
    foldVietnamese(s)
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'x'
  );
}

/** An instant as 'dd/mm/yyyy HH:mm' in Asia/Ho_Chi_Minh. */
export { formatDateTimeVi as formatDateTime } from '../../admin/domain/dates.ts';
