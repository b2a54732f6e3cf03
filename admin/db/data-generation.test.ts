/**
 * The data generation (data-generation.ts, migration 0020): every table but the uncounted ones moves it on insert,
 * update and delete, so a table added by a later migration is counted unless listed; the uncounted ones (a
 * session's touch, an audit row) leave it as it was.
 */
import { describe, expect, it } from 'vitest';
import { buildFixtureProvince } from '../test/fixtures/province.ts';
import { dataGeneration, UNCOUNTED_TABLES } from './data-generation.ts';
import { openDatabase } from './open.ts';

describe('data generation', () => {
  it('every table but the uncounted ones has its insert, update and delete triggers', () => {
    const db = openDatabase(':memory:');
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    const counted = tables.filter((t) => !UNCOUNTED_TABLES.includes(t));
    expect(counted.length).toBeGreaterThan(20);
    const triggers = db.prepare("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'").all() as Array<{
      tbl_name: string;
      sql: string;
    }>;
    for (const table of counted) {
      for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
        const found = triggers.some(
          (t) =>
            t.tbl_name === table &&
            t.sql.includes(`AFTER ${op} ON ${table} `) &&
            t.sql.includes('UPDATE data_generation SET n = n + 1'),
        );
        expect(found, `${table}: AFTER ${op}`).toBe(true);
      }
    }
    // the uncounted tables exist (a name misspelt here would count nothing and hide a table)
    for (const t of UNCOUNTED_TABLES) expect(tables, t).toContain(t);
  });

  it('moves with a task event or a setting, not with a session touch or an audit row', () => {
    const db = openDatabase(':memory:');
    buildFixtureProvince(db);
    const user = db.prepare('SELECT id FROM users LIMIT 1').pluck().get() as number;
    const g0 = dataGeneration(db);
    db.prepare("INSERT INTO audit_log (at, actor_kind, action) VALUES ('2026-04-01T00:00:00Z', 'system', 'x')").run();
    db.prepare(
      "INSERT INTO sessions (id, secret_hash, user_id, created_at, last_seen_at) VALUES ('s', x'00', ?, 1, 1)",
    ).run(user);
    expect(db.prepare('UPDATE sessions SET last_seen_at = last_seen_at + 1').run().changes).toBe(1);
    expect(dataGeneration(db)).toBe(g0);
    db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('province_name', 'Tỉnh Thử')").run();
    const g1 = dataGeneration(db);
    expect(g1).toBeGreaterThan(g0);
    const task = db.prepare('SELECT id FROM tasks LIMIT 1').pluck().get() as number;
    db.prepare('UPDATE tasks SET title = title || ? WHERE id = ?').run(' (sửa)', task);
    expect(dataGeneration(db)).toBeGreaterThan(g1);
  });
});
