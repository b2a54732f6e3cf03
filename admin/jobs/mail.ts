/**
 * The mail outbox. Changes queue their messages with queueMail inside their own transaction; the scheduler delivers
 * them with deliverMail through nodemailer (SMTP_URL), retrying with back-off, so a mail server that is down never
 * blocks or undoes a write. Without SMTP_URL nothing is sent and the messages wait in the outbox.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { DB } from '../db/open.ts';

export interface MailInput {
  to: string;
  subject: string;
  body: string;
  /** optional HTML part (sent beside the plain text; the plain text stays the reference) */
  html?: string;
  /** what caused it, e.g. "urge:NV-2026-00012:2026-11-23"; a second message with the same reason and address is dropped */
  reason: string;
}

const EMAIL_RE = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;
/** Attempts before a message is marked failed; the waits between them double from 2 minutes (2, 4, 8, 16 min). */
export const MAX_ATTEMPTS = 5;

/** Queues one message (idempotent per reason and address). Returns false when the address is unusable or already queued. */
export function queueMail(db: DB, m: MailInput): boolean {
  const to = m.to.trim();
  if (!EMAIL_RE.test(to) || to.length > 254) return false;
  const info = db
    .prepare('INSERT OR IGNORE INTO mail_outbox (to_address, subject, body, html, reason) VALUES (?, ?, ?, ?, ?)')
    .run(
      to,
      m.subject.replace(/[\r\n]+/g, ' ').slice(0, 300),
      m.body.slice(0, 20_000),
      m.html === undefined ? null : m.html.slice(0, 100_000),
      m.reason.slice(0, 200),
    );
  return info.changes === 1;
}

export interface DeliveryResult {
  sent: number;
  retried: number;
  failed: number;
}

/**
 * Sends the due pending messages (at most `limit`) one by one. Each outcome is written at once, so a crash in the
 * middle re-sends at most the message being sent.
 */
export async function deliverMail(
  db: DB,
  transport: Pick<Transporter, 'sendMail'>,
  options: { from: string; now?: Date; limit?: number },
): Promise<DeliveryResult> {
  const now = options.now ?? new Date();
  const due = db
    .prepare(
      "SELECT id, to_address, subject, body, html, attempts FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?",
    )
    .all(now.toISOString(), options.limit ?? 50) as Array<{
    id: number;
    to_address: string;
    subject: string;
    body: string;
    html: string | null;
    attempts: number;
  }>;
  const result: DeliveryResult = { sent: 0, retried: 0, failed: 0 };
  for (const m of due) {
    try {
      await transport.sendMail({
        from: options.from,
        to: m.to_address,
        subject: m.subject,
        text: m.body,
        ...(m.html !== null ? { html: m.html } : {}),
      });
      db.prepare(
        "UPDATE mail_outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL WHERE id = ?",
      ).run(now.toISOString(), m.id);
      result.sent++;
    } catch (err) {
      const attempts = m.attempts + 1;
      const message = String((err as Error).message ?? err).slice(0, 500);
      if (attempts >= MAX_ATTEMPTS) {
        db.prepare("UPDATE mail_outbox SET status = 'failed', attempts = ?, last_error = ? WHERE id = ?").run(
          attempts,
          message,
          m.id,
        );
        result.failed++;
      } else {
        const next = new Date(now.getTime() + 2 ** attempts * 60_000).toISOString();
        db.prepare('UPDATE mail_outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?').run(
          attempts,
          next,
          message,
          m.id,
        );
        result.retried++;
      }
    }
  }
  return result;
}

/** nodemailer transport from SMTP_URL (smtp:// or smtps://user:pass@host:port), or null when mail is not configured. */
export function transportFromUrl(url: string | undefined): Transporter | null {
  return url ? nodemailer.createTransport(url) : null;
}

/** Counts by status, for the log line of each delivery run and the settings page. */
export function outboxCounts(db: DB): Record<'pending' | 'sent' | 'failed', number> {
  const out = { pending: 0, sent: 0, failed: 0 };
  for (const r of db.prepare('SELECT status, count(*) AS n FROM mail_outbox GROUP BY status').all() as Array<{
    status: keyof typeof out;
    n: number;
  }>) {
    out[r.status] = r.n;
  }
  return out;
}
