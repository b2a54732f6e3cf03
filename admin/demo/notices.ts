/**
 * The demo's notices: the generator writes ten years of events directly, not through the actions that write
 * notices, so the bell would stay empty. After generating, the demo writes what a running server would have: a
 * "new task" notice for the tasks of the last two weeks not yet acknowledged, and one run of the daily notice job
 * (due within 3 working days, became overdue in the last 30 days, waiting too long). Both are idempotent, so a
 * rerun of the demo writes nothing twice.
 */
import type { DB } from '../db/open.ts';
import { addDays, type IsoDate } from '../domain/dates.ts';
import { noticeNewTask } from '../domain/notices.ts';
import { noticeWaitingDays } from '../domain/settings.ts';
import { taskResource } from '../domain/task-actions.ts';
import { runNoticeJob, type NoticeJobResult } from '../jobs/notice-job.ts';

export const DEMO_NEW_TASK_DAYS = 14;

export function seedDemoNotices(db: DB, today: IsoDate, now: Date): NoticeJobResult & { newTasks: number } {
  const recent = db
    .prepare(
      `SELECT id, lead_agency_id FROM tasks
        WHERE settled_on IS NULL AND received_on IS NULL AND cancelled_on IS NULL AND assigned_on >= ?`,
    )
    .all(addDays(today, -DEMO_NEW_TASK_DAYS)) as Array<{ id: number; lead_agency_id: number }>;
  const newTasks = db
    .transaction(() => recent.reduce((n, t) => n + noticeNewTask(db, { taskId: t.id, now }, taskResource(db, t)), 0))
    .immediate();
  const job = runNoticeJob(db, { today, now, waitingDays: noticeWaitingDays(db) });
  return { ...job, newTasks };
}
