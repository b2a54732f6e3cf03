/**
 * Notice mails through a REAL SMTP server started here (smtp-server on a random port, messages parsed with
 * mailparser), sent by deliverMail over a real nodemailer transport (transportFromUrl): the digest holds exactly
 * the day's notices not yet mailed, with plain text and HTML and links on the configured origin; a server that
 * refuses mail leaves the outbox retrying and the change committed; nobody who may not see the task gets mail.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Principal } from '../auth/permissions.ts';
import { recordTaskAction } from '../domain/task-actions.ts';
import { setMailPrefs } from '../domain/notices-read.ts';
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../test/support/admin-app.ts';
import { deliverMail, transportFromUrl } from './mail.ts';
import { queueDigests, queueNoticeMails } from './notice-mail.ts';

interface Smtp {
  url: string;
  received: ParsedMail[];
  close(): Promise<void>;
}

const servers: Smtp[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function startSmtp(options: { refuse?: boolean } = {}): Promise<Smtp> {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, cb) {
      if (options.refuse) {
        const err = new Error('Hộp thư tạm thời không nhận thư') as Error & { responseCode: number };
        err.responseCode = 451;
        return cb(err);
      }
      cb();
    },
    onData(stream, _session, cb) {
      simpleParser(stream)
        .then((m) => {
          received.push(m);
          cb();
        })
        .catch(cb);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const smtp = {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  servers.push(smtp);
  return smtp;
}

type Who = keyof TestApp['users'];
const principal = (t: TestApp, who: Who): Principal => {
  const u = t.users[who];
  return { kind: 'user', id: u.id, name: u.username, role: u.role, agencyId: u.agencyId };
};
const act = (t: TestApp, who: Who, code: string, input: Parameters<typeof recordTaskAction>[3]) =>
  recordTaskAction({ db: t.db, env: t.env, now: t.clock.now }, principal(t, who), code, input);

function withMail(): TestApp {
  const t = makeTestApp();
  for (const [who, u] of Object.entries(t.users)) {
    t.db.prepare('UPDATE users SET email = ? WHERE id = ?').run(`${who}@stc.example.vn`, u.id);
  }
  return t;
}

const send = (t: TestApp, smtp: Smtp) =>
  deliverMail(t.db, transportFromUrl(smtp.url)!, { from: 'he-thong@vpubnd.example.vn', now: new Date() });

const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address;

describe('notice mails over SMTP', () => {
  it('the digest holds exactly the day’s notices not yet mailed, as text and HTML with links on the origin', async () => {
    const smtp = await startSmtp();
    const t = withMail();
    // day 1: one urge
    act(t, 'specialist', t.tasks.own, { kind: 'urge', note: 'Đôn đốc lần 1.' });
    expect(queueDigests(t.db, { origin: t.env.origin, today: '2026-03-02' }).mails).toBeGreaterThan(0);
    expect((await send(t, smtp)).sent).toBeGreaterThan(0);
    const day1 = smtp.received.filter((m) => to(m) === 'agency@stc.example.vn');
    expect(day1).toHaveLength(1);
    expect(day1[0]!.text).toContain('Đôn đốc lần 1.');
    // day 2: a second urge and an extension decision; the first urge is not mailed again
    t.clock.now = new Date('2026-03-03T02:00:00Z');
    act(t, 'specialist', t.tasks.own, { kind: 'urge', note: 'Đôn đốc lần 2.' });
    act(t, 'agency', t.tasks.own, { kind: 'request_extension', newDeadline: '2026-08-31', note: 'Chờ số liệu.' });
    act(t, 'confirmer', t.tasks.own, { kind: 'approve_extension', newDeadline: '2026-08-15' });
    expect(queueDigests(t.db, { origin: t.env.origin, today: '2026-03-03' }).mails).toBeGreaterThan(0);
    // a second run the same day queues nothing
    expect(queueDigests(t.db, { origin: t.env.origin, today: '2026-03-03' }).mails).toBe(0);
    await send(t, smtp);
    const day2 = smtp.received.filter((m) => to(m) === 'agency@stc.example.vn').slice(1);
    expect(day2).toHaveLength(1);
    const m = day2[0]!;
    expect(m.subject).toBe('[Theo dõi nhiệm vụ] Tóm tắt thông báo ngày 03/03/2026 (2 thông báo)');
    expect(m.text).toContain('Đôn đốc lần 2.');
    expect(m.text).toContain('Thời hạn mới: 15/08/2026.');
    expect(m.text).not.toContain('Đôn đốc lần 1.');
    expect(m.text).toContain(`${TEST_ORIGIN}/admin/tasks/${t.tasks.own}`);
    expect(m.html).toContain(`<a href="${TEST_ORIGIN}/admin/tasks/${t.tasks.own}">`);
    expect(m.html).toContain('Được đồng ý gia hạn');
    // the working group got the extension request in its own digest
    const group = smtp.received.filter((x) => to(x) === 'confirmer@stc.example.vn');
    expect(group.map((x) => x.text).join('\n')).toContain('Đề nghị gia hạn đến 31/08/2026.');
  });

  it('"now" sends one mail per notice at once; "off" sends none, not even in the digest', async () => {
    const smtp = await startSmtp();
    const t = withMail();
    setMailPrefs(t.db, t.users.agency.id, { urged: 'now', extension_approved: 'off' });
    act(t, 'specialist', t.tasks.own, { kind: 'urge', note: 'Khẩn.' });
    act(t, 'agency', t.tasks.own, { kind: 'request_extension', newDeadline: '2026-08-31', note: 'Chờ số liệu.' });
    act(t, 'confirmer', t.tasks.own, { kind: 'approve_extension', newDeadline: '2026-08-15' });
    expect(queueNoticeMails(t.db, { origin: t.env.origin })).toBe(1);
    expect(queueNoticeMails(t.db, { origin: t.env.origin })).toBe(0);
    await send(t, smtp);
    const mine = () => smtp.received.filter((m) => to(m) === 'agency@stc.example.vn');
    expect(mine().map((m) => m.subject)).toEqual([`[Theo dõi nhiệm vụ] Văn phòng đôn đốc: ${t.tasks.own}`]);
    queueDigests(t.db, { origin: t.env.origin, today: '2026-03-02' });
    await send(t, smtp);
    expect(mine()).toHaveLength(1);
  });

  it('a server that refuses mail leaves the outbox retrying and the change committed', async () => {
    const smtp = await startSmtp({ refuse: true });
    const t = withMail();
    act(t, 'specialist', t.tasks.own, { kind: 'urge', note: 'Đôn đốc.' });
    queueDigests(t.db, { origin: t.env.origin, today: '2026-03-02' });
    const r = await send(t, smtp);
    expect(r.sent).toBe(0);
    expect(r.retried).toBeGreaterThan(0);
    expect(smtp.received).toEqual([]);
    const row = t.db
      .prepare("SELECT status, attempts, last_error FROM mail_outbox WHERE to_address = 'agency@stc.example.vn'")
      .get() as { status: string; attempts: number; last_error: string };
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(1);
    expect(row.last_error).toMatch(/451/);
    // the urge and its notice stay recorded
    expect(t.db.prepare("SELECT count(*) FROM task_events WHERE kind = 'urged'").pluck().get()).toBe(1);
    expect(
      t.db.prepare("SELECT count(*) FROM notices WHERE kind = 'urged' AND user_id = ?").pluck().get(t.users.agency.id),
    ).toBe(1);
  });

  it('no mail to someone who may not see the task: another unit, a user disabled or moved before the digest', async () => {
    const smtp = await startSmtp();
    const t = withMail();
    act(t, 'specialist', t.tasks.other, { kind: 'urge', note: 'Việc của đơn vị C.' });
    act(t, 'specialist', t.tasks.own, { kind: 'urge', note: 'Việc của đơn vị A.' });
    // after the notices were written: the head is disabled, the focal point moves to unit C
    t.db.prepare('UPDATE users SET disabled = 1 WHERE id = ?').run(t.users.head.id);
    t.db.prepare('UPDATE users SET agency_id = ? WHERE id = ?').run(t.agencies.c, t.users.agency.id);
    queueDigests(t.db, { origin: t.env.origin, today: '2026-03-02' });
    await send(t, smtp);
    const recipients = smtp.received.map(to);
    expect(recipients).not.toContain('agency@stc.example.vn');
    expect(recipients).not.toContain('head@stc.example.vn');
    expect(recipients).not.toContain('agencyB@stc.example.vn');
    for (const m of smtp.received) expect(m.text).not.toContain('Việc của đơn vị C.');
  });
});
