import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import Database from 'better-sqlite3';
import { openDatabase, type DB } from '../db/open.ts';
import { appendEvent, createTask, getTaskByCode, listEvents } from '../domain/tasks.ts';
import { AUTO_URGE_NOTE, urgeUndatedTasks } from './urging.ts';
import { deliverMail, MAX_ATTEMPTS, outboxCounts, queueMail } from './mail.ts';
import { backupDatabase, listBackups } from './backup.ts';
import { recordJobRun } from './scheduler.ts';

function setup(): { db: DB; agency: number; other: number } {
  const db = openDatabase(':memory:');
  const ins = db.prepare('INSERT INTO agencies (code, name, kind) VALUES (?, ?, ?)');
  const agency = Number(ins.run('STC', 'Sở Tài chính', 'department').lastInsertRowid);
  const other = Number(ins.run('SYT', 'Sở Y tế', 'department').lastInsertRowid);
  const user = db.prepare(
    "INSERT INTO users (username, display_name, email, role, agency_id, password_hash) VALUES (?, ?, ?, 'agency', ?, 'x')",
  );
  user.run('stc1', 'Cán bộ STC', 'stc1@stc.example.vn', agency);
  user.run('stc2', 'Cán bộ STC 2', null, agency);
  user.run('syt1', 'Cán bộ SYT', 'syt1@syt.example.vn', other);
  return { db, agency, other };
}

function task(db: DB, agency: number, assignedOn: string, deadline: string | null, code: string): number {
  return createTask(db, {
    code,
    title: `Nhiệm vụ ${code}`,
    leadAgencyId: agency,
    assignedOn,
    deadline,
    noDeadlineReason: deadline === null ? 'Nhiệm vụ thường xuyên' : null,
  });
}

const urgedDates = (db: DB, code: string) =>
  listEvents(db, getTaskByCode(db, code)!.id)
    .filter((e) => e.kind === 'urged')
    .map((e) => e.occurred_on);

