/**
 * The public search page folds in the browser with its own copy of foldVietnamese (site/public/js/search.js runs
 * without a bundler); the index and the admin fold with admin/domain/text.ts. This proves the two copies agree on
 * every Vietnamese letter, in both cases, with every tone, and on random text.
 */
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldVietnamese } from '../../admin/domain/text.ts';

const source = readFileSync(new URL('../public/js/search.js', import.meta.url), 'utf8');
const body = /function fold\(s\) \{[\s\S]*?\n {2}\}/.exec(source)?.[0];

function browserFold(): (s: string) => string {
  if (!body) throw new Error('search.js has no function fold(s)');
  return runInNewContext(`(${body})`) as (s: string) => string;
}

const VOWELS = 'aăâeêioôơuưy';
const TONES = ['', '\u0300', '\u0301', '\u0309', '\u0303', '\u0323'];
const LETTERS = [...[...VOWELS].flatMap((v) => TONES.map((t) => `${v}${t}`.normalize('NFC'))), ...'bcdđghklmnpqrstvx'];

describe('the browser search folds as the server does', () => {
  const fold = browserFold();

  it('every Vietnamese letter, lower and upper case, composed and decomposed', () => {
    for (const l of LETTERS) {
      for (const s of [l, l.toUpperCase(), l.normalize('NFD'), l.toUpperCase().normalize('NFD')]) {
        expect(fold(s), s).toBe(foldVietnamese(s));
      }
    }
    expect(fold('  Sở Tài   chính\tĐắk Lắk ')).toBe('so tai chinh dak lak');
  });

  it('random text', () => {
    const letter = fc.constantFrom(...LETTERS, ...LETTERS.map((l) => l.toUpperCase()), ' ', '\t', '-', '1');
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: letter }), fc.string({ unit: 'grapheme' })), (s) => {
        expect(fold(s)).toBe(foldVietnamese(s));
      }),
      { numRuns: 500 },
    );
  });
});
