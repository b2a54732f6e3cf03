/** Property-based invariants of status.ts (fast-check); the hand-computed cases are in status.test.ts. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addToCounts,
  classifyAsOf,
  deriveFacts,
  emptyCounts,
  EVENT_KINDS,
  finishCounts,
  settledAsOf,
  settledStatus,
  type Category,
  type EventLite,
  type TaskBase,
  type TaskFacts,
  type TaskStatus,
} from './status.ts';
import { addDays } from './dates.ts';
import { factsFromRow, factsToColumns, type FactsRow } from './tasks.ts';

// ---------------------------------------------------------------------------------------------------------------
// Property-based invariants over arbitrary (even rule-breaking) event histories: the fold must stay sound.

const DAY0 = '2024-01-01';
const kindArb = fc.constantFrom(...EVENT_KINDS);
const eventArb = fc.record({
  kind: kindArb,
  day: fc.integer({ min: 0, max: 400 }),
  newDeadlineOffset: fc.integer({ min: 1, max: 200 }),
  toAgency: fc.integer({ min: 1, max: 4 }),
});
const taskArb = fc.record({
  assignedDay: fc.integer({ min: 0, max: 200 }),
  deadlineOffset: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
  agency: fc.integer({ min: 1, max: 4 }),
  events: fc.array(eventArb, { maxLength: 12 }),
});
type TaskSpec = typeof taskArb extends fc.Arbitrary<infer T> ? T : never;

function build(spec: TaskSpec) {
  const assignedOn = addDays(DAY0, spec.assignedDay);
  const deadline = spec.deadlineOffset === null ? null : addDays(assignedOn, spec.deadlineOffset);
  const base: TaskBase = { assignedOn, deadline, leadAgencyId: spec.agency };
  const events: EventLite[] = spec.events.map((e, i) => {
    const occurredOn = addDays(assignedOn, e.day % 300);
    const data: EventLite['data'] =
      e.kind === 'extension_approved' || e.kind === 'extension_requested'
        ? { newDeadline: addDays(deadline ?? assignedOn, e.newDeadlineOffset) }
        : e.kind === 'reassigned'
          ? { toAgencyId: e.toAgency }
          : e.kind === 'corrected' && e.newDeadlineOffset % 3 !== 0
            ? // a deadline correction (added, moved or removed): it counts from its own day
              {
                changes: {
                  deadline: {
                    from: null,
                    to: e.newDeadlineOffset % 3 === 1 ? null : addDays(assignedOn, e.newDeadlineOffset),
                  },
                },
              }
            : {};
    return { id: i + 1, kind: e.kind, occurredOn, data };
  });
  return { base, events };
}

const cutoffArb = fc.integer({ min: 0, max: 700 }).map((d) => addDays(DAY0, d));

describe('status invariants (fast-check)', () => {
  it('every counted task falls in exactly one category; the categories partition the counted tasks', () => {
    fc.assert(
      fc.property(fc.array(taskArb, { maxLength: 30 }), cutoffArb, (specs, asOf) => {
        const c = emptyCounts();
        let counted = 0;
        for (const spec of specs) {
          const { base, events } = build(spec);
          const s = classifyAsOf(deriveFacts(base, events), asOf);
          expect(s.counted).toBe(s.category !== null);
          if (s.counted) counted++;
          addToCounts(c, s);
        }
        const categories: Category[] = ['completedOnTime', 'completedLate', 'inProgress', 'overdue', 'noDeadline'];
        expect(categories.reduce((sum, k) => sum + c[k], 0)).toBe(c.total);
        expect(c.total).toBe(counted);
        expect(c.overdueOver120).toBeLessThanOrEqual(c.overdueOver60);
        expect(c.overdueOver60).toBeLessThanOrEqual(c.overdueOver30);
        expect(c.overdueOver30).toBeLessThanOrEqual(c.overdue);
        expect(c.awaitingConfirmation).toBeLessThanOrEqual(c.total - c.completedOnTime - c.completedLate);
        finishCounts(c);
        expect(c.due).toBe(c.completedOnTime + c.completedLate + c.overdue);
        if (c.due > 0) {
          // over the due tasks the rates partition: completion + overdue = 1, on time within completion
          expect(c.completionRate! + c.overdueRate!).toBeCloseTo(1, 12);
          expect(c.onTimeRate!).toBeLessThanOrEqual(c.completionRate! + 1e-12);
          expect(c.onTimeRate).toBeGreaterThanOrEqual(0);
        } else {
          expect(c.onTimeRate).toBeNull();
          expect(c.completionRate).toBeNull();
          expect(c.overdueRate).toBeNull();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('nothing dated after the cutoff changes the status as of the cutoff', () => {
    fc.assert(
      fc.property(taskArb, cutoffArb, (spec, asOf) => {
        const { base, events } = build(spec);
        const all = classifyAsOf(deriveFacts(base, events), asOf);
        const prefix = classifyAsOf(
          deriveFacts(
            base,
            events.filter((e) => e.occurredOn <= asOf),
          ),
          asOf,
        );
        expect(all).toEqual(prefix);
      }),
      { numRuns: 2000 },
    );
  });

  it('the stored facts columns round-trip: factsFromRow(factsToColumns(f)) equals f', () => {
    fc.assert(
      fc.property(taskArb, (spec) => {
        const { base, events } = build(spec);
        const f: TaskFacts = deriveFacts(base, events);
        const row: FactsRow = { assigned_on: f.assignedOn, ...factsToColumns(f) };
        expect(factsFromRow(row)).toEqual(f);
      }),
      { numRuns: 2000 },
    );
  });

  it('a settled task (completed or cancelled, nothing after) keeps its settled status for every later cutoff', () => {
    let settledSeen = 0;
    fc.assert(
      fc.property(taskArb, fc.integer({ min: 0, max: 400 }), (spec, later) => {
        const { base, events } = build(spec);
        const f = deriveFacts(base, events);
        const settled = settledAsOf(f);
        if (settled === null) {
          expect(
            f.confirmedOn !== null &&
              f.confirmedOn <= (f.lastEventOn ?? '') &&
              f.cancelledOn === null &&
              f.completedOn !== null,
          ).toBe(false);
          return;
        }
        settledSeen++;
        const asOf = addDays(settled.on, later);
        const actual = classifyAsOf(f, asOf);
        const expected = settledStatus(settled.category, actual.agencyId);
        const pick = (s: TaskStatus) => [
          s.counted,
          s.category,
          s.awaitingConfirmation,
          s.dueSoon,
          s.overdueDays,
          s.due,
        ];
        expect(pick(actual)).toEqual(pick(expected));
        const row = factsToColumns(f);
        expect(row.lead_agency_id).toBe(actual.agencyId);
        expect([row.settled_on, row.settled_category]).toEqual([settled.on, settled.category]);
      }),
      { numRuns: 3000 },
    );
    expect(settledSeen).toBeGreaterThan(100);
  });
});