describe('quarterly urging of tasks without a deadline', () => {
  const TODAY = '2026-11-23';
  it.each([
    // [case, assigned, deadline, history, urged?]
    ['no deadline, assigned 4 months ago, never urged', '2026-07-20', null, [], true],
    ['no deadline, assigned exactly 3 months ago', '2026-08-23', null, [], true],
    ['no deadline, assigned 3 months less a day ago', '2026-08-24', null, [], false],
    ['no deadline, urged 2 months ago', '2026-01-05', null, [['urged', '2026-09-23']], false],
    ['no deadline, urged 3 months ago', '2026-01-05', null, [['urged', '2026-08-20']], true],
    ['with a deadline, long overdue', '2026-01-05', '2026-02-01', [], false],
    [
      'no deadline, completed',
      '2026-01-05',
      null,
      [
        ['reported', '2026-03-01'],
        ['confirmed', '2026-03-05'],
      ],
      false,
    ],
    ['no deadline, cancelled', '2026-01-05', null, [['cancelled', '2026-03-01']], false],
    ['no deadline, report pending (still open)', '2026-01-05', null, [['reported', '2026-03-01']], true],
    ['no deadline, assigned in the future', '2026-12-01', null, [], false],
  ] as const)('%s', (_name, assigned, deadline, history, expected) => {
    const { db, agency } = setup();
    const id = task(db, agency, assigned, deadline, 'NV-2026-00001');
    for (const [kind, on] of history) appendEvent(db, id, { kind, occurredOn: on, note: 'lý do' });
    const before = urgedDates(db, 'NV-2026-00001');
    const r = urgeUndatedTasks(db, { today: TODAY, now: new Date('2026-11-23T00:00:00Z') });
    expect(r.urged).toBe(expected ? 1 : 0);
    const after = urgedDates(db, 'NV-2026-00001');
    expect(after).toEqual(expected ? [...before, TODAY] : before);
  });

  it('writes the event, the audit row and one mail per agency user with an address, once per day', () => {
    const { db, agency, other } = setup();
    task(db, agency, '2026-01-05', null, 'NV-2026-00001');
    task(db, other, '2026-01-05', null, 'NV-2026-00002');
    task(db, other, '2026-11-01', null, 'NV-2026-00003');
    const first = urgeUndatedTasks(db, { today: '2026-11-23', origin: 'https://nhiemvu.example.vn' });
    expect(first).toEqual({ urged: 2, mails: 2, skipped: [] });
    const ev = listEvents(db, getTaskByCode(db, 'NV-2026-00001')!.id).find((e) => e.kind === 'urged')!;
    expect(ev.note).toBe(AUTO_URGE_NOTE);
    expect(ev.public).toBe(0);
    const audits = db
      .prepare("SELECT target_id, actor_kind FROM audit_log WHERE action = 'task.urged' ORDER BY target_id")
      .all();
    expect(audits).toEqual([
      { target_id: 'NV-2026-00001', actor_kind: 'system' },
      { target_id: 'NV-2026-00002', actor_kind: 'system' },
    ]);
    const mails = db.prepare('SELECT to_address, subject, body FROM mail_outbox ORDER BY to_address').all() as Array<{
      to_address: string;
      subject: string;
      body: string;
    }>;
    expect(mails.map((m) => m.to_address)).toEqual(['stc1@stc.example.vn', 'syt1@syt.example.vn']);
    expect(mails[0]!.subject).toContain('NV-2026-00001');
    expect(mails[0]!.body).toContain('https://nhiemvu.example.vn/admin/tasks/NV-2026-00001');
    // the same day again: nothing new
    expect(urgeUndatedTasks(db, { today: '2026-11-23' })).toEqual({ urged: 0, mails: 0, skipped: [] });
    expect(outboxCounts(db).pending).toBe(2);
  });

  it('a task whose newest event is dated after today is skipped with the rule, not half-written', () => {
    const { db, agency } = setup();
    const id = task(db, agency, '2026-01-05', null, 'NV-2026-00001');
    appendEvent(db, id, { kind: 'progress', occurredOn: '2026-11-30', note: 'ghi trước' });
    const r = urgeUndatedTasks(db, { today: '2026-11-23' });
    expect(r.urged).toBe(0);
    expect(r.skipped).toHaveLength(1);
    expect(r.skipped[0]!.code).toBe('NV-2026-00001');
    expect(db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'task.urged'").get()).toEqual({ n: 0 });
    expect(outboxCounts(db).pending).toBe(0);
  });
});

describe('mail outbox', () => {
  it('refuses unusable addresses and queues a reason once per address', () => {
    const { db } = setup();
    for (const bad of ['', 'khong-phai-email', 'a@b', 'x@y.vn\r\nBcc: z@w.vn', 'a b@c.vn']) {
      expect(queueMail(db, { to: bad, subject: 's', body: 'b', reason: 'r' }), bad).toBe(false);
    }
    expect(queueMail(db, { to: 'a@b.vn', subject: 'Tiêu đề\r\nBcc: x@y.vn', body: 'b', reason: 'r1' })).toBe(true);
    expect(queueMail(db, { to: 'a@b.vn', subject: 's', body: 'b', reason: 'r1' })).toBe(false);
    expect(db.prepare('SELECT subject FROM mail_outbox').get()).toEqual({ subject: 'Tiêu đề Bcc: x@y.vn' });
  });

  it('delivers through nodemailer and marks each message sent', async () => {
    const { db } = setup();
    queueMail(db, { to: 'a@b.vn', subject: 'Đôn đốc nhiệm vụ', body: 'Nội dung tiếng Việt', reason: 'r1' });
    queueMail(db, { to: 'c@d.vn', subject: 'Đôn đốc', body: 'x', reason: 'r1' });
    const transport = nodemailer.createTransport({ jsonTransport: true });
    const sent: string[] = [];
    const spy = {
      sendMail: async (m: Parameters<typeof transport.sendMail>[0]) => {
        const info = await transport.sendMail(m);
        sent.push(String((info as unknown as { message: string }).message));
        return info;
      },
    };
    const r = await deliverMail(db, spy, { from: 'VP UBND <vp@tinh.vn>', now: new Date(Date.now() + 60_000) });
    expect(r).toEqual({ sent: 2, retried: 0, failed: 0 });
    expect(JSON.parse(sent[0]!)).toMatchObject({ subject: 'Đôn đốc nhiệm vụ', text: 'Nội dung tiếng Việt' });
    expect(outboxCounts(db)).toEqual({ pending: 0, sent: 2, failed: 0 });
    // nothing left to send
    expect(await deliverMail(db, spy, { from: 'x@y.vn', now: new Date(Date.now() + 60_000) })).toEqual({
      sent: 0,
      retried: 0,
      failed: 0,
    });
  });

  it('retries with doubling waits, then marks the message failed', async () => {
    const { db } = setup();
    queueMail(db, { to: 'a@b.vn', subject: 's', body: 'b', reason: 'r1' });
    const down = {
      sendMail: async () => {
        throw new Error('ECONNREFUSED 10.0.0.1:587');
      },
    };
    // messages are due from the moment they are queued (real clock); the test moves forward from there
    let now = new Date(Date.now() + 60_000);
    const waits: number[] = [];
    for (let i = 1; i <= MAX_ATTEMPTS; i++) {
      const r = await deliverMail(db, down, { from: 'x@y.vn', now });
      expect(r.sent).toBe(0);
      const row = db.prepare('SELECT status, attempts, next_attempt_at, last_error FROM mail_outbox').get() as {
        status: string;
        attempts: number;
        next_attempt_at: string;
        last_error: string;
      };
      expect(row.attempts).toBe(i);
      expect(row.last_error).toContain('ECONNREFUSED');
      if (i < MAX_ATTEMPTS) {
        expect(row.status).toBe('pending');
        // not due before its wait
        expect(await deliverMail(db, down, { from: 'x@y.vn', now: new Date(now.getTime() + 1000) })).toEqual({
          sent: 0,
          retried: 0,
          failed: 0,
        });
        const next = new Date(row.next_attempt_at);
        waits.push((next.getTime() - now.getTime()) / 60_000);
        now = next;
      } else {
        expect(row.status).toBe('failed');
      }
    }
    expect(waits).toEqual([2, 4, 8, 16]);
  });
});

describe('online backup', () => {
  it('copies a consistent database while it is open, checks it and keeps the newest N', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backup-test-'));
    try {
      const dbPath = join(dir, 'app.db');
      const db = openDatabase(dbPath);
      const agency = Number(
        db.prepare("INSERT INTO agencies (code, name, kind) VALUES ('STC', 'Sở Tài chính', 'department')").run()
          .lastInsertRowid,
      );
      for (let i = 1; i <= 30; i++)
        task(db, agency, '2026-01-05', '2026-02-01', `NV-2026-${String(i).padStart(5, '0')}`);
      const out = join(dir, 'backups');
      const stamps = ['2026-11-20T19:30:00Z', '2026-11-21T19:30:00Z', '2026-11-22T19:30:00Z', '2026-11-23T19:30:00Z'];
      const results = [];
      for (const s of stamps) results.push(await backupDatabase(db, out, { now: new Date(s), keep: 3 }));
      expect(listBackups(out)).toEqual(['app-20261123-193000.db', 'app-20261122-193000.db', 'app-20261121-193000.db']);
      expect(results[3]!.removed).toEqual(['app-20261120-193000.db']);
      expect(readdirSync(out).some((f) => f.endsWith('.partial'))).toBe(false);
      const copy = new Database(results[3]!.path, { readonly: true });
      expect(copy.prepare('SELECT count(*) AS n FROM tasks').get()).toEqual({ n: 30 });
      expect(copy.prepare('SELECT count(*) AS n FROM task_events').get()).toEqual({ n: 30 });
      expect(copy.pragma('user_version', { simple: true })).toBe(db.pragma('user_version', { simple: true }));
      copy.close();
      recordJobRun(db, 'backup', new Date('2026-11-23T19:30:00Z'), 'ok');
      recordJobRun(db, 'backup', new Date('2026-11-24T19:30:00Z'), 'ok 2');
      expect(db.prepare('SELECT job, last_run_at, last_result FROM job_runs').all()).toEqual([
        { job: 'backup', last_run_at: '2026-11-24T19:30:00.000Z', last_result: 'ok 2' },
      ]);
      db.close();
      // an unwritable destination fails cleanly, leaving no partial file
      await expect(backupDatabase(openDatabase(dbPath), join(dbPath, 'not-a-dir'))).rejects.toThrow();
      expect(existsSync(join(dbPath, 'not-a-dir'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
