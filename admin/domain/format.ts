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
  // integers without Intl (the overview formats ~1,000 numbers a request): dots every three digits, exactly
  // Intl's vi-VN output (format.test.ts compares them); Intl for fractions and beyond 2^53
  if (Number.isSafeInteger(n)) {
    if (n > -1000 && n < 1000) return String(n);
    const digits = String(Math.abs(n));
    let out = digits.slice(0, digits.length % 3 || 3);
    for (let i = out.length; i < digits.length; i += 3) out += `.${digits.slice(i, i + 3)}`;
    return n < 0 ? `-${out}` : out;
  }
  return integerVi.format(n);
}

/** A rate in [0, 1] as "12,3%", or "—" when it is null (nothing has fallen due). */
export function formatRate(r: number | null): string {
  if (r === null || !Number.isFinite(r)) return '—';
  // the common case without Intl (the overview prints ~400 rates a request; Intl was a twentieth of its time): tenths
  // of a percent from 0 to 999,9 %, exactly Intl's output (format.test.ts compares them), Intl for the rest and for
  // values within a hair of a rounding tie, where binary floating point could round the other way
  const tenths = r * 1000;
  if (r >= 0 && tenths < 9999.5 && Math.abs((tenths % 1) - 0.5) > 1e-6) {
    const t = Math.round(tenths);
    return `${Math.floor(t / 10)},${t % 10}%`;
  }
  return percentVi.format(r);
}
