/**
 * The integration API through app.request: tokens, scopes (agency clients see and change only their own tasks),
 * the domain rules, validation and the error envelope. Responses are also checked against their OpenAPI (zod)
 * schemas by mount() in every test, since NODE_ENV is 'test'.
 */
import { describe, expect, it } from 'vitest';
import { rowCounts } from '../test/support/api.ts';
import { revokeApiToken } from '../auth/api-tokens.ts';
import { computeStats, statsJson } from '../domain/stats.ts';
import { auditActions, setup, validTask } from '../test/support/api-world.ts';

describe('authentication', () => {
  it('401 JSON without a token, with a malformed, unknown, revoked or expired one; every call audited', async () => {
    const { t, api, tk } = setup();
    expect((await api.call(tk.leader, 'GET', '/api/v1/agencies')).status).toBe(200);
    for (const token of [null, 'garbage', `${tk.leader}x`, 'tnv_aaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb']) {
      const r = await api.call(token, 'GET', '/api/v1/agencies');
      expect(r.status, String(token)).toBe(401);
      expect(r.json).toEqual({ error: { code: 'http_401', message: 'Cần xác thực (Bearer token).' } });
    }
    revokeApiToken(t.db, tk.leader.slice(4, 20), t.clock.now);
    expect((await api.call(tk.leader, 'GET', '/api/v1/agencies')).status).toBe(401);
    // expiry
    t.db
      .prepare('UPDATE api_tokens SET expires_at = ? WHERE revoked_at IS NULL')
      .run(new Date(t.clock.now.getTime() + 60_000).toISOString());
    expect((await api.call(tk.specialist, 'GET', '/api/v1/agencies')).status).toBe(200);
    t.clock.now = new Date(t.clock.now.getTime() + 61_000);
    expect((await api.call(tk.specialist, 'GET', '/api/v1/agencies')).status).toBe(401);
    // POST without a token: 401 before any body handling
    expect((await api.call(null, 'POST', '/api/v1/tasks', validTask())).status).toBe(401);
    const calls = auditActions(t, 'api.call');
    expect(calls).toHaveLength(9);
    expect(calls.filter((c) => c.actor_kind === 'anonymous').map((c) => JSON.parse(c.details).status)).toEqual([
      401, 401, 401, 401, 401, 401, 401,
    ]);
  });

  it('a session cookie does not open the API, and the API token does not open the admin panel', async () => {
    const { t, api, tk } = setup();
    const cookie = await t.cookieFor('specialist');
    expect((await api.call(null, 'GET', '/api/v1/tasks', undefined, { cookie })).status).toBe(401);
    const admin = await api.call(tk.specialist, 'GET', `/admin/tasks/${t.tasks.own}`);
    expect(admin.status).toBe(302);
  });
});

describe('GET /api/v1/agencies', () => {
  it('lists agencies with status and successor; reads one by code; 404 JSON', async () => {
    const { t, api, tk } = setup();
    t.db.prepare("UPDATE agencies SET successor_id = ?, merged_on = '2026-02-01' WHERE code = 'SYT'").run(t.agencies.a);
    const list = await api.call(tk.agency, 'GET', '/api/v1/agencies');
    expect(list.status).toBe(200);
    expect(list.json.items.map((a: { code: string }) => a.code)).toEqual(['STC', 'SYT', 'UBND-HX']);
    expect(list.json.items[1]).toEqual({
      code: 'SYT',
      name: 'Sở Y tế',
      kind: 'department',
      status: 'merged',
      successor: 'STC',
      mergedOn: '2026-02-01',
      dissolvedOn: null,
    });
    const active = await api.call(tk.leader, 'GET', '/api/v1/agencies?status=active');
    expect(active.json.items.map((a: { code: string }) => a.code)).toEqual(['STC', 'UBND-HX']);
    const one = await api.call(tk.leader, 'GET', '/api/v1/agencies/ubnd-hx');
    expect(one.json).toMatchObject({
      code: 'UBND-HX',
      name: 'UBND huyện X',
      kind: 'district',
      status: 'active',
      successor: null,
    });
    const missing = await api.call(tk.leader, 'GET', '/api/v1/agencies/KHONGCO');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: { code: 'not_found', message: 'Không tìm thấy đơn vị có mã này.' } });
    const bad = await api.call(tk.leader, 'GET', '/api/v1/agencies?status=x&foo=1');
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('validation');
    expect(bad.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['foo', 'status']);
    const route404 = await api.call(tk.leader, 'GET', '/api/v1/khong-co');
    expect(route404.status).toBe(404);
    expect(route404.json.error.code).toBe('not_found');
  });
});

