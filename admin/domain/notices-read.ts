/**
 * Reading one's notices (the bell, the list page, marking as read) and the mail preferences. Everything is keyed by
 * the signed-in user AND their current scope (role + agency, notices.ts noticeScope): notices written while the user
 * belonged to another unit are neither counted nor listed. The list also re-checks task.read on each task (it may
 * have moved to another unit since).
 */
import type { DB } from '../db/open.ts';
import { keptUntilChange } from '../db/change-stamp.ts';
import { statement } from '../db/statements.ts';
import { can } from '../auth/permissions.ts';
import { taskResource } from './task-actions.ts';
import { isNoticeKind, NOTICE_KINDS, noticeScope, principalOf, type NoticeKind, type Recipient } from './notices.ts';

/** The bell shows "99+" beyond this: the count stops there, so its cost is bounded whatever is unread. */
export const BELL_CAP = 100;

export type Reader = Recipient;

/** Unread notices of the user in their current scope, at most BELL_CAP (one covering index range). */
export function countUnread(db: DB, user: Reader): number {
  // the bell is on every page: counted again only when the database changed (change-stamp.ts)
  const counts = keptUntilChange(unreadCounts, db, () => new Map<string, number>());
  const scope = noticeScope(user);
  const key = `${user.id}|${scope}`;
  let n = counts.get(key);
  if (n === undefined) {
    if (counts.size >= 2_000) counts.clear();
    n = statement(
      db,
      'SELECT count(*) FROM (SELECT 1 FROM notices WHERE user_id = ? AND scope = ? AND read_at IS NULL LIMIT ?)',
    )
      .pluck()
      .get(user.id, scope, BELL_CAP) as number;
    counts.set(key, n);
  }
  return n;
}

const unreadCounts = new WeakMap<DB, { stamp: string; value: Map<string, number> }>();

export interface NoticeListItem {
  id: number;
  kind: NoticeKind;
  taskCode: string;
  taskTitle: string;
  data: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

export interface NoticeFilter {
  kind: NoticeKind | null;
  /** 'unread' | 'read' | null (all) */
  state: 'unread' | 'read' | null;
  page: number;
}

export const NOTICE_PAGE_SIZE = 50;

export function parseNoticeFilter(q: Record<string, string | undefined>): NoticeFilter {
  const page = /^[0-9]{1,5}$/.test(q.page ?? '') ? Math.max(1, Number(q.page)) : 1;
  return {
    kind: isNoticeKind(q.kind) ? q.kind : null,
    state: q.state === 'unread' || q.state === 'read' ? q.state : null,
    page,
  };
}

/** Newest first, one page, only tasks the user may still read. */
export function listNotices(
  db: DB,
  user: Reader,
  f: NoticeFilter,
): { items: NoticeListItem[]; total: number; unread: number } {
  const where = ['n.user_id = ?', 'n.scope = ?'];
  const params: Array<string | number> = [user.id, noticeScope(user)];
  if (f.kind) {
    where.push('n.kind = ?');
    params.push(f.kind);
  }
  if (f.state === 'unread') where.push('n.read_at IS NULL');
  if (f.state === 'read') where.push('n.read_at IS NOT NULL');
  const w = where.join(' AND ');
  const total = statement(db, `SELECT count(*) FROM notices n WHERE ${w}`)
    .pluck()
    .get(...params) as number;
  const rows = statement(
    db,
    `SELECT n.id, n.kind, n.data, n.created_at, n.read_at, t.id AS task_id, t.code, t.title, t.lead_agency_id
       FROM notices n JOIN tasks t ON t.id = n.task_id
      WHERE ${w} ORDER BY n.id DESC LIMIT ? OFFSET ?`,
  ).all(...params, NOTICE_PAGE_SIZE, (f.page - 1) * NOTICE_PAGE_SIZE) as Array<{
    id: number;
    kind: NoticeKind;
    data: string;
    created_at: string;
    read_at: string | null;
    task_id: number;
    code: string;
    title: string;
    lead_agency_id: number;
  }>;
  const principal = principalOf(user);
  const items = rows
    .filter((r) => can(principal, 'task.read', taskResource(db, { id: r.task_id, lead_agency_id: r.lead_agency_id })))
    .map((r) => ({
      id: r.id,
      kind: r.kind,
      taskCode: r.code,
      taskTitle: r.title,
      data: JSON.parse(r.data) as Record<string, unknown>,
      createdAt: r.created_at,
      readAt: r.read_at,
    }));
  return { items, total, unread: countUnread(db, user) };
}

/** Marks one notice of the user as read; false when it is not theirs (or not in their scope). */
export function markNoticeRead(db: DB, user: Reader, id: number, now: Date): boolean {
  const owned = statement(db, 'SELECT 1 FROM notices WHERE id = ? AND user_id = ? AND scope = ?')
    .pluck()
    .get(id, user.id, noticeScope(user));
  if (!owned) return false;
  statement(db, 'UPDATE notices SET read_at = ? WHERE id = ? AND read_at IS NULL').run(now.toISOString(), id);
  return true;
}

export function markAllNoticesRead(db: DB, user: Reader, now: Date): number {
  return statement(db, 'UPDATE notices SET read_at = ? WHERE user_id = ? AND scope = ? AND read_at IS NULL').run(
    now.toISOString(),
    user.id,
    noticeScope(user),
  ).changes;
}

// ---- mail preferences ---------------------------------------------------------------------------------------

export const MAIL_MODES = ['now', 'digest', 'off'] as const;
export type MailMode = (typeof MAIL_MODES)[number];
export const MAIL_MODE_LABELS: Record<MailMode, string> = {
  now: 'Gửi ngay',
  digest: 'Tóm tắt hằng ngày (7 giờ sáng)',
  off: 'Tắt',
};
export const DEFAULT_MAIL_MODE: MailMode = 'digest';

export function isMailMode(s: unknown): s is MailMode {
  return typeof s === 'string' && (MAIL_MODES as readonly string[]).includes(s);
}

export function mailPrefs(db: DB, userId: number): Record<NoticeKind, MailMode> {
  const out = Object.fromEntries(NOTICE_KINDS.map((k) => [k, DEFAULT_MAIL_MODE])) as Record<NoticeKind, MailMode>;
  for (const r of statement(db, 'SELECT kind, mode FROM notice_prefs WHERE user_id = ?').all(userId) as Array<{
    kind: string;
    mode: MailMode;
  }>) {
    if (isNoticeKind(r.kind)) out[r.kind] = r.mode;
  }
  return out;
}

/** Stores the given preferences (the default is stored as no row); returns the kinds that changed. */
export function setMailPrefs(db: DB, userId: number, next: Partial<Record<NoticeKind, MailMode>>): NoticeKind[] {
  const current = mailPrefs(db, userId);
  const changed: NoticeKind[] = [];
  for (const [kind, mode] of Object.entries(next) as Array<[NoticeKind, MailMode]>) {
    if (current[kind] === mode) continue;
    changed.push(kind);
    if (mode === DEFAULT_MAIL_MODE)
      statement(db, 'DELETE FROM notice_prefs WHERE user_id = ? AND kind = ?').run(userId, kind);
    else
      statement(
        db,
        'INSERT INTO notice_prefs (user_id, kind, mode) VALUES (?, ?, ?) ON CONFLICT(user_id, kind) DO UPDATE SET mode = excluded.mode',
      ).run(userId, kind, mode);
  }
  return changed;
}
