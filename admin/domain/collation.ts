/**
 * Vietnamese alphabetical order for every list of names the admin and the command line show (agencies, leaders,
 * sectors). SQLite's ORDER BY compares bytes (Đ after Z, "Nông" before "Nội") and better-sqlite3 has no collation
 * hook (PITFALLS.md), so lists are sorted in code with one shared Intl.Collator('vi'): D < Đ < E, o < ô < ơ,
 * tone marks after the letter, case ignored at the first level.
 */

const collator = new Intl.Collator('vi', { usage: 'sort', numeric: true });

/** Compares two strings in Vietnamese order (for Array.prototype.sort). */
export function compareVi(a: string, b: string): number {
  return collator.compare(a, b);
}

/** A copy of `items` sorted by `key` in Vietnamese order (stable: equal names keep their order). */
export function sortVi<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...items].sort((x, y) => collator.compare(key(x), key(y)));
}

/** A copy sorted by the `name` property, the common case (agency, leader and sector rows). */
export function sortByNameVi<T extends { name: string }>(items: readonly T[]): T[] {
  return sortVi(items, (i) => i.name);
}
