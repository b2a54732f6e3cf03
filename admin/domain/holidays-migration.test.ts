/**
 * Migration 0011 on a database with history: tasks settled under rules version 2 (deadlines as written) get the
 * category the working-day rule gives, exactly what the write path would now store (status.ts settledAsOf).
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open.ts';
import { loadMigrations, migrate } from '../db/migrate.ts';
import { deadlineCalendarOf } from './holidays.ts';
import { factsFromRow, factsToColumns, type TaskRow } from './tasks.ts';

describe('migration 0011 re-settles categories with the working-day rule', () => {
  it('late under the old rule, on time when only days off lay between the deadline and the completion', () => {
    const db = openDatabase(':memory:', { migrate: false });
    migrate(db, loadMigrations().slice(0, 10));
    const agency = Number(
      db.prepare("INSERT INTO agencies (code, name, kind) VALUES ('STC', 'Sở Tài chính', 'department')").run()
        .lastInsertRowid,
    );
    const insert = db.prepare(
      `INSERT INTO tasks (code, title, lead_agency_id, assigned_on, deadline, ext_deadline, ext_approved_on,
         completed_on, confirmed_on, last_event_on, settled_on, settled_category)
       VALUES (@code, 'Nhiệm vụ', @agency, '2026-01-05', @deadline, @ext, @extOn, @done, @confirmed, @confirmed,
         @confirmed, @category)`,
    );
    const cases: Array<[string, string, string | null, string, string]> = [
      // code, deadline, extended deadline, completed (report day), category expected after the migration
      ['sat-mon', '2026-01-31', null, '2026-02-02', 'completedOnTime'], // Saturday → Monday
      ['sat-tue', '2026-01-31', null, '2026-02-03', 'completedLate'],
      ['before-tet', '2026-02-13', null, '2026-02-23', 'completedLate'], // Friday before Tết is a working day
      ['tet', '2026-02-16', null, '2026-02-23', 'completedOnTime'], // Tết 16–20/02, weekend, Monday
      ['extended-holiday', '2026-01-10', '2026-04-30', '2026-05-04', 'completedOnTime'], // 30/04, 01/05, weekend
      ['on-time', '2026-01-31', null, '2026-01-30', 'completedOnTime'],
    ];
    for (const [code, deadline, ext, done, expected] of cases) {
      const late = done > (ext ?? deadline);
      insert.run({
        code,
        agency,
        deadline,
        ext,
        extOn: ext ? '2026-01-08' : null,
        done,
        confirmed: '2026-05-10',
        category: late ? 'completedLate' : 'completedOnTime',
      });
      expect(expected === 'completedOnTime' || late).toBe(true);
    }
    migrate(db);
    const calendar = deadlineCalendarOf(db);
    for (const [code, , , , expected] of cases) {
      const row = db.prepare('SELECT * FROM tasks WHERE code = ?').get(code) as TaskRow;
      expect([code, row.settled_category]).toEqual([code, expected]);
      expect(factsToColumns(factsFromRow(row), calendar).settled_category).toBe(expected);
    }
  });
});
