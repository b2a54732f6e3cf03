/** The matrix as data: can() per cell, and taskScopeSql agreeing with can() on real rows (lists are scoped too). */
import { describe, expect, it } from 'vitest';
import { makeTestApp } from '../test/support/admin-app.ts';
import { ACTIONS, can, MATRIX, ROLES, scopeOf, taskScopeSql, type Role } from './permissions.ts';
import { taskResource } from '../domain/task-actions.ts';

/** What a cell allows on a resource, written out per scope (the reading of the header of permissions.ts). */
function expected(cell: string | undefined, r: { leads: boolean; coordinates: boolean; delegated: boolean }) {
  switch (cell) {
    case undefined:
      return false;
    case 'all':
      return true;
    case 'lead':
      return r.leads;
    case 'own':
      return r.leads || r.coordinates;
    case 'delegated':
      return r.delegated && (r.leads || r.coordinates);
    case 'delegatedLead':
      return r.delegated && r.leads;
    default:
      throw new Error(`unknown scope ${cell}`);
  }
}

const INSIDE_AGENCY: readonly Role[] = ['agency', 'head', 'officer'];

describe('can()', () => {
  it('is denied by default: only cells in MATRIX allow', () => {
    for (const action of ACTIONS) {
      for (const role of ROLES) {
        const cell = (MATRIX[action] as Partial<Record<Role, string>>)[role];
        const p = { role, agencyId: INSIDE_AGENCY.includes(role) ? 1 : null, id: 7 };
        expect(can(p, action), `${role} ${action}`).toBe(cell !== undefined);
        for (const leads of [true, false])
          for (const coordinates of [true, false])
            for (const delegated of [true, false]) {
              const resource = {
                leadAgencyId: leads ? 1 : 2,
                coordinatorAgencyIds: coordinates ? [1] : [3],
                delegatedUserIds: delegated ? [7] : [8],
              };
              const label = `${role} ${action} ${JSON.stringify({ leads, coordinates, delegated })}`;
              expect(can(p, action, resource), label).toBe(expected(cell, { leads, coordinates, delegated }));
            }
        // an officer known without an id (route-level checks) is never allowed on a record by delegation
        if (cell === 'delegated' || cell === 'delegatedLead')
          expect(can({ role, agencyId: 1 }, action, { leadAgencyId: 1, delegatedUserIds: [7] })).toBe(false);
      }
    }
    expect(can(null, 'dashboard.view')).toBe(false);
  });

  it('states the decisions of DESIGN.md §2', () => {
    const leader = { role: 'leader' as const, agencyId: null };
    expect(ACTIONS.filter((a) => can(leader, a))).toEqual([
      'dashboard.view',
      'account.self',
      'notice.read',
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
    // inside a unit (issue 11): the head approves and may submit, never receives or delegates; the officer drafts
    expect(scopeOf('head', 'task.read')).toBe('own');
    expect(scopeOf('head', 'unit.approve')).toBe('lead');
    expect(scopeOf('head', 'task.report')).toBe('lead');
    expect(scopeOf('head', 'task.delegate')).toBe(null);
    expect(scopeOf('officer', 'task.read')).toBe('delegated');
    expect(scopeOf('officer', 'report.draft')).toBe('delegatedLead');
    expect(scopeOf('officer', 'task.report')).toBe(null);
    expect(scopeOf('officer', 'stats.read')).toBe(null);
    expect(scopeOf('agency', 'task.delegate')).toBe('own');
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
    for (const who of Object.values(t.users)) {
      for (const action of ACTIONS) {
        const scope = taskScopeSql(who, action, 'x');
        const listed = (
          t.db.prepare(`SELECT code FROM tasks x WHERE ${scope.sql} ORDER BY id`).all(...scope.params) as Array<{
            code: string;
          }>
        ).map((r) => r.code);
        const expected = tasks
          .filter((k) => can(who, action, taskResource(t.db, { id: k.id, lead_agency_id: k.lead_agency_id })))
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

describe('officers (issue 11)', () => {
  it('read only delegated tasks, write only those their unit leads; a move to another unit ends it at once', () => {
    const t = makeTestApp();
    const list = (who: { role: Role; agencyId: number | null; id: number }, action: 'task.read' | 'report.draft') => {
      const s = taskScopeSql(who, action);
      return (
        t.db.prepare(`SELECT code FROM tasks t WHERE ${s.sql} ORDER BY code`).all(...s.params) as Array<{
          code: string;
        }>
      ).map((r) => r.code);
    };
    const officer = t.users.officer;
    expect(list(officer, 'task.read')).toEqual([t.tasks.own, t.tasks.coordinated].sort());
    expect(list(officer, 'report.draft')).toEqual([t.tasks.own]);
    // another officer of the same unit, with nothing delegated, sees nothing
    expect(list({ ...officer, id: t.users.head.id }, 'task.read')).toEqual([]);
    expect(list({ ...officer, agencyId: t.agencies.b }, 'task.read')).toEqual([]);
    const own = t.db.prepare('SELECT id, lead_agency_id FROM tasks WHERE code = ?').get(t.tasks.own) as {
      id: number;
      lead_agency_id: number;
    };
    expect(can(officer, 'task.read', taskResource(t.db, own))).toBe(true);
    t.db.prepare('UPDATE users SET agency_id = ? WHERE id = ?').run(t.agencies.b, officer.id);
    expect(can(officer, 'task.read', taskResource(t.db, own))).toBe(false);
    expect(list({ ...officer, agencyId: t.agencies.b }, 'task.read')).toEqual([]);
  });
});
