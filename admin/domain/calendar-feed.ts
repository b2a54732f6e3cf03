/**
 * A user's calendar feed (issue 11): one all-day event per visible task on its effective deadline, generated on
 * request from the database, so it changes as events arrive.
 *
 *   tasks (scoped like the task list: taskScopeSql 'task.read') → classifyAsOf(today) (status.ts: effective
 *   deadline, category) → one VEVENT: summary "[category] code: title", description with the lead agency, the
 *   original deadline when extended, the task's link.
 *
 * Which tasks: not cancelled, with a deadline, and open or completed within FEED_HORIZON_DAYS (a ten-year history
 * would otherwise fill a phone's calendar with thousands of finished tasks). Confidential tasks are in the feed of
 * whoever may read them, but by code only: calendar apps copy their subscriptions to outside services (a phone's
 * cloud account), so a confidential title never leaves the system this way; the link opens it after sign-in.
 * At most FEED_CAP events, nearest deadlines first.
 */
import ical, { ICalCalendarMethod } from 'ical-generator';
import type { DB } from '../db/open.ts';
import { taskScopeSql, type Principal } from '../auth/permissions.ts';
import { CATEGORY_LABELS, classifyAsOf } from './status.ts';
import { factsFromRow, FACTS_COLUMNS, type FactsRow } from './tasks.ts';
import { addDays, formatDateVi, type IsoDate } from './dates.ts';

export const FEED_HORIZON_DAYS = 180;
export const FEED_CAP = 10_000;

interface FeedRow extends FactsRow {
  id: number;
  code: string;
  title: string;
  confidential: number;
  lead_name: string;
}

export interface FeedEntry {
  code: string;
  title: string;
  confidential: boolean;
  leadName: string;
  /** the deadline in force on `asOf` (status.ts), the event's day */
  deadline: IsoDate;
  /** the original deadline when an approved extension moved it, else null */
  originalDeadline: IsoDate | null;
  statusLabel: string;
  awaitingConfirmation: boolean;
}

/** The deadlines `principal` may see on `asOf`, nearest first. */
export function loadFeedEntries(db: DB, principal: Principal, asOf: IsoDate): FeedEntry[] {
  const scope = taskScopeSql(principal, 'task.read', 't');
  const rows = db
    .prepare(
      `SELECT t.id, t.code, t.title, t.confidential, ${FACTS_COLUMNS},
              (SELECT name FROM agencies WHERE id = t.lead_agency_id) AS lead_name
         FROM tasks t
        WHERE ${scope.sql} AND t.cancelled_on IS NULL AND t.deadline IS NOT NULL AND t.assigned_on <= ?
          AND (t.confirmed_on IS NULL OR t.confirmed_on >= ?)`,
    )
    .all(...scope.params, asOf, addDays(asOf, -FEED_HORIZON_DAYS)) as FeedRow[];
  const entries: FeedEntry[] = [];
  for (const r of rows) {
    const s = classifyAsOf(factsFromRow(r), asOf);
    if (!s.counted || s.category === null || s.effectiveDeadline === null) continue;
    const extended = r.ext_approved_on !== null && r.ext_approved_on <= asOf && r.ext_deadline !== null;
    entries.push({
      code: r.code,
      title: r.title,
      confidential: r.confidential === 1,
      leadName: r.lead_name,
      deadline: s.effectiveDeadline,
      originalDeadline: extended && r.deadline !== s.effectiveDeadline ? r.deadline : null,
      statusLabel: CATEGORY_LABELS[s.category],
      awaitingConfirmation: s.awaitingConfirmation,
    });
  }
  entries.sort((a, b) => Math.abs(daysBetween(asOf, a.deadline)) - Math.abs(daysBetween(asOf, b.deadline)));
  return entries.slice(0, FEED_CAP);
}

function daysBetween(a: IsoDate, b: IsoDate): number {
  return (Date.parse(b) - Date.parse(a)) / 86_400_000;
}

export interface FeedOptions {
  /** the admin's public origin (env.origin): task links and event UIDs */
  origin: string;
  calendarName: string;
  now: Date;
}

/** The feed as iCalendar text (RFC 5545), via ical-generator. */
export function renderFeed(entries: FeedEntry[], o: FeedOptions): string {
  const host = new URL(o.origin).host;
  const cal = ical({
    name: o.calendarName,
    description: 'Thời hạn các nhiệm vụ UBND tỉnh giao mà tài khoản được xem',
    prodId: { company: host, product: 'theo-doi-nhiem-vu', language: 'VI' },
    method: ICalCalendarMethod.PUBLISH,
    // calendar apps poll; an hour keeps them near the database without hammering it
    ttl: 60 * 60,
  });
  for (const e of entries) {
    const status = e.awaitingConfirmation ? `${e.statusLabel}, đã báo cáo, chờ xác nhận` : e.statusLabel;
    const url = `${o.origin}/admin/tasks/${e.code}`;
    const lines = [
      `Tình trạng: ${status}`,
      `Đơn vị chủ trì: ${e.leadName}`,
      `Thời hạn: ${formatDateVi(e.deadline)}`,
      ...(e.originalDeadline ? [`Thời hạn ban đầu: ${formatDateVi(e.originalDeadline)} (đã gia hạn)`] : []),
      ...(e.confidential ? ['Nhiệm vụ mật: nội dung chỉ xem trong hệ thống sau khi đăng nhập.'] : []),
      url,
    ];
    cal.createEvent({
      id: `${e.code}@${host}`,
      allDay: true,
      // all-day dates without a time zone: ical-generator writes their UTC calendar date, which is the ISO date
      start: `${e.deadline}T00:00:00Z`,
      end: `${addDays(e.deadline, 1)}T00:00:00Z`,
      stamp: o.now,
      summary: `[${status}] ${e.code}: ${e.confidential ? 'Nhiệm vụ mật' : e.title}`,
      description: lines.join('\n'),
      url,
    });
  }
  return cal.toString();
}
