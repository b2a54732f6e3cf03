import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '../db/open.ts';
import { newlyOverdue } from './newly-overdue.ts';
import type { EventKind } from './status.ts';
import { appendEvent, createTask } from './tasks.ts';

let db: DB;
let A: number;
let B: number;

function task(
  code: string,
  agency: number,
  deadline: string,
  events: Array<[EventKind, string]> = [],
  confidential = false,
) {
  const id = createTask(db, {
    code,
    title: code,
    leadAgencyId: agency,
    assignedOn: '2026-01-05',
    deadline,
    confidential,
  });
  for (const [kind, occurredOn] of events) appendEvent(db, id, { kind, occurredOn, note: 'kiểm thử' });
  return id;
}

beforeEach(() => {
  db = openDatabase(':memory:');
  const agency = (code: string, name: string) =>
    Number(
      db.prepare("INSERT INTO agencies (code, name, kind) VALUES (?, ?, 'department')").run(code, name).lastInsertRowid,
    );
  A = agency('STC', 'Sở Tài chính');
  B = agency('SYT', 'Sở Y tế');
  task('deadline-jan-31', A, '2026-01-31'); // a Saturday: ends Monday 02/02, overdue from 03/02: in February
  task('deadline-feb-27', A, '2026-02-27'); // overdue from 28/02 (to): in February
  task('deadline-feb-28', A, '2026-02-28'); // overdue from 01/03: not yet
  task('deadline-jan-30', A, '2026-01-30'); // overdue from 31/01 (from − 1): not in February
  task('done-late', B, '2026-02-10', [
    ['reported', '2026-02-15'],
    ['confirmed', '2026-02-16'],
  ]); // overdue 11/02–14/02, then completed: listed, no longer overdue
  task('awaiting', B, '2026-02-10', [['reported', '2026-02-09']]); // on-time report waiting: never overdue
  task('returned', B, '2026-01-20', [
    ['reported', '2026-01-19'],
    ['returned', '2026-02-03'],
  ]); // overdue from the return day 03/02
  task('secret', B, '2026-02-05', [], true);
});

describe('newlyOverdue', () => {
  it('lists per agency the tasks whose overdue stretch began inside the period', () => {
    const r = newlyOverdue(db, '2026-02-01', '2026-02-28');
    expect(r.total).toBe(5);
    expect(r.stillOverdue).toBe(4);
    expect(r.agencies.map((a) => [a.code, a.count, a.stillOverdue])).toEqual([
      ['SYT', 3, 2],
      ['STC', 2, 2],
    ]);
    const syt = r.agencies[0]!.tasks.map((t) => [t.code, t.overdueSince, t.stillOverdue]);
    expect(syt).toEqual([
      ['returned', '2026-02-03', true],
      ['secret', '2026-02-06', true],
      ['done-late', '2026-02-11', false],
    ]);
    const stc = r.agencies[1]!.tasks;
    expect(stc.map((t) => [t.code, t.overdueSince, t.overdueDaysAtEnd])).toEqual([
      ['deadline-jan-31', '2026-02-03', 26],
      ['deadline-feb-27', '2026-02-28', 1],
    ]);
  });

  it('leaves confidential tasks out of the public list and filters one agency', () => {
    expect(newlyOverdue(db, '2026-02-01', '2026-02-28', { publicOnly: true }).total).toBe(4);
    const stc = newlyOverdue(db, '2026-02-01', '2026-02-28', { agencyId: A });
    expect(stc.agencies.map((a) => a.code)).toEqual(['STC']);
    expect(stc.total).toBe(2);
  });
});
