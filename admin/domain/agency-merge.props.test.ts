/**
 * A merger dated in the past keeps history (issue 12, Tests; DESIGN.md §3 "the past is not rewritten"): for random
 * task histories, two agencies merged into one successor on two random past days (each not before its last event),
 * the statistics of every agency as of every day before a merger are what they were, through both paths of
 * computeStats; from the merger day on, totals are unchanged (nothing lost or counted twice), the absorbed agency
 * keeps exactly what it had settled, and the successor gains exactly its open tasks.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openDatabase } from '../db/open.ts';
import { appendEvent, createTask, getTask } from './tasks.ts';
import { computeStats, type Stats } from './stats.ts';
import { DomainError } from './rules.ts';
import { addDays } from './dates.ts';
import { mergeAgency } from './agency-reorganisation.ts';

const START = '2026-01-01';
const TODAY = '2026-12-31';

const taskArb = fc.record({
  assignedAfter: fc.integer({ min: 0, max: 60 }),
  deadlineIn: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
  lead: fc.constantFrom(0, 1, 2, 2), // 0, 1 = merged into 2 (the successor)
  steps: fc.array(
    fc.record({
      kind: fc.constantFrom('received', 'reported', 'confirmed', 'returned', 'cancelled', 'progress'),
      after: fc.integer({ min: 0, max: 20 }),
    }),
    { maxLength: 5 },
  ),
});

const total = (s: Stats, id: number) => s.agencies.find((x) => x.agencyId === id)?.total ?? 0;

describe('mergeAgency dated in the past (property)', () => {
  it('before D every agency’s statistics are unchanged; from D on nothing is lost or counted twice', () => {
    fc.assert(
      fc.property(
        fc.array(taskArb, { minLength: 1, maxLength: 14 }),
        fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 })),
        (tasks, after) => {
          const db = openDatabase(':memory:');
          const ins = db.prepare('INSERT INTO agencies (code, name, kind) VALUES (?, ?, ?)');
          const ids = [
            Number(ins.run('STNMT', 'Sở Tài nguyên và Môi trường', 'department').lastInsertRowid),
            Number(ins.run('SNNPTNT', 'Sở Nông nghiệp và PTNT', 'department').lastInsertRowid),
            Number(ins.run('SNNMT', 'Sở Nông nghiệp và Môi trường', 'department').lastInsertRowid),
          ];
          const successor = ids[2]!;
          for (const t of tasks) {
            const assignedOn = addDays(START, t.assignedAfter);
            const id = createTask(db, {
              title: 'Nhiệm vụ',
              leadAgencyId: ids[t.lead]!,
              assignedOn,
              deadline: t.deadlineIn === null ? null : addDays(assignedOn, t.deadlineIn),
              noDeadlineReason: 'Thường xuyên',
            });
            let day = assignedOn;
            for (const step of t.steps) {
              day = addDays(day, step.after);
              try {
                appendEvent(db, id, { kind: step.kind as 'received', occurredOn: day, note: 'Ghi chú' });
              } catch (e) {
                if (!(e instanceof DomainError)) throw e;
              }
            }
          }
          const lastOf = (id: number) =>
            (db.prepare('SELECT max(last_event_on) FROM tasks WHERE lead_agency_id = ?').pluck().get(id) as
              | string
              | null) ?? START;
          const on = [addDays(lastOf(ids[0]!), after[0]), addDays(lastOf(ids[1]!), after[1])];
          const days = [
            ...Array.from({ length: 15 }, (_, i) => addDays(START, i * 10)),
            ...on,
            ...on.map((d) => addDays(d, -1)),
          ];
          const before = new Map(days.map((d) => [d, computeStats(db, d)]));
          const openOf = (id: number) =>
            db
              .prepare('SELECT id FROM tasks WHERE lead_agency_id = ? AND settled_on IS NULL')
              .pluck()
              .all(id) as number[];
          const moved = [openOf(ids[0]!), openOf(ids[1]!)];

          for (const i of [0, 1]) {
            const r = mergeAgency(
              db,
              { fromId: ids[i]!, toId: successor, on: on[i]!, usersPolicy: 'disable', reason: 'Quyết định 15/QĐ-UBND' },
              { actor: null, at: new Date('2026-12-31T03:00:00Z') },
              TODAY,
            );
            expect(r.tasksMoved).toBe(moved[i]!.length);
          }
          for (const list of moved) for (const id of list) expect(getTask(db, id)!.lead_agency_id).toBe(successor);

          for (const d of days) {
            const was = before.get(d)!;
            const now = computeStats(db, d);
            // what each merged agency no longer holds as of d: its open tasks assigned by d, when d is on/after D
            const gone = (i: number) =>
              d < on[i]! ? 0 : moved[i]!.filter((id) => getTask(db, id)!.assigned_on <= d).length;
            if (d < on[0]! && d < on[1]!) expect(now).toEqual(was);
            expect(now.totals).toEqual(was.totals);
            expect(total(now, ids[0]!)).toBe(total(was, ids[0]!) - gone(0));
            expect(total(now, ids[1]!)).toBe(total(was, ids[1]!) - gone(1));
            expect(total(now, successor)).toBe(total(was, successor) + gone(0) + gone(1));
            for (const id of ids) {
              const one = computeStats(db, d, { agencyId: id });
              expect(total(one, id)).toBe(total(now, id));
              // an agency untouched as of d keeps exactly its figures (the one-agency path too)
              const untouched = id === successor ? d < on[0]! && d < on[1]! : d < on[ids.indexOf(id)]!;
              if (untouched) {
                const row = was.agencies.find((a) => a.agencyId === id);
                expect(now.agencies.find((a) => a.agencyId === id)).toEqual(row);
                if (row) expect(one.agencies.find((a) => a.agencyId === id)).toEqual(row);
              }
            }
          }
          db.close();
        },
      ),
      { numRuns: 40 },
    );
  });
});
