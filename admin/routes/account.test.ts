/** The account page: "Đăng xuất khỏi mọi thiết bị" ends the user's other sessions only, audited and CSRF-checked. */
import { describe, expect, it } from 'vitest';
import { makeTestApp, TEST_ORIGIN } from '../test/support/admin-app.ts';

const sessionsOf = (t: ReturnType<typeof makeTestApp>, userId: number) =>
  (t.db.prepare('SELECT count(*) AS n FROM sessions WHERE user_id = ?').get(userId) as { n: number }).n;

describe('log out of every other device', () => {
  it('ends the other sessions of the user, keeps this one, leaves other users alone, and says how many', async () => {
    const t = makeTestApp();
    const here = await t.cookieFor('specialist');
    const phone = await t.cookieFor('specialist');
    const laptop = await t.cookieFor('specialist');
    const someoneElse = await t.cookieFor('leader');
    expect(sessionsOf(t, t.users.specialist.id)).toBe(3);

    const page = await t.get('/admin/account/password', here);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Đăng xuất khỏi mọi thiết bị');
    expect(html).toContain('còn 2 phiên đăng nhập khác');

    const res = await t.post('/admin/account/sessions/end-others', {}, here);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/account/password?ended=2');
    const after = await t.get(res.headers.get('location')!, here);
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('Đã đăng xuất 2 phiên đăng nhập trên các thiết bị khác.');

    for (const gone of [phone, laptop]) {
      const r = await t.get('/admin', gone);
      expect(r.status).toBe(302);
      expect(r.headers.get('location')).toMatch(/^\/admin\/login/);
    }
    expect((await t.get('/admin', here)).status).toBe(200);
    expect((await t.get('/admin', someoneElse)).status).toBe(200);
    expect(sessionsOf(t, t.users.specialist.id)).toBe(1);
    expect(sessionsOf(t, t.users.leader.id)).toBe(1);

    const audit = t.db
      .prepare("SELECT actor_user_id, target_id, details FROM audit_log WHERE action = 'account.sessions_ended'")
      .all() as Array<{ actor_user_id: number; target_id: string; details: string }>;
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_user_id).toBe(t.users.specialist.id);
    expect(JSON.parse(audit[0]!.details)).toEqual({ ended: 2 });

    // a second time there is nothing left to end
    const again = await t.post('/admin/account/sessions/end-others', {}, here);
    expect(again.headers.get('location')).toBe('/admin/account/password?ended=0');
    expect(await (await t.get('/admin/account/password?ended=0', here)).text()).toContain(
      'Không có phiên đăng nhập nào khác cần kết thúc.',
    );
  });

  it('is refused from another origin and without a session; nothing ends', async () => {
    const t = makeTestApp();
    const here = await t.cookieFor('agency');
    await t.cookieFor('agency');
    const forged = await t.app.request('/admin/account/sessions/end-others', {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded', cookie: here },
      body: '',
    });
    expect(forged.status).toBe(403);
    const anonymous = await t.post('/admin/account/sessions/end-others', {});
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toMatch(/^\/admin\/login/);
    expect(sessionsOf(t, t.users.agency.id)).toBe(2);
    expect(TEST_ORIGIN).toMatch(/^http:\/\/localhost/);
  });

  it('shows only a number from ?ended=, never other text', async () => {
    const t = makeTestApp();
    const here = await t.cookieFor('leader');
    const html = await (await t.get('/admin/account/password?ended=%3Cb%3Ex', here)).text();
    expect(html).not.toContain('Đã đăng xuất');
    expect(html).not.toContain('<b>x');
  });
});
