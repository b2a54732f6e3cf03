/**
 * Notices written with their cause (issue 11): who is told, and who is not (another unit, a disabled user, someone
 * moved to another unit), with what details. The route and mail tests are beside their modules.
 */
import { describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../test/support/admin-app.ts';
import type { Principal } from '../auth/permissions.ts';
import { recordTaskAction } from './task-actions.ts';
import { appendEvent, getTaskByCode } from './tasks.ts';
import { createDocumentWithTasks } from './documents.ts';
import { countUnread, listNotices } from './notices-read.ts';
import { noticeDelegated } from './notices.ts';
import { taskResource } from './task-actions.ts';

type Who = keyof TestApp['users'];

function principal(t: TestApp, who: Who): Principal {
  const u = t.users[who];
  return { kind: 'user', id: u.id, name: u.username, role: u.role, agencyId: u.agencyId };
}

function act(t: TestApp, who: Who, code: string, input: Parameters<typeof recordTaskAction>[3]) {
  return recordTaskAction({ db: t.db, env: t.env, now: t.clock.now }, principal(t, who), code, input);
}

function noticesOf(t: TestApp, who: Who): Array<{ kind: string; code: string; data: Record<string, unknown> }> {
  return (
    t.db
      .prepare(
        'SELECT n.kind, t.code, n.data FROM notices n JOIN tasks t ON t.id = n.task_id WHERE n.user_id = ? ORDER BY n.id',
      )
      .all(t.users[who].id) as Array<{ kind: string; code: string; data: string }>
  ).map((r) => ({ kind: r.kind, code: r.code, data: JSON.parse(r.data) as Record<string, unknown> }));
}

const reader = (t: TestApp, who: Who) => {
  const u = t.users[who];
  return { id: u.id, username: u.username, role: u.role, agencyId: u.agencyId };
};

describe('notices of task events', () => {
  it('an urge tells the lead unit, not the coordinating unit nor the specialist who urged', () => {
    const t = makeTestApp();
    act(t, 'specialist', t.tasks.own, { kind: 'urge', note: 'Đề nghị khẩn trương.' });
    expect(noticesOf(t, 'agency')).toEqual([
      { kind: 'urged', code: t.tasks.own, data: { reason: 'Đề nghị khẩn trương.' } },
    ]);
    expect(noticesOf(t, 'agencyB')).toEqual([]);
    expect(noticesOf(t, 'specialist')).toEqual([]);
    expect(noticesOf(t, 'leader')).toEqual([]);
  });

  it('a disabled user is not told', () => {
    const t = makeTestApp();
    t.db.prepare('UPDATE users SET disabled = 1 WHERE id = ?').run(t.users.agency.id);
    act(t, 'specialist', t.tasks.own, { kind: 'urge' });
    expect(noticesOf(t, 'agency')).toEqual([]);
  });

  it('an extension request reaches the working group; the decision reaches the unit with the new deadline', () => {
    const t = makeTestApp();
    act(t, 'agency', t.tasks.own, {
      kind: 'request_extension',
      newDeadline: '2026-08-31',
      note: 'Chờ số liệu quý II.',
    });
    expect(noticesOf(t, 'confirmer')).toEqual([
      {
        kind: 'extension_waiting',
        code: t.tasks.own,
        data: { newDeadline: '2026-08-31', reason: 'Chờ số liệu quý II.' },
      },
    ]);
    expect(noticesOf(t, 'agency')).toEqual([]);
    act(t, 'confirmer', t.tasks.own, { kind: 'approve_extension', newDeadline: '2026-08-15' });
    expect(noticesOf(t, 'agency')).toEqual([
      { kind: 'extension_approved', code: t.tasks.own, data: { newDeadline: '2026-08-15' } },
    ]);
  });

  it('a returned report reaches the unit with the reason', () => {
    const t = makeTestApp();
    const task = getTaskByCode(t.db, t.tasks.own)!;
    appendEvent(t.db, task.id, { kind: 'reported', occurredOn: '2026-03-02', note: 'Đã xong.' });
    act(t, 'confirmer', t.tasks.own, { kind: 'return_report', note: 'Thiếu phụ lục số liệu.' });
    expect(noticesOf(t, 'agency')).toContainEqual({
      kind: 'report_returned',
      code: t.tasks.own,
      data: { reason: 'Thiếu phụ lục số liệu.' },
    });
  });

  it('a user moved to another unit no longer sees or counts the old unit’s notices', () => {
    const t = makeTestApp();
    act(t, 'specialist', t.tasks.own, { kind: 'urge' });
    expect(countUnread(t.db, reader(t, 'agency'))).toBe(1);
    t.db.prepare('UPDATE users SET agency_id = ? WHERE id = ?').run(t.agencies.c, t.users.agency.id);
    const moved = { ...reader(t, 'agency'), agencyId: t.agencies.c };
    expect(countUnread(t.db, moved)).toBe(0);
    expect(listNotices(t.db, moved, { kind: null, state: null, page: 1 }).items).toEqual([]);
    // and the next urge of the old unit's task does not reach them
    act(t, 'specialist', t.tasks.own, { kind: 'urge' });
    expect(noticesOf(t, 'agency')).toHaveLength(1);
  });
});

describe('reassignment', () => {
  it('tells the new lead unit, and the old unit’s bell stops counting the task it can no longer open', () => {
    const t = makeTestApp();
    act(t, 'specialist', t.tasks.own, { kind: 'urge' });
    expect(countUnread(t.db, reader(t, 'agency'))).toBe(1);
    act(t, 'specialist', t.tasks.own, { kind: 'reassign', toAgencyId: t.agencies.b, note: 'Chuyển Sở Y tế chủ trì.' });
    expect(countUnread(t.db, reader(t, 'agency'))).toBe(0);
    expect(noticesOf(t, 'agencyB').filter((n) => n.kind === 'task_new')).toEqual([
      { kind: 'task_new', code: t.tasks.own, data: { part: 'lead', reassigned: true } },
    ]);
  });
});

describe('notices of new tasks and delegations', () => {
  it('a document entry tells the lead unit and the coordinating unit, with their part', () => {
    const t = makeTestApp();
    const created = createDocumentWithTasks(
      { db: t.db, env: t.env, now: t.clock.now },
      principal(t, 'specialist'),
      {
        number: '12/UBND-KT',
        docType: 'Công văn',
        issuedOn: '2026-03-02',
        signerId: null,
        summary: '',
        tasks: [
          {
            title: 'Báo cáo tình hình giải ngân',
            content: '',
            leadAgencyId: t.agencies.a,
            coordinatorIds: [t.agencies.b],
            leaderId: null,
            sectorId: null,
            deadline: '2026-04-30',
            noDeadlineReason: null,
            starred: false,
            confidential: false,
          },
        ],
      },
      null,
    );
    expect(created.documentId).toBeGreaterThan(0);
    const a = noticesOf(t, 'agency').filter((n) => n.kind === 'task_new');
    const b = noticesOf(t, 'agencyB').filter((n) => n.kind === 'task_new');
    expect(a.map((n) => n.data)).toEqual([{ part: 'lead' }]);
    expect(b.map((n) => n.data)).toEqual([{ part: 'coordinating' }]);
    expect(noticesOf(t, 'agency').filter((n) => n.code === t.tasks.other)).toEqual([]);
  });

  it('noticeDelegated tells the officer once per delegation, and nobody who may not read the task', () => {
    const t = makeTestApp();
    const task = getTaskByCode(t.db, t.tasks.own)!;
    const input = {
      taskId: task.id,
      userId: t.users.officer.id,
      delegationId: 7,
      internalDueOn: '2026-05-30',
      now: t.clock.now,
    };
    const write = () => t.db.transaction(() => noticeDelegated(t.db, input, taskResource(t.db, task))).immediate();
    expect(write()).toBe(1);
    expect(write()).toBe(0);
    expect(noticesOf(t, 'officer')).toEqual([
      { kind: 'task_delegated', code: t.tasks.own, data: { internalDueOn: '2026-05-30' } },
    ]);
    // an agency user of another unit is refused by the matrix, whatever the caller passes
    const other = getTaskByCode(t.db, t.tasks.other)!;
    const refused = t.db
      .transaction(() =>
        noticeDelegated(t.db, { ...input, taskId: other.id, userId: t.users.agencyB.id }, taskResource(t.db, other)),
      )
      .immediate();
    expect(refused).toBe(0);
  });
});
