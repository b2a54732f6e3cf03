import { describe, expect, it } from 'vitest';
import { makeTestApp } from '../test/support/admin-app.ts';

describe('account administration', () => {
  it('creates an account with a one-time password that must be changed at first login', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    const res = await t.post(
      '/admin/users',
      {
        username: 'nguyenvanb',
        display_name: 'Nguyễn Văn B',
        email: 'b@tinh.gov.vn',
        role: 'agency',
        agency_id: String(t.agencies.b),
      },
      admin,
    );
    expect(res.status).toBe(201);
    const html = await res.text();
    const password = /class="secret">([^<]+)</.exec(html)![1]!;
    const login = await t.login('nguyenvanb', password);
    expect(login.headers.get('location')).toBe('/admin/account/password');
    const row = t.db
      .prepare("SELECT role, agency_id, must_change_password FROM users WHERE username = 'nguyenvanb'")
      .get();
    expect(row).toEqual({ role: 'agency', agency_id: t.agencies.b, must_change_password: 1 });
    expect(t.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'user.create'").get()).toEqual({ n: 1 });
  });

  it('refuses bad input with Vietnamese messages and writes nothing', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    const count = () => (t.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
    const before = count();
    const cases: Array<[Record<string, string>, string]> = [
      [{ username: 'a', display_name: 'Tên', role: 'leader', agency_id: '' }, 'Tên đăng nhập gồm 3–50 ký tự'],
      [{ username: 'quantri', display_name: 'Tên', role: 'leader', agency_id: '' }, 'Tên đăng nhập đã tồn tại'],
      [{ username: 'moi.nguoi', display_name: 'Tên', role: 'agency', agency_id: '' }, 'phải thuộc một đơn vị'],
      [
        { username: 'moi.nguoi', display_name: 'Tên', role: 'leader', agency_id: String(t.agencies.a) },
        'Chỉ tài khoản của đơn vị',
      ],
      [{ username: 'moi.nguoi', display_name: 'Tên', role: 'superuser', agency_id: '' }, 'Cần chọn vai trò'],
      [
        { username: 'moi.nguoi', display_name: 'Tên', email: 'not-an-email', role: 'leader', agency_id: '' },
        'thư điện tử không hợp lệ',
      ],
      [
        { username: "x'); DROP TABLE users;--", display_name: '<script>', role: 'leader', agency_id: '' },
        'Tên đăng nhập gồm',
      ],
    ];
    for (const [form, message] of cases) {
      const res = await t.post('/admin/users', form, admin);
      expect(res.status, message).toBe(422);
      const html = await res.text();
      expect(html).toContain(message);
      expect(html).not.toContain('<script>');
    }
    expect(count()).toBe(before);
  });

  it('resets a password: old one stops working, sessions end, new one is temporary', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    const leader = await t.cookieFor('leader');
    const res = await t.post(`/admin/users/${t.users.leader.id}/reset-password`, {}, admin);
    expect(res.status).toBe(200);
    const password = /class="secret">([^<]+)</.exec(await res.text())![1]!;
    expect((await t.get('/admin', leader)).status).toBe(302);
    expect((await t.login('lanhdao')).status).toBe(401);
    expect((await t.login('lanhdao', password)).headers.get('location')).toBe('/admin/account/password');
  });

  it('an administrator cannot disable or demote themself', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    let res = await t.post(`/admin/users/${t.users.admin.id}/disable`, {}, admin);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Không thể tự khoá');
    res = await t.post(
      `/admin/users/${t.users.admin.id}`,
      { display_name: 'Quản trị', role: 'leader', agency_id: '' },
      admin,
    );
    expect(res.status).toBe(422);
    expect(t.db.prepare('SELECT role, disabled FROM users WHERE id = ?').get(t.users.admin.id)).toEqual({
      role: 'admin',
      disabled: 0,
    });
  });

  it('re-enables a disabled account', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    await t.post(`/admin/users/${t.users.leader.id}/disable`, {}, admin);
    expect((await t.login('lanhdao')).status).toBe(401);
    await t.post(`/admin/users/${t.users.leader.id}/enable`, {}, admin);
    expect((await t.login('lanhdao')).status).toBe(303);
  });
});

describe('own password change', () => {
  it('refuses a wrong current password, a common or mismatched new one', async () => {
    const t = makeTestApp();
    const cookie = await t.cookieFor('specialist');
    const cases: Array<[Record<string, string>, string]> = [
      [
        { current: 'sai', password: 'một câu mới đủ dài', confirm: 'một câu mới đủ dài' },
        'Mật khẩu hiện tại không đúng.',
      ],
      [{ current: 'mật khẩu thử nghiệm đủ dài', password: 'password123', confirm: 'password123' }, 'quá phổ biến'],
      [{ current: 'mật khẩu thử nghiệm đủ dài', password: 'một câu mới đủ dài', confirm: 'khác' }, 'không khớp'],
      [
        {
          current: 'mật khẩu thử nghiệm đủ dài',
          password: 'mật khẩu thử nghiệm đủ dài',
          confirm: 'mật khẩu thử nghiệm đủ dài',
        },
        'phải khác',
      ],
    ];
    const hash = () => t.db.prepare('SELECT password_hash FROM users WHERE id = ?').get(t.users.specialist.id);
    const before = hash();
    for (const [form, msg] of cases) {
      const res = await t.post('/admin/account/password', form, cookie);
      expect(res.status, msg).toBe(422);
      expect(await res.text()).toContain(msg);
    }
    expect(hash()).toEqual(before);
  });
});
