/** Login: identical answers for unknown user and wrong password, throttling per account and per address, audit. */
import { describe, expect, it } from 'vitest';
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../test/support/admin-app.ts';
import { safeNext } from './auth.tsx';

/** A login from a given socket address (app.request passes the Node bindings through as c.env). */
function loginFrom(t: TestApp, ip: string, username: string, password: string, headers: Record<string, string> = {}) {
  return t.app.request(
    '/admin/login',
    {
      method: 'POST',
      headers: { origin: TEST_ORIGIN, 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ username, password }).toString(),
    },
    { incoming: { socket: { remoteAddress: ip } } },
  );
}

describe('login', () => {
  it('signs in, sets an HttpOnly SameSite=Lax cookie and audits the login', async () => {
    const t = makeTestApp();
    const res = await t.login('chuyenvien');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^session=/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    const row = t.db.prepare("SELECT actor_name, actor_user_id FROM audit_log WHERE action = 'auth.login'").get();
    expect(row).toEqual({ actor_name: 'chuyenvien', actor_user_id: t.users.specialist.id });
  });

  it('uses __Host-session with Secure over https', async () => {
    const t = makeTestApp({ env: { ORIGIN: 'https://nhiemvu.example.vn' } });
    const res = await t.app.request('/admin/login', {
      method: 'POST',
      headers: { origin: 'https://nhiemvu.example.vn', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'chuyenvien', password: 'mật khẩu thử nghiệm đủ dài' }).toString(),
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^__Host-session=/);
    expect(cookie).toContain('Secure');
    expect(cookie).not.toContain('Domain');
  });

  it('answers identically for an unknown account, a wrong password and a disabled account', async () => {
    const t = makeTestApp();
    t.db.prepare('UPDATE users SET disabled = 1 WHERE id = ?').run(t.users.leader.id);
    const bodies: string[] = [];
    for (const [u, p] of [
      ['khongtontai', 'mật khẩu thử nghiệm đủ dài'],
      ['chuyenvien', 'sai mật khẩu rồi'],
      ['lanhdao', 'mật khẩu thử nghiệm đủ dài'],
    ] as const) {
      const res = await t.login(u, p);
      expect(res.status).toBe(401);
      expect(res.headers.get('set-cookie')).toBeNull();
      bodies.push((await res.text()).replace(/value="[^"]*"/g, ''));
    }
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).toContain('Tên đăng nhập hoặc mật khẩu không đúng.');
    const reasons = (
      t.db.prepare("SELECT details FROM audit_log WHERE action = 'auth.login_failed' ORDER BY id").all() as Array<{
        details: string;
      }>
    ).map((r) => JSON.parse(r.details).reason);
    expect(reasons).toEqual(['unknown_user', 'bad_password', 'disabled']);
  });

  it('locks an account for 10 minutes after 10 failures, even with the right password, from any address', async () => {
    const t = makeTestApp();
    for (let i = 0; i < 10; i++)
      expect((await loginFrom(t, `10.0.0.${i}`, 'chuyenvien', 'sai mật khẩu rồi')).status).toBe(401);
    const locked = await loginFrom(t, '10.0.1.1', 'chuyenvien', 'mật khẩu thử nghiệm đủ dài');
    expect(locked.status).toBe(429);
    expect(await locked.text()).toContain('thử lại sau 10 phút');
    // other accounts from other addresses are not affected
    expect((await loginFrom(t, '10.0.1.2', 'lanhdao', 'mật khẩu thử nghiệm đủ dài')).status).toBe(303);
    t.clock.now = new Date(t.clock.now.getTime() + 9 * 60_000);
    expect((await loginFrom(t, '10.0.1.1', 'chuyenvien', 'mật khẩu thử nghiệm đủ dài')).status).toBe(429);
    t.clock.now = new Date(t.clock.now.getTime() + 61_000);
    expect((await loginFrom(t, '10.0.1.1', 'chuyenvien', 'mật khẩu thử nghiệm đủ dài')).status).toBe(303);
  });

  it('30 wrong passwords at once: at most 10 are evaluated, the rest get 429, and the lock holds', async () => {
    const t = makeTestApp();
    const results = await Promise.all(
      Array.from({ length: 30 }, () => loginFrom(t, '10.9.9.9', 'chuyenvien', 'sai mật khẩu rồi')),
    );
    const statuses = results.map((r) => r.status);
    const evaluated = statuses.filter((s) => s === 401).length;
    expect(evaluated).toBeGreaterThan(0);
    expect(evaluated).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s === 429).length).toBe(30 - evaluated);
    const failedAudits = t.db
      .prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'auth.login_failed'")
      .get() as { n: number };
    expect(failedAudits.n).toBe(evaluated);
    // the account is locked: the right password from another address is refused, the lock is still set
    const right = await loginFrom(t, '10.9.9.10', 'chuyenvien', 'mật khẩu thử nghiệm đủ dài');
    expect(right.status).toBe(429);
    const row = t.db.prepare("SELECT locked_until FROM login_throttle WHERE bucket = 'user:chuyenvien'").get() as {
      locked_until: number | null;
    };
    expect(row.locked_until).toBeGreaterThan(t.clock.now.getTime());
  });

  it('parallel wrong passwords for many accounts from one address: at most 10 evaluated', async () => {
    const t = makeTestApp();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => loginFrom(t, '10.9.9.11', `ai-do-${i}`, 'sai mật khẩu rồi')),
    );
    expect(results.filter((r) => r.status === 401).length).toBeLessThanOrEqual(10);
    expect((await loginFrom(t, '10.9.9.11', 'lanhdao', 'mật khẩu thử nghiệm đủ dài')).status).toBe(429);
  });

  it('locks an address after 10 failures across accounts; a forged X-Forwarded-For does not help', async () => {
    const t = makeTestApp();
    for (let i = 0; i < 10; i++) {
      expect(
        (await loginFrom(t, '203.0.113.9', `user${i}`, 'sai mật khẩu rồi', { 'x-forwarded-for': `198.51.100.${i}` }))
          .status,
      ).toBe(401);
    }
    const res = await loginFrom(t, '203.0.113.9', 'lanhdao', 'mật khẩu thử nghiệm đủ dài', {
      'x-forwarded-for': '198.51.100.200',
    });
    expect(res.status).toBe(429);
    expect((await loginFrom(t, '203.0.113.10', 'lanhdao', 'mật khẩu thử nghiệm đủ dài')).status).toBe(303);
  });

  it('behind a configured trusted proxy, the forwarded client address is used', async () => {
    const t = makeTestApp({ env: { TRUSTED_PROXY: '127.0.0.1' } });
    for (let i = 0; i < 10; i++) {
      await loginFrom(t, '127.0.0.1', `user${i}`, 'sai mật khẩu rồi', { 'x-forwarded-for': '198.51.100.7' });
    }
    expect(
      (await loginFrom(t, '127.0.0.1', 'lanhdao', 'mật khẩu thử nghiệm đủ dài', { 'x-forwarded-for': '198.51.100.7' }))
        .status,
    ).toBe(429);
    // another client through the same proxy is not locked
    expect(
      (await loginFrom(t, '127.0.0.1', 'lanhdao', 'mật khẩu thử nghiệm đủ dài', { 'x-forwarded-for': '198.51.100.8' }))
        .status,
    ).toBe(303);
    const ips = t.db.prepare("SELECT DISTINCT ip FROM audit_log WHERE action = 'auth.login_failed'").all();
    expect(ips).toEqual([{ ip: '198.51.100.7' }]);
  });

  it('follows only same-site admin paths after login', () => {
    expect(safeNext('/admin/users')).toBe('/admin/users');
    expect(safeNext('//evil.example/admin')).toBe('/admin');
    expect(safeNext('https://evil.example')).toBe('/admin');
    expect(safeNext('/adminevil')).toBe('/admin');
    expect(safeNext('/admin\\@evil')).toBe('/admin');
  });

  it('a reset password must be changed before anything else', async () => {
    const t = makeTestApp();
    t.db.prepare('UPDATE users SET must_change_password = 1 WHERE id = ?').run(t.users.leader.id);
    const res = await t.login('lanhdao');
    expect(res.headers.get('location')).toBe('/admin/account/password');
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const dash = await t.get('/admin', cookie);
    expect(dash.status).toBe(302);
    expect(dash.headers.get('location')).toBe('/admin/account/password');
    expect((await t.get('/admin/account/password', cookie)).status).toBe(200);
  });
});

describe('hash upgrade', () => {
  it('rehashes a password stored with other parameters at the next successful login', async () => {
    const t = makeTestApp();
    const old = await (await import('../auth/password.ts'))
      .createPasswordHasher({ memoryCost: 512, timeCost: 1, parallelism: 1 })
      .hash('mật khẩu thử nghiệm đủ dài');
    t.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(old, t.users.leader.id);
    expect((await t.login('lanhdao')).status).toBe(303);
    const now = (
      t.db.prepare('SELECT password_hash FROM users WHERE id = ?').get(t.users.leader.id) as { password_hash: string }
    ).password_hash;
    expect(now).not.toBe(old);
    expect(now).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/); // the app's (test) parameters
    expect((await t.login('lanhdao')).status).toBe(303);
  });
});
