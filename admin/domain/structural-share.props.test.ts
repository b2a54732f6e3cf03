/**
 * Structural sharing (structural-share.ts), for any two plain data values: the result equals the new value; where
 * the old and the new value are equal, the result is the old one itself, at any depth; and nothing else is reused.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { share } from './structural-share.ts';

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, 0, 1, -0, true, false, 'a', ''),
    fc.integer({ min: -3, max: 3 }),
    fc.double({ noDefaultInfinity: true }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c', 'total', 'name'), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** every place where old and new hold equal objects: the result holds the old object there */
function checkShared(prev: unknown, next: unknown, out: unknown): void {
  if (typeof prev !== 'object' || prev === null || typeof next !== 'object' || next === null) return;
  if (Array.isArray(prev) !== Array.isArray(next)) {
    expect(out).not.toBe(prev);
    return;
  }
  if (deepEqual(prev, next)) {
    expect(out).toBe(prev);
    return;
  }
  expect(out).not.toBe(prev);
  const p = prev as Record<string, unknown>;
  const n = next as Record<string, unknown>;
  const o = out as Record<string, unknown>;
  for (const k of Object.keys(n)) if (Object.hasOwn(p, k)) checkShared(p[k], n[k], o[k]);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && kb.every((k) => Object.hasOwn(a, k) && deepEqual((a as never)[k], (b as never)[k]));
}

describe('share: what did not change keeps its identity', () => {
  it('equals the new value, reuses every equal part of the old one and only those', () => {
    fc.assert(
      fc.property(json, json, fc.boolean(), (prev, other, derived) => {
        // half the time the new value is the old one with a few parts changed (the common case), else any value
        const next = derived ? mutate(structuredClone(prev), other) : other;
        const expected = structuredClone(next);
        const out = share(prev, next);
        expect(out).toEqual(expected); // toEqual tells -0 from 0, as Object.is does
        checkShared(prev, expected, out);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps each unchanged row of a table of figures, and the table itself when nothing moved', () => {
    const rows = () => [
      { id: 1, name: 'Sở Tài chính', counts: { total: 4, overdue: 1 } },
      { id: 2, name: 'Sở Y tế', counts: { total: 2, overdue: 0 } },
    ];
    const before = { rows: rows(), total: 6 };
    expect(share(before, { rows: rows(), total: 6 })).toBe(before);
    const moved = rows();
    moved[1]!.counts.overdue = 1;
    const after = share(before, { rows: moved, total: 6 });
    expect(after).not.toBe(before);
    expect(after.rows[0]).toBe(before.rows[0]);
    expect(after.rows[1]).not.toBe(before.rows[1]);
    expect(after.rows[1]!.counts.overdue).toBe(1);
    // -0 and 0 are told apart, as they print differently in places; NaN equals NaN
    expect(share({ x: 0 }, { x: -0 }).x).toBe(-0);
    const nan = { x: Number.NaN };
    expect(share(nan, { x: Number.NaN })).toBe(nan);
  });
});

/** `v` with one part (chosen by the shape of `other`) replaced by `other` */
function mutate(v: unknown, other: unknown): unknown {
  if (typeof v !== 'object' || v === null) return other;
  const keys = Object.keys(v);
  if (keys.length === 0) return other;
  const k = keys[JSON.stringify(other).length % keys.length]!;
  (v as Record<string, unknown>)[k] = mutate((v as Record<string, unknown>)[k], other);
  return v;
}
