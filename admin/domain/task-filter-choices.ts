/** The choices of the task list's filter form: every agency (former ones marked), leader and sector. */
import type { Statement } from 'better-sqlite3';
import type { DB } from '../db/open.ts';

export interface FilterChoices {
  agencies: Array<{ code: string; name: string; merged_on: string | null; dissolved_on: string | null }>;
  leaders: Array<{ id: number; name: string; title: string }>;
  sectors: Array<{ code: string; name: string }>;
}

const statements = new WeakMap<DB, { agencies: Statement; leaders: Statement; sectors: Statement }>();

/** Prepared once per database: compiling the three statements cost more than running them. */
export function taskFilterChoices(db: DB): FilterChoices {
  let st = statements.get(db);
  if (!st) {
    st = {
      agencies: db.prepare('SELECT code, name, merged_on, dissolved_on FROM agencies ORDER BY name'),
      leaders: db.prepare('SELECT id, name, title FROM leaders ORDER BY active DESC, name'),
      sectors: db.prepare('SELECT code, name FROM sectors ORDER BY name'),
    };
    statements.set(db, st);
  }
  return {
    agencies: st.agencies.all() as FilterChoices['agencies'],
    leaders: st.leaders.all() as FilterChoices['leaders'],
    sectors: st.sectors.all() as FilterChoices['sectors'],
  };
}
