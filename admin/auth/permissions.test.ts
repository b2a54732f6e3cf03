/** The matrix as data: can() per cell, and taskScopeSql agreeing with can() on real rows (lists are scoped too). */
import { describe, expect, it } from 'vitest';
import { makeTestApp } from '../test/support/admin-app.ts';
import { ACTIONS, can, MATRIX, ROLES, scopeOf, taskScopeSql, type Role } from './permissions.ts';

describe('can()', () => {
  it('is denied by default: only cells in MATRIX allow', () => {
    for (const action of ACTIONS) {
      for (const role of ROLES) {
        const cell = (MATRIX[action] as Partial<Record<Role, string>>)[role];
        const p = { role, agencyId: role === 'agency' ? 1 : null };
        expect(can(p, action), `${role} ${action}`).toBe(cell !== undefined);
        // record-level: another agency's record only with scope 'all'
        expect(can(p, action, { leadAgencyId: 2 }), `${role} ${action} other`).toBe(cell === 'all');
        expect(can(p, action, { leadAgencyId: 1 }), `${role} ${action} own`).toBe(cell !== undefined);
        expect(can(p, action, { leadAgencyId: 2, coordinatorAgencyIds: [1] }), `${role} ${action} coordinated`).toBe(
          cell === 'all' || cell === 'own',
        );
      }
    }
    expect(can(null, 'dashboard.view')).toBe(false);
  });

  it('states the decisions of DESIGN.md §2', () => {
    const leader = { role: 'leader' as const, agencyId: null };
    expect(ACTIONS.filter((a) => can(leader, a))).toEqual([
      'dashboard.view',
      'account.self',
      'task.read',
      'document.read',
      'agency.read',
      'file.read',
      'export',
      'stats.read',
      'overview.view',
      'explanation.read',
      'urging.read',
      'report.download',
    ]);
    const admin = { role: 'admin' as const, agencyId: null };
    expect(can(admin, 'task.read')).toBe(false);
    expect(can(admin, 'user.manage')).toBe(true);
    expect(scopeOf('agency', 'task.read')).toBe('own');
    expect(scopeOf('agency', 'task.report')).toBe('lead');
    expect(can({ role: 'specialist', agencyId: null }, 'report.confirm')).toBe(false);
    expect(can({ role: 'confirmer', agencyId: null }, 'task.create')).toBe(false);
  });
});

describe('taskScopeSql', () => {
  it('selects exactly the tasks can() allows, for every role and action', () => {
    const t = makeTestApp();
    const tasks = t.db.prepare('SELECT id, code, lead_agency_id FROM tasks ORDER BY id').all() as Array<{
      id: number;
      code: string;
      lead_agency_id: number;
    }>;
    const coords = (id: number) =>
      (
        t.db.prepare('SELECT agency_id FROM task_coordinators WHERE task_id = ?').all(id) as Array<{
          agency_id: number;
        }>
      ).map((r) => r.agency_id);
    for (const who of Object.values(t.users)) {
      for (const action of ACTIONS) {
        const scope = taskScopeSql(who, action, 'x');
        const listed = (
          t.db.prepare(`SELECT code FROM tasks x WHERE ${scope.sql} ORDER BY id`).all(...scope.params) as Array<{
            code: string;
          }>
        ).map((r) => r.code);
        const expected = tasks
          .filter((k) => can(who, action, { leadAgencyId: k.lead_agency_id, coordinatorAgencyIds: coords(k.id) }))
          .map((k) => k.code);
        expect(listed, `${who.username} ${action}`).toEqual(expected);
      }
    }
  });

  it('agency A reads its own and coordinated tasks, writes only its own', () => {
    const t = makeTestApp();
    const list = (action: 'task.read' | 'task.report') => {
      const s = taskScopeSql(t.users.agency, action);
      return (
        t.db.prepare(`SELECT code FROM tasks t WHERE ${s.sql} ORDER BY code`).all(...s.params) as Array<{
          code: string;
        }>
      ).map((r) => r.code);
    };
    expect(list('task.read')).toEqual([t.tasks.own, t.tasks.coordinated].sort());
    expect(list('task.report')).toEqual([t.tasks.own]);
    expect(() => taskScopeSql(t.users.agency, 'task.read', 't; DROP TABLE tasks')).toThrow();
  });
});
