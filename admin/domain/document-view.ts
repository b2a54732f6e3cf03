/** What the document pages read (admin/routes/documents.tsx): the choices of the entry form and a document's tasks. */
import type { DB } from '../db/open.ts';
import { taskScopeSql, type Principal } from '../auth/permissions.ts';
import type { TaskRow } from './tasks.ts';

export interface NewTaskChoices {
  agencies: Array<{ id: number; name: string }>;
  leaders: Array<{ id: number; name: string; title: string }>;
  sectors: Array<{ id: number; name: string }>;
}

/** What a new task may be given: active agencies (not merged, not dissolved), active leaders and sectors. */
export function newTaskChoices(db: DB): NewTaskChoices {
  return {
    agencies: db
      .prepare('SELECT id, name FROM agencies WHERE successor_id IS NULL AND dissolved_on IS NULL ORDER BY name')
      .all() as NewTaskChoices['agencies'],
    leaders: db
      .prepare('SELECT id, name, title FROM leaders WHERE active = 1 ORDER BY id')
      .all() as NewTaskChoices['leaders'],
    sectors: db
      .prepare('SELECT id, name FROM sectors WHERE active = 1 ORDER BY name')
      .all() as NewTaskChoices['sectors'],
  };
}

/** The tasks of a document that `principal` may read, in creation order. */
export function documentTasks(db: DB, docId: number, principal: Pick<Principal, 'role' | 'agencyId'>): TaskRow[] {
  const scope = taskScopeSql(principal, 'task.read', 't');
  return db
    .prepare(`SELECT t.* FROM tasks t WHERE t.document_id = ? AND ${scope.sql} ORDER BY t.id`)
    .all(docId, ...scope.params) as TaskRow[];
}
