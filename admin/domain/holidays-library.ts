/**
 * The statutory days off of Việt Nam from the `date-holidays` library (it computes the lunar dates: Tết Nguyên Đán,
 * Giỗ Tổ Hùng Vương). Only its entries of type 'public' are days off: Tết Dương lịch, the Tết span, Giỗ Tổ,
 * 30/4, 1/5 and 2/9 (Bộ luật Lao động 2019, Điều 112). Its 'observance' entries (Ngày thành lập Đảng, 8/3, 20/10,
 * Phật đản, Trung thu …) are commemorations on which offices work, so they are left out. What the library does not
 * know is added by the administrator on the holiday page: the second day of Quốc khánh (2/9 and one day before or
 * after it, since 2021), the days off moved by a holiday on a weekend (nghỉ bù), and the yearly swaps the
 * Government announces (extra Tết days, compensatory working Saturdays).
 *
 * Migration 0011 stores these days for LIBRARY_YEARS, so the calendar in force never changes with a library
 * upgrade (holidays-library.test.ts checks that the migration still says what the library says); other years are
 * added from the holiday page (prefillYear in holidays.ts).
 */
import Holidays from 'date-holidays';
import { addDays, toLocalDate, type IsoDate } from './dates.ts';

export interface LibraryHoliday {
  day: IsoDate;
  name: string;
}

/** The years migration 0011 pre-fills. */
export const LIBRARY_YEARS = { from: 2010, to: 2035 } as const;

let vn: Holidays | null = null;

/** The public days off of one year, one row per day (the Tết span gives one row per day), sorted. */
export function libraryHolidays(year: number): LibraryHoliday[] {
  vn ??= new Holidays('VN');
  const byDay = new Map<IsoDate, string>();
  for (const h of vn.getHolidays(year)) {
    if (h.type !== 'public') continue;
    const first = h.date.slice(0, 10);
    const end = toLocalDate(h.end); // exclusive: the local day after the last day off
    for (let d = first; d < end; d = addDays(d, 1)) {
      // the span is named after its eve ("Giao thừa Tết Nguyên Đán"); its other days are Tết itself
      const name = d === first ? h.name : h.name.replace(/^Giao thừa /, '');
      if (d.startsWith(String(year)) && !byDay.has(d)) byDay.set(d, name);
    }
  }
  return [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, name]) => ({ day, name }));
}

/** The VALUES rows of migration 0011's INSERT for the given years (used once to write it; the test re-derives them). */
export function libraryInsertSql(from: number, to: number): string {
  const rows: string[] = [];
  for (let y = from; y <= to; y++)
    for (const h of libraryHolidays(y)) rows.push(`('${h.day}', '${h.name.replace(/'/g, "''")}')`);
  return rows.join(',\n');
}
