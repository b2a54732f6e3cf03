/**
 * Who may download a stored file (issue 4 "served only to those allowed"). A file is reachable only through what
 * it is attached to:
 * - a task event (report, explanation …): whoever may 'file.read' that task — Office roles all tasks, an agency
 *   user the tasks its agency leads or coordinates (the same scope as the task page that lists the file);
 * - a directive document: Office roles, and agency users whose agency has (leads or coordinates) a task from it;
 * - an internal step of a unit (issue 11: a draft, a submission waiting for the head): only people of that unit who
 *   may 'file.read' the task — never the Office until the step became a task event (then the event links the file).
 * Officers read only tasks delegated to them (AgencyResource.delegatedUserIds).
 * A file attached to nothing (e.g. the province logo, served by its own page) is not served here.
 */
import type { DB } from '../db/open.ts';
import { can, scopeOf, taskScopeSql, type AgencyResource, type ScopedPrincipal } from '../auth/permissions.ts';

export type FileAccess = 'allowed' | 'denied' | 'not_found';

function resourceOf(db: DB, taskId: number, leadAgencyId: number): AgencyResource {
  return {
    leadAgencyId,
    coordinatorAgencyIds: db
      .prepare('SELECT agency_id FROM task_coordinators WHERE task_id = ?')
      .pluck()
      .all(taskId) as number[],
    // live delegations by the officer's current unit, as admin/domain/unit-steps.ts delegatedUserIds
    delegatedUserIds: db
      .prepare(
        `SELECT d.user_id FROM task_delegations d JOIN users u ON u.id = d.user_id AND u.agency_id = d.agency_id
          WHERE d.task_id = ? AND d.revoked_at IS NULL AND u.disabled = 0`,
      )
      .pluck()
      .all(taskId) as number[],
  };
}

export function fileAccess(db: DB, principal: ScopedPrincipal, fileId: number): FileAccess {
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
  const internalLinks = db
    .prepare(
      `SELECT DISTINCT t.id, t.lead_agency_id, s.agency_id FROM internal_step_files sf
         JOIN task_internal_steps s ON s.id = sf.step_id JOIN tasks t ON t.id = s.task_id
        WHERE sf.file_id = ?`,
    )
    .all(fileId) as Array<{ id: number; lead_agency_id: number; agency_id: number }>;
  if (taskLinks.length === 0 && docLinks.length === 0 && internalLinks.length === 0) return 'not_found';
  for (const t of taskLinks) {
    if (can(principal, 'file.read', resourceOf(db, t.id, t.lead_agency_id))) return 'allowed';
  }
  for (const t of internalLinks) {
    if (principal.agencyId === t.agency_id && can(principal, 'file.read', resourceOf(db, t.id, t.lead_agency_id)))
      return 'allowed';
  }
  if (docLinks.length > 0) {
    const scope = scopeOf(principal.role, 'file.read');
    if (scope === 'all') return 'allowed';
    if (scope !== null) {
      const where = taskScopeSql(principal, 'file.read', 't');
      const hit = db
        .prepare(
          `SELECT 1 FROM documents d JOIN tasks t ON t.document_id = d.id WHERE d.file_id = ? AND ${where.sql} LIMIT 1`,
        )
        .get(fileId, ...where.params);
      if (hit) return 'allowed';
    }
  }
  return 'denied';
}
