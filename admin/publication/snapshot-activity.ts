/**
 * Published update activity (issue 13): for each unit ranked in a snapshot, the facts of its own updates in the
 * published month, computed once here from the events dated on or before the cutoff — like the snapshot's figures
 * (status.ts), so the same cutoff always gives the same activity. Facts about units only, never people:
 *
 * - a unit update is an event only the unit in charge records (admin/domain/activity.ts UNIT_EVENT_KINDS:
 *   acknowledgement, progress, result report, extension request, explanation), recorded for that unit;
 * - last update: the latest day of such an event on or before the cutoff;
 * - open tasks: public tasks the unit leads on the cutoff, not completed (in progress, overdue, without deadline);
 *   updated share: those with a unit update in the last 30 days up to the cutoff ÷ open tasks (null with none);
 * - reports late: result reports the unit submitted in the month after the deadline in force that day;
 * - completed late: tasks the unit completed in the month after their deadline (completion date in the month);
 * - did not use the system: no unit update at all in the month.
 * Confidential tasks count for nothing (they are absent from every public file).
 */
import type { DB } from '../db/open.ts';
import { UNIT_EVENT_KINDS, ACTIVITY_WINDOW_DAYS } from '../domain/activity.ts';
import { addDays, type IsoDate } from '../domain/dates.ts';
import { deadlineCalendarOf } from '../domain/holidays.ts';
import { agencyAsOf, classifyAsOf, effectiveDeadlineAsOf } from '../domain/status.ts';
import { FACTS_COLUMNS, factsFromRow, type FactsRow } from '../domain/tasks.ts';

export interface UnitActivity {
  code: string;
  lastUpdateOn: IsoDate | null;
  openTasks: number;
  openUpdated: number;
  updatedShare: number | null;
  reportsLate: number;
  completedLate: number;
  usedSystem: boolean;
}

export function unitActivity(
  db: DB,
  input: { from: IsoDate; asOf: IsoDate; agencies: ReadonlyArray<{ id: number; code: string }> },
): UnitActivity[] {
  const { from, asOf } = input;
  const windowStart = addDays(asOf, -(ACTIVITY_WINDOW_DAYS - 1));
  const calendar = deadlineCalendarOf(db);
  const kinds = UNIT_EVENT_KINDS.map((k) => `'${k}'`).join(', ');
  const tasks = db
    .prepare(`SELECT id, ${FACTS_COLUMNS} FROM tasks WHERE confidential = 0 AND assigned_on <= ?`)
    .all(asOf) as Array<FactsRow & { id: number }>;
  const events = db
    .prepare(
      `SELECT e.task_id AS taskId, e.agency_id AS agencyId, e.kind, e.occurred_on AS on_
         FROM task_events e JOIN tasks t ON t.id = e.task_id
        WHERE t.confidential = 0 AND e.kind IN (${kinds}) AND e.occurred_on <= ?
          AND e.agency_id IS NOT NULL`,
    )
    .all(asOf) as Array<{ taskId: number; agencyId: number; kind: string; on_: IsoDate }>;

  type Acc = Omit<UnitActivity, 'code' | 'updatedShare'>;
  const acc = new Map<number, Acc>();
  for (const a of input.agencies)
    acc.set(a.id, {
      lastUpdateOn: null,
      openTasks: 0,
      openUpdated: 0,
      reportsLate: 0,
      completedLate: 0,
      usedSystem: false,
    });
  const facts = new Map(tasks.map((t) => [t.id, factsFromRow(t)]));
  // (task, unit) pairs with a unit update in the 30-day window: an open task counts as updated by its lead unit
  const updatedRecently = new Set<string>();
  for (const e of events) {
    const u = acc.get(e.agencyId);
    if (!u) continue;
    if (u.lastUpdateOn === null || e.on_ > u.lastUpdateOn) u.lastUpdateOn = e.on_;
    if (e.on_ >= from) u.usedSystem = true;
    if (e.on_ >= windowStart) updatedRecently.add(`${e.taskId}:${e.agencyId}`);
    if (e.kind === 'reported' && e.on_ >= from) {
      const f = facts.get(e.taskId);
      const deadline = f ? effectiveDeadlineAsOf(f, e.on_, calendar) : null;
      if (deadline !== null && e.on_ > deadline) u.reportsLate++;
    }
  }
  for (const t of tasks) {
    const f = facts.get(t.id)!;
    const s = classifyAsOf(f, asOf, calendar);
    if (!s.counted || s.category === null) continue;
    const u = acc.get(agencyAsOf(f, asOf));
    if (!u) continue;
    if (s.category === 'inProgress' || s.category === 'overdue' || s.category === 'noDeadline') {
      u.openTasks++;
      if (updatedRecently.has(`${t.id}:${s.agencyId}`)) u.openUpdated++;
    } else if (s.category === 'completedLate' && s.completionDate !== null && s.completionDate >= from)
      u.completedLate++;
  }
  return input.agencies.map((a) => {
    const u = acc.get(a.id)!;
    return { code: a.code, ...u, updatedShare: u.openTasks === 0 ? null : u.openUpdated / u.openTasks };
  });
}
