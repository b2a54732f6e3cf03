/**
 * Quarterly urging of tasks without a deadline (DESIGN.md §1: "Tasks without a deadline are urged every 3 months").
 * Run daily by the scheduler: every open task without a deadline whose last urge — or, never urged, its assignment —
 * lies three months or more before today gets an `urged` event (through appendEvent, so the rules apply), an audit
 * row and a mail to each active user of its lead agency that has an address, all in one transaction per task.
 * Running it twice on a day changes nothing the second time.
 */
import type { DB } from '../db/open.ts';
import { writeAudit } from '../audit/audit.ts';
import { addMonths, formatDateVi, type IsoDate } from '../domain/dates.ts';
import { DomainError } from '../domain/rules.ts';
import { appendEvent } from '../domain/tasks.ts';
import { noticesForEvent } from '../domain/notices.ts';
import { taskResource } from '../domain/task-actions.ts';
import { queueMail } from './mail.ts';

export const URGE_INTERVAL_MONTHS = 3;
export const AUTO_URGE_NOTE = 'Đôn đốc định kỳ hằng quý đối với nhiệm vụ không thời hạn (tự động).';

export interface UrgingResult {
  urged: number;
  mails: number;
  skipped: Array<{ code: string; reason: string }>;
}

export function urgeUndatedTasks(db: DB, options: { today: IsoDate; now?: Date; origin?: string }): UrgingResult {
  const now = options.now ?? new Date();
  const threshold = addMonths(options.today, -URGE_INTERVAL_MONTHS);
  // open (unsettled), not cancelled, no deadline, assigned by today; the last urge comes from the event index
  const candidates = db
    .prepare(
      `SELECT t.id, t.code, t.title, t.lead_agency_id, t.assigned_on,
              (SELECT max(e.occurred_on) FROM task_events e WHERE e.task_id = t.id AND e.kind = 'urged') AS last_urged
         FROM tasks t
        WHERE t.settled_on IS NULL AND t.deadline IS NULL AND t.cancelled_on IS NULL AND t.confirmed_on IS NULL
          AND t.assigned_on <= ?
        ORDER BY t.id`,
    )
    .all(options.today) as Array<{
    id: number;
    code: string;
    title: string;
    lead_agency_id: number;
    assigned_on: string;
    last_urged: string | null;
  }>;
  const recipients = db.prepare(
    "SELECT email FROM users WHERE agency_id = ? AND disabled = 0 AND email IS NOT NULL AND email != ''",
  );
  const result: UrgingResult = { urged: 0, mails: 0, skipped: [] };
  for (const t of candidates) {
    const since = t.last_urged ?? t.assigned_on;
    if (since > threshold) continue;
    try {
      db.transaction(() => {
        const eventId = appendEvent(db, t.id, {
          kind: 'urged',
          occurredOn: options.today,
          note: AUTO_URGE_NOTE,
          actorUserId: null,
        });
        // the in-app notice; its mail is the urge letter below
        noticesForEvent(
          db,
          { taskId: t.id, eventId, kind: 'urged', note: AUTO_URGE_NOTE, now, noMail: true },
          taskResource(db, { id: t.id, lead_agency_id: t.lead_agency_id }),
        );
        writeAudit(db, {
          at: now,
          actor: 'system',
          action: 'task.urged',
          targetType: 'task',
          targetId: t.code,
          details: { automatic: true, eventId, since },
        });
        for (const r of recipients.all(t.lead_agency_id) as Array<{ email: string }>) {
          const queued = queueMail(db, {
            to: r.email,
            reason: `urge:${t.code}:${options.today}`,
            subject: `[Đôn đốc] Nhiệm vụ ${t.code} chưa có kết quả`,
            body:
              `Văn phòng UBND tỉnh đôn đốc đơn vị thực hiện nhiệm vụ ${t.code}: ${t.title}\n\n` +
              `Nhiệm vụ được giao ngày ${formatDateVi(t.assigned_on)}, không có thời hạn; theo quy định, nhiệm vụ không thời hạn ` +
              `được đôn đốc định kỳ 3 tháng một lần. Đề nghị đơn vị cập nhật tiến độ hoặc báo cáo kết quả trên hệ thống.\n` +
              (options.origin ? `\n${options.origin}/admin/tasks/${t.code}\n` : ''),
          });
          if (queued) result.mails++;
        }
      }).immediate();
      result.urged++;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      result.skipped.push({ code: t.code, reason: err.message });
    }
  }
  return result;
}
