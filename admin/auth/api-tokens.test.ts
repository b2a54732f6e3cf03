import { describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../test/support/admin-app.ts';
import { requirePermission } from './permissions.ts';
import { createApiClient, issueApiToken, validateApiToken } from './api-tokens.ts';

function withApiProbe(t: TestApp): TestApp {
  t.app.get('/api/v1/probe', requirePermission('task.read'), (c) => c.json({ principal: c.get('principal') }));
  t.app.post('/api/v1/probe', requirePermission('task.create'), (c) => c.json({ ok: true }));
  return t;
}

describe('API bearer tokens', () => {
  it('an administrator creates a client, issues a token shown once, and revokes it', async () => {
    const t = withApiProbe(makeTestApp());
    const admin = await t.cookieFor('admin');
    let res = await t.post('/admin/api-clients', { name: 'Quản lý văn bản', role: 'specialist', agency_id: '' }, admin);
    expect(res.status).toBe(303);
    const clientPath = res.headers.get('location')!;
    res = await t.post(`${clientPath}/tokens`, { label: 'máy chủ QLVB' }, admin);
    expect(res.status).toBe(201);
    const token = /class="secret">(tnv_[^<]+)</.exec(await res.text())![1]!;
    const call = () => t.app.request('/api/v1/probe', { headers: { authorization: `Bearer ${token}` } });
    res = await call();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ principal: { kind: 'api', name: 'Quản lý văn bản', role: 'specialist' } });
    const tokenId = token.slice(4, 20);
    expect(JSON.stringify(t.db.prepare('SELECT * FROM api_tokens').all())).not.toContain(token.slice(21));
    res = await t.post(`${clientPath}/tokens/${tokenId}/revoke`, {}, admin);
    expect(res.status).toBe(303);
    res = await call();
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'http_401', message: 'Cần xác thực (Bearer token).' } });
    const actions = (
      t.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'apiClient.%' ORDER BY id").all() as Array<{
        action: string;
      }>
    ).map((r) => r.action);
    expect(actions).toEqual(['apiClient.create', 'apiClient.token_issue', 'apiClient.token_revoke']);
  });

  it('scopes a client like its role, refuses non-JSON writes, audits every call', async () => {
    const t = withApiProbe(makeTestApp());
    const leaderClient = createApiClient(t.db, {
      name: 'Báo cáo quốc gia',
      role: 'leader',
      agencyId: null,
      createdBy: null,
    });
    const { token } = issueApiToken(t.db, leaderClient, t.clock.now);
    const auth = { authorization: `Bearer ${token}` };
    expect((await t.app.request('/api/v1/probe', { headers: auth })).status).toBe(200);
    const write = await t.app.request('/api/v1/probe', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(write.status).toBe(403);
    expect((await write.json()).error.message).toBe('Bạn không có quyền thực hiện thao tác này.');
    const form = await t.app.request('/api/v1/probe', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(form.status).toBe(415);
    // a session cookie does not authenticate the API
    const cookie = await t.cookieFor('specialist');
    expect((await t.app.request('/api/v1/probe', { headers: { cookie } })).status).toBe(401);
    const calls = t.db
      .prepare(
        "SELECT actor_kind, actor_name, target_id, json_extract(details, '$.status') AS status FROM audit_log WHERE action = 'api.call' ORDER BY id",
      )
      .all();
    expect(calls).toEqual([
      { actor_kind: 'api', actor_name: 'Báo cáo quốc gia', target_id: 'GET /api/v1/probe', status: 200 },
      { actor_kind: 'api', actor_name: 'Báo cáo quốc gia', target_id: 'POST /api/v1/probe', status: 403 },
      { actor_kind: 'api', actor_name: 'Báo cáo quốc gia', target_id: 'POST /api/v1/probe', status: 415 },
      { actor_kind: 'anonymous', actor_name: '', target_id: 'GET /api/v1/probe', status: 401 },
    ]);
  });

  it('refuses expired, malformed and disabled-client tokens; validates client input', () => {
    const t = makeTestApp();
    const id = createApiClient(t.db, { name: 'Đơn vị A', role: 'agency', agencyId: t.agencies.a, createdBy: null });
    const expired = issueApiToken(t.db, id, t.clock.now, { expiresAt: new Date(t.clock.now.getTime() + 1000) });
    expect(validateApiToken(t.db, `Bearer ${expired.token}`, t.clock.now)?.agencyId).toBe(t.agencies.a);
    expect(validateApiToken(t.db, `Bearer ${expired.token}`, new Date(t.clock.now.getTime() + 1000))).toBeNull();
    expect(validateApiToken(t.db, `Bearer ${expired.token}x`, t.clock.now)).toBeNull();
    expect(validateApiToken(t.db, expired.token, t.clock.now)).toBeNull();
    const live = issueApiToken(t.db, id, t.clock.now);
    t.db.prepare('UPDATE api_clients SET disabled = 1 WHERE id = ?').run(id);
    expect(validateApiToken(t.db, `Bearer ${live.token}`, t.clock.now)).toBeNull();
    expect(() => createApiClient(t.db, { name: 'X', role: 'leader', agencyId: null, createdBy: null })).toThrow(
      /3 đến 100/,
    );
    expect(() => createApiClient(t.db, { name: 'Quản trị', role: 'admin', agencyId: null, createdBy: null })).toThrow(
      /phạm vi quyền/,
    );
    expect(() =>
      createApiClient(t.db, { name: 'Không đơn vị', role: 'agency', agencyId: null, createdBy: null }),
    ).toThrow(/đơn vị/);
  });
});
