/**
 * The server's own background jobs (DESIGN.md §4 "scheduler"), on croner in Asia/Ho_Chi_Minh; each job is protected
 * against overlapping itself and records its last run in job_runs:
 * - 07:00 daily: quarterly urging of tasks without a deadline (urging.ts);
 * - every minute: mail delivery from the outbox, when SMTP_URL is set (mail.ts);
 * - 02:30 daily: online backup of the database into BACKUP_DIR, keeping BACKUP_KEEP copies (backup.ts);
 * - 06:30 daily: notices "due within 3 working days", "became overdue", "waiting too long" (notice-job.ts), so they
 *   are in the 07:00 digest; 07:00 daily: the notice digest mails; every minute: notice mails wanted at once
 *   (notice-mail.ts; queued in the outbox even without SMTP_URL, like every other mail).
 * Scheduled site rebuilds are in site-rebuild.ts (their schedule is a setting).
 */
import { Cron } from 'croner';
import type { DB } from '../db/open.ts';
import type { Env } from '../env.ts';
import { TIME_ZONE, today } from '../domain/dates.ts';
import { urgeUndatedTasks } from './urging.ts';
import { deliverMail, outboxCounts, transportFromUrl } from './mail.ts';
import { backupDatabase } from './backup.ts';
import { runNoticeJob } from './notice-job.ts';
import { queueDigests, queueNoticeMails } from './notice-mail.ts';
import { noticeWaitingDays } from '../domain/settings.ts';

export const JOB_SCHEDULES = {
  urging: '0 7 * * *',
  mail: '* * * * *',
  backup: '30 2 * * *',
  notices: '30 6 * * *',
  noticeDigest: '0 7 * * *',
  noticeMail: '* * * * *',
} as const;

export function recordJobRun(db: DB, job: string, at: Date, result: string): void {
  db.prepare(
    'INSERT INTO job_runs (job, last_run_at, last_result) VALUES (?, ?, ?) ON CONFLICT(job) DO UPDATE SET last_run_at = excluded.last_run_at, last_result = excluded.last_result',
  ).run(job, at.toISOString(), result.slice(0, 500));
}

export interface Jobs {
  stop(): void;
}

export function startJobs(options: { db: DB; env: Env; log?: (msg: string) => void; clock?: () => Date }): Jobs {
  const { db, env } = options;
  const log = options.log ?? ((m: string) => console.log(m));
  const clock = options.clock ?? (() => new Date());
  const cronOptions = { timezone: TIME_ZONE, protect: true };
  const run = (job: string, fn: () => Promise<string> | string) => async () => {
    const at = clock();
    try {
      const result = await fn();
      recordJobRun(db, job, at, result);
      if (result) log(result);
    } catch (err) {
      const msg = `Tác vụ ${job} lỗi: ${(err as Error).message}`;
      recordJobRun(db, job, at, msg);
      log(msg);
    }
  };
  const jobs: Cron[] = [
    new Cron(
      JOB_SCHEDULES.urging,
      cronOptions,
      run('urging', () => {
        const r = urgeUndatedTasks(db, { today: today(clock()), now: clock(), origin: env.origin });
        return `Đôn đốc định kỳ: ${r.urged} nhiệm vụ không thời hạn, ${r.mails} thư chờ gửi${r.skipped.length ? `, ${r.skipped.length} bỏ qua` : ''}.`;
      }),
    ),
    new Cron(
      JOB_SCHEDULES.notices,
      cronOptions,
      run('notices', () => {
        const r = runNoticeJob(db, {
          today: today(clock()),
          now: clock(),
          waitingDays: noticeWaitingDays(db),
        });
        return `Thông báo hằng ngày: ${r.dueSoon} sắp đến hạn, ${r.overdue} quá hạn, ${r.waiting} chờ xử lý lâu (${r.tasks} nhiệm vụ đang mở).`;
      }),
    ),
    new Cron(
      JOB_SCHEDULES.noticeDigest,
      cronOptions,
      run('notice-digest', () => {
        const r = queueDigests(db, { origin: env.origin, today: today(clock()) });
        return `Thư tóm tắt thông báo: ${r.mails} thư (${r.notices} thông báo), ${r.skipped} không gửi.`;
      }),
    ),
    new Cron(
      JOB_SCHEDULES.noticeMail,
      cronOptions,
      run('notice-mail', () => {
        const n = queueNoticeMails(db, { origin: env.origin });
        return n === 0 ? '' : `Thông báo gửi ngay: ${n} thư chờ gửi.`;
      }),
    ),
  ];
  const transport = transportFromUrl(env.smtpUrl ?? undefined);
  if (transport) {
    jobs.push(
      new Cron(
        JOB_SCHEDULES.mail,
        cronOptions,
        run('mail', async () => {
          const r = await deliverMail(db, transport, { from: env.mailFrom, now: clock() });
          return r.sent + r.retried + r.failed === 0
            ? ''
            : `Gửi thư: ${r.sent} đã gửi, ${r.retried} sẽ thử lại, ${r.failed} thất bại.`;
        }),
      ),
    );
  } else {
    const pending = outboxCounts(db).pending;
    if (pending > 0) log(`Chưa cấu hình SMTP_URL: ${pending} thư đang chờ trong hộp thư đi.`);
  }
  if (env.backupDir) {
    const dir = env.backupDir;
    jobs.push(
      new Cron(
        JOB_SCHEDULES.backup,
        cronOptions,
        run('backup', async () => {
          const r = await backupDatabase(db, dir, { now: clock(), keep: env.backupKeep });
          return `Sao lưu cơ sở dữ liệu: ${r.path} (${Math.round(r.bytes / 1024 / 1024)} MB), xóa ${r.removed.length} bản cũ.`;
        }),
      ),
    );
  }
  return { stop: () => jobs.forEach((j) => j.stop()) };
}
