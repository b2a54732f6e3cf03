/**
 * Notices by mail, through the outbox (mail.ts), by each user's preference per kind (notices-read.ts mailPrefs):
 * - 'now': queueNoticeMails (every minute) queues one mail per notice, reason "notice:<id>";
 * - 'digest' (the default): queueDigests (07:00) queues ONE mail per user holding exactly the notices not yet mailed,
 *   reason "digest:<day>:<user>:<last id>";
 * - 'off': the notice is marked skipped.
 * Who may receive is checked again here: an active user, still in the scope the notice was written for, who may
 * still read the task. Each notice leaves 'pending' in the same transaction as its mail is queued, so a rerun (or
 * two runs at once) queues nothing twice.
 */
import type { DB } from '../db/open.ts';
import { statement } from '../db/statements.ts';
import { can } from '../auth/permissions.ts';
import { formatDateVi, type IsoDate } from '../domain/dates.ts';
import { taskResource } from '../domain/task-actions.ts';
import { noticeScope, principalOf, type NoticeKind, type Recipient } from '../domain/notices.ts';
import { mailPrefs } from '../domain/notices-read.ts';
import { noticeDetail, noticeTitle } from '../domain/notices-text.ts';
import { escapeHtml } from '../views/html.ts';
import { queueMail } from './mail.ts';

const SUBJECT_PREFIX = '[Theo dõi nhiệm vụ]';

interface PendingNotice {
  id: number;
  user_id: number;
  scope: string;
  kind: NoticeKind;
  data: string;
  task_id: number;
  code: string;
  title: string;
  lead_agency_id: number;
}

const PENDING_COLUMNS = `n.id, n.user_id, n.scope, n.kind, n.data, t.id AS task_id, t.code, t.title, t.lead_agency_id`;

type MailUser = Recipient & { email: string | null; displayName: string };

function userForMail(db: DB, id: number): MailUser | undefined {
  return statement(
    db,
    'SELECT id, username, COALESCE(unit_role, role) AS role, agency_id AS agencyId, email, display_name AS displayName FROM users WHERE id = ? AND disabled = 0',
  ).get(id) as MailUser | undefined;
}

/** May this user still receive this notice (active, same scope, may read the task)? */
function stillFor(db: DB, user: MailUser | undefined, n: PendingNotice): user is MailUser {
  return (
    user !== undefined &&
    noticeScope(user) === n.scope &&
    can(principalOf(user), 'task.read', taskResource(db, { id: n.task_id, lead_agency_id: n.lead_agency_id }))
  );
}

const taskUrl = (origin: string, code: string) => `${origin}/admin/tasks/${encodeURIComponent(code)}`;

function line(n: PendingNotice, origin: string): { text: string; html: string } {
  const detail = noticeDetail(n.kind, JSON.parse(n.data) as Record<string, unknown>);
  const url = taskUrl(origin, n.code);
  return {
    text: `- ${noticeTitle(n.kind)}: ${n.code} — ${n.title}${detail ? `\n  ${detail}` : ''}\n  ${url}`,
    html:
      `<li><strong>${escapeHtml(noticeTitle(n.kind))}</strong>: <a href="${escapeHtml(url)}">${escapeHtml(n.code)}</a> — ` +
      `${escapeHtml(n.title)}${detail ? `<br>${escapeHtml(detail)}` : ''}</li>`,
  };
}

const FOOTER_TEXT =
  '\n\nThư này được gửi tự động từ hệ thống Theo dõi nhiệm vụ UBND tỉnh giao. Bạn có thể chọn cách nhận thư ' +
  '(gửi ngay, tóm tắt hằng ngày hoặc tắt) cho từng loại thông báo tại trang Tài khoản.';
const footerHtml = (origin: string) =>
  `<p style="color:#555">Thư này được gửi tự động từ hệ thống Theo dõi nhiệm vụ UBND tỉnh giao. Bạn có thể chọn cách nhận thư cho từng loại thông báo tại <a href="${escapeHtml(`${origin}/admin/account/password`)}">trang Tài khoản</a>.</p>`;

