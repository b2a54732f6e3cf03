/**
 * The internal meeting report (for the Committee's meeting): the figures computed from the database as of the cutoff
 * with confidential tasks counted, through the same functions as every other surface — computePeriodStats for the
 * month and the year to date, newlyOverdue, the task query for the lists, agencyActivity for the units that did not
 * update. A confidential task's title and code appear only for a reader who may read the task (permissions.ts
 * 'task.read': the Office, the working group, the leaders); otherwise "Nhiệm vụ mật".
 */
import type { DB } from '../db/open.ts';
import { can } from '../auth/permissions.ts';
import { agencyActivity } from '../domain/activity.ts';
import { compareVi } from '../domain/collation.ts';
import { endOfMonth, type IsoDate } from '../domain/dates.ts';
import { newlyOverdue } from '../domain/newly-overdue.ts';
import { computePeriodStats, type GroupCounts, type PeriodStats } from '../domain/period-stats.ts';
import { exportTasks, type TaskFilter, type TaskListRow } from '../domain/task-query.ts';
import { confidentialCounted, lastUrgedOn } from './queries.ts';
import {
  endOfDayInstant,
  figuresOf,
  groupOverdue,
  inactiveUnitsOf,
  reportHeading,
  type ReportContext,
} from './common.ts';
import {
  type AgencyFigures,
  type Figures,
  HIDDEN_TITLE,
  type MeetingReport,
  type ReportReader,
  type TaskLine,
} from './model.ts';

const OFFICE_SCOPE = { role: 'confirmer', agencyId: null } as const;

function listFilter(status: 'overdue' | 'noDeadline', asOf: IsoDate): TaskFilter {
  return { role: 'lead', asOf, status, sort: 'agency', dir: 'asc', page: 1, pageSize: 50 };
}

function line(r: TaskListRow, reader: ReportReader, urged: Map<number, IsoDate> | null): TaskLine {
  const visible = !r.confidential || can(reader, 'task.read', { leadAgencyId: r.leadAgencyId });
  return {
    code: visible ? r.code : null,
    title: visible ? r.title : HIDDEN_TITLE,
    hidden: !visible,
    agencyCode: r.leadAgencyCode,
    agencyName: r.leadAgencyName,
    document: visible ? r.documentNumber : null,
    assignedOn: r.assignedOn,
    effectiveDeadline: r.effectiveDeadline,
    overdueDays: r.overdueDays,
    lastUrgedOn: urged?.get(r.id) ?? null,
  };
}

/** Per agency: the month's and the year's views and the cumulative figures, every agency present in any of them. */
function agencyRows(month: PeriodStats, ytd: PeriodStats): AgencyFigures[] {
  const rows = new Map<string, AgencyFigures>();
  const empty = figuresOf(null);
  const row = (g: GroupCounts) => {
    const code = g.code ?? String(g.id);
    let r = rows.get(code);
    if (!r) {
      r = {
        code,
        name: g.name || code,
        month: { assigned: empty, backlog: empty },
        yearToDate: { assigned: empty, backlog: empty },
        cumulative: empty,
      };
      rows.set(code, r);
    }
    return r;
  };
  const put = (list: GroupCounts[], set: (r: AgencyFigures, f: Figures) => void) => {
    for (const g of list) set(row(g), figuresOf(g));
  };
  put(month.assigned.agencies, (r, f) => (r.month = { ...r.month, assigned: f }));
  put(month.backlog.agencies, (r, f) => (r.month = { ...r.month, backlog: f }));
  put(ytd.assigned.agencies, (r, f) => (r.yearToDate = { ...r.yearToDate, assigned: f }));
  put(ytd.backlog.agencies, (r, f) => (r.yearToDate = { ...r.yearToDate, backlog: f }));
  put(month.cumulative.agencies, (r, f) => (r.cumulative = f));
  return [...rows.values()].sort((a, b) => compareVi(a.name, b.name));
}

export interface InternalReportInput extends ReportContext {
  reader: ReportReader;
}

export function buildInternalReport(db: DB, input: InternalReportInput): MeetingReport {
  const { period, asOf } = input;
  const to = endOfMonth(period);
  const month = computePeriodStats(db, { from: `${period}-01`, to, asOf });
  const ytd = computePeriodStats(db, { from: `${period.slice(0, 4)}-01-01`, to, asOf });
  const overdueRows = exportTasks(db, OFFICE_SCOPE, listFilter('overdue', asOf)).rows;
  const undatedRows = exportTasks(db, OFFICE_SCOPE, listFilter('noDeadline', asOf)).rows;
  const urged = lastUrgedOn(
    db,
    undatedRows.map((r) => r.id),
    asOf,
  );
  return {
    ...reportHeading(db, input, 'internal'),
    month: {
      from: month.from,
      to: asOf,
      assigned: figuresOf(month.assigned.totals),
      backlog: figuresOf(month.backlog.totals),
    },
    yearToDate: {
      from: ytd.from,
      to: asOf,
      assigned: figuresOf(ytd.assigned.totals),
      backlog: figuresOf(ytd.backlog.totals),
    },
    cumulative: figuresOf(month.cumulative.totals),
    agencies: agencyRows(month, ytd),
    overdue: groupOverdue(overdueRows.map((r) => line(r, input.reader, null))),
    newlyOverdue: newlyOverdue(db, `${period}-01`, asOf).total,
    undated: undatedRows
      .map((r) => line(r, input.reader, urged))
      .sort((a, b) => compareVi(a.agencyName, b.agencyName) || (a.assignedOn < b.assignedOn ? -1 : 1)),
    urgingKnown: true,
    inactiveUnits: inactiveUnitsOf(agencyActivity(db, endOfDayInstant(asOf, input.now))),
    confidentialCounted: confidentialCounted(db, asOf),
  };
}
