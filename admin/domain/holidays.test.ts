/**
 * The holiday calendar in the database (holidays.ts, migration 0011): the pre-filled statutory days equal the
 * library's, changes are appended and audited, bad input writes nothing, the statistics use the calendar, and a
 * calendar change never changes a figure as of a day that has passed.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '../db/open.ts';
import type { Principal } from '../auth/permissions.ts';
import { DomainError } from './rules.ts';
import {
  addCalendarDay,
  type CalendarActor,
  deadlineCalendarOf,
  holidayYear,
  prefillYear,
  removeCalendarDay,
  setWorkingDayRule,
} from './holidays.ts';
import { LIBRARY_YEARS, libraryHolidays } from './holidays-library.ts';
import { computeStats } from './stats.ts';
import { createTask, appendEvent } from './tasks.ts';

let db: DB;
let actor: CalendarActor;
const at = (day: string) => new Date(`${day}T03:00:00Z`); // 10:00 in Asia/Ho_Chi_Minh

beforeEach(() => {
  db = openDatabase(':memory:');
  const id = Number(
    db
      .prepare(
        "INSERT INTO users (username, display_name, role, password_hash) VALUES ('qt', 'Quản trị', 'admin', 'x')",
      )
      .run().lastInsertRowid,
  );
  const principal: Principal = { kind: 'user', id, name: 'Quản trị', role: 'admin', agencyId: null };
  actor = { principal, userId: id, ip: '127.0.0.1' };
});

const count = (sql: string) => db.prepare(sql).pluck().get() as number;
function refused(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('the pre-filled statutory days (migration 0011)', () => {
  it('are exactly the library’s public days off for every pre-filled year, known since always', () => {
    const rows = db
      .prepare("SELECT day, name, known_since FROM calendar_changes WHERE source = 'library' ORDER BY day")
      .all() as Array<{ day: string; name: string; known_since: string }>;
    const expected: Array<{ day: string; name: string }> = [];
    for (let y = LIBRARY_YEARS.from; y <= LIBRARY_YEARS.to; y++) expected.push(...libraryHolidays(y));
    expect(rows.map((r) => ({ day: r.day, name: r.name }))).toEqual(expected);
    expect(new Set(rows.map((r) => r.known_since))).toEqual(new Set(['0000-01-01T00:00:00.000Z']));
  });

  it('hold Tết 2026 (16–20/02) and the other public holidays, not the observances', () => {
    const days = holidayYear(db, 2026).days.map((d) => d.day);
    expect(days).toEqual([
      '2026-01-01',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-04-26',
      '2026-04-30',
      '2026-05-01',
      '2026-09-02',
    ]);
    expect(days).not.toContain('2026-03-08'); // Quốc tế Phụ nữ: an observance, a working day
  });
});

describe('changes by the administrator', () => {
  it('adds a day off with its audit row; the table refuses updates and deletes', () => {
    const id = addCalendarDay(db, at('2026-08-20'), actor, {
      day: '2026-09-01',
      kind: 'day_off',
      name: 'Nghỉ Quốc khánh (ngày thứ hai)',
    });
    const row = db.prepare('SELECT * FROM calendar_changes WHERE id = ?').get(id) as Record<string, unknown>;
    expect(row).toMatchObject({ day: '2026-09-01', action: 'day_off', source: 'admin', user_id: actor.userId });
    expect(row.known_since).toBe('2026-08-20T03:00:00.000Z');
    const audit = db.prepare("SELECT * FROM audit_log WHERE action = 'holiday.add'").get() as Record<string, string>;
    expect(JSON.parse(audit.details!)).toMatchObject({ changeId: id, day: '2026-09-01', action: 'day_off' });
    expect(() => db.prepare('UPDATE calendar_changes SET name = ? WHERE id = ?').run('x', id)).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM calendar_changes WHERE id = ?').run(id)).toThrow(/append-only/);
  });

  it('a removal is one more row: the history keeps what stood before', () => {
    const before = count('SELECT count(*) FROM calendar_changes');
    removeCalendarDay(db, at('2026-04-01'), actor, '2026-04-30');
    expect(count('SELECT count(*) FROM calendar_changes')).toBe(before + 1);
    const y = holidayYear(db, 2026);
    expect(y.days.map((d) => d.day)).not.toContain('2026-04-30');
    expect(y.history[0]).toMatchObject({ action: 'removed', day: '2026-04-30', userName: 'Quản trị', late: false });
    expect(count("SELECT count(*) FROM audit_log WHERE action = 'holiday.remove'")).toBe(1);
  });

  it('refuses bad input in Vietnamese and writes nothing', () => {
    const rows = count('SELECT count(*) FROM calendar_changes');
    const cases: Array<[() => unknown, string, RegExp]> = [
      [
        () => addCalendarDay(db, at('2026-01-02'), actor, { day: '2026-02-30', kind: 'day_off', name: 'Nghỉ' }),
        'bad_day',
        /Ngày không hợp lệ/,
      ],
      [
        () => addCalendarDay(db, at('2026-01-02'), actor, { day: '2026-03-03', kind: 'holiday', name: 'Nghỉ' }),
        'bad_kind',
        /Chọn loại ngày/,
      ],
      [
        () => addCalendarDay(db, at('2026-01-02'), actor, { day: '2026-03-03', kind: 'day_off', name: ' ' }),
        'bad_name',
        /Cần nhập tên ngày/,
      ],
      [
        () => addCalendarDay(db, at('2026-01-02'), actor, { day: '2026-03-03', kind: 'working_day', name: 'Làm bù' }),
        'bad_day',
        /thứ Bảy hoặc Chủ nhật/,
      ],
      [
        () => addCalendarDay(db, at('2026-01-02'), actor, { day: '2026-02-17', kind: 'day_off', name: 'Tết' }),
        'day_taken',
        /đã có trong lịch/,
      ],
      [() => removeCalendarDay(db, at('2026-01-02'), actor, '2026-03-03'), 'not_found', /không có trong lịch/],
      [() => prefillYear(db, at('2026-01-02'), actor, 2026), 'year_filled', /đã được nạp/],
      [() => prefillYear(db, at('2026-01-02'), actor, 1900), 'bad_year', /Năm không hợp lệ/],
    ];
    for (const [fn, code, message] of cases) {
      const e = refused(fn);
      expect([e.code, e.message]).toEqual([code, expect.stringMatching(message)]);
      expect(e.status).toBeGreaterThanOrEqual(400);
    }
    expect(count('SELECT count(*) FROM calendar_changes')).toBe(rows);
    expect(count("SELECT count(*) FROM audit_log WHERE action LIKE 'holiday.%'")).toBe(0);
  });

  it('pre-fills a year beyond the migration from the library, once', () => {
    expect(prefillYear(db, at('2026-12-01'), actor, 2040)).toBe(libraryHolidays(2040).length);
    expect(holidayYear(db, 2040).days.every((d) => d.source === 'library')).toBe(true);
    expect(refused(() => prefillYear(db, at('2026-12-01'), actor, 2040)).code).toBe('year_filled');
  });

  it('switches the rule only when it changes, and the calendar version follows every change', () => {
    const v0 = deadlineCalendarOf(db).version;
    expect(setWorkingDayRule(db, at('2026-05-01'), actor, true)).toBeNull();
    expect(setWorkingDayRule(db, at('2026-05-01'), actor, false)).not.toBeNull();
    expect(holidayYear(db, 2026).ruleOn).toBe(false);
    expect(deadlineCalendarOf(db).version).toBeGreaterThan(v0);
    expect(count("SELECT count(*) FROM audit_log WHERE action = 'holiday.rule'")).toBe(1);
  });
});

describe('the statistics use the calendar and never change the past', () => {
  function setup() {
    const a = Number(
      db.prepare("INSERT INTO agencies (code, name, kind) VALUES ('STC', 'Sở Tài chính', 'department')").run()
        .lastInsertRowid,
    );
    // deadline Tuesday 01/09/2026, the day before Quốc khánh
    const t = createTask(db, { title: 'Báo cáo', leadAgencyId: a, assignedOn: '2026-08-03', deadline: '2026-09-01' });
    return t;
  }

  it('a day off announced ahead moves an open deadline from the announcement day only', () => {
    setup();
    const figures = (d: string) => computeStats(db, d).totals;
    const before = ['2026-08-19', '2026-08-28', '2026-09-02'].map(figures);
    expect(before[2]!.overdue).toBe(1); // 02/09: one day past the deadline
    addCalendarDay(db, at('2026-08-29'), actor, { day: '2026-09-01', kind: 'day_off', name: 'Nghỉ Quốc khánh' });
    // as of days before the announcement nothing changes; from it on the deadline is Thursday 03/09
    expect(['2026-08-19', '2026-08-28'].map(figures)).toEqual(before.slice(0, 2));
    expect(figures('2026-09-02')).toMatchObject({ overdue: 0, inProgress: 1 });
    expect(figures('2026-09-04')).toMatchObject({ overdue: 1, inProgress: 0 });
  });

  it('a day off recorded after the deadline day moves nothing, for any cutoff', () => {
    const t = setup();
    appendEvent(db, t, { kind: 'reported', occurredOn: '2026-09-03' });
    appendEvent(db, t, { kind: 'confirmed', occurredOn: '2026-09-04' });
    const days = ['2026-09-01', '2026-09-02', '2026-09-03', '2026-09-05', '2026-12-31'];
    const before = days.map((d) => computeStats(db, d).totals);
    expect(before[4]!.completedLate).toBe(1); // 03/09 > 01/09 (02/09 is a holiday, but 01/09 is not)
    addCalendarDay(db, at('2026-09-10'), actor, { day: '2026-09-01', kind: 'day_off', name: 'Ghi nhận muộn' });
    expect(days.map((d) => computeStats(db, d).totals)).toEqual(before);
    expect(holidayYear(db, 2026).history[0]).toMatchObject({ day: '2026-09-01', late: true });
  });
});