describe('tasks: scope', () => {
  it('an agency client lists and reads only the tasks its agency leads or coordinates; others are 403 and audited', async () => {
    const { t, api, tk } = setup();
    const mine = await api.call(tk.agency, 'GET', '/api/v1/tasks?sort=code');
    expect(mine.status).toBe(200);
    expect(mine.json.items.map((x: { code: string }) => x.code).sort()).toEqual(
      [t.tasks.own, t.tasks.coordinated].sort(),
    );
    expect(mine.json.total).toBe(2);
    const all = await api.call(tk.leader, 'GET', '/api/v1/tasks');
    expect(all.json.total).toBe(3);
    const c = await api.call(tk.agencyC, 'GET', '/api/v1/tasks');
    expect(c.json.items.map((x: { code: string }) => x.code)).toEqual([t.tasks.other]);
    // same filters as the admin list: agency + role, text without diacritics, status as of a date
    const coord = await api.call(tk.specialist, 'GET', '/api/v1/tasks?agency=STC&role=coordinator');
    expect(coord.json.items.map((x: { code: string }) => x.code)).toEqual([t.tasks.coordinated]);
    const text = await api.call(tk.specialist, 'GET', '/api/v1/tasks?q=ke+hoach+tai+chinh');
    expect(text.json.items.map((x: { code: string }) => x.code)).toEqual([t.tasks.own]);
    const overdue = await api.call(tk.specialist, 'GET', '/api/v1/tasks?status=overdue&asOf=2026-07-01');
    expect(overdue.json.total).toBe(3);
    expect(overdue.json.asOf).toBe('2026-07-01');
    expect(overdue.json.items[0].status).toMatchObject({ asOf: '2026-07-01', category: 'overdue', overdueDays: 1 });
    const bad = await api.call(tk.specialist, 'GET', '/api/v1/tasks?status=late&pageSize=1000&agency=NOPE&zzz=1');
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['pageSize', 'status', 'zzz']);

    const own = await api.call(tk.agency, 'GET', `/api/v1/tasks/${t.tasks.own}`);
    expect(own.status).toBe(200);
    expect(own.json).toMatchObject({
      code: t.tasks.own,
      leadAgency: 'STC',
      coordinatingAgencies: ['SYT'],
      deadline: '2026-06-30',
      status: { asOf: '2026-03-02', category: 'inProgress' },
    });
    expect(own.json.events.map((e: { kind: string }) => e.kind)).toEqual(['assigned']);
    expect((await api.call(tk.agency, 'GET', `/api/v1/tasks/${t.tasks.coordinated}`)).status).toBe(200);
    const other = await api.call(tk.agency, 'GET', `/api/v1/tasks/${t.tasks.other}`);
    expect(other.status).toBe(403);
    expect(other.json.error.message).toBe('Bạn không có quyền thực hiện thao tác này.');
    expect(JSON.stringify(other.json)).not.toContain('Sắp xếp');
    const denied = auditActions(t, 'access.denied');
    expect(denied.map((d) => [d.actor_kind, d.actor_name, d.target_type, d.target_id])).toEqual([
      ['api', 'QLVB Sở Tài chính', 'task', t.tasks.other],
    ]);
    expect((await api.call(tk.agency, 'GET', '/api/v1/tasks/NV-2026-99999')).status).toBe(404);
    expect((await api.call(tk.agency, 'GET', '/api/v1/tasks/bad%20code')).status).toBe(400);
  });
});

