import { describe, expect, it } from 'vitest';
import { makeTestApp } from '../test/support/admin-app.ts';
import { recordTaskAction } from './task-actions.ts';
import { getTaskByCode } from './tasks.ts';
import { loadTaskPage } from './task-view.ts';

describe('loadTaskPage: the one view model of the task page', () => {
  it('a reader gets the facts and the timeline, and no action or form choices', () => {
    const t = makeTestApp();
    const task = getTaskByCode(t.db, t.tasks.own)!;
    const page = loadTaskPage(t.db, task, { role: 'leader', agencyId: null }, '2026-03-02');
    expect(page.actions.size).toBe(0);
    expect(page.editChoices).toBeNull();
    expect(page.reassignTargets).toEqual([]);
    expect(page.agencies.get(task.lead_agency_id)).toBeTruthy();
    expect(page.coordinatorIds).toEqual([t.agencies.b]);
    expect(page.events.map((e) => e.kind)).toEqual(['assigned']);
  });

  it('the Office gets the choices of the forms it may use, the lead agency left out of both lists', () => {
    const t = makeTestApp();
    const task = getTaskByCode(t.db, t.tasks.own)!;
    const page = loadTaskPage(t.db, task, { role: 'specialist', agencyId: null }, '2026-03-02');
    expect(page.actions.has('edit')).toBe(true);
    expect(page.actions.has('reassign')).toBe(true);
    expect(page.editChoices!.coordinators.map((a) => a.id)).not.toContain(task.lead_agency_id);
    expect(page.reassignTargets.map((a) => a.id)).not.toContain(task.lead_agency_id);
    expect(page.reassignTargets.map((a) => a.id)).toEqual(expect.arrayContaining([t.agencies.b, t.agencies.c]));
  });

  it('the extension request and who recorded each event come with the timeline', () => {
    const t = makeTestApp();
    const actor = {
      kind: 'user' as const,
      id: t.users.agency.id,
      name: 'x',
      role: 'agency' as const,
      agencyId: t.agencies.a,
    };
    const deps = { db: t.db, env: t.env, now: t.clock.now };
    recordTaskAction(deps, actor, t.tasks.own, { kind: 'receive', note: '' });
    recordTaskAction(deps, actor, t.tasks.own, {
      kind: 'request_extension',
      note: 'Chờ số liệu',
      newDeadline: '2026-07-31',
    });
    const task = getTaskByCode(t.db, t.tasks.own)!;
    const page = loadTaskPage(t.db, task, actor, '2026-03-02');
    expect(page.extension).toEqual({ requestedOn: '2026-03-02', requestedDeadline: '2026-07-31', rejectedOn: null });
    expect(page.events.at(-1)!.actor_user_id).toBe(t.users.agency.id);
    expect(page.events.at(-1)!.actor_name).toBeTruthy();
  });
});
