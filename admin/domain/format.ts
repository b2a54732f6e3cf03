/**
 * Vietnamese number formatting for every admin page and command (DESIGN.md §5–6, CONVENTIONS.md habit 15): integers
 * grouped with dots (6.372), rates with one decimal and a comma (12,3%), an em dash for a rate with nothing due.
 * The formatters are built once: constructing an Intl.NumberFormat costs far more than using one.
 */

const integerVi = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
const percentVi = new Intl.NumberFormat('vi-VN', {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

/** 6372 → "6.372"; -1200 → "-1.200". */
export function formatNumber(n: number): string {
  // below a thousand there is nothing to group: skip Intl (the overview formats ~1,000 numbers a page)
  if (Number.isInteger(n) && n > -1000 && n < 1000) return String(n);
  return integerVi.format(n);
}

/** A rate in [0, 1] as "12,3%", or "—" when it is null (nothing has fallen due). */
export function formatRate(r: number | null): string {
  return r === null || !Number.isFinite(r) ? '—' : percentVi.format(r);
}
