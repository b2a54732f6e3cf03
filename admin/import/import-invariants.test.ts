/** Import invariants over random histories (fast-check): all rows written with their history, or nothing. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getTaskByCode } from '../domain/tasks.ts';
import { counts, setup } from './import-test-db.ts';
import { importTasks } from './import-tasks.ts';

describe('import invariants (fast-check)', () => {
  const iso = (offset: number) => new Date(Date.UTC(2024, 0, 1 + offset)).toISOString().slice(0, 10);
  const vn = (d: string) => `${d.slice(8)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
  const rarely = <T>(a: fc.Arbitrary<T>, weight: number) =>
    fc.oneof({ arbitrary: fc.constant(null), weight }, { arbitrary: a, weight: 1 });
  const rowArb = fc.record({
    lead: fc.constantFrom('STC', 'snv', 'SYT', 'STC', 'XYZ', 'SKHDT'),
    assigned: fc.integer({ min: 0, max: 400 }),
    deadline: fc.option(fc.integer({ min: -5, max: 90 }), { nil: null }),
    ext: rarely(fc.record({ at: fc.integer({ min: -3, max: 60 }), plus: fc.integer({ min: -5, max: 60 }) }), 2),
    reported: fc.option(fc.integer({ min: -3, max: 150 }), { nil: null }),
    confirmed: fc.option(fc.integer({ min: -3, max: 10 }), { nil: null }),
    cancelled: rarely(fc.integer({ min: 0, max: 100 }), 4),
    vnDates: fc.boolean(),
    garbage: rarely(fc.constantFrom('2025-02-29', 'x', '13/13/2025', ''), 8),
  });
  const toRowValues = (s: typeof rowArb extends fc.Arbitrary<infer T> ? T : never, i: number) => {
    const fmt = (offset: number | null) => (offset === null ? undefined : s.vnDates ? vn(iso(offset)) : iso(offset));
    const deadline = s.deadline === null ? null : s.assigned + s.deadline;
    const reported = s.reported === null ? null : s.assigned + s.reported;
    const values: Record<string, string | undefined> = {
      code: `NV-2025-6${String(i).padStart(4, '0')}`,
      title: `Nhiệm vụ ${i}`,
      leadAgency: s.lead,
      assignedOn: s.garbage ?? fmt(s.assigned),
      deadline: fmt(deadline),
      noDeadlineReason: 'Thường xuyên',
      extensionApprovedOn: s.ext ? fmt(s.assigned + s.ext.at) : undefined,
      newDeadline: s.ext ? fmt((deadline ?? s.assigned) + s.ext.plus) : undefined,
      reportedOn: fmt(reported),
      confirmedOn: s.confirmed === null ? undefined : fmt((reported ?? s.assigned) + s.confirmed),
      cancelledOn: s.cancelled === null ? undefined : fmt(s.assigned + s.cancelled),
    };
    return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== '')) as Record<
      string,
      string
    >;
  };

  it('either every row is imported with its history, or nothing is written and every error names a data row', () => {
    let ok = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 3 }), (specs) => {
        const d = setup();
        const rows = specs.map((s, i) => ({ row: i + 2, values: toRowValues(s, i) }));
        const r = importTasks(d, rows, { today: '2025-06-01' });
        const c = counts(d) as { tasks: number; events: number };
        if (r.errors.length > 0) {
          if (process.env.DEBUG_IMPORT)
            console.log(
              JSON.stringify(rows),
              r.errors.map((e) => e.message),
            );
          refused++;
          expect(r.imported).toBe(0);
          expect(c).toEqual({ tasks: 0, events: 0, documents: 0 });
          for (const e of r.errors) expect(e.row).toBeGreaterThanOrEqual(2);
          for (const e of r.errors) expect(e.message.length).toBeGreaterThan(5);
        } else {
          ok++;
          expect(r.imported).toBe(rows.length);
          expect(c.tasks).toBe(rows.length);
          for (const row of rows) {
            const t = getTaskByCode(d, row.values.code!)!;
            const asIso = (s: string | undefined) =>
              s === undefined ? null : s.includes('/') ? `${s.slice(6)}-${s.slice(3, 5)}-${s.slice(0, 2)}` : s;
            expect(t.cancelled_on).toBe(asIso(row.values.cancelledOn));
            expect(t.confirmed_on).toBe(asIso(row.values.confirmedOn));
            expect(t.completed_on).toBe(row.values.confirmedOn ? asIso(row.values.reportedOn) : null);
            expect(t.ext_deadline).toBe(asIso(row.values.newDeadline));
            expect(t.assigned_on).toBe(asIso(row.values.assignedOn));
          }
        }
        d.close();
      }),
      { numRuns: 300 },
    );
    expect(ok).toBeGreaterThan(10); // both outcomes are exercised
    expect(refused).toBeGreaterThan(10);
  });
});
