/**
 * The holiday calendar in the database (migration 0011 calendar_changes, append-only): loading it for the status
 * module (cached per calendar version), the administrator's changes (each audited in the same transaction), and
 * the year listing of the holiday page. The rule it feeds is in holidays-history.ts.
 */
import type { DB } from '../db/open.ts';
import { statement } from '../db/statements.ts';
import { keptUntilChange } from '../db/change-stamp.ts';
import type { Principal } from '../auth/principal.ts';
import { writeAudit } from '../audit/audit.ts';
import { isIsoDate, type IsoDate } from './dates.ts';
import { DomainError } from './rules.ts';
import {
  type CalendarAction,
  type CalendarChange,
  DeadlineCalendar,
  endOfDay,
  setActiveDeadlineCalendar,
} from './holidays-history.ts';
import { libraryHolidays } from './holidays-library.ts';

interface ChangeRow {
  id: number;
  day: string | null;
  action: CalendarAction;
  name: string;
  source: 'library' | 'admin';
  known_since: string;
  recorded_at: string;
  user_id: number | null;
  user_name: string | null;
}

const cache = new WeakMap<DB, DeadlineCalendar>();
const calendarVersions = new WeakMap<DB, { stamp: string; value: number }>();

/**
 * The calendar of this database, reloaded only when a change was appended (the version is the last row id: the
 * table is append-only), and made the one classifyAsOf uses by default. Costs the change stamp when unchanged.
 */
export function deadlineCalendarOf(db: DB): DeadlineCalendar {
  // this runs several times a request: the version is read again only when the database may have changed
  const version = keptUntilChange(
    calendarVersions,
    db,
    () => (statement(db, 'SELECT max(id) AS v FROM calendar_changes').get() as { v: number | null }).v ?? 0,
  );
  let calendar = cache.get(db);
  if (!calendar || calendar.version !== version) {
    const rows = db
      .prepare('SELECT id, day, action, name, known_since FROM calendar_changes ORDER BY id')
      .all() as ChangeRow[];
    calendar = new DeadlineCalendar(
      rows.map((r) => ({ id: r.id, day: r.day, action: r.action, name: r.name, knownSince: r.known_since })),
      version,
    );
    cache.set(db, calendar);
  }
  setActiveDeadlineCalendar(calendar);
  return calendar;
}

export interface HolidayDay {
  day: IsoDate;
  kind: 'day_off' | 'working_day';
  name: string;
  source: 'library' | 'admin';
  recordedAt: string;
}

export interface HolidayHistoryRow {
  id: number;
  day: IsoDate | null;
  action: CalendarAction;
  name: string;
  source: 'library' | 'admin';
  recordedAt: string;
  knownSince: string;
  userName: string | null;
  /** recorded after the day had ended: kept for the record, moves no deadline */
  late: boolean;
}

export interface HolidayYear {
  year: number;
  /** the entries in force now, by day */
  days: HolidayDay[];
  /** every change of the year, newest first */
  history: HolidayHistoryRow[];
  ruleOn: boolean;
}

const CHANGE_COLUMNS = `c.id, c.day, c.action, c.name, c.source, c.known_since, c.recorded_at, c.user_id,
  u.display_name AS user_name`;

/** The holiday page's year: the entries in force now and the history of the year's changes. */
export function holidayYear(db: DB, year: number): HolidayYear {
  const rows = db
    .prepare(
      `SELECT ${CHANGE_COLUMNS} FROM calendar_changes c LEFT JOIN users u ON u.id = c.user_id
       WHERE c.day >= ? AND c.day <= ? ORDER BY c.known_since, c.id`,
    )
    .all(`${year}-01-01`, `${year}-12-31`) as ChangeRow[];
  const current = new Map<IsoDate, HolidayDay>();
  for (const r of rows) {
    if (r.action === 'removed') current.delete(r.day!);
    else if (r.action === 'day_off' || r.action === 'working_day')
      current.set(r.day!, { day: r.day!, kind: r.action, name: r.name, source: r.source, recordedAt: r.recorded_at });
  }
  return {
    year,
    days: [...current.values()].sort((a, b) => (a.day < b.day ? -1 : 1)),
    history: rows.reverse().map(historyRow),
    ruleOn: deadlineCalendarOf(db).ruleAt('9999-12-31T00:00:00.000Z'),
  };
}

function historyRow(r: ChangeRow): HolidayHistoryRow {
  return {
    id: r.id,
    day: r.day,
    action: r.action,
    name: r.name,
    source: r.source,
    recordedAt: r.recorded_at,
    knownSince: r.known_since,
    userName: r.user_name,
    late: r.day !== null && r.known_since >= endOfDay(r.day),
  };
}

/** The switches of the working-day rule, newest first. */
export function ruleHistory(db: DB): HolidayHistoryRow[] {
  const rows = db
    .prepare(
      `SELECT ${CHANGE_COLUMNS} FROM calendar_changes c LEFT JOIN users u ON u.id = c.user_id
       WHERE c.day IS NULL ORDER BY c.id DESC`,
    )
    .all() as ChangeRow[];
  return rows.map(historyRow);
}

export interface CalendarActor {
  principal: Pick<Principal, 'kind' | 'id' | 'name'>;
  userId: number;
  ip?: string;
  userAgent?: string;
}

const AUDIT_ACTIONS: Record<CalendarAction, string> = {
  day_off: 'holiday.add',
  working_day: 'holiday.add',
  removed: 'holiday.remove',
  rule_on: 'holiday.rule',
  rule_off: 'holiday.rule',
};

