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
import type { TaskFacts } from '../domain/facts.ts';
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

/** A public task with its facts and its status as of the cutoff. */
export interface ClassifiedTask {
  id: number;
  facts: TaskFacts;
  status: ReturnType<typeof classifyAsOf>;
}

/** The public tasks assigned by `asOf`, classified as of it. */
function classifiedTasks(db: DB, asOf: IsoDate, calendar: ReturnType<typeof deadlineCalendarOf>): ClassifiedTask[] {
  const rows = db
    .prepare(`SELECT id, ${FACTS_COLUMNS} FROM tasks WHERE confidential = 0 AND assigned_on <= ?`)
    .all(asOf) as Array<FactsRow & { id: number }>;
  return rows.map((r) => {
    const facts = factsFromRow(r);
    return { id: r.id, facts, status: classifyAsOf(facts, asOf, calendar) };
  });
}

export function unitActivity(
  db: DB,
  input: {
    from: IsoDate;
    asOf: IsoDate;
    agencies: ReadonlyArray<{ id: number; code: string }>;
    /** the public tasks assigned by the cutoff, classified as of it, when the caller has them (buildSnapshot) */
    tasks?: ReadonlyArray<ClassifiedTask>;
  },
): UnitActivity[] {
  const { from, asOf } = input;
  const windowStart = addDays(asOf, -(ACTIVITY_WINDOW_DAYS - 1));
  const calendar = deadlineCalendarOf(db);
  const kinds = UNIT_EVENT_KINDS.map((k) => `'${k}'`).join(', ');
  const tasks = input.tasks ?? classifiedTasks(db, asOf, calendar);
  // a unit's own updates, read through its index (agency, day): ten years of events as rows were most of a
  // publication's time, and each unit needs only its last update and the month and 30 days before the cutoff
  const unitEvents = `FROM task_events e JOIN tasks t ON t.id = e.task_id
        WHERE e.agency_id = ? AND e.occurred_on <= ? AND e.kind IN (${kinds}) AND t.confidential = 0`;
  const lastUpdate = db.prepare(`SELECT e.occurred_on ${unitEvents} ORDER BY e.occurred_on DESC LIMIT 1`).pluck();
  const recentFrom = windowStart < from ? windowStart : from;
  const recent = db.prepare(
    `SELECT e.task_id AS taskId, e.kind, e.occurred_on AS on_ ${unitEvents} AND e.occurred_on >= ?`,
  );

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
  const facts = new Map(tasks.map((t) => [t.id, t.facts]));
  // (task, unit) pairs with a unit update in the 30-day window: an open task counts as updated by its lead unit
  const updatedRecently = new Set<string>();
  for (const [id, u] of acc) {
    u.lastUpdateOn = (lastUpdate.get(id, asOf) as IsoDate | undefined) ?? null;
    // a unit update in the month: its last one is in it
    u.usedSystem = u.lastUpdateOn !== null && u.lastUpdateOn >= from;
    for (const e of recent.all(id, asOf, recentFrom) as Array<{ taskId: number; kind: string; on_: IsoDate }>) {
      if (e.on_ >= windowStart) updatedRecently.add(`${e.taskId}:${id}`);
      if (e.kind === 'reported' && e.on_ >= from) {
        const f = facts.get(e.taskId);
        const deadline = f ? effectiveDeadlineAsOf(f, e.on_, calendar) : null;
        if (deadline !== null && e.on_ > deadline) u.reportsLate++;
      }
    }
  }
  for (const { facts: f, status: s, id } of tasks) {
    if (!s.counted || s.category === null) continue;
    const u = acc.get(agencyAsOf(f, asOf));
    if (!u) continue;
    if (s.category === 'inProgress' || s.category === 'overdue' || s.category === 'noDeadline') {
      u.openTasks++;
      if (updatedRecently.has(`${id}:${s.agencyId}`)) u.openUpdated++;
    } else if (s.category === 'completedLate' && s.completionDate !== null && s.completionDate >= from)
      u.completedLate++;
  }
  return input.agencies.map((a) => {
    const u = acc.get(a.id)!;
    return { code: a.code, ...u, updatedShare: u.openTasks === 0 ? null : u.openUpdated / u.openTasks };
  });
}
