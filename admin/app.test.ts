/** Cross-cutting behaviour of createApp: headers, CSRF on every mutating route, body limits, errors, the public release. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { makeTestApp, TEST_ORIGIN, type TestApp } from './test/support/admin-app.ts';

function snapshot(t: TestApp): string {
  return (
    JSON.stringify(
      ['users', 'sessions', 'login_throttle', 'api_clients', 'api_tokens'].map((tb) =>
        t.db.prepare(`SELECT * FROM ${tb} ORDER BY 1`).all(),
      ),
    ) +
    JSON.stringify(
      t.db.prepare("SELECT * FROM audit_log WHERE action NOT IN ('csrf.refused', 'api.call') ORDER BY 1").all(),
    )
  );
}

function mutatingRoutes(t: TestApp): Array<{ method: string; path: string }> {
  const seen = new Map<string, { method: string; path: string }>();
  for (const r of t.app.routes)
    if (!['ALL', 'GET', 'HEAD', 'OPTIONS'].includes(r.method)) seen.set(`${r.method} ${r.path}`, r);
  return [...seen.values()];
}

const fill = (t: TestApp, path: string) =>
  path.replace(/:([A-Za-z_]+)(\{[^}]*\})?/g, (_m, n: string) =>
    n === 'id' ? String(t.users.leader.id) : n === 'code' ? t.tasks.own : n === 'tokenId' ? 'aaaaaaaaaaaaaaaa' : 'x',
  );

function bodyFor(contentType: string): BodyInit {
  if (contentType.startsWith('multipart')) {
    const f = new FormData();
    f.set('username', 'chuyenvien');
    f.set('password', 'mật khẩu thử nghiệm đủ dài');
    return f;
  }
  if (contentType === 'application/json')
    return JSON.stringify({ username: 'chuyenvien', password: 'mật khẩu thử nghiệm đủ dài' });
  return 'username=chuyenvien&password=x&display_name=Evil&role=admin&agency_id=';
}

describe('CSRF', () => {
  const contentTypes = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain', 'application/json'];
  const hostile: Array<[string, Record<string, string>]> = [
    ['hostile Origin', { origin: 'https://evil.example' }],
    ['cross-site Sec-Fetch-Site without Origin', { 'sec-fetch-site': 'cross-site' }],
    ['hostile Origin and same-site fetch', { origin: 'http://localhost:3001', 'sec-fetch-site': 'same-site' }],
    ['neither header', {}],
  ];
  it('refuses every mutating route × content type × hostile source, changing nothing', async () => {
    const t = makeTestApp();
    const cookie = await t.cookieFor('admin');
    const routes = mutatingRoutes(t);
    expect(routes.length).toBeGreaterThanOrEqual(8);
    const before = snapshot(t);
    for (const r of routes) {
      for (const ct of contentTypes) {
        for (const [label, headers] of hostile) {
          const init: RequestInit = { method: r.method, headers: { cookie, ...headers }, body: bodyFor(ct) };
          if (!ct.startsWith('multipart')) (init.headers as Record<string, string>)['content-type'] = ct;
          const res = await t.app.request(fill(t, r.path), init);
          // /api/v1 takes JSON only (415 first) and a bearer token, never the cookie (401)
          const api = r.path.startsWith('/api/');
          const expected = api ? (ct === 'application/json' ? 401 : 415) : ct === 'application/json' ? 415 : 403;
          expect(res.status, `${r.method} ${r.path} ${ct} ${label}`).toBe(expected);
        }
      }
    }
    expect(snapshot(t)).toBe(before);
    // each CSRF refusal is audited (the JSON ones are refused earlier, by content type)
    const refused = t.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'csrf.refused'").get() as {
      n: number;
    };
    expect(refused.n).toBe(
      routes.filter((r) => !r.path.startsWith('/api/')).length * (contentTypes.length - 1) * hostile.length,
    );
  });

  it('accepts the configured origin or Sec-Fetch-Site: same-origin', async () => {
    const t = makeTestApp();
    const viaOrigin = await t.login('chuyenvien');
    expect(viaOrigin.status).toBe(303);
    const viaFetchSite = await t.app.request('/admin/login', {
      method: 'POST',
      headers: { 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'chuyenvien', password: 'mật khẩu thử nghiệm đủ dài' }).toString(),
    });
    expect(viaFetchSite.status).toBe(303);
  });

  it('no state change on GET: logout by GET does nothing', async () => {
    const t = makeTestApp();
    const cookie = await t.cookieFor('leader');
    expect((await t.get('/admin/logout', cookie)).status).toBe(404);
    expect((await t.get('/admin', cookie)).status).toBe(200);
  });
});

describe('security headers', () => {
  it('sets CSP without inline script/style, frame-ancestors none, nosniff, referrer policy, no-store on admin pages', async () => {
    const t = makeTestApp();
    const cookie = await t.cookieFor('specialist');
    for (const path of ['/admin/login', '/admin', '/admin/nope']) {
      const res = await t.get(path, path === '/admin/login' ? undefined : cookie);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp, path).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('strict-transport-security')).toBeNull(); // plain-HTTP dev mode
      const html = await res.text();
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/i);
      expect(html).not.toMatch(/\sstyle=/i);
      expect(html).not.toMatch(/<style/i);
    }
  });

  it('sends HSTS for one year over https', async () => {
    const t = makeTestApp({ env: { ORIGIN: 'https://nhiemvu.example.vn' } });
    const res = await t.get('/admin/login');
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });

  it('serves the admin stylesheet with a CSS content type', async () => {
    const t = makeTestApp();
    const res = await t.get('/admin/static/admin.css');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await t.get('/admin/static/../app.ts')).status).toBe(404);
    expect((await t.get('/admin/static/%2e%2e%2fapp.ts')).status).toBe(404);
  });
});

describe('body limits and errors', () => {
  it('refuses a form body over the limit with 413 and a Vietnamese message', async () => {
    const t = makeTestApp();
    const res = await t.app.request('/admin/login', {
      method: 'POST',
      headers: { origin: TEST_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: `username=${'a'.repeat(300 * 1024)}`,
    });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('Dữ liệu gửi lên quá lớn.');
  });

  it('domain errors become their status with the Vietnamese message', async () => {
    const t = makeTestApp();
    const cookie = await t.cookieFor('admin');
    const res = await t.get('/admin/users/99999', cookie);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Không tìm thấy tài khoản.');
  });

  it('unexpected errors give a generic 500 without the stack', async () => {
    const t = makeTestApp({ env: { NODE_ENV: 'test' } });
    t.app.get('/admin/boom', () => {
      throw new Error('secret internal detail');
    });
    const res = await t.get('/admin/boom');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).toContain('Đã có lỗi hệ thống');
    expect(text).not.toContain('secret internal detail');
  });

  it('unknown admin pages get a Vietnamese 404', async () => {
    const t = makeTestApp();
    const res = await t.get('/admin/khong-co');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Không tìm thấy');
  });
});

describe('public release at /', () => {
  function withSite(): TestApp {
    const dir = mkdtempSync(join(tmpdir(), 'site-'));
    mkdirSync(join(dir, 'don-vi'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Trang chủ</title><h1>Số liệu</h1>');
    writeFileSync(join(dir, 'don-vi', 'index.html'), '<h1>Đơn vị</h1>');
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'data.json'), '{"a":1}');
    writeFileSync(join(dir, 'style.css'), 'body{}');
    writeFileSync(join(dir, 'so-lieu.xlsx'), 'PK\u0003\u0004');
    writeFileSync(join(dir, '404.html'), '<h1>Trang không tồn tại (release)</h1>');
    writeFileSync(join(dir, '..', 'outside-secret.txt'), 'secret');
    return makeTestApp({ env: { SITE_DIR: dir } });
  }

  it('serves files with their content types and folders by index.html', async () => {
    const t = withSite();
    let res = await t.get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('Số liệu');
    res = await t.get('/don-vi/');
    expect(await res.text()).toContain('Đơn vị');
    expect((await t.get('/data.json')).headers.get('content-type')).toMatch(/^application\/json/);
    expect((await t.get('/style.css')).headers.get('content-type')).toMatch(/^text\/css/);
    expect((await t.get('/style.css')).headers.get('content-security-policy')).toContain("script-src 'self'");
    // the open data's spreadsheets with their real media type (not octet-stream)
    expect((await t.get('/so-lieu.xlsx')).headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
  });

  it('404 from the release; no directory listing; no traversal', async () => {
    const t = withSite();
    for (const p of [
      '/khong-co',
      '/empty/',
      '/../outside-secret.txt',
      '/%2e%2e/outside-secret.txt',
      '/..%2foutside-secret.txt',
      '//etc/passwd',
    ]) {
      const res = await t.get(p);
      expect(res.status, p).toBe(404);
      const text = await res.text();
      expect(text, p).not.toContain('secret');
    }
    expect(await (await t.get('/khong-co')).text()).toContain('Trang không tồn tại (release)');
  });

  it('gzips public pages for clients that accept it, never the admin pages', async () => {
    const t = withSite();
    writeFileSync(
      join(resolve(t.env.siteDir), 'big.html'),
      `<!doctype html><title>x</title>${'<p>Số liệu công khai</p>'.repeat(200)}`,
    );
    const gz = await t.app.request('/big.html', { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    const plain = new TextDecoder().decode(gunzipSync(Buffer.from(await gz.arrayBuffer())));
    expect(plain).toContain('Số liệu công khai');
    const identity = await t.app.request('/big.html');
    expect(identity.headers.get('content-encoding')).toBeNull();
    const admin = await t.app.request('/admin/login', { headers: { 'accept-encoding': 'gzip' } });
    expect(admin.status).toBe(200);
    expect(admin.headers.get('content-encoding')).toBeNull();
  });

  it('without a release, / answers a Vietnamese 404', async () => {
    const t = makeTestApp();
    const res = await t.get('/');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Không tìm thấy trang');
  });
});