describe('POST /api/v1/tasks', () => {
  it('the Office creates a task (audited in the same transaction); other scopes are refused', async () => {
    const { t, api, tk } = setup();
    const r = await api.call(tk.specialist, 'POST', '/api/v1/tasks', validTask({ starred: true }));
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      code: 'NV-2026-00004',
      leadAgency: 'STC',
      coordinatingAgencies: ['SYT'],
      starred: true,
      confidential: false,
      status: { category: 'inProgress' },
    });
    const audit = auditActions(t, 'task.create');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_kind: 'api',
      actor_name: 'QLVB Văn phòng UBND tỉnh',
      target_id: 'NV-2026-00004',
    });
    for (const who of ['agency', 'confirmer', 'leader'] as const) {
      const before = rowCounts(t);
      const refused = await api.call(tk[who], 'POST', '/api/v1/tasks', validTask());
      expect(refused.status, who).toBe(403);
      expect(rowCounts(t)).toEqual(before);
    }
  });

  it('refuses bad input field by field, in Vietnamese, writing nothing', async () => {
    const { t, api, tk } = setup();
    const before = rowCounts(t);
    const cases: Array<[unknown, string[]]> = [
      [{ ...validTask(), title: '' }, ['title']],
      [{ ...validTask(), extra: 1 }, ['extra']],
      [{ ...validTask(), deadline: '2026-02-01' }, ['deadline']],
      [{ ...validTask(), deadline: null }, ['noDeadlineReason']],
      [{ ...validTask(), assignedOn: '2026-02-30' }, ['assignedOn']],
      [{ ...validTask(), assignedOn: '01/03/2026' }, ['assignedOn']],
      [
        { ...validTask(), leadAgency: 'NOPE', coordinatingAgencies: ['STC', 'XX'] },
        ['coordinatingAgencies.1', 'leadAgency'],
      ],
      [{ ...validTask(), coordinatingAgencies: ['STC'] }, ['coordinatingAgencies.0']],
      [{ ...validTask(), assignedOn: '2026-03-05', deadline: '2026-04-01' }, ['assignedOn']],
      [{ ...validTask(), leaderId: 999, sector: 'KHONG', documentId: 77 }, ['documentId', 'leaderId', 'sector']],
      [{ ...validTask(), starred: 'yes', confidential: 1 }, ['confidential', 'starred']],
      [[validTask()], ['']],
      ['"text"', ['']],
      [{}, ['assignedOn', 'deadline', 'leadAgency', 'title']],
    ];
    for (const [body, paths] of cases) {
      const r = await api.call(tk.specialist, 'POST', '/api/v1/tasks', body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.json.error.code).toBe('validation');
      expect(r.json.error.message).toMatch(/không hợp lệ/);
      expect(r.json.error.issues.map((i: { path: string }) => i.path).sort(), JSON.stringify(body)).toEqual(paths);
      for (const i of r.json.error.issues)
        expect(i.message, i.path).toMatch(/[ạảãáàâầấậẫẩăằắặẵẳđêềếệễểôồốộỗổơờớợỡởưừứựữửíìịĩỉýỳỵỹỷ]/i);
    }
    expect(rowCounts(t)).toEqual(before);
  });

  it('415 for other content types, 400 for malformed or empty JSON, 413 for oversized bodies; never a stack', async () => {
    const { t, api, tk } = setup();
    const before = rowCounts(t);
    const form = await api.call(tk.specialist, 'POST', '/api/v1/tasks', 'title=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
    expect(form.json.error.message).toBe('API chỉ chấp nhận dữ liệu application/json.');
    const text = await api.call(tk.specialist, 'POST', '/api/v1/tasks', '{}', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    for (const body of ['{"title": ', '{title: 1}', "{'a':1}", '\u0000', '']) {
      const r = await api.call(tk.specialist, 'POST', '/api/v1/tasks', body, { 'content-type': 'application/json' });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.code).toBe('malformed_json');
      expect(JSON.stringify(r.json)).not.toMatch(/at .*\.ts|SyntaxError/);
    }
    const huge = await api.call(
      tk.specialist,
      'POST',
      '/api/v1/tasks',
      JSON.stringify({ ...validTask(), content: 'x'.repeat(300_000) }),
    );
    expect(huge.status).toBe(413);
    expect(huge.json.error.code).toBe('http_413');
    const long = await api.call(tk.specialist, 'POST', '/api/v1/tasks', {
      ...validTask(),
      content: 'x'.repeat(10_001),
    });
    expect(long.status).toBe(422);
    expect(long.json.error.issues).toEqual([{ path: 'content', message: 'Tối đa 10000 ký tự.' }]);
    expect(rowCounts(t)).toEqual(before);
    // refusals before any route (content type, size) are audited like every other call, with the client
    const statuses = auditActions(t, 'api.call').map((c) => [c.actor_name, JSON.parse(c.details).status]);
    expect(statuses).toEqual([415, 415, 400, 400, 400, 400, 400, 413, 422].map((s) => ['QLVB Văn phòng UBND tỉnh', s]));
  });
});

describe('GET /api/v1/stats', () => {
  it('gives the same JSON as npm run stats; agency clients get their own agency only', async () => {
    const { t, api, tk } = setup();
    const all = await api.call(tk.leader, 'GET', '/api/v1/stats?asOf=2026-07-01');
    expect(all.status).toBe(200);
    expect(all.json).toEqual(statsJson(computeStats(t.db, '2026-07-01')));
    expect(all.json.totals).toMatchObject({ total: 3, overdue: 3, due: 3, onTimeRate: 0, overdueRate: 1 });
    expect(Object.keys(all.json.totals)).toEqual([
      'total',
      'completedOnTime',
      'completedLate',
      'inProgress',
      'overdue',
      'noDeadline',
      'awaitingConfirmation',
      'dueSoon',
      'overdueOver30',
      'overdueOver60',
      'overdueOver120',
      'due',
      'completionRate',
      'onTimeRate',
      'overdueRate',
    ]);
    const one = await api.call(tk.specialist, 'GET', '/api/v1/stats?asOf=2026-03-01&agency=syt');
    expect(one.json).toEqual(statsJson(computeStats(t.db, '2026-03-01', { agencyId: t.agencies.b })));
    const today = await api.call(tk.specialist, 'GET', '/api/v1/stats');
    expect(today.json.asOf).toBe('2026-03-02');
    const own = await api.call(tk.agency, 'GET', '/api/v1/stats?asOf=2026-03-01');
    expect(own.json.agencies.map((a: { code: string }) => a.code)).toEqual(['STC']);
    expect(own.json.totals.total).toBe(1);
    expect((await api.call(tk.agency, 'GET', '/api/v1/stats?agency=STC')).status).toBe(200);
    expect((await api.call(tk.agency, 'GET', '/api/v1/stats?agency=SYT')).status).toBe(403);
    const bad = await api.call(tk.leader, 'GET', '/api/v1/stats?asOf=30/06/2026&agency=NOPE');
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues.map((i: { path: string }) => i.path)).toEqual(['asOf']);
    expect((await api.call(tk.leader, 'GET', '/api/v1/stats?agency=NOPE')).json.error.issues).toEqual([
      { path: 'agency', message: 'Không có đơn vị mã "NOPE".' },
    ]);
  });
});
