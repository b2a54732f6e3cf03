/**
 * Tasks that became overdue inside a period, per agency ("which agencies are late this month", issue 10).
 *
 *   a task becomes overdue on day d when classifyAsOf(d) is overdue with overdueSince = d (status.ts):
 *   d = the day after the effective deadline in force, or the day an on-time report was returned after it.
 *   It is listed when such a d lies in [from, to], under the lead agency of day d, with whether it is still
 *   overdue on `to` (it may have been completed, or cancelled, since).
 *
 * Only tasks not settled before `from` can qualify (a settled task's status never changes again).
 */
import type { DB } from '../db/open.ts';
import { compareVi } from './collation.ts';
import { addDays, type IsoDate } from './dates.ts';
import { classifyAsOf, type TaskFacts } from './status.ts';
import { deadlineCalendarOf } from './holidays.ts';
import type { DeadlineView } from './holidays-history.ts';
import { FACTS_COLUMNS, type FactsRow, factsFromRow } from './tasks.ts';

export interface NewlyOverdueTask {
  taskId: number;
  code: string;
  confidential: boolean;
  agencyId: number;
  overdueSince: IsoDate;
  /** overdue on `to` as well */
  stillOverdue: boolean;
  /** days overdue on `to` (0 when no longer overdue) */
  overdueDaysAtEnd: number;
}

export interface NewlyOverdueAgency {
  agencyId: number;
  code: string;
  name: string;
  /** tasks of this agency that became overdue in the period */
  count: number;
  /** of those, still overdue on `to` */
  stillOverdue: number;
  tasks: NewlyOverdueTask[];
}

export interface NewlyOverdue {
  from: IsoDate;
  to: IsoDate;
  total: number;
  stillOverdue: number;
  /** most newly overdue first, then by code */
  agencies: NewlyOverdueAgency[];
}

export interface NewlyOverdueOptions {
  publicOnly?: boolean;
  agencyId?: number;
  leaderId?: number;
}

/** The days on which the task could start an overdue stretch: the day after each deadline it ever had (moved past
 * days off by the working-day rule, as final on `to`: holidays-history.ts), and each report's resolution day.
 * classifyAsOf decides which of them really did. */
function candidateDays(f: TaskFacts, view: DeadlineView): IsoDate[] {
  const days = new Set<IsoDate>();
  for (const [d] of f.deadlineHistory) if (d !== null) days.add(addDays(view.effectiveDeadline(d), 1));
  if (f.extDeadline !== null) days.add(addDays(view.effectiveDeadline(f.extDeadline), 1));
  for (const [, r] of f.reportWindows) if (r !== null) days.add(r);
  return [...days].sort();
}

export function newlyOverdue(db: DB, from: IsoDate, to: IsoDate, options: NewlyOverdueOptions = {}): NewlyOverdue {
  const where =
    (options.publicOnly ? ' AND confidential = 0' : '') +
    (options.leaderId !== undefined ? ' AND leader_id = @leaderId' : '');
  const rows = db
    .prepare(
      `SELECT id, code, confidential, ${FACTS_COLUMNS} FROM tasks
       WHERE (settled_on IS NULL OR settled_on >= @from) AND assigned_on <= @to${where}`,
    )
    .all({ from, to, leaderId: options.leaderId ?? null }) as Array<
    FactsRow & { id: number; code: string; confidential: number }
  >;
  const byAgency = new Map<number, NewlyOverdueTask[]>();
  const calendar = deadlineCalendarOf(db);
  const endView = calendar.view(to);
  for (const r of rows) {
    const facts = factsFromRow(r);
    for (const d of candidateDays(facts, endView)) {
      if (d < from || d > to) continue;
      const s = classifyAsOf(facts, d, calendar);
      if (s.category !== 'overdue' || s.overdueSince !== d) continue;
      if (options.agencyId !== undefined && s.agencyId !== options.agencyId) break;
      const end = classifyAsOf(facts, to, calendar);
      const task: NewlyOverdueTask = {
        taskId: r.id,
        code: r.code,
        confidential: r.confidential === 1,
        agencyId: s.agencyId,
        overdueSince: d,
        stillOverdue: end.category === 'overdue',
        overdueDaysAtEnd: end.category === 'overdue' ? end.overdueDays : 0,
      };
      let list = byAgency.get(s.agencyId);
      if (!list) byAgency.set(s.agencyId, (list = []));
      list.push(task);
      break; // the first stretch started in the period is the one listed
    }
  }
  const names = new Map(
    (db.prepare('SELECT id, code, name FROM agencies').all() as Array<{ id: number; code: string; name: string }>).map(
      (a) => [a.id, a],
    ),
  );
  const agencies: NewlyOverdueAgency[] = [...byAgency.entries()].map(([agencyId, tasks]) => {
    tasks.sort((a, b) =>
      a.overdueSince < b.overdueSince ? -1 : a.overdueSince > b.overdueSince ? 1 : a.taskId - b.taskId,
    );
    const a = names.get(agencyId);
    return {
      agencyId,
      code: a?.code ?? String(agencyId),
      name: a?.name ?? '',
      count: tasks.length,
      stillOverdue: tasks.filter((t) => t.stillOverdue).length,
      tasks,
    };
  });
  agencies.sort((a, b) => b.count - a.count || compareVi(a.code, b.code));
  return {
    from,
    to,
    total: agencies.reduce((n, a) => n + a.count, 0),
    stillOverdue: agencies.reduce((n, a) => n + a.stillOverdue, 0),
    agencies,
  };
}
