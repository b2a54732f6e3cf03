/**
 * A correction of the deadline (status.ts header, rules.ts checkDeadlineCorrection): allowed only before the
 * original deadline passes and before the unit acknowledges; dated the day it is made; statistics as of earlier
 * days keep the deadline in force then. Refusals say why and name the extension, with a 4xx and nothing written.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db/open.ts';
import type { Principal } from '../auth/permissions.ts';
import { DomainError } from './rules.ts';
import { classifyAsOf } from './status.ts';
import { computeStats } from './stats.ts';
import { createTask, factsFromRow, getTask, listEvents } from './tasks.ts';
import { recordTaskAction, type TaskEdit } from './task-actions.ts';
import { parseTaskFilter } from './task-filter.ts';
import { queryTasks } from './task-query.ts';

function setup(deadline: string | null) {
  const db = openDatabase(':memory:');
  const env = { uploadDir: mkdtempSync(join(tmpdir(), 'deadline-correction-')) };
  const a = Number(
    db.prepare("INSERT INTO agencies (code, name, kind) VALUES ('STC', 'Sở Tài chính', 'department')").run()
      .lastInsertRowid,
  );
  const user = (role: Principal['role'], agencyId: number | null): Principal => ({
    kind: 'user',
    id: Number(
      db
        .prepare("INSERT INTO users (username, display_name, role, agency_id, password_hash) VALUES (?, ?, ?, ?, 'x')")
        .run(role, role, role, agencyId).lastInsertRowid,
    ),
    name: role,
    role,
    agencyId,
  });
  const id = createTask(db, {
    title: 'Rà soát',
    leadAgencyId: a,
    assignedOn: '2026-01-10',
    deadline,
    noDeadlineReason: 'Thường xuyên',
  });
  const specialist = user('specialist', null);
  const agency = user('agency', a);
  const code = getTask(db, id)!.code;
  const at = (day: string) => ({ db, env, now: new Date(`${day}T03:00:00Z`) });
  const edit = (day: string, changes: TaskEdit) =>
    recordTaskAction(at(day), specialist, code, { kind: 'edit', changes, note: 'Nhập nhầm thời hạn' });
  const status = (asOf: string) => classifyAsOf(factsFromRow(getTask(db, id)!), asOf);
  const written = () => ({
    task: getTask(db, id),
    events: listEvents(db, id).length,
    audit: db.prepare('SELECT count(*) FROM audit_log').pluck().get(),
  });
  return { db, id, code, at, edit, status, written, agency };
}

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('deadline corrections count from the day they are made', () => {
  it('the issue: a task 121 days overdue, never acknowledged, cannot be moved to a later deadline', () => {
    const s = setup('2026-01-31');
    const figures = () => computeStats(s.db, '2026-06-03').totals;
    const before = { ...s.written(), figures: figures() };
    // 31/01/2026 is a Saturday: the deadline ends on Monday 02/02, so the task is 121 days overdue on 03/06/2026
    expect(before.figures.overdueOver120).toBe(1);
    const e = refusal(() => s.edit('2026-06-03', { deadline: '2026-12-31' }));
    expect(e.status).toBe(409);
    expect(e.code).toBe('deadline_passed');
    expect(e.message).toContain('Thời hạn ban đầu 31/01/2026 đã qua');
    expect(e.message).toContain('đề nghị gia hạn');
    expect({ ...s.written(), figures: figures() }).toEqual(before);
  });

  it('a correction before the deadline changes nothing before its day and counts from it', () => {
    const s = setup('2026-03-31');
    s.edit('2026-02-10', { deadline: '2026-02-20' });
    expect(getTask(s.db, s.id)!.deadline).toBe('2026-02-20');
    expect(s.status('2026-02-09')).toMatchObject({ category: 'inProgress', effectiveDeadline: '2026-03-31' });
    // 20/02/2026 is the last day of the Tết holiday (16–20/02): the deadline ends on Monday 23/02
    expect(s.status('2026-02-10')).toMatchObject({ category: 'inProgress', effectiveDeadline: '2026-02-23' });
    expect(s.status('2026-02-25')).toMatchObject({ category: 'overdue', overdueDays: 2 });
    // the statistics (per agency, SQL path) agree
    expect(computeStats(s.db, '2026-02-09').totals.dueSoon).toBe(0);
    expect(computeStats(s.db, '2026-02-18').totals.dueSoon).toBe(1);
    // the original deadline had not passed on the correction day, but the corrected one has now: no second move
    expect(refusal(() => s.edit('2026-02-25', { deadline: '2026-03-31' })).message).toContain('20/02/2026 đã qua');
  });

  it('the original deadline bounds every later correction, even when the one in force is later', () => {
    const s = setup('2026-02-15');
    s.edit('2026-02-01', { deadline: '2026-06-30' });
    const e = refusal(() => s.edit('2026-03-01', { deadline: '2026-09-30' }));
    expect(e.code).toBe('deadline_passed');
    expect(e.message).toContain('Thời hạn ban đầu 15/02/2026 đã qua');
  });

  it('adding and removing a deadline count from their day too', () => {
    const s = setup(null);
    s.edit('2026-02-01', { deadline: '2026-02-28' });
    expect(s.status('2026-01-31').category).toBe('noDeadline');
    expect(s.status('2026-02-01').category).toBe('inProgress');
    s.edit('2026-02-10', { deadline: null, noDeadlineReason: 'Nhiệm vụ thường xuyên' });
    expect(s.status('2026-02-09').effectiveDeadline).toBe('2026-03-02'); // 28/02/2026 is a Saturday
    expect(s.status('2026-02-10').category).toBe('noDeadline');
    expect(getTask(s.db, s.id)!.deadline).toBeNull();
  });

  it('after the unit acknowledged the task, or with a new deadline before today, nothing is written', () => {
    const s = setup('2026-03-31');
    const early = refusal(() => s.edit('2026-02-10', { deadline: '2026-02-01' }));
    expect([early.status, early.code]).toEqual([422, 'bad_deadline']);
    expect(early.message).toContain('không được trước ngày điều chỉnh (10/02/2026)');
    recordTaskAction(s.at('2026-02-11'), s.agency, s.code, { kind: 'progress', note: 'Đang triển khai' });
    const before = s.written();
    const locked = refusal(() => s.edit('2026-02-12', { deadline: '2026-04-30', title: 'Rà soát lại' }));
    expect([locked.status, locked.code]).toEqual([409, 'deadline_locked']);
    expect(locked.message).toContain('đề nghị gia hạn');
    expect(s.written()).toEqual(before);
    // other fields may still be corrected
    s.edit('2026-02-12', { title: 'Rà soát lại' });
    expect(getTask(s.db, s.id)!.title).toBe('Rà soát lại');
  });

  it('the task list filters by the deadline in force on the chosen day, not the corrected one', () => {
    const s = setup('2026-03-25');
    s.edit('2026-03-24', { deadline: '2026-06-30' });
    const list = (status: string, asOf: string) => {
      const r = parseTaskFilter({ status, asOf });
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return queryTasks(s.db, { role: 'specialist', agencyId: null }, r.filter).total;
    };
    expect(list('dueSoon', '2026-03-23')).toBe(1); // due 25/03 then
    expect(list('dueSoon', '2026-03-24')).toBe(0); // due 30/06 from the correction on
    const n = setup(null);
    n.edit('2026-02-01', { deadline: '2026-02-28' });
    const r = parseTaskFilter({ status: 'noDeadline', asOf: '2026-01-31' });
    expect(r.ok && queryTasks(n.db, { role: 'specialist', agencyId: null }, r.filter).total).toBe(1);
  });
});
