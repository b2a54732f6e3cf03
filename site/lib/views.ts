/**
 * The three views of a published period as the pages label them, and the per-period CSV files beside them
 * (site/pages/du-lieu-mo/[period]/*.csv.ts). Labels follow the Office's reports: "Tháng 3/2026",
 * "Từ đầu năm đến 31/03/2026" (admin/domain/periods.ts).
 */
import { periodLabel as rangeLabel, standardPeriod } from '../../admin/domain/periods.ts';
import type { PeriodViews, PublicCounts, SnapshotHeader } from '../../admin/publication/schema.ts';
import { formatDateVi } from './format.ts';

export interface ViewRow {
  label: string;
  counts: PublicCounts;
}

/** "tháng 3/2026" / "từ đầu năm đến 31/03/2026" for the header's month and year to date. */
export function scopeLabels(h: SnapshotHeader): { month: string; yearToDate: string } {
  // the year to date keeps its own name even when it coincides with a quarter or a half-year
  return { month: rangeLabel(h.month.from, h.month.to), yearToDate: standardPeriod('ytd', h.yearToDate.to).label };
}

/** The rows of a views table: year to date, then the month, then the cumulative figure last. */
export function viewRows(h: SnapshotHeader, of: { month: PeriodViews; yearToDate: PeriodViews }): ViewRow[] {
  const l = scopeLabels(h);
  return [
    { label: `Giao ${lower(l.yearToDate)}`, counts: of.yearToDate.assigned },
    { label: `Tồn đọng từ trước năm ${h.yearToDate.from.slice(0, 4)}`, counts: of.yearToDate.backlog },
    { label: `Giao trong ${lower(l.month)}`, counts: of.month.assigned },
    { label: `Tồn đọng từ trước ${lower(l.month)}`, counts: of.month.backlog },
    { label: `Lũy kế đến ngày ${formatDateVi(h.asOf)}`, counts: of.month.cumulative },
  ];
}

function lower(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

export function figuresHref(period: string): string {
  return `/du-lieu-mo/${period}/so-lieu.csv`;
}

export function newlyOverdueHref(period: string): string {
  return `/du-lieu-mo/${period}/moi-qua-han.csv`;
}
