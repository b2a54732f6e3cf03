/**
 * isIsoDate (dates.ts) read character by character: the same answer as the regular expression and Date it replaces,
 * for any string, any near-date and every day from 1899 to 2201.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isIsoDate } from './dates.ts';

/** the reference: what isIsoDate was until December 2026 */
function reference(s: unknown): boolean {
  if (typeof s !== 'string') return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2200) return false;
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

describe('isIsoDate', () => {
  it('answers as the regular expression and Date did, for every day and its neighbours from 1899 to 2201', () => {
    for (let y = 1899; y <= 2201; y++)
      for (let m = 0; m <= 13; m++)
        for (let d = 0; d <= 32; d++) {
          const s = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
          if (isIsoDate(s) !== reference(s)) expect(isIsoDate(s), s).toBe(reference(s));
        }
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2100-02-29')).toBe(false);
    expect(isIsoDate('2000-02-29')).toBe(true);
  });

  it('answers as they did for any string and any value', () => {
    const nearDate = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))
      .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`);
    const mangled = fc
      .tuple(nearDate, fc.nat(9), fc.constantFrom('/', ' ', '٣', '０', 'a', '-', '\n', '', '12'))
      .map(([s, i, c]) => s.slice(0, i) + c + s.slice(i + 1));
    fc.assert(
      fc.property(fc.oneof(nearDate, mangled, fc.string(), fc.anything()), (s) => {
        expect(isIsoDate(s)).toBe(reference(s));
      }),
      { numRuns: 5000 },
    );
  });
});
