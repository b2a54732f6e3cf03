/**
 * Who may download a stored file (issue 4 "served only to those allowed"). A file is reachable only through what
 * it is attached to:
 * - a task event (report, explanation …): whoever may 'file.read' that task — Office roles all tasks, an agency
 *   user the tasks its agency leads or coordinates (the same scope as the task page that lists the file);
 * - a directive document: Office roles, and agency users whose agency has (leads or coordinates) a task from it.
 * A file attached to nothing (e.g. the province logo, served by its own page) is not served here.
 */
import type { DB } from '../db/open.ts';
import { can, scopeOf, type Principal } from '../auth/permissions.ts';

export type FileAccess = 'allowed' | 'denied' | 'not_found';

export function fileAccess(db: DB, principal: Pick<Principal, 'role' | 'agencyId'>, fileId: number): FileAccess {
  const exists = db.prepare('SELECT 1 FROM files WHERE id = ?').get(fileId);
  if (!exists) return 'not_found';
  const taskLinks = db
    .prepare(
      `SELECT DISTINCT t.id, t.lead_agency_id FROM event_files ef
         JOIN task_events e ON e.id = ef.event_id JOIN tasks t ON t.id = e.task_id
        WHERE ef.file_id = ?`,
    )
    .all(fileId) as Array<{ id: number; lead_agency_id: number }>;
  const docLinks = db.prepare('SELECT id FROM documents WHERE file_id = ?').all(fileId) as Array<{ id: number }>;
  if (taskLinks.length === 0 && docLinks.length === 0) return 'not_found';
  const coordinators = db.prepare('SELECT agency_id FROM task_coordinators WHERE task_id = ?').pluck();
  for (const t of taskLinks) {
    const resource = { leadAgencyId: t.lead_agency_id, coordinatorAgencyIds: coordinators.all(t.id) as number[] };
    if (can(principal, 'file.read', resource)) return 'allowed';
  }
  if (docLinks.length > 0) {
    const scope = scopeOf(principal.role, 'file.read');
    if (scope === 'all') return 'allowed';
    if (scope !== null && principal.agencyId !== null) {
      const a = principal.agencyId;
      const hit = db
        .prepare(
          `SELECT 1 FROM documents d JOIN tasks t ON t.document_id = d.id
            WHERE d.file_id = ? AND (t.lead_agency_id = ?
              OR (? = 'own' AND EXISTS (SELECT 1 FROM task_coordinators tc WHERE tc.task_id = t.id AND tc.agency_id = ?)))
            LIMIT 1`,
        )
        .get(fileId, a, scope, a);
      if (hit) return 'allowed';
    }
  }
  return 'denied';
}
