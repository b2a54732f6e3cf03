/**
 * Migration 0013 on a database with history: every existing agency gets one name row and an establishment day,
 * both from its earliest task or event, else the day it was created; names as of any day are then its name.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open.ts';
import { loadMigrations, migrate } from '../db/migrate.ts';
import { nameAsOf } from './agency-names.ts';

describe('migration 0013 seeds agency names', () => {
  it('one row per agency, valid from its earliest task or event, else its creation day', () => {
    const db = openDatabase(':memory:', { migrate: false });
    migrate(db, loadMigrations().slice(0, 12));
    const ins = db.prepare("INSERT INTO agencies (code, name, kind, created_at) VALUES (?, ?, 'department', ?)");
    const stc = Number(ins.run('STC', 'Sở Tài chính', '2026-05-01T18:00:00.000Z').lastInsertRowid); // 02/05 local
    const syt = Number(ins.run('SYT', 'Sở Y tế', '2026-05-01T03:00:00.000Z').lastInsertRowid);
    const sxd = Number(ins.run('SXD', 'Sở Xây dựng', '2026-05-01T18:00:00.000Z').lastInsertRowid); // no task: 02/05
    const task = Number(
      db
        .prepare(
          "INSERT INTO tasks (code, title, lead_agency_id, assigned_on, deadline) VALUES ('NV-1', 'Nhiệm vụ', ?, '2024-03-04', NULL)",
        )
        .run(syt).lastInsertRowid,
    );
    // an event the other agency recorded earlier than any task it leads (a coordinator's progress)
    db.prepare(
      "INSERT INTO task_events (task_id, kind, occurred_on, agency_id) VALUES (?, 'progress', '2023-12-30', ?)",
    ).run(task, stc);
    migrate(db);
    expect(db.prepare('SELECT agency_id, name, valid_from FROM agency_names ORDER BY agency_id').all()).toEqual([
      { agency_id: stc, name: 'Sở Tài chính', valid_from: '2023-12-30' },
      { agency_id: syt, name: 'Sở Y tế', valid_from: '2024-03-04' },
      { agency_id: sxd, name: 'Sở Xây dựng', valid_from: '2026-05-02' },
    ]);
    expect(db.prepare('SELECT established_on FROM agencies ORDER BY id').pluck().all()).toEqual([
      '2023-12-30',
      '2024-03-04',
      '2026-05-02',
    ]);
    expect(nameAsOf(db, syt, '2020-01-01')).toBe('Sở Y tế');
    const none = Number(ins.run('SNV', 'Sở Nội vụ', '2026-05-01T18:00:00.000Z').lastInsertRowid);
    expect(nameAsOf(db, none, '2026-01-01')).toBe('Sở Nội vụ'); // no row: its name on every day
  });
});
