/**
 * The agencies' rows (id, code, current name), read once per change stamp (db/change-stamp.ts) and shared by the
 * readers on the request path: the task list's rows, the free text's agency matching, the list's sort by agency,
 * the statistics' code order, the period views' names, the API's codes. Each had read (and some kept) its own copy
 * of the same small table. What is derived from the agencies alone is kept with the table (`derived`), so it is
 * made again only when the table is read again.
 */
import type { DB } from '../db/open.ts';
import { statement } from '../db/statements.ts';
import { keptUntilChange } from '../db/change-stamp.ts';

export interface AgencyRow {
  id: number;
  code: string;
  name: string;
}

export interface AgencyTable {
  rows: readonly AgencyRow[];
  byId: ReadonlyMap<number, AgencyRow>;
}

const tables = new WeakMap<DB, { stamp: string; value: AgencyTable }>();

/** Every agency (former ones included), as the database holds them now. Shared: never changed by a caller. */
export function agencyTable(db: DB): AgencyTable {
  return keptUntilChange(tables, db, () => {
    const rows = statement(db, 'SELECT id, code, name FROM agencies').all() as AgencyRow[];
    return { rows, byId: new Map(rows.map((a) => [a.id, a])) };
  });
}

/** `make(table)` for the agencies as they are now, kept with that table in `store`. */
export function derived<T>(store: WeakMap<AgencyTable, T>, db: DB, make: (t: AgencyTable) => T): T {
  const table = agencyTable(db);
  let value = store.get(table);
  if (value === undefined) store.set(table, (value = make(table)));
  return value;
}

const codeMaps = new WeakMap<AgencyTable, ReadonlyMap<number, string>>();

/** Agency id → code, every agency. Shared: never changed by a caller. */
export function agencyCodes(db: DB): ReadonlyMap<number, string> {
  return derived(codeMaps, db, (t) => new Map(t.rows.map((a) => [a.id, a.code])));
}
