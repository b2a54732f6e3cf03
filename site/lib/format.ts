/** Vietnamese formatting for the public pages (dates dd/mm/yyyy, numbers 1.234, rates 12,5%), from the admin's helpers. */
import { formatDateVi } from '../../admin/domain/dates.ts';
import { foldVietnamese } from '../../admin/domain/text.ts';

export { formatDateVi };

/** 6372 → '6.372' (the one Vietnamese number helper, shared with the admin: admin/domain/format.ts). */
export { formatNumber as num } from '../../admin/domain/format.ts';
/** A rate as '12,3%', or an em dash when nothing is due (admin/domain/format.ts). */
export { formatRate as pct } from '../../admin/domain/format.ts';

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
