/** The update facts of each unit in a snapshot's month (snapshot-activity.ts), case by case. */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open.ts';
import { appendEvent, createTask } from '../domain/tasks.ts';
import { unitActivity } from './snapshot-activity.ts';

function world() {
  const db = openDatabase(':memory:');
  const ins = db.prepare('INSERT INTO agencies (code, name, kind) VALUES (?, ?, ?)');
  const a = Number(ins.run('STC', 'Sở Tài chính', 'department').lastInsertRowid);
  const b = Number(ins.run('SYT', 'Sở Y tế', 'department').lastInsertRowid);
  const task = (lead: number, deadline: string | null, confidential = false) =>
    createTask(db, {
      title: 'Nhiệm vụ',
      leadAgencyId: lead,
      assignedOn: '2026-02-02',
      deadline,
      ...(deadline === null ? { noDeadlineReason: 'Thường xuyên' } : {}),
      confidential,
    });
  return { db, a, b, task };
}

describe('unit activity in the published month', () => {
  it('last update, open tasks updated in 30 days, late reports, late completions, units that did not use it', () => {
    const { db, a, b, task } = world();
    // STC: a task reported on 10/03 after its deadline 20/02 (Friday) and confirmed: a late report, a late completion
    const late = task(a, '2026-02-20');
    appendEvent(db, late, { kind: 'received', occurredOn: '2026-02-03', agencyId: a });
    appendEvent(db, late, { kind: 'reported', occurredOn: '2026-03-10', agencyId: a });
    appendEvent(db, late, { kind: 'confirmed', occurredOn: '2026-03-12' });
    // STC: an open task with progress on 25/03, and one untouched since February
    const busy = task(a, '2026-04-30');
    appendEvent(db, busy, { kind: 'progress', occurredOn: '2026-03-25', agencyId: a });
    const idle = task(a, '2026-04-30');
    appendEvent(db, idle, { kind: 'received', occurredOn: '2026-02-10', agencyId: a });
    // SYT: an open task whose only update was in February; its confidential task's updates count for nothing
    const sytOpen = task(b, null);
    appendEvent(db, sytOpen, { kind: 'received', occurredOn: '2026-02-05', agencyId: b });
    const secret = task(b, '2026-04-30', true);
    appendEvent(db, secret, { kind: 'progress', occurredOn: '2026-03-20', agencyId: b });
    // the Office's urging is not the unit's activity
    appendEvent(db, sytOpen, { kind: 'urged', occurredOn: '2026-03-15' });
    // an update after the cutoff is not seen
    appendEvent(db, idle, { kind: 'progress', occurredOn: '2026-04-02', agencyId: a });

    const [stc, syt] = unitActivity(db, {
      from: '2026-03-01',
      asOf: '2026-03-31',
      agencies: [
        { id: a, code: 'STC' },
        { id: b, code: 'SYT' },
      ],
    });
    expect(stc).toEqual({
      code: 'STC',
      lastUpdateOn: '2026-03-25',
      openTasks: 2,
      openUpdated: 1,
      updatedShare: 0.5,
      reportsLate: 1,
      completedLate: 1,
      usedSystem: true,
    });
    expect(syt).toEqual({
      code: 'SYT',
      lastUpdateOn: '2026-02-05',
      openTasks: 1,
      openUpdated: 0,
      updatedShare: 0,
      reportsLate: 0,
      completedLate: 0,
      usedSystem: false,
    });
    // a later cutoff sees the April update
    const [april] = unitActivity(db, { from: '2026-04-01', asOf: '2026-04-30', agencies: [{ id: a, code: 'STC' }] });
    expect(april).toMatchObject({ lastUpdateOn: '2026-04-02', usedSystem: true, reportsLate: 0, completedLate: 0 });
  });

  it('a unit without open tasks has no share (null), not 0 %', () => {
    const { db, a } = world();
    const [u] = unitActivity(db, { from: '2026-03-01', asOf: '2026-03-31', agencies: [{ id: a, code: 'STC' }] });
    expect(u).toMatchObject({ openTasks: 0, updatedShare: null, usedSystem: false, lastUpdateOn: null });
  });
});
