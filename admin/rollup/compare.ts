/**
 * The national comparison (issue 13): provinces are compared on the same rules for the same period, so only on the
 * periods every usable province publishes; the others are listed as left out. A province code (or name) used by
 * two sources is refused for the second one. Figures are taken as published, never recomputed: the roll-up adds
 * counts across provinces and derives the national rates with the same national counting (DESIGN.md §3: completion
 * rate = completed ÷ due, due = completed + overdue).
 */
import type { PeriodFigures, PublicCounts } from '../publication/schema.ts';
import type { Source } from './sources.ts';
import { sortVi } from '../domain/collation.ts';
import { bareProvinceName, type Checked, type Province, type ProvincePeriod } from './validate.ts';

export interface Refused {
  source: Source;
  reason: string;
}

/** The figures compared for one view (the tasks assigned in the month, or since 1 January). */
export interface ViewFigures {
  assigned: number;
  completed: number;
  due: number;
  completionRate: number | null;
  overdue: number;
  over30: number;
  over60: number;
  over120: number;
}

export interface ProvinceRow {
  code: string;
  name: string;
  source: string;
  asOf: string;
  revision: number;
  schemaVersion: number;
  rulesVersion: number;
  /** the province's own report page of the period (null when the source gives no public address) */
  href: string | null;
  /** for a folder source: where the page is in the copied folder */
  note: string | null;
  month: ViewFigures | null;
  yearToDate: ViewFigures | null;
  activity: { units: number; used: number; share: number | null } | null;
  packageSha256: string;
}

export interface PeriodComparison {
  period: string;
  rows: ProvinceRow[];
  /** sums over the provinces that publish version-2 figures (null when none does) */
  national: { month: ViewFigures | null; yearToDate: ViewFigures | null; activity: ProvinceRow['activity'] };
}

export interface Rollup {
  provinces: Province[];
  refused: Refused[];
  commonPeriods: string[];
  /** per province, the periods it publishes that are not common to all, so not compared */
  leftOut: Array<{ code: string; name: string; periods: string[] }>;
  comparisons: PeriodComparison[];
}

/** Usable provinces and refusals; a code used twice is refused for every source after the first. */
export function dedupeProvinces(checked: Checked[]): { provinces: Province[]; refused: Refused[] } {
  const provinces: Province[] = [];
  const refused: Refused[] = [];
  for (const c of checked) {
    if (!c.ok) {
      refused.push({ source: c.source, reason: c.reason });
      continue;
    }
    const p = c.province;
    const twin = provinces.find((q) => q.code === p.code || q.name === p.name);
    if (twin)
      refused.push({
        source: p.source,
        reason: `Nguồn ${p.source.label}: tỉnh "${p.name}" (mã ${p.code}) trùng với nguồn ${twin.source.label} (tệp /du-lieu-mo/danh-muc.json); mỗi tỉnh chỉ được tổng hợp một lần.`,
      });
    else provinces.push(p);
  }
  return { provinces, refused };
}

export function viewFigures(f: PeriodFigures | null): ViewFigures | null {
  if (!f) return null;
  const a: PublicCounts = f.assigned;
  return {
    assigned: a.total,
    completed: a.completedOnTime + a.completedLate,
    due: a.due,
    completionRate: a.completionRate,
    overdue: a.overdue,
    over30: a.overdueOver30,
    over60: a.overdueOver60,
    over120: a.overdueOver120,
  };
}

function sumViews(views: Array<ViewFigures | null>): ViewFigures | null {
  const present = views.filter((v): v is ViewFigures => v !== null);
  if (present.length === 0) return null;
  const sum = (k: keyof ViewFigures) => present.reduce((n, v) => n + (v[k] ?? 0), 0);
  const completed = sum('completed');
  const due = sum('due');
  return {
    assigned: sum('assigned'),
    completed,
    due,
    completionRate: due > 0 ? completed / due : null,
    overdue: sum('overdue'),
    over30: sum('over30'),
    over60: sum('over60'),
    over120: sum('over120'),
  };
}

function activityOf(p: ProvincePeriod): ProvinceRow['activity'] {
  if (!p.activity) return null;
  return { ...p.activity, share: p.activity.units > 0 ? p.activity.used / p.activity.units : null };
}

function rowOf(province: Province, p: ProvincePeriod): ProvinceRow {
  const { source } = province;
  const published = /^https:\/\//i.test(p.reportUrl) ? p.reportUrl : null;
  return {
    code: province.code,
    name: province.name,
    source: source.label,
    asOf: p.asOf,
    revision: p.revision,
    schemaVersion: p.schemaVersion,
    rulesVersion: p.rulesVersion,
    href: source.origin ? `${source.origin}${p.reportPath}` : published,
    note: source.origin
      ? null
      : (source.pagesNote ?? `${p.reportPath.slice(1)}index.html trong thư mục ${source.label}`),
    month: viewFigures(p.month),
    yearToDate: viewFigures(p.yearToDate),
    activity: activityOf(p),
    packageSha256: p.packageSha256,
  };
}

/** The roll-up of the validated sources: common periods, what was left out, one comparison per common period. */
export function compareProvinces(checked: Checked[]): Rollup {
  const deduped = dedupeProvinces(checked);
  // the first source of a province wins (dedupe in the order given); the pages list provinces by name
  const provinces = sortVi(deduped.provinces, (p) => bareProvinceName(p.name));
  const { refused } = deduped;
  const sets = provinces.map((p) => new Set(p.periods.map((x) => x.period)));
  const commonPeriods =
    provinces.length === 0
      ? []
      : [...sets[0]!].filter((period) => sets.every((s) => s.has(period))).sort((a, b) => a.localeCompare(b));
  const leftOut = provinces
    .map((p) => ({
      code: p.code,
      name: p.name,
      periods: p.periods.map((x) => x.period).filter((x) => !commonPeriods.includes(x)),
    }))
    .filter((x) => x.periods.length > 0);
  const comparisons = commonPeriods.map((period) => {
    const rows = provinces.map((p) => rowOf(p, p.periods.find((x) => x.period === period)!));
    const acts = rows.map((r) => r.activity).filter((a) => a !== null);
    const units = acts.reduce((n, a) => n + a.units, 0);
    const used = acts.reduce((n, a) => n + a.used, 0);
    return {
      period,
      rows,
      national: {
        month: sumViews(rows.map((r) => r.month)),
        yearToDate: sumViews(rows.map((r) => r.yearToDate)),
        activity: acts.length > 0 ? { units, used, share: units > 0 ? used / units : null } : null,
      },
    };
  });
  return { provinces, refused, commonPeriods, leftOut, comparisons };
}
