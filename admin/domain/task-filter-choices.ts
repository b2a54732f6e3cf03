/** The choices of the task list's filter form: every agency (former ones marked), leader and sector. */
import type { Statement } from 'better-sqlite3';
import { keptUntilChange } from '../db/change-stamp.ts';
import type { DB } from '../db/open.ts';
import { compareVi, sortByNameVi } from './collation.ts';

export interface FilterChoices {
  agencies: Array<{ code: string; name: string; merged_on: string | null; dissolved_on: string | null }>;
  leaders: Array<{ id: number; name: string; title: string }>;
  sectors: Array<{ code: string; name: string }>;
}

const statements = new WeakMap<DB, { agencies: Statement; leaders: Statement; sectors: Statement }>();

const kept = new WeakMap<DB, { stamp: string; value: FilterChoices }>();

/**
 * Prepared once per database (compiling the three statements cost more than running them), and the sorted lists
 * kept until the database changes (change-stamp.ts): every task list shows them, and they seldom change.
 * Callers must not modify the lists.
 */
export function taskFilterChoices(db: DB): FilterChoices {
  return keptUntilChange(kept, db, () => readChoices(db));
}

function readChoices(db: DB): FilterChoices {
  let st = statements.get(db);
  if (!st) {
    st = {
      agencies: db.prepare('SELECT code, name, merged_on, dissolved_on FROM agencies'),
      leaders: db.prepare('SELECT id, name, title, active FROM leaders'),
      sectors: db.prepare('SELECT code, name FROM sectors'),
    };
    statements.set(db, st);
  }
  return {
    // Vietnamese order in code (SQLite's ORDER BY sorts bytes); active leaders first
    agencies: sortByNameVi(st.agencies.all() as FilterChoices['agencies']),
    leaders: (st.leaders.all() as Array<FilterChoices['leaders'][number] & { active: number }>)
      .sort((a, b) => b.active - a.active || compareVi(a.name, b.name))
      .map(({ id, name, title }) => ({ id, name, title })),
    sectors: sortByNameVi(st.sectors.all() as FilterChoices['sectors']),
  };
}
