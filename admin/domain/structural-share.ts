/**
 * Structural sharing for figures kept in memory (domain/overview.ts): when figures are computed again after a write,
 * every part equal to the part at the same place before is replaced by the one before, so a part that did not
 * change keeps its identity. Views remember markup by the identity of the figures it shows (views/markup-memo.ts),
 * which holds because these figures are never changed once made.
 *
 * For plain data only (objects, arrays, strings, numbers, booleans, null): what JSON holds. `next` is changed in
 * place (it is fresh, nobody else holds it yet) and returned, or `prev` when the two are equal throughout.
 */
export function share<T>(prev: T, next: T): T {
  return shareAny(prev, next) as T;
}

function shareAny(prev: unknown, next: unknown): unknown {
  if (Object.is(prev, next)) return prev;
  if (typeof prev !== 'object' || typeof next !== 'object' || prev === null || next === null) return next;
  if (Array.isArray(next)) {
    if (!Array.isArray(prev)) return next;
    let same = prev.length === next.length;
    for (let i = 0; i < next.length; i++) {
      const s = i < prev.length ? shareAny(prev[i], next[i]) : next[i];
      if (!Object.is(s, prev[i])) same = false;
      next[i] = s;
    }
    return same ? prev : next;
  }
  if (Array.isArray(prev)) return next;
  const p = prev as Record<string, unknown>;
  const n = next as Record<string, unknown>;
  const keys = Object.keys(n);
  let same = keys.length === Object.keys(p).length;
  for (const k of keys) {
    const had = Object.hasOwn(p, k);
    const s = had ? shareAny(p[k], n[k]) : n[k];
    if (!had || !Object.is(s, p[k])) same = false;
    n[k] = s;
  }
  return same ? prev : next;
}
