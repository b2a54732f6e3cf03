/**
 * The standard reporting periods of the Office (DESIGN.md §3 "periods"): a month, a quarter, the first six months,
 * the year to date and a whole year, each as [from, to] with its Vietnamese label as reports write it.
 */
import { endOfMonth, formatDateVi, type IsoDate, isIsoDate } from './dates.ts';

export const PERIOD_KINDS = ['month', 'quarter', 'half', 'ytd', 'year'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export interface StandardPeriod {
  kind: PeriodKind | 'custom';
  from: IsoDate;
  to: IsoDate;
  label: string;
}

const ROMAN = ['I', 'II', 'III', 'IV'] as const;

function parts(ref: IsoDate): { y: number; m: number } {
  if (!isIsoDate(ref)) throw new RangeError(`Invalid date: ${ref}`);
  return { y: Number(ref.slice(0, 4)), m: Number(ref.slice(5, 7)) };
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The period of `kind` that contains the day `ref`: month → "Tháng 11/2026", quarter → "Quý IV/2026",
 * half → the first six months of ref's year "6 tháng đầu năm 2026", ytd → 1 January to ref
 * "Từ đầu năm đến 30/11/2026", year → "Năm 2026".
 */
export function standardPeriod(kind: PeriodKind, ref: IsoDate): StandardPeriod {
  const { y, m } = parts(ref);
  switch (kind) {
    case 'month':
      return { kind, from: `${y}-${pad(m)}-01`, to: endOfMonth(`${y}-${pad(m)}`), label: `Tháng ${m}/${y}` };
    case 'quarter': {
      const q = Math.floor((m - 1) / 3);
      const first = q * 3 + 1;
      return {
        kind,
        from: `${y}-${pad(first)}-01`,
        to: endOfMonth(`${y}-${pad(first + 2)}`),
        label: `Quý ${ROMAN[q]}/${y}`,
      };
    }
    case 'half':
      return { kind, from: `${y}-01-01`, to: `${y}-06-30`, label: `6 tháng đầu năm ${y}` };
    case 'ytd':
      return { kind, from: `${y}-01-01`, to: ref, label: `Từ đầu năm đến ${formatDateVi(ref)}` };
    case 'year':
      return { kind, from: `${y}-01-01`, to: `${y}-12-31`, label: `Năm ${y}` };
  }
}

/** The label of any [from, to]: a standard period's own label when it is one, else "Từ 01/10/2026 đến 15/11/2026". */
export function periodLabel(from: IsoDate, to: IsoDate): string {
  for (const kind of ['month', 'quarter', 'half', 'year'] as const) {
    const p = standardPeriod(kind, from);
    if (p.from === from && p.to === to) return p.label;
  }
  if (from.endsWith('-01-01') && to.slice(0, 4) === from.slice(0, 4)) return standardPeriod('ytd', to).label;
  return `Từ ${formatDateVi(from)} đến ${formatDateVi(to)}`;
}
