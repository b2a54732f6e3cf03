/**
 * The bell and the notice list through app.request (issue 11): the count on every page, the list with its filters
 * and task links, marking one or all as read by form posts (CSRF origin checked), someone else's notice refused,
 * and the mail preferences of the account page.
 */
import { describe, expect, it } from 'vitest';
import type { Principal } from '../auth/permissions.ts';
import { recordTaskAction } from '../domain/task-actions.ts';
import { mailPrefs } from '../domain/notices-read.ts';
import { makeTestApp, type TestApp } from '../test/support/admin-app.ts';

type Who = keyof TestApp['users'];
const principal = (t: TestApp, who: Who): Principal => {
  const u = t.users[who];
  return { kind: 'user', id: u.id, name: u.username, role: u.role, agencyId: u.agencyId };
};
const urge = (t: TestApp, code: string, note = 'Đề nghị khẩn trương.') =>
  recordTaskAction({ db: t.db, env: t.env, now: t.clock.now }, principal(t, 'specialist'), code, {
    kind: 'urge',
    note,
  });
const noticeIds = (t: TestApp, who: Who) =>
  t.db.prepare('SELECT id FROM notices WHERE user_id = ? ORDER BY id').pluck().all(t.users[who].id) as number[];

describe('the bell', () => {
  it('shows the unread count in the header of every page', async () => {
    const t = makeTestApp();
    const cookie = await t.cookieFor('agency');
    expect(await (await t.get('/admin', cookie)).text()).toContain('Thông báo (không có thông báo chưa đọc)');
    urge(t, t.tasks.own);
    urge(t, t.tasks.own, 'Lần hai.');
    for (const path of ['/admin', '/admin/tasks', `/admin/tasks/${t.tasks.own}`, '/admin/account/password']) {
      const html = await (await t.get(path, cookie)).text();
      expect(html, path).toContain('aria-label="Thông báo 2 chưa đọc"');
    }
    // the Office specialist who urged has nothing unread
    expect(await (await t.get('/admin', await t.cookieFor('specialist'))).text()).toContain(
      'Thông báo (không có thông báo chưa đọc)',
    );
  });
});

describe('/admin/thong-bao', () => {
  it('lists my notices newest first with links to their tasks, filtered by kind and state', async () => {
    const t = makeTestApp();
    urge(t, t.tasks.own, 'Lần một.');
    urge(t, t.tasks.own, 'Lần hai.');
    const cookie = await t.cookieFor('agency');
    const html = await (await t.get('/admin/thong-bao', cookie)).text();
    expect(html).toContain('Văn phòng đôn đốc');
    expect(html).toContain(`href="/admin/tasks/${t.tasks.own}"`);
    expect(html.indexOf('Lần hai.')).toBeLessThan(html.indexOf('Lần một.'));
    expect(await (await t.get('/admin/thong-bao?kind=overdue', cookie)).text()).toContain('Không có thông báo nào.');
    expect(await (await t.get('/admin/thong-bao?state=read', cookie)).text()).toContain('Không có thông báo nào.');
    // unknown filter values are ignored, not an error
    expect((await t.get('/admin/thong-bao?kind=%3Cscript%3E&state=x&page=abc', cookie)).status).toBe(200);
    // another unit sees none of them
    expect(await (await t.get('/admin/thong-bao', await t.cookieFor('agencyB'))).text()).toContain(
      'Không có thông báo nào.',
    );
  });

  it('marks one notice as read, then all; someone else’s notice is 404 and stays unread', async () => {
    const t = makeTestApp();
    urge(t, t.tasks.own);
    urge(t, t.tasks.own);
    const [first, second] = noticeIds(t, 'agency');
    const cookie = await t.cookieFor('agency');
    const res = await t.post(`/admin/thong-bao/${first}/da-doc`, {}, cookie);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/thong-bao?msg=read');
    expect(await (await t.get('/admin/thong-bao?msg=read', cookie)).text()).toContain(
      'aria-label="Thông báo 1 chưa đọc"',
    );
    // someone else's notice
    const other = await t.cookieFor('agencyB');
    expect((await t.post(`/admin/thong-bao/${second}/da-doc`, {}, other)).status).toBe(404);
    expect(t.db.prepare('SELECT read_at FROM notices WHERE id = ?').pluck().get(second)).toBeNull();
    // a malformed id is a 400 with a Vietnamese message
    const bad = await t.post('/admin/thong-bao/abc/da-doc', {}, cookie);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Mã thông báo không hợp lệ.');
    // a cross-site post is refused by the CSRF origin check
    expect(
      (await t.post('/admin/thong-bao/da-doc-tat-ca', {}, cookie, { origin: 'https://evil.example' })).status,
    ).toBe(403);
    expect(t.db.prepare('SELECT read_at FROM notices WHERE id = ?').pluck().get(second)).toBeNull();
    expect((await t.post('/admin/thong-bao/da-doc-tat-ca', {}, cookie)).status).toBe(303);
    expect(
      t.db.prepare('SELECT count(*) FROM notices WHERE user_id = ? AND read_at IS NULL').pluck().get(t.users.agency.id),
    ).toBe(0);
  });

  it('sends anonymous visitors to the login page', async () => {
    const t = makeTestApp();
    const res = await t.get('/admin/thong-bao');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toContain('/admin/login');
  });
});

describe('mail preferences on the account page', () => {
  it('stores a choice per kind (default digest) and refuses an unknown mode, changing nothing', async () => {
    const t = makeTestApp();
    const cookie = await t.cookieFor('agency');
    const page = await (await t.get('/admin/account/password', cookie)).text();
    expect(page).toContain('Thông báo qua thư');
    expect(page).toContain('Tóm tắt hằng ngày (7 giờ sáng)');
    expect(mailPrefs(t.db, t.users.agency.id).urged).toBe('digest');
    const all = {
      task_new: 'now',
      task_delegated: 'digest',
      due_soon: 'digest',
      overdue: 'now',
      urged: 'off',
      report_returned: 'digest',
      extension_approved: 'digest',
      extension_rejected: 'digest',
      unit_draft: 'now',
      unit_sent_back: 'digest',
    };
    const bad = await t.post('/admin/account/notices', { ...all, urged: 'sometimes' }, cookie);
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('Cần chọn cách nhận thư');
    expect(mailPrefs(t.db, t.users.agency.id).task_new).toBe('digest');
    const ok = await t.post('/admin/account/notices', all, cookie);
    expect(ok.status).toBe(303);
    const prefs = mailPrefs(t.db, t.users.agency.id);
    expect([prefs.task_new, prefs.overdue, prefs.urged, prefs.due_soon]).toEqual(['now', 'now', 'off', 'digest']);
    expect(t.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'account.notice_prefs'").pluck().get()).toBe(1);
  });
});
