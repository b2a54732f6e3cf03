/**
 * What both builders of the meeting report share: the heading facts (province, office, place from the settings),
 * the figures of one population in the report's shape, the overdue list grouped by agency, and the units that did
 * not update the system.
 */
import type { DB } from '../db/open.ts';
import type { AgencyActivity } from '../domain/activity.ts';
import { compareVi } from '../domain/collation.ts';
import { addDays, type IsoDate } from '../domain/dates.ts';
import { readSettings } from '../domain/settings.ts';
import { DEFAULT_OFFICE, DEFAULT_PROVINCE } from '../publication/snapshot.ts';
import { placeOf } from './form.ts';
import type { AgencyTasks, Figures, InactiveUnit, MeetingReport, ReportVersion, TaskLine } from './model.ts';

/** The period, its cutoff and the publication it belongs to, resolved by index.ts. */
export interface ReportContext {
  period: string;
  asOf: IsoDate;
  issuedOn: IsoDate;
  now: Date;
  revision: number | null;
  note: string;
}

type Heading = Pick<
  MeetingReport,
  'version' | 'province' | 'office' | 'place' | 'period' | 'asOf' | 'issuedOn' | 'revision' | 'note'
>;

/** Province and office as the snapshot names them (settings, else the same defaults). */
export function reportHeading(
  db: DB,
  ctx: ReportContext,
  version: ReportVersion,
  names?: { province: string; office: string },
): Heading {
  const s = readSettings(db);
  const province = names?.province ?? (s.provinceName.trim() || DEFAULT_PROVINCE);
  const office = names?.office ?? (s.officeName.trim() || DEFAULT_OFFICE);
  return {
    version,
    province,
    office,
    place: placeOf(province),
    period: ctx.period,
    asOf: ctx.asOf,
    issuedOn: ctx.issuedOn,
    revision: ctx.revision,
    note: ctx.note,
  };
}

type CountsLike = Omit<Figures, 'completionRate'> & { completionRate?: number | null };

/** The report's figures from a Counts (domain) or a PublicCounts (snapshot); zeros for null. */
export function figuresOf(c: CountsLike | null): Figures {
  if (!c) {
    return {
      total: 0,
      completedOnTime: 0,
      completedLate: 0,
      inProgress: 0,
      overdue: 0,
      noDeadline: 0,
      awaitingConfirmation: 0,
      overdueOver30: 0,
      overdueOver60: 0,
      overdueOver120: 0,
      due: 0,
      completionRate: null,
      onTimeRate: null,
      overdueRate: null,
    };
  }
  return {
    total: c.total,
    completedOnTime: c.completedOnTime,
    completedLate: c.completedLate,
    inProgress: c.inProgress,
    overdue: c.overdue,
    noDeadline: c.noDeadline,
    awaitingConfirmation: c.awaitingConfirmation,
    overdueOver30: c.overdueOver30,
    overdueOver60: c.overdueOver60,
    overdueOver120: c.overdueOver120,
    due: c.due,
    completionRate: c.completionRate ?? null,
    onTimeRate: c.onTimeRate,
    overdueRate: c.overdueRate,
  };
}

/** Overdue tasks by lead agency (Vietnamese order), the longest overdue first within each. */
export function groupOverdue(lines: TaskLine[]): AgencyTasks[] {
  const by = new Map<string, AgencyTasks>();
  for (const t of lines) {
    let g = by.get(t.agencyCode);
    if (!g) by.set(t.agencyCode, (g = { agencyCode: t.agencyCode, agencyName: t.agencyName, tasks: [] }));
    g.tasks.push(t);
  }
  const groups = [...by.values()].sort((a, b) => compareVi(a.agencyName, b.agencyName));
  for (const g of groups)
    g.tasks.sort((a, b) => b.overdueDays - a.overdueDays || compareVi(a.code ?? '', b.code ?? ''));
  return groups;
}

export function inactiveUnitsOf(rows: AgencyActivity[]): InactiveUnit[] {
  return rows
    .filter((r) => r.inactive)
    .map((r) => ({
      code: r.code,
      name: r.name,
      accounts: r.accounts,
      lastLoginAt: r.lastLoginAt,
      lastUpdateAt: r.lastUpdateAt,
      openTasks: r.openTasks,
      updatedShare: r.updatedShare,
    }))
    .sort((a, b) => compareVi(a.name, b.name));
}

/** The end of the cutoff day in Asia/Ho_Chi_Minh (UTC+7, no daylight saving), or `now` if that is earlier. */
export function endOfDayInstant(asOf: IsoDate, now: Date): Date {
  const end = new Date(`${addDays(asOf, 1)}T00:00:00+07:00`);
  return end < now ? end : now;
}
