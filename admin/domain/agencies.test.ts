/**
 * The merger keeps history (DESIGN.md §1): for random task histories and a random merger day, statistics as of
 * every day before the merger are exactly what they were, and from the merger day on nothing is lost or counted
 * twice — the absorbed agency keeps only what it completed, the successor gets every open task.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openDatabase } from '../db/open.ts';
import { appendEvent, createTask } from './tasks.ts';
import { computeStats } from './stats.ts';
import { DomainError } from './rules.ts';
import { addDays } from './dates.ts';
import { dissolveAgency, mergeAgency, reorganisationEvent } from './agency-reorganisation.ts';

const START = '2026-01-01';
const TODAY = '2026-12-31';

const taskArb = fc.record({
  assignedAfter: fc.integer({ min: 0, max: 60 }),
  deadlineIn: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
  lead: fc.constantFrom(0, 1), // 0 = the agency that will be merged, 1 = another one
  steps: fc.array(
    fc.record({
      kind: fc.constantFrom('received', 'reported', 'confirmed', 'returned', 'cancelled', 'progress'),
      after: fc.integer({ min: 0, max: 20 }),
    }),
    { maxLength: 5 },
  ),
});

describe('mergeAgency (property)', () => {
  it('statistics before the merger day are unchanged; after it, the open tasks belong to the successor', () => {
    fc.assert(
      fc.property(
        fc.array(taskArb, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 40 }),
        (tasks, mergeAfter) => {
          const db = openDatabase(':memory:');
          const ins = db.prepare('INSERT INTO agencies (code, name, kind) VALUES (?, ?, ?)');
          const a = Number(ins.run('SKHDT', 'Sở Kế hoạch và Đầu tư', 'department').lastInsertRowid);
          const b = Number(ins.run('SYT', 'Sở Y tế', 'department').lastInsertRowid);
          const s = Number(ins.run('STC', 'Sở Tài chính', 'department').lastInsertRowid);
          for (const t of tasks) {
            const assignedOn = addDays(START, t.assignedAfter);
            const id = createTask(db, {
              title: 'Nhiệm vụ',
              leadAgencyId: t.lead === 0 ? a : b,
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
          const last =
            (
              db.prepare('SELECT max(last_event_on) AS d FROM tasks WHERE lead_agency_id = ?').get(a) as {
                d: string | null;
              }
            ).d ?? START;
          const mergeOn = addDays(last, mergeAfter);
          const days = Array.from({ length: 15 }, (_, i) => addDays(START, i * 10));
          const before = new Map(days.map((d) => [d, computeStats(db, d)]));
          const openOfA = (
            db.prepare('SELECT count(*) AS n FROM tasks WHERE lead_agency_id = ? AND settled_on IS NULL').get(a) as {
              n: number;
            }
          ).n;

          const r = mergeAgency(
            db,
            { fromId: a, toId: s, on: mergeOn, usersPolicy: 'disable', reason: 'Quyết định hợp nhất' },
            { actor: null, at: new Date() },
            TODAY,
          );
          expect(r.tasksMoved).toBe(openOfA);
          expect(
            (
              db.prepare('SELECT count(*) AS n FROM tasks WHERE lead_agency_id = ? AND settled_on IS NULL').get(a) as {
                n: number;
              }
            ).n,
          ).toBe(0);

          for (const d of days) {
            const now = computeStats(db, d);
            if (d < mergeOn) expect(now).toEqual(before.get(d));
            else {
              expect(now.totals).toEqual(before.get(d)!.totals);
              const of = (st: typeof now, id: number) => st.agencies.find((x) => x.agencyId === id)?.total ?? 0;
              expect(of(now, a) + of(now, s)).toBe(of(before.get(d)!, a) + of(before.get(d)!, s));
              expect(of(now, b)).toBe(of(before.get(d)!, b));
            }
          }
          db.close();
        },
      ),
      { numRuns: 40 },
    );
  });

  it('the demo generator and the admin panel write the same reorganisation event', () => {
    expect(
      reorganisationEvent({ id: 3, name: 'Sở Kế hoạch và Đầu tư' }, { id: 2, name: 'Sở Tài chính' }, '2025-03-01'),
    ).toEqual({
      kind: 'reassigned',
      occurredOn: '2025-03-01',
      note: 'Chuyển nhiệm vụ do hợp nhất Sở Kế hoạch và Đầu tư vào Sở Tài chính.',
      data: { toAgencyId: 2, fromAgencyId: 3 },
    });
  });

  it('refuses to dissolve into itself and to dissolve twice', () => {
    const db = openDatabase(':memory:');
    const a = Number(
      db.prepare("INSERT INTO agencies (code, name, kind) VALUES ('A', 'Đơn vị A', 'other')").run().lastInsertRowid,
    );
    const ctx = { actor: null, at: new Date() };
    expect(() => dissolveAgency(db, { id: a, on: '2026-01-01', receiverId: a }, ctx, TODAY)).toThrow(
      /khác đơn vị bị giải thể/,
    );
    dissolveAgency(db, { id: a, on: '2026-01-01', receiverId: null }, ctx, TODAY);
    expect(() => dissolveAgency(db, { id: a, on: '2026-01-02', receiverId: null }, ctx, TODAY)).toThrow(/đã giải thể/);
  });
});
