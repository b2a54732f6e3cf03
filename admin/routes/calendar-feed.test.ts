/** The private calendar feed through the routes: turn on, read it back with ical.js, scoping, revocation, logs. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import ICAL from 'ical.js';
import { createApp } from '../app.ts';
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../test/support/admin-app.ts';
import { samplePdf } from '../test/fixtures/files.ts';
import { createTask } from '../domain/tasks.ts';

type Who = 'agency' | 'agencyB' | 'leader' | 'admin' | 'specialist' | 'head' | 'officer';

async function turnOn(t: TestApp, who: Who): Promise<{ token: string; html: string }> {
  const res = await t.post('/admin/lich/bat', {}, await t.cookieFor(who));
  expect(res.status).toBe(201);
  const html = await res.text();
  const m = /\/admin\/lich\/([a-z2-7]{52})\.ics/.exec(html);
  if (!m) throw new Error('no feed URL on the page');
  expect(html).toContain(`webcal://localhost:3000/admin/lich/${m[1]}.ics`);
  expect(html).toContain(`${TEST_ORIGIN}/admin/lich/${m[1]}.ics`);
  return { token: m[1]!, html };
}

interface ParsedEvent {
  uid: string;
  summary: string;
  start: string;
  allDay: boolean;
  description: string;
}

async function readFeed(t: TestApp, token: string): Promise<ParsedEvent[]> {
  const res = await t.get(`/admin/lich/${token}.ics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
  expect(res.headers.get('cache-control')).toBe('no-store');
  const comp = new ICAL.Component(ICAL.parse(await res.text()));
  expect(comp.name).toBe('vcalendar');
  return comp.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return {
      uid: e.uid,
      summary: e.summary,
      start: e.startDate.toString(),
      allDay: e.startDate.isDate,
      description: e.description,
    };
  });
}

const byCode = (events: ParsedEvent[], code: string) => events.find((e) => e.summary.includes(code));

describe('calendar feed', () => {
  it('names a confidential task by its code only (calendar apps copy feeds to outside services)', async () => {
    const t = makeTestApp();
    t.db.prepare('UPDATE tasks SET confidential = 1 WHERE code = ?').run(t.tasks.own);
    const { token } = await turnOn(t, 'agency');
    const res = await t.get(`/admin/lich/${token}.ics`);
    const text = await res.text();
    expect(text).not.toContain('Rà soát kế hoạch tài chính');
    const own = byCode(await readFeed(t, token), t.tasks.own)!;
    expect(own.summary).toBe(`[Đang thực hiện trong hạn] ${t.tasks.own}: Nhiệm vụ mật`);
    expect(own.description).toContain('chỉ xem trong hệ thống sau khi đăng nhập');
    // the others keep their titles
    expect(byCode(await readFeed(t, token), t.tasks.coordinated)!.summary).toContain('Kiểm tra y tế học đường');
  });

  it('lists the deadlines the user may see, with status; an extension shows both deadlines; completion updates it', async () => {
    const t = makeTestApp();
    const { token } = await turnOn(t, 'agency');
    let events = await readFeed(t, token);
    // agency A leads `own` and coordinates `coordinated`; `other` belongs to agency C (same scope as the task list)
    expect(events.map((e) => e.uid.split('@')[0]).sort()).toEqual([t.tasks.own, t.tasks.coordinated].sort());
    const own = byCode(events, t.tasks.own)!;
    expect(own.summary).toBe(`[Đang thực hiện trong hạn] ${t.tasks.own}: Rà soát kế hoạch tài chính`);
    expect([own.start, own.allDay, own.uid]).toEqual(['2026-06-30', true, `${t.tasks.own}@localhost:3000`]);
    expect(own.description).toContain('Đơn vị chủ trì: Sở Tài chính');
    expect(own.description).toContain(`${TEST_ORIGIN}/admin/tasks/${t.tasks.own}`);

    // extension approved: the event moves to the new deadline and keeps the original one in the text
    const a = await t.cookieFor('agency');
    await t.post(`/admin/tasks/${t.tasks.own}/extension-request`, { new_deadline: '31/07/2026', note: 'Chờ' }, a);
    const cf = await t.cookieFor('confirmer');
    await t.post(`/admin/tasks/${t.tasks.own}/extension-approve`, { new_deadline: '31/07/2026' }, cf);
    events = await readFeed(t, token);
    const extended = byCode(events, t.tasks.own)!;
    expect(extended.start).toBe('2026-07-31');
    expect(extended.description).toContain('Thời hạn: 31/07/2026');
    expect(extended.description).toContain('Thời hạn ban đầu: 30/06/2026 (đã gia hạn)');

    // reported and confirmed: the summary says so at once (generated on request)
    const fd = new FormData();
    fd.append('note', 'Đã xong');
    fd.append('files', new File([samplePdf()], 'kq.pdf'));
    await t.app.request(`/admin/tasks/${t.tasks.own}/report`, {
      method: 'POST',
      headers: { origin: TEST_ORIGIN, cookie: a },
      body: fd,
    });
    expect(byCode(await readFeed(t, token), t.tasks.own)!.summary).toMatch(
      /^\[Đang thực hiện trong hạn, đã báo cáo, chờ xác nhận\]/,
    );
    await t.post(`/admin/tasks/${t.tasks.own}/confirm`, {}, cf);
    expect(byCode(await readFeed(t, token), t.tasks.own)!.summary).toMatch(/^\[Hoàn thành đúng hạn\]/);
  });

  it('a leader sees every task; an administrator (no task access) gets an empty calendar', async () => {
    const t = makeTestApp();
    expect(await readFeed(t, (await turnOn(t, 'leader')).token)).toHaveLength(3);
    expect(await readFeed(t, (await turnOn(t, 'admin')).token)).toHaveLength(0);
  });

  it('inside a unit: the head sees all of its tasks, an officer only those delegated to them (task list scoping)', async () => {
    const t = makeTestApp();
    createTask(t.db, {
      title: 'Nhiệm vụ chưa giao cho chuyên viên',
      leadAgencyId: t.agencies.a,
      assignedOn: '2026-01-10',
      deadline: '2026-05-31',
    });
    const codes = async (who: Who) =>
      (await readFeed(t, (await turnOn(t, who)).token)).map((e) => e.uid.split('@')[0]).sort();
    expect(await codes('officer')).toEqual([t.tasks.own, t.tasks.coordinated].sort());
    expect(await codes('head')).toHaveLength(3);
    expect(await codes('head')).not.toContain(t.tasks.other);
  });

  it('stores only a hash, audits creation and revocation, and a renewed or revoked token is a 404', async () => {
    const t = makeTestApp();
    const first = (await turnOn(t, 'agency')).token;
    const second = (await turnOn(t, 'agency')).token; // renew: the first stops working
    expect((await t.get(`/admin/lich/${first}.ics`)).status).toBe(404);
    expect((await t.get(`/admin/lich/${second}.ics`)).status).toBe(200);
    const stored = JSON.stringify(t.db.prepare('SELECT * FROM calendar_feeds').all());
    const audit = JSON.stringify(t.db.prepare('SELECT * FROM audit_log').all());
    for (const token of [first, second]) {
      expect(stored).not.toContain(token);
      expect(audit).not.toContain(token);
    }
    const actions = () =>
      (
        t.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'calendar_feed.%' ORDER BY id").all() as Array<{
          action: string;
        }>
      ).map((r) => r.action);
    expect(actions()).toEqual(['calendar_feed.create', 'calendar_feed.create']);
    const page = await (await t.get('/admin/lich', await t.cookieFor('agency'))).text();
    expect(page).toContain('Lịch đang bật từ');
    expect(page).not.toContain(second); // shown once only
    const off = await t.post('/admin/lich/tat', {}, await t.cookieFor('agency'));
    expect(off.headers.get('location')).toBe('/admin/lich?msg=off');
    expect((await t.get(`/admin/lich/${second}.ics`)).status).toBe(404);
    expect(actions()).toEqual(['calendar_feed.create', 'calendar_feed.create', 'calendar_feed.revoke']);
    expect(await (await t.get('/admin/lich?msg=off', await t.cookieFor('agency'))).text()).toContain('Lịch đang tắt.');
  });

  it('answers 404 alike for unknown, malformed and foreign-looking tokens; the page needs a session', async () => {
    const t = makeTestApp();
    await turnOn(t, 'agency');
    for (const path of [
      `/admin/lich/${'a'.repeat(52)}.ics`,
      '/admin/lich/abc.ics',
      `/admin/lich/${'A'.repeat(52)}.ics`,
    ]) {
      const res = await t.get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toContain('Không tìm thấy lịch.');
    }
    expect((await t.get('/admin/lich')).status).toBe(302);
    // no cross-site turning on
    const evil = await t.post('/admin/lich/bat', {}, await t.cookieFor('agency'), { origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
  });

  it('a disabled user, or one moved to another unit, sees the change at once', async () => {
    const t = makeTestApp();
    const { token } = await turnOn(t, 'agency');
    t.db.prepare('UPDATE users SET agency_id = ? WHERE id = ?').run(t.agencies.c, t.users.agency.id);
    expect((await readFeed(t, token)).map((e) => e.uid.split('@')[0])).toEqual([t.tasks.other]);
    t.db.prepare('UPDATE users SET disabled = 1 WHERE id = ?').run(t.users.agency.id);
    expect((await t.get(`/admin/lich/${token}.ics`)).status).toBe(404);
  });
});

describe('the feed token never reaches the logs', () => {
  afterEach(() => vi.restoreAllMocks());

  it('an unexpected error on the feed logs the path with the token hidden', async () => {
    const t = makeTestApp();
    const { token } = await turnOn(t, 'agency');
    const logged: string[] = [];
    const spy = (...args: unknown[]) => {
      logged.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    };
    vi.spyOn(console, 'log').mockImplementation(spy);
    vi.spyOn(console, 'error').mockImplementation(spy);
    vi.spyOn(console, 'warn').mockImplementation(spy);
    let boom = false;
    const app = createApp({
      db: t.db,
      env: t.env,
      passwords: t.hasher,
      clock: () => {
        if (boom) throw new Error('clock failure');
        return t.clock.now;
      },
      log: { info: spy, error: spy },
    });
    expect((await app.request(`/admin/lich/${token}.ics`)).status).toBe(200);
    expect((await app.request(`/admin/lich/${'b'.repeat(52)}.ics`)).status).toBe(404);
    boom = true;
    expect((await app.request(`/admin/lich/${token}.ics`)).status).toBe(500);
    expect(logged.some((l) => l.includes('/admin/lich/[đã ẩn].ics'))).toBe(true);
    expect(logged.join('\n')).not.toContain(token);
  });
});
