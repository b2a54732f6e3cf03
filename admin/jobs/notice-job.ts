/**
 * The daily notice job (06:30, before the 07:00 digest): finds, for every open task, the cases no event announces.
 *
 *   open task ──classifyAsOf(today) (status.ts, the statistics' own rule)──▶
 *     overdue                                    ──▶ 'overdue' to the lead unit (= explanation required), once for
 *                                                    the original deadline and once for an extended one
 *     due soon (status.ts: within 3 working days),
 *       no pending report                        ──▶ 'due_soon' to the lead unit, once per effective deadline
 *     a report / extension request waiting
 *       more than N days (setting)               ──▶ 'waiting_long' to the working group, once per submission
 *
 * Once only, by construction: each case has its key in notices' UNIQUE (user, kind, task, dedupe_key), so a second
 * run the same day, or a run after days down, writes nothing twice. Catching up after a gap asks only about today:
 * a task that became overdue while the server was down gets its one 'overdue' notice; a due-soon window missed
 * entirely is not announced late (the task is overdue by then, and that is the one it gets). A task overdue for
 * longer than OVERDUE_CATCH_UP_DAYS is not announced any more: the first run on an old database must not bury the
 * units under years of old cases.
 */
import type { DB } from '../db/open.ts';
import { statement } from '../db/statements.ts';
import { addDays, diffDays, type IsoDate } from '../domain/dates.ts';
import { classifyAsOf } from '../domain/status.ts';
import { FACTS_COLUMNS, factsFromRow, type FactsRow } from '../domain/tasks.ts';
import { taskResource } from '../domain/task-actions.ts';
import { workingDaysBetween } from '../domain/working-days.ts';
import { deadlineCalendarOf } from '../domain/holidays.ts';
import type { DeadlineCalendar } from '../domain/holidays-history.ts';
import { activeConfirmers, activeUsersOfAgencies, writeNotices, type Recipient } from '../domain/notices.ts';

export const DUE_SOON_WORKING_DAYS = 3;
export const OVERDUE_CATCH_UP_DAYS = 30;

export interface NoticeJobResult {
  tasks: number;
  dueSoon: number;
  overdue: number;
  waiting: number;
}

export interface NoticeJobOptions {
  today: IsoDate;
  now: Date;
  /** the holiday calendar; by default the database's (holidays.ts), as the statistics use it */
  calendar?: DeadlineCalendar;
  /** the setting "waiting more than N days" for the working group */
  waitingDays: number;
}

type Row = FactsRow & { id: number };

/** One run; all its notices in one immediate transaction. */
export function runNoticeJob(db: DB, options: NoticeJobOptions): NoticeJobResult {
  const { today, now } = options;
  const calendar = options.calendar ?? deadlineCalendarOf(db);
  const days = calendar.view(today).calendar;
  const result: NoticeJobResult = { tasks: 0, dueSoon: 0, overdue: 0, waiting: 0 };
  return db
    .transaction(() => {
      // open tasks only (settled = completed or cancelled; tasks_unsettled index)
      const rows = statement(
        db,
        `SELECT id, ${FACTS_COLUMNS} FROM tasks WHERE settled_on IS NULL AND assigned_on <= ? ORDER BY id`,
      ).all(today) as Row[];
      const byAgency = new Map<number, Recipient[]>();
      const unit = (agencyId: number) => {
        let r = byAgency.get(agencyId);
        if (!r) byAgency.set(agencyId, (r = activeUsersOfAgencies(db, [agencyId])));
        return r;
      };
      let group: Recipient[] | null = null;
      const confirmers = () => (group ??= activeConfirmers(db));
      const catchUpFrom = addDays(today, -OVERDUE_CATCH_UP_DAYS);
      const rejected = statement(db, "SELECT 1 FROM task_events WHERE task_id = ? AND kind = 'extension_rejected'");
      for (const row of rows) {
        result.tasks++;
        const facts = factsFromRow(row);
        const st = classifyAsOf(facts, today, calendar);
        if (!st.counted) continue;
        const resource = () => taskResource(db, { id: row.id, lead_agency_id: st.agencyId });
        const lead = unit(st.agencyId);
        if (st.category === 'overdue' && st.overdueSince !== null && st.overdueSince >= catchUpFrom) {
          result.overdue += writeNotices(
            db,
            {
              taskId: row.id,
              kind: 'overdue',
              // once per deadline generation: a deadline can only be corrected before it passes, so after the
              // original only the one extension can make the task overdue again (a calendar edit shifting the
              // effective deadline does not)
              dedupeKey: facts.extApprovedOn !== null && facts.extApprovedOn <= today ? 'extended' : 'original',
              data: { deadline: st.effectiveDeadline, overdueSince: st.overdueSince },
            },
            lead,
            resource(),
            { now },
          );
        } else if (
          // the statistics' own "due within 3 working days" (status.ts); not once the unit has reported
          st.dueSoon &&
          !st.awaitingConfirmation &&
          st.effectiveDeadline !== null
        ) {
          result.dueSoon += writeNotices(
            db,
            {
              taskId: row.id,
              kind: 'due_soon',
              dedupeKey: st.effectiveDeadline,
              data: {
                deadline: st.effectiveDeadline,
                workingDaysLeft: workingDaysBetween(days, today, st.effectiveDeadline),
              },
            },
            lead,
            resource(),
            { now },
          );
        }
        if (st.awaitingConfirmation && st.awaitingDays > options.waitingDays) {
          const since = addDays(today, -st.awaitingDays);
          result.waiting += writeNotices(
            db,
            {
              taskId: row.id,
              kind: 'waiting_long',
              dedupeKey: `report:${since}`,
              data: { what: 'report', since, days: st.awaitingDays },
            },
            confirmers(),
            resource(),
            { now },
          );
        }
        const ext = facts.extRequestedOn;
        if (
          ext !== null &&
          facts.extApprovedOn === null &&
          diffDays(ext, today) > options.waitingDays &&
          !rejected.get(row.id)
        ) {
          result.waiting += writeNotices(
            db,
            {
              taskId: row.id,
              kind: 'waiting_long',
              dedupeKey: `extension:${ext}`,
              data: { what: 'extension', since: ext, days: diffDays(ext, today) },
            },
            confirmers(),
            resource(),
            { now },
          );
        }
      }
      return result;
    })
    .immediate();
}
