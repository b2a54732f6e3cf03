/**
 * A split keeps history (issue 12, Tests): for random task histories and a split dated D among random successors,
 * the statistics of every agency as of every day before D are exactly what they were; from D on the totals are
 * unchanged (nothing lost or counted twice) and each open task is counted with the successor chosen for it.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openDatabase } from '../db/open.ts';
import { appendEvent, createTask, getTask } from './tasks.ts';
import { computeStats, type Stats } from './stats.ts';
import { DomainError } from './rules.ts';
import { addDays } from './dates.ts';
import { EMPTY_MAPPING } from './agency-split-mapping.ts';
import { listSplitTasks, splitAgency } from './agency-split.ts';

const START = '2026-01-01';
const TODAY = '2026-12-31';

const taskArb = fc.record({
  assignedAfter: fc.integer({ min: 0, max: 60 }),
  deadlineIn: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
  lead: fc.constantFrom(0, 0, 1), // 0 = the agency that will be split, 1 = a successor
  successor: fc.integer({ min: 0, max: 2 }),
  steps: fc.array(
    fc.record({
      kind: fc.constantFrom('received', 'reported', 'confirmed', 'returned', 'cancelled', 'progress'),
      after: fc.integer({ min: 0, max: 20 }),
    }),
    { maxLength: 5 },
  ),
});

const total = (s: Stats, id: number) => s.agencies.find((x) => x.agencyId === id)?.total ?? 0;

describe('splitAgency (property)', () => {
  it('statistics before D are unchanged for every agency; from D on, totals equal and open tasks sit with their successors', () => {
    fc.assert(
      fc.property(
        fc.array(taskArb, { minLength: 1, maxLength: 14 }),
        fc.integer({ min: 0, max: 40 }),
        (tasks, splitAfter) => {
          const db = openDatabase(':memory:');
          const ins = db.prepare('INSERT INTO agencies (code, name, kind) VALUES (?, ?, ?)');
          const district = Number(ins.run('UBND-HX', 'UBND huyện X', 'district').lastInsertRowid);
          const successors = [
            Number(ins.run('XA-1', 'UBND xã Một', 'commune').lastInsertRowid),
            Number(ins.run('XA-2', 'UBND xã Hai', 'commune').lastInsertRowid),
            Number(ins.run('SXD', 'Sở Xây dựng', 'department').lastInsertRowid),
          ];
          const chosenFor = new Map<number, number>();
          for (const t of tasks) {
            const assignedOn = addDays(START, t.assignedAfter);
            const id = createTask(db, {
              title: 'Nhiệm vụ',
              leadAgencyId: t.lead === 0 ? district : successors[0]!,
              assignedOn,
              deadline: t.deadlineIn === null ? null : addDays(assignedOn, t.deadlineIn),
              noDeadlineReason: 'Thường xuyên',
            });
            chosenFor.set(id, successors[t.successor]!);
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
          const last =
            (
              db.prepare('SELECT max(last_event_on) AS d FROM tasks WHERE lead_agency_id = ?').get(district) as {
                d: string | null;
              }
            ).d ?? START;
          const on = addDays(last, splitAfter);
          const days = [...Array.from({ length: 15 }, (_, i) => addDays(START, i * 10)), on, addDays(on, -1)];
          const before = new Map(days.map((d) => [d, computeStats(db, d)]));
          const open = listSplitTasks(db, district);

          const r = splitAgency(
            db,
            {
              fromId: district,
              on,
              assignments: open.map((t) => ({ taskId: t.id, toId: chosenFor.get(t.id)! })),
              usersPolicy: 'disable',
              usersToId: null,
              mapping: EMPTY_MAPPING,
              defaultId: null,
              reason: 'Quyết định sắp xếp đơn vị hành chính',
            },
            { actor: null, at: new Date() },
            TODAY,
          );
          expect(r.tasksMoved).toBe(open.length);
          for (const t of open) expect(getTask(db, t.id)!.lead_agency_id).toBe(chosenFor.get(t.id));

          for (const d of days) {
            const was = before.get(d)!;
            const now = computeStats(db, d);
            if (d < on) {
              expect(now).toEqual(was);
              continue;
            }
            expect(now.totals).toEqual(was.totals);
            // the district keeps exactly what it no longer holds open; each successor gains its share
            const counted = (id: number) =>
              open.filter((t) => chosenFor.get(t.id) === id && getTask(db, t.id)!.assigned_on <= d).length;
            expect(total(now, district)).toBe(total(was, district) - successors.reduce((n, s) => n + counted(s), 0));
            for (const s of successors) expect(total(now, s)).toBe(total(was, s) + counted(s));
            // and the same per agency through the one-agency path of computeStats
            for (const id of [district, ...successors])
              expect(total(computeStats(db, d, { agencyId: id }), id)).toBe(total(now, id));
          }
          db.close();
        },
      ),
      { numRuns: 40 },
    );
  });
});
