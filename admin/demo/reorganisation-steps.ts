/**
 * The demo's 2025 reorganisation steps, each through the product's own function, as an administrator would record
 * them on the day (admin/demo/reorganisation-plan.ts says what they are):
 *
 *   createAgency (establishment day) · mergeAgency (dated D) · renameAgency (name from D) ·
 *   parseSplitMapping → resolveSplitMapping → buildSplitPreview → the administrator's choices → splitAgency
 *
 * Each step is recorded as done on its day (the audit row's time, the new unit's created_at, the moved tasks'
 * last update), so the same seed gives the same data; the only exception is the recorded_at of the 'reassigned'
 * events the product writes, which get the wall clock (task_events is append-only) and count in no statistic.
 */
import type { DB } from '../db/open.ts';
import { createAgency, renameAgency, type AgencyKind, type ChangeContext, getAgency } from '../domain/agencies.ts';
import { mergeAgency } from '../domain/agency-reorganisation.ts';
import { parseSplitMapping, resolveSplitMapping } from '../domain/agency-split-mapping.ts';
import { buildSplitPreview } from '../domain/agency-split-preview.ts';
import { splitAgency } from '../domain/agency-split.ts';
import { formatDateVi, type IsoDate } from '../domain/dates.ts';
import type { Random } from './random.ts';

/** 08:00 local time on the day: when the Office records the day's decision. */
export function stepContext(day: IsoDate, now?: Date): ChangeContext {
  const at = new Date(`${day}T01:00:00.000Z`);
  return { actor: null, at: now && now < at ? now : at, userAgent: 'npm run demo' };
}

export function agencyIdByCode(db: DB, code: string): number {
  const id = db.prepare('SELECT id FROM agencies WHERE code = ?').pluck().get(code) as number | undefined;
  if (id === undefined) throw new Error(`demo: no agency ${code}`);
  return id;
}

const maxEventId = (db: DB) => db.prepare('SELECT coalesce(max(id), 0) FROM task_events').pluck().get() as number;

/**
 * The tasks a step moved on `day` (reassigned events with ids above `after`): their last update is the step's moment.
 * The events themselves keep the wall-clock time the product gave them (task_events is append-only).
 */
function settleClock(db: DB, after: number, day: IsoDate, ctx: ChangeContext): void {
  db.prepare(
    `UPDATE tasks SET last_update_at = (SELECT max(CASE WHEN e.id > @after AND e.kind = 'reassigned' THEN @at ELSE e.recorded_at END)
       FROM task_events e WHERE e.task_id = tasks.id)
     WHERE id IN (SELECT task_id FROM task_events WHERE id > @after AND kind = 'reassigned' AND occurred_on = @day)`,
  ).run({ after, day, at: ctx.at.toISOString() });
}

/** Runs `step` and settles the clock of what it wrote on `day`. */
export function onDay<T>(db: DB, day: IsoDate, ctx: ChangeContext, step: () => T): T {
  const after = maxEventId(db);
  const out = step();
  settleClock(db, after, day, ctx);
  return out;
}

export function establish(
  db: DB,
  unit: { code: string; name: string; kind: AgencyKind },
  day: IsoDate,
  ctx: ChangeContext,
): number {
  const id = createAgency(db, { ...unit, establishedOn: day }, ctx);
  db.prepare('UPDATE agencies SET created_at = ? WHERE id = ?').run(ctx.at.toISOString(), id);
  return id;
}

export function merge(db: DB, fromCode: string, toCode: string, day: IsoDate, ctx: ChangeContext, reason: string) {
  return onDay(db, day, ctx, () =>
    mergeAgency(
      db,
      {
        fromId: agencyIdByCode(db, fromCode),
        toId: agencyIdByCode(db, toCode),
        on: day,
        usersPolicy: 'disable',
        reason,
      },
      ctx,
      day,
    ),
  );
}

export function rename(db: DB, code: string, name: string, day: IsoDate, ctx: ChangeContext): void {
  const a = getAgency(db, agencyIdByCode(db, code))!;
  renameAgency(db, a.id, { name, kind: a.kind, renamedOn: day }, ctx, day);
}

export interface SplitOutcome {
  code: string;
  tasks: number;
  bySuccessor: Array<{ code: string; tasks: number }>;
}

/**
 * Splits `code` on `day` as the split page does: the mapping typed in (sector lines, then the commune list), the
 * preview's proposals, the administrator's choice for each row the sectors leave to the default (one of the
 * listed successors, drawn with `rng`), then one splitAgency.
 */
export function split(
  db: DB,
  code: string,
  mappingText: string,
  choices: string[],
  day: IsoDate,
  ctx: ChangeContext,
  rng: Random,
  reason: string,
): SplitOutcome {
  const agency = getAgency(db, agencyIdByCode(db, code))!;
  const mapping = resolveSplitMapping(db, agency.id, parseSplitMapping(mappingText));
  const choiceIds = choices.map((c) => agencyIdByCode(db, c));
  const preview = buildSplitPreview(db, agency, mapping, choiceIds[0]!, null, false);
  const assignments = preview.rows.map((r) => ({
    taskId: r.task.id,
    toId: r.proposalSource === 'default' ? rng.pick(choiceIds) : r.chosen,
  }));
  const result = onDay(db, day, ctx, () =>
    splitAgency(
      db,
      {
        fromId: agency.id,
        on: day,
        assignments,
        usersPolicy: 'disable',
        usersToId: null,
        mapping,
        defaultId: choiceIds[0]!,
        reason,
      },
      ctx,
      day,
    ),
  );
  return {
    code,
    tasks: result.tasksMoved,
    bySuccessor: result.bySuccessor.map((s) => ({ code: s.code, tasks: s.tasks })),
  };
}

export const reasonOf = (what: string, day: IsoDate) => `${what}, hiệu lực từ ngày ${formatDateVi(day)}.`;