function append(
  db: DB,
  at: Date,
  actor: CalendarActor,
  change: { day: IsoDate | null; action: CalendarAction; name: string; source?: 'library' | 'admin' },
  details: Record<string, unknown> = {},
): number {
  const instant = at.toISOString();
  const id = Number(
    db
      .prepare(
        `INSERT INTO calendar_changes (day, action, name, source, known_since, recorded_at, user_id)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(change.day, change.action, change.name, change.source ?? 'admin', instant, instant, actor.userId)
      .lastInsertRowid,
  );
  writeAudit(db, {
    at,
    actor: actor.principal,
    action: AUDIT_ACTIONS[change.action],
    targetType: 'calendar',
    targetId: change.day ?? 'rule',
    ip: actor.ip,
    userAgent: actor.userAgent,
    details: { changeId: id, action: change.action, day: change.day, name: change.name, ...details },
  });
  return id;
}

function currentEntry(db: DB, day: IsoDate): 'day_off' | 'working_day' | null {
  const last = db
    .prepare('SELECT action FROM calendar_changes WHERE day = ? ORDER BY known_since DESC, id DESC LIMIT 1')
    .pluck()
    .get(day) as CalendarAction | undefined;
  return last === 'day_off' || last === 'working_day' ? last : null;
}

function weekday(day: IsoDate): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

/** Adds a day off, or a compensatory working day (a Saturday or Sunday worked in exchange for a day off). */
export function addCalendarDay(
  db: DB,
  at: Date,
  actor: CalendarActor,
  input: { day: string; kind: string; name: string },
): number {
  const name = input.name.trim().normalize('NFC').replace(/\s+/g, ' ');
  if (!isIsoDate(input.day)) throw new DomainError('bad_day', 'Ngày không hợp lệ (định dạng năm-tháng-ngày).', 422);
  if (input.kind !== 'day_off' && input.kind !== 'working_day')
    throw new DomainError('bad_kind', 'Chọn loại ngày: ngày nghỉ hoặc ngày làm việc bù.', 422);
  if (name.length < 2 || name.length > 200 || /[\u0000-\u001f\u007f]/.test(name))
    throw new DomainError('bad_name', 'Cần nhập tên ngày (2 đến 200 ký tự), ví dụ: Nghỉ bù Quốc khánh.', 422);
  const day = input.day;
  const kind = input.kind;
  if (kind === 'working_day' && weekday(day) !== 0 && weekday(day) !== 6)
    throw new DomainError('bad_day', 'Ngày làm việc bù phải là thứ Bảy hoặc Chủ nhật.', 422);
  return db
    .transaction(() => {
      if (currentEntry(db, day) !== null)
        throw new DomainError('day_taken', 'Ngày này đã có trong lịch; hãy xóa mục cũ trước khi nhập lại.', 409);
      return append(db, at, actor, { day, action: kind, name });
    })
    .immediate();
}

/** Removes the entry of a day (a row saying so: the history keeps what stood before). */
export function removeCalendarDay(db: DB, at: Date, actor: CalendarActor, day: string): number {
  if (!isIsoDate(day)) throw new DomainError('bad_day', 'Ngày không hợp lệ (định dạng năm-tháng-ngày).', 422);
  return db
    .transaction(() => {
      const entry = currentEntry(db, day);
      if (entry === null) throw new DomainError('not_found', 'Ngày này không có trong lịch.', 404);
      return append(db, at, actor, { day, action: 'removed', name: '' }, { removed: entry });
    })
    .immediate();
}

/** Switches the working-day rule (Bộ luật Dân sự 2015, Điều 148 khoản 5) on or off from now on. */
export function setWorkingDayRule(db: DB, at: Date, actor: CalendarActor, on: boolean): number | null {
  return db
    .transaction(() => {
      if (deadlineCalendarOf(db).ruleAt('9999-12-31T00:00:00.000Z') === on) return null;
      return append(db, at, actor, { day: null, action: on ? 'rule_on' : 'rule_off', name: '' });
    })
    .immediate();
}

/** Whether the library's days off of `year` are in the calendar (migration 0011, or prefillYear). */
export function libraryFilled(db: DB, year: number): boolean {
  return (
    db
      .prepare("SELECT 1 FROM calendar_changes WHERE source = 'library' AND day >= ? AND day <= ? LIMIT 1")
      .get(`${year}-01-01`, `${year}-12-31`) !== undefined
  );
}

/** Adds the library's days off of a year that has none yet (years beyond migration 0011's). */
export function prefillYear(db: DB, at: Date, actor: CalendarActor, year: number): number {
  if (!Number.isInteger(year) || year < 1990 || year > 2100)
    throw new DomainError('bad_year', 'Năm không hợp lệ (từ 1990 đến 2100).', 422);
  return db
    .transaction(() => {
      const has = db
        .prepare("SELECT 1 FROM calendar_changes WHERE source = 'library' AND day >= ? AND day <= ? LIMIT 1")
        .get(`${year}-01-01`, `${year}-12-31`);
      if (has) throw new DomainError('year_filled', `Năm ${year} đã được nạp ngày lễ từ thư viện.`, 409);
      let n = 0;
      for (const h of libraryHolidays(year)) {
        if (currentEntry(db, h.day) !== null) continue;
        append(db, at, actor, { day: h.day, action: 'day_off', name: h.name, source: 'library' }, { prefill: year });
        n++;
      }
      return n;
    })
    .immediate();
}

export type { CalendarChange };
