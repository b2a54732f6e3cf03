/**
 * The public meeting report: exactly the published snapshot of the period (its latest revision), figure for figure —
 * the month's and the year's views, the per-agency rows, the overdue and undated public tasks, the newly overdue
 * count. Confidential tasks are not in the snapshot, so they are in none of these. Only the units' update activity
 * is read from the database (admin/domain/activity.ts, as of the end of the cutoff day), as the site publishes it.
 */
import type { DB } from '../db/open.ts';
import { agencyActivity } from '../domain/activity.ts';
import { compareVi } from '../domain/collation.ts';
import type { Snapshot } from '../publication/schema.ts';
import {
  endOfDayInstant,
  figuresOf,
  groupOverdue,
  inactiveUnitsOf,
  reportHeading,
  type ReportContext,
} from './common.ts';
import type { AgencyFigures, MeetingReport, TaskLine } from './model.ts';

export function buildPublicReport(db: DB, snap: Snapshot, ctx: ReportContext): MeetingReport {
  const names = new Map(snap.agencies.map((a) => [a.code, a.name]));
  for (const e of snap.agencyEnds) if (!names.has(e.code)) names.set(e.code, e.name);
  const line = (t: Snapshot['tasks'][number]): TaskLine => ({
    code: t.code,
    title: t.title,
    hidden: false,
    agencyCode: t.leadAgency,
    agencyName: names.get(t.leadAgency) ?? t.leadAgency,
    document: t.document?.number ?? null,
    assignedOn: t.assignedOn,
    effectiveDeadline: t.effectiveDeadline,
    overdueDays: t.overdueDays,
    lastUrgedOn: null,
  });
  const agencies: AgencyFigures[] = snap.agencies
    .map((a) => ({
      code: a.code,
      name: a.name,
      month: { assigned: figuresOf(a.month.assigned), backlog: figuresOf(a.month.backlog) },
      yearToDate: { assigned: figuresOf(a.yearToDate.assigned), backlog: figuresOf(a.yearToDate.backlog) },
      cumulative: figuresOf(a.counts),
    }))
    .sort((a, b) => compareVi(a.name, b.name));
  return {
    ...reportHeading(db, ctx, 'public', { province: snap.province, office: snap.office }),
    month: {
      from: snap.month.from,
      to: snap.month.to,
      assigned: figuresOf(snap.month.assigned),
      backlog: figuresOf(snap.month.backlog),
    },
    yearToDate: {
      from: snap.yearToDate.from,
      to: snap.yearToDate.to,
      assigned: figuresOf(snap.yearToDate.assigned),
      backlog: figuresOf(snap.yearToDate.backlog),
    },
    cumulative: figuresOf(snap.totals),
    agencies,
    overdue: groupOverdue(snap.tasks.filter((t) => t.status === 'overdue').map(line)),
    newlyOverdue: snap.newlyOverdue.reduce((n, a) => n + a.count, 0),
    undated: snap.tasks
      .filter((t) => t.status === 'noDeadline')
      .map(line)
      .sort((a, b) => compareVi(a.agencyName, b.agencyName) || (a.assignedOn < b.assignedOn ? -1 : 1)),
    urgingKnown: false,
    inactiveUnits: inactiveUnitsOf(agencyActivity(db, endOfDayInstant(snap.asOf, ctx.now))),
    confidentialCounted: 0,
  };
}
