/** Sessions with a fake clock: idle and absolute expiry, revocation, a new token at every login. */
import { describe, expect, it } from 'vitest';
import { cookieFrom, makeTestApp } from '../test/support/admin-app.ts';
import {
  countOtherSessions,
  createSession,
  invalidateOtherSessions,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  validateSessionToken,
} from './session.ts';

const MIN = 60_000;

describe('session tokens', () => {
  it('stores only the SHA-256 of the secret; a wrong secret or malformed token is refused', () => {
    const t = makeTestApp();
    const { token, session } = createSession(t.db, t.users.leader.id, t.clock.now);
    const [id, secret] = token.split('.') as [string, string];
    expect(id).toBe(session.id);
    expect(secret.length).toBeGreaterThanOrEqual(26); // ≥ 128 bits in base32
    const row = t.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as Record<string, unknown>;
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(validateSessionToken(t.db, token, t.clock.now)?.user.username).toBe('lanhdao');
    const wrong = `${id}.${secret.slice(0, -1)}${secret.endsWith('a') ? 'b' : 'a'}`;
    expect(validateSessionToken(t.db, wrong, t.clock.now)).toBeNull();
    expect(validateSessionToken(t.db, 'garbage', t.clock.now)).toBeNull();
    expect(validateSessionToken(t.db, `${id}.${secret}.x`, t.clock.now)).toBeNull();
  });
});

describe('ending the other sessions', () => {
  it("ends every session of the user but the kept one, and no one else's", () => {
    const t = makeTestApp();
    const kept = createSession(t.db, t.users.leader.id, t.clock.now);
    const others = [1, 2, 3].map(() => createSession(t.db, t.users.leader.id, t.clock.now));
    const stranger = createSession(t.db, t.users.admin.id, t.clock.now);
    expect(countOtherSessions(t.db, t.users.leader.id, kept.session.id)).toBe(3);
    expect(invalidateOtherSessions(t.db, t.users.leader.id, kept.session.id)).toBe(3);
    expect(validateSessionToken(t.db, kept.token, t.clock.now)).not.toBeNull();
    for (const o of others) expect(validateSessionToken(t.db, o.token, t.clock.now)).toBeNull();
    expect(validateSessionToken(t.db, stranger.token, t.clock.now)).not.toBeNull();
    // another user's session id as the one to keep ends nothing of theirs and keeps nothing of ours
    expect(invalidateOtherSessions(t.db, t.users.admin.id, kept.session.id)).toBe(1);
    expect(validateSessionToken(t.db, kept.token, t.clock.now)).not.toBeNull();
  });
});

describe('session lifetime through the app', () => {
  it('idle 30 minutes ends the session; activity slides it', async () => {
    const t = makeTestApp();
    const cookie = await t.cookieFor('leader');
    const start = t.clock.now.getTime();
    t.clock.now = new Date(start + 20 * MIN);
    expect((await t.get('/admin', cookie)).status).toBe(200);
    t.clock.now = new Date(start + 45 * MIN); // 25 min after the last request
    expect((await t.get('/admin', cookie)).status).toBe(200);
    t.clock.now = new Date(start + 45 * MIN + SESSION_IDLE_MS);
    const res = await t.get('/admin', cookie);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^\/admin\/login/);
    expect(t.db.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 0 });
  });

  it('12 hours absolute ends the session even when active', async () => {
    const t = makeTestApp();
    const cookie = await t.cookieFor('leader');
    const start = t.clock.now.getTime();
    for (let m = 20; m < SESSION_ABSOLUTE_MS / MIN; m += 20) {
      t.clock.now = new Date(start + m * MIN);
      expect((await t.get('/admin', cookie)).status, `minute ${m}`).toBe(200);
    }
    t.clock.now = new Date(start + SESSION_ABSOLUTE_MS);
    expect((await t.get('/admin', cookie)).status).toBe(302);
  });

  it('logout revokes the session server-side (the old cookie no longer works)', async () => {
    const t = makeTestApp();
    const cookie = await t.cookieFor('specialist');
    const res = await t.post('/admin/logout', {}, cookie);
    expect(res.status).toBe(303);
    expect(res.headers.get('set-cookie')).toMatch(/session=;.*Max-Age=0/);
    expect((await t.get('/admin', cookie)).status).toBe(302);
  });

  it('a new token at every login; the previous session of the browser is ended', async () => {
    const t = makeTestApp();
    const first = await t.cookieFor('confirmer');
    const again = await t.login('tocongtac', undefined, { cookie: first });
    const second = cookieFrom(again);
    expect(second).not.toBe(first);
    expect((await t.get('/admin', first)).status).toBe(302);
    expect((await t.get('/admin', second)).status).toBe(200);
  });

  it('password change ends every other session and keeps the user signed in with a new token', async () => {
    const t = makeTestApp();
    const a = await t.cookieFor('leader');
    const b = await t.cookieFor('leader');
    const res = await t.post(
      '/admin/account/password',
      {
        current: 'mật khẩu thử nghiệm đủ dài',
        password: 'một câu mật khẩu mới khác',
        confirm: 'một câu mật khẩu mới khác',
      },
      a,
    );
    expect(res.status).toBe(303);
    const c = cookieFrom(res);
    expect((await t.get('/admin', a)).status).toBe(302);
    expect((await t.get('/admin', b)).status).toBe(302);
    expect((await t.get('/admin', c)).status).toBe(200);
    expect((await t.login('lanhdao', 'một câu mật khẩu mới khác')).status).toBe(303);
  });

  it('role change, agency change and disabling end the sessions of that account', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    const leader = await t.cookieFor('leader');
    const agency = await t.cookieFor('agency');
    const specialist = await t.cookieFor('specialist');
    // role change
    let r = await t.post(
      `/admin/users/${t.users.leader.id}`,
      { display_name: 'Lãnh đạo', email: '', role: 'confirmer', agency_id: '' },
      admin,
    );
    expect(r.status).toBe(303);
    expect((await t.get('/admin', leader)).status).toBe(302);
    // agency change
    r = await t.post(
      `/admin/users/${t.users.agency.id}`,
      { display_name: 'Đầu mối', email: '', role: 'agency', agency_id: String(t.agencies.c) },
      admin,
    );
    expect(r.status).toBe(303);
    expect((await t.get('/admin', agency)).status).toBe(302);
    // disabling
    r = await t.post(`/admin/users/${t.users.specialist.id}/disable`, {}, admin);
    expect(r.status).toBe(303);
    expect((await t.get('/admin', specialist)).status).toBe(302);
    expect((await t.login('chuyenvien')).status).toBe(401);
    // the administrator's own session is untouched
    expect((await t.get('/admin', admin)).status).toBe(200);
  });

  it('a name-only edit keeps the sessions', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    const leader = await t.cookieFor('leader');
    const r = await t.post(
      `/admin/users/${t.users.leader.id}`,
      { display_name: 'Tên mới', email: '', role: 'leader', agency_id: '' },
      admin,
    );
    expect(r.status).toBe(303);
    expect((await t.get('/admin', leader)).status).toBe(200);
  });
});
