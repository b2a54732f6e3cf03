/**
 * The daily notice job notifies each case once (issue 11): across reruns on the same day and across days the
 * server was down. The property walks random deadlines and random run days (some repeated, with gaps) and checks
 * every task against the rule written out plainly: one 'overdue' iff some run fell on an overdue day within the
 * catch-up window, one 'due_soon' iff some run fell within 3 working days before the deadline, never two.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '../db/open.ts';
import { insertUser } from '../auth/users.ts';
import { addDays, diffDays } from '../domain/dates.ts';
import { appendEvent, createTask, factsFromRow, getTask } from '../domain/tasks.ts';
import { classifyAsOf } from '../domain/status.ts';
import { DeadlineCalendar } from '../domain/holidays-history.ts';
import { WEEKENDS_ONLY, workingDaysBetween } from '../domain/working-days.ts';
import { DUE_SOON_WORKING_DAYS, OVERDUE_CATCH_UP_DAYS, runNoticeJob } from './notice-job.ts';

const D0 = '2026-03-02';
const NOW = new Date('2026-03-02T00:00:00Z');

function setup(): { db: DB; agencyId: number; userId: number; confirmerId: number; outsiderId: number } {
  const db = openDatabase(':memory:');
  const ins = db.prepare('INSERT INTO agencies (code, name, kind) VALUES (?, ?, ?)');
  const agencyId = Number(ins.run('STC', 'Sở Tài chính', 'department').lastInsertRowid);
  const otherId = Number(ins.run('SYT', 'Sở Y tế', 'department').lastInsertRowid);
  const user = (username: string, role: 'agency' | 'confirmer', agency: number | null) =>
    insertUser(db, { username, displayName: username, email: null, role, agencyId: agency }, 'x', false, NOW);
  return {
    db,
    agencyId,
    userId: user('donvi-a', 'agency', agencyId),
    confirmerId: user('tocongtac', 'confirmer', null),
    outsiderId: user('donvi-b', 'agency', otherId),
  };
}

const count = (db: DB, userId: number, taskId: number, kind: string) =>
  db
    .prepare('SELECT count(*) FROM notices WHERE user_id = ? AND task_id = ? AND kind = ?')
    .pluck()
    .get(userId, taskId, kind) as number;

describe('runNoticeJob', () => {
  it('tells the lead unit once that a task is due soon, then once that it became overdue', () => {
    const { db, agencyId, userId, outsiderId } = setup();
    // Friday 2026-03-13: 3 working days after Tuesday 03-10, 4 after Monday 03-09
    const id = createTask(db, { title: 'Báo cáo quý', leadAgencyId: agencyId, assignedOn: D0, deadline: '2026-03-13' });
    const run = (today: string) => runNoticeJob(db, { today, now: NOW, waitingDays: 5 });
    expect(run('2026-03-09').dueSoon).toBe(0);
    expect(run('2026-03-10').dueSoon).toBe(1);
    expect(run('2026-03-10').dueSoon).toBe(0);
    expect(run('2026-03-13').dueSoon).toBe(0);
    expect(run('2026-03-14').overdue).toBe(1);
    expect(run('2026-03-20').overdue).toBe(0);
    expect(count(db, userId, id, 'due_soon')).toBe(1);
    expect(count(db, userId, id, 'overdue')).toBe(1);
    expect(count(db, outsiderId, id, 'overdue')).toBe(0);
  });

  it('counts working days with the holiday calendar, as the statistics do', () => {
    const { db, agencyId, userId } = setup();
    const id = createTask(db, { title: 'Báo cáo quý', leadAgencyId: agencyId, assignedOn: D0, deadline: '2026-03-13' });
    const holiday = new DeadlineCalendar([
      { id: 1, day: '2026-03-11', action: 'day_off', name: 'Ngày nghỉ', knownSince: '2026-01-01T00:00:00.000Z' },
    ]);
    // Monday 03-09: Tue, Thu, Fri are the 3 working days left when Wednesday is a day off
    expect(runNoticeJob(db, { today: '2026-03-09', now: NOW, waitingDays: 5 }).dueSoon).toBe(0);
    expect(runNoticeJob(db, { today: '2026-03-09', now: NOW, waitingDays: 5, calendar: holiday }).dueSoon).toBe(1);
    const data = db
      .prepare("SELECT data FROM notices WHERE user_id = ? AND task_id = ? AND kind = 'due_soon'")
      .pluck()
      .get(userId, id);
    expect(JSON.parse(data as string)).toEqual({ deadline: '2026-03-13', workingDaysLeft: 3 });
  });

  it('after an approved extension the task can become overdue once more; a settled task is left alone', () => {
    const { db, agencyId, userId } = setup();
    const id = createTask(db, { title: 'Đề án', leadAgencyId: agencyId, assignedOn: D0, deadline: '2026-03-13' });
    const done = createTask(db, { title: 'Đã xong', leadAgencyId: agencyId, assignedOn: D0, deadline: '2026-03-13' });
    appendEvent(db, done, { kind: 'reported', occurredOn: '2026-03-05' });
    appendEvent(db, done, { kind: 'confirmed', occurredOn: '2026-03-06' });
    runNoticeJob(db, { today: '2026-03-16', now: NOW, waitingDays: 5 });
    appendEvent(db, id, { kind: 'extension_requested', occurredOn: '2026-03-16', data: { newDeadline: '2026-03-31' } });
    appendEvent(db, id, { kind: 'extension_approved', occurredOn: '2026-03-17', data: { newDeadline: '2026-03-31' } });
    runNoticeJob(db, { today: '2026-03-17', now: NOW, waitingDays: 5 });
    runNoticeJob(db, { today: '2026-04-01', now: NOW, waitingDays: 5 });
    runNoticeJob(db, { today: '2026-04-02', now: NOW, waitingDays: 5 });
    expect(count(db, userId, id, 'overdue')).toBe(2);
    expect(count(db, userId, done, 'overdue') + count(db, userId, done, 'due_soon')).toBe(0);
  });

  it('tells the working group once when a report waits longer than the setting', () => {
    const { db, agencyId, confirmerId } = setup();
    const id = createTask(db, { title: 'Kế hoạch', leadAgencyId: agencyId, assignedOn: D0, deadline: '2026-06-30' });
    appendEvent(db, id, { kind: 'reported', occurredOn: '2026-03-03' });
    expect(runNoticeJob(db, { today: '2026-03-08', now: NOW, waitingDays: 5 }).waiting).toBe(0);
    expect(runNoticeJob(db, { today: '2026-03-09', now: NOW, waitingDays: 5 }).waiting).toBe(1);
    expect(runNoticeJob(db, { today: '2026-03-12', now: NOW, waitingDays: 5 }).waiting).toBe(0);
    expect(count(db, confirmerId, id, 'waiting_long')).toBe(1);
  });

  it('property: each case once, whatever the reruns and the days the server was down', () => {
    const dayOffset = fc.integer({ min: 0, max: 70 });
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 5, max: 45 }), { minLength: 1, maxLength: 6 }),
        fc.array(dayOffset, { minLength: 1, maxLength: 25 }),
        (deadlineOffsets, runOffsets) => {
          const { db, agencyId, userId } = setup();
          // the effective deadline is the status module's (a deadline on a day off moves to the next working day)
          const tasks = deadlineOffsets.map((o, i) => {
            const id = createTask(db, {
              title: `Nhiệm vụ ${i}`,
              leadAgencyId: agencyId,
              assignedOn: D0,
              deadline: addDays(D0, o),
            });
            return { id, deadline: classifyAsOf(factsFromRow(getTask(db, id)!), D0).effectiveDeadline! };
          });
          // runs in time order, repeats allowed (a job run twice the same day)
          const runs = [...runOffsets].sort((a, b) => a - b).map((o) => addDays(D0, o));
          for (const today of runs) runNoticeJob(db, { today, now: NOW, waitingDays: 5 });
          const before = db.prepare('SELECT count(*) FROM notices').pluck().get();
          for (const today of runs) runNoticeJob(db, { today, now: NOW, waitingDays: 5 });
          expect(db.prepare('SELECT count(*) FROM notices').pluck().get()).toBe(before);
          for (const t of tasks) {
            const overdueRun = runs.some(
              (r) => r > t.deadline && diffDays(addDays(t.deadline, 1), r) <= OVERDUE_CATCH_UP_DAYS,
            );
            const dueSoonRun = runs.some(
              (r) => r <= t.deadline && workingDaysBetween(WEEKENDS_ONLY, r, t.deadline) <= DUE_SOON_WORKING_DAYS,
            );
            expect(count(db, userId, t.id, 'overdue')).toBe(overdueRun ? 1 : 0);
            expect(count(db, userId, t.id, 'due_soon')).toBe(dueSoonRun ? 1 : 0);
          }
          db.close();
        },
      ),
      { numRuns: 60 },
    );
  });
});
