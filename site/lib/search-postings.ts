/**
 * The pieces of the public search index that the browser must read exactly as they were written: task sets as
 * short strings and the names of the files that hold them. site/public/js/search.js keeps its own copy (it runs
 * without a bundler); admin/publication/search-index.test.ts runs that copy over these files, so any difference
 * fails there.
 *
 *   set string   'b' + bitmap, six tasks a character (task 6k + j is bit j of character k)   dense sets
 *                'd' + gaps (task − previous − 1), five bits a character, low first, bit 5 = more   sparse sets
 *   set file     t-<hash(salt | word indices)>.json   the tasks whose text has one of those words
 *   steps        the differences between successive code numbers: d − 1 zigzagged (0, −1, 1, −2 … → 0, 1, 2, 3 …),
 *                five bits a character as the gaps are ("A" is +1)
 */

/** 64 characters that need no escaping in JSON or a URL. */
export const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The shorter of the two forms of a sorted set of task indices below n. */
export function encodeSet(sorted: readonly number[], n: number): string {
  const size = Math.ceil(n / 6);
  // the bitmap is size characters: the gaps are written only while they are shorter
  const gaps: string[] = ['d'];
  let last = -1;
  for (const i of sorted) {
    let d = i - last - 1;
    last = i;
    do {
      let c = d & 31;
      d = Math.floor(d / 32);
      if (d) c |= 32;
      gaps.push(ALPHABET[c]!);
    } while (d);
    if (gaps.length > size) break;
  }
  if (gaps.length <= size) return gaps.join('');
  const bits = new Uint8Array(size);
  for (const i of sorted) bits[Math.floor(i / 6)]! |= 1 << (i % 6);
  const map: string[] = ['b'];
  for (const v of bits) map.push(ALPHABET[v]!);
  return map.join('');
}

/** The inverse of encodeSet (the browser's copy is in search.js). */
export function decodeSet(s: string, n: number): number[] {
  const out: number[] = [];
  if (s[0] === 'b') {
    for (let k = 1; k < s.length; k++) {
      const v = ALPHABET.indexOf(s[k]!);
      for (let j = 0; j < 6; j++) if (v & (1 << j) && (k - 1) * 6 + j < n) out.push((k - 1) * 6 + j);
    }
    return out;
  }
  let last = -1;
  let d = 0;
  let shift = 1;
  for (let k = 1; k < s.length; k++) {
    const v = ALPHABET.indexOf(s[k]!);
    d += (v & 31) * shift;
    if (v & 32) {
      shift *= 32;
      continue;
    }
    last += d + 1;
    out.push(last);
    d = 0;
    shift = 1;
  }
  return out;
}

/** Differences of successive numbers as one string (any integers; mostly +1). */
export function encodeSteps(steps: readonly number[]): string {
  const out: string[] = [];
  for (const step of steps) {
    let d = step - 1 >= 0 ? 2 * (step - 1) : -2 * (step - 1) - 1;
    do {
      let c = d % 32;
      d = Math.floor(d / 32);
      if (d) c |= 32;
      out.push(ALPHABET[c]!);
    } while (d);
  }
  return out.join('');
}

/** The inverse of encodeSteps (the browser's copy is in search.js). */
export function decodeSteps(s: string): number[] {
  const out: number[] = [];
  let d = 0;
  let shift = 1;
  for (const ch of s) {
    const v = ALPHABET.indexOf(ch);
    d += (v & 31) * shift;
    if (v & 32) {
      shift *= 32;
      continue;
    }
    out.push((d % 2 === 0 ? d / 2 : -(d + 1) / 2) + 1);
    d = 0;
    shift = 1;
  }
  return out;
}

/** FNV-1a over UTF-16 code units from a given start, as the browser computes it (Math.imul). */
function fnv(s: string, start: number): number {
  let h = start;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}

/** 64 bits of two FNV-1a runs: the build checks that no two sets of a release share a name. */
export function nameHash(s: string): string {
  return fnv(s, 2166136261).toString(36) + fnv(s, 3735928559).toString(36);
}

/** The file of the tasks whose text holds one of the words (vocabulary indices, ascending). */
export function setFile(salt: string, words: readonly number[]): string {
  return `t-${nameHash(`${salt}|${words.join(',')}`)}.json`;
}