function wrapHtml(title: string, body: string, origin: string): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}${footerHtml(origin)}</body></html>`;
}

/** Queues one mail for each pending notice whose kind the user wants at once. Returns the mails queued. */
export function queueNoticeMails(db: DB, options: { origin: string; limit?: number }): number {
  const rows = statement(
    db,
    `SELECT ${PENDING_COLUMNS} FROM notices n
       JOIN notice_prefs p ON p.user_id = n.user_id AND p.kind = n.kind AND p.mode = 'now'
       JOIN tasks t ON t.id = n.task_id
      WHERE n.mail_state = 'pending' ORDER BY n.id LIMIT ?`,
  ).all(options.limit ?? 500) as PendingNotice[];
  const setState = statement(db, "UPDATE notices SET mail_state = ? WHERE id = ? AND mail_state = 'pending'");
  let queued = 0;
  db.transaction(() => {
    for (const n of rows) {
      const user = userForMail(db, n.user_id);
      let ok = false;
      if (stillFor(db, user, n) && user.email) {
        const l = line(n, options.origin);
        const subject = `${SUBJECT_PREFIX} ${noticeTitle(n.kind)}: ${n.code}`;
        ok = queueMail(db, {
          to: user.email,
          subject,
          body: `Kính gửi ${user.displayName},\n\n${l.text}${FOOTER_TEXT}\n`,
          html: wrapHtml(subject, `<p>Kính gửi ${escapeHtml(user.displayName)},</p><ul>${l.html}</ul>`, options.origin),
          reason: `notice:${n.id}`,
        });
      }
      if (setState.run(ok ? 'queued' : 'skipped', n.id).changes === 1 && ok) queued++;
    }
  }).immediate();
  return queued;
}

export interface DigestResult {
  mails: number;
  notices: number;
  skipped: number;
}

/**
 * The 07:00 digest: for each user with pending notices, one mail with every pending notice whose kind is set to
 * the digest (or to "now" and not sent yet); 'off' kinds and notices the user may no longer see are skipped.
 */
export function queueDigests(db: DB, options: { origin: string; today: IsoDate }): DigestResult {
  const result: DigestResult = { mails: 0, notices: 0, skipped: 0 };
  const users = statement(db, "SELECT DISTINCT user_id FROM notices WHERE mail_state = 'pending'")
    .pluck()
    .all() as number[];
  const pendingOf = statement(
    db,
    `SELECT ${PENDING_COLUMNS} FROM notices n JOIN tasks t ON t.id = n.task_id
      WHERE n.user_id = ? AND n.mail_state = 'pending' ORDER BY n.id`,
  );
  const setState = statement(db, "UPDATE notices SET mail_state = ? WHERE id = ? AND mail_state = 'pending'");
  for (const userId of users) {
    db.transaction(() => {
      const user = userForMail(db, userId);
      const prefs = mailPrefs(db, userId);
      const include: PendingNotice[] = [];
      const skip: PendingNotice[] = [];
      for (const n of pendingOf.all(userId) as PendingNotice[]) {
        if (prefs[n.kind] !== 'off' && stillFor(db, user, n) && user.email) include.push(n);
        else skip.push(n);
      }
      let ok = false;
      if (include.length > 0 && user?.email) {
        const lines = include.map((n) => line(n, options.origin));
        const subject = `${SUBJECT_PREFIX} Tóm tắt thông báo ngày ${formatDateVi(options.today)} (${include.length} thông báo)`;
        ok = queueMail(db, {
          to: user.email,
          subject,
          body:
            `Kính gửi ${user.displayName},\n\nCác thông báo mới của bạn trên hệ thống Theo dõi nhiệm vụ UBND tỉnh giao:\n\n` +
            `${lines.map((l) => l.text).join('\n\n')}\n\nXem tất cả: ${options.origin}/admin/thong-bao${FOOTER_TEXT}\n`,
          html: wrapHtml(
            subject,
            `<p>Kính gửi ${escapeHtml(user.displayName)},</p><p>Các thông báo mới của bạn trên hệ thống Theo dõi nhiệm vụ UBND tỉnh giao:</p>` +
              `<ul>${lines.map((l) => l.html).join('')}</ul><p><a href="${escapeHtml(`${options.origin}/admin/thong-bao`)}">Xem tất cả thông báo</a></p>`,
            options.origin,
          ),
          reason: `digest:${options.today}:${userId}:${include.at(-1)!.id}`,
        });
      }
      for (const n of include) setState.run(ok ? 'queued' : 'skipped', n.id);
      for (const n of skip) setState.run('skipped', n.id);
      if (ok) {
        result.mails++;
        result.notices += include.length;
      }
      result.skipped += skip.length + (ok ? 0 : include.length);
    }).immediate();
  }
  return result;
}
