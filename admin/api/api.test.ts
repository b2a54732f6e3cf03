/**
 * The integration API through app.request: tokens, scopes (agency clients see and change only their own tasks),
 * the domain rules, validation and the error envelope. Responses are also checked against their OpenAPI (zod)
 * schemas by mount() in every test, since NODE_ENV is 'test'.
 */
import { describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../test/support/admin-app.ts';
import { rowCounts, withApiClients } from '../test/support/api.ts';
import { revokeApiToken } from '../auth/api-tokens.ts';
import { computeStats, statsJson } from '../domain/stats.ts';
import { samplePdf } from '../test/fixtures/files.ts';

function setup() {
  const t = makeTestApp();
  const api = withApiClients(t);
  const leaderId = Number(
    t.db.prepare("INSERT INTO leaders (name, title) VALUES ('Trần Văn Chủ', 'Chủ tịch UBND tỉnh')").run()
      .lastInsertRowid,
  );
  return { t, api, tk: api.tokens, leaderId };
}

const pdf = (name = 'Báo cáo kết quả.pdf') => ({ name, contentBase64: Buffer.from(samplePdf()).toString('base64') });

const validTask = (over: Record<string, unknown> = {}) => ({
  title: 'Báo cáo tình hình giải ngân vốn đầu tư công',
  leadAgency: 'STC',
  coordinatingAgencies: ['SYT'],
  assignedOn: '2026-03-01',
  deadline: '2026-04-15',
  ...over,
});

const docTask = (leaderId: number, over: Record<string, unknown> = {}) => {
  const { assignedOn: _a, ...rest } = validTask({ leaderId, ...over });
  return rest;
};

const validDocument = (leaderId: number, over: Record<string, unknown> = {}) => ({
  number: '1147/UBND-KSTT',
  type: 'Công văn',
  issuedOn: '2026-02-27',
  signerId: leaderId,
  summary: 'Triển khai nhiệm vụ quý I',
  tasks: [
    docTask(leaderId),
    docTask(leaderId, { title: 'Kiểm tra an toàn thực phẩm', leadAgency: 'SYT', coordinatingAgencies: [] }),
    docTask(leaderId, {
      title: 'Rà soát đơn vị hành chính',
      leadAgency: 'UBND-HX',
      coordinatingAgencies: ['STC'],
      deadline: null,
      noDeadlineReason: 'Theo tiến độ của Trung ương',
    }),
  ],
  ...over,
});

function auditActions(t: TestApp, action: string) {
  return t.db
    .prepare(
      'SELECT actor_kind, actor_name, target_type, target_id, details FROM audit_log WHERE action = ? ORDER BY id',
    )
    .all(action) as Array<{
    actor_kind: string;
    actor_name: string;
    target_type: string;
    target_id: string;
    details: string;
  }>;
}

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

describe('POST /api/v1/tasks/:code/events', () => {
  it('the life of a task through the API, with the rules: one extension only, confirmation only after a report', async () => {
    const { t, api, tk } = setup();
    const ev = (token: string, body: unknown, code = t.tasks.own) =>
      api.call(token, 'POST', `/api/v1/tasks/${code}/events`, body);
    expect((await ev(tk.agency, { kind: 'received' })).status).toBe(201);
    const again = await ev(tk.agency, { kind: 'received' });
    expect(again.status).toBe(409);
    expect(again.json.error).toEqual({
      code: 'already_received',
      message: 'Đơn vị đã xác nhận tiếp nhận nhiệm vụ này.',
    });
    expect((await ev(tk.agency, { kind: 'progress', note: 'Đã họp triển khai' })).status).toBe(201);
    const early = await ev(tk.confirmer, { kind: 'confirmed' });
    expect(early.status).toBe(409);
    expect(early.json.error.code).toBe('no_report');
    const req = await ev(tk.agency, {
      kind: 'extension_requested',
      newDeadline: '2026-07-31',
      note: 'Chờ số liệu quý II',
    });
    expect(req.status).toBe(201);
    expect(req.json.event).toMatchObject({
      kind: 'extension_requested',
      newDeadline: '2026-07-31',
      agency: 'STC',
      occurredOn: '2026-03-02',
    });
    const second = await ev(tk.agency, { kind: 'extension_requested', newDeadline: '2026-08-31', note: 'Xin thêm' });
    expect(second.status).toBe(409);
    expect(second.json.error.code).toBe('extension_limit');
    expect(second.json.error.message).toMatch(/tối đa một lần/);
    // deciding is the working group's, not the unit's nor the Office's
    expect((await ev(tk.agency, { kind: 'extension_approved', newDeadline: '2026-07-31' })).status).toBe(403);
    expect((await ev(tk.specialist, { kind: 'extension_approved', newDeadline: '2026-07-31' })).status).toBe(403);
    const approved = await ev(tk.confirmer, { kind: 'extension_approved', newDeadline: '2026-07-31' });
    expect(approved.status).toBe(201);
    expect(approved.json.task).toMatchObject({
      deadline: '2026-06-30',
      extendedDeadline: '2026-07-31',
      status: { effectiveDeadline: '2026-07-31' },
    });
    expect(
      (await ev(tk.agency, { kind: 'extension_requested', newDeadline: '2026-09-30', note: 'Lần nữa' })).status,
    ).toBe(409);
    expect((await ev(tk.specialist, { kind: 'urged', note: 'Đề nghị báo cáo đúng hạn' })).status).toBe(201);
    // a result report needs a file, checked by content
    const noFile = await ev(tk.agency, { kind: 'reported', note: 'Đã hoàn thành', files: [] });
    expect(noFile.status).toBe(422);
    expect(noFile.json.error.issues.map((i: { path: string }) => i.path)).toEqual(['files']);
    const fake = await ev(tk.agency, {
      kind: 'reported',
      note: 'Đã hoàn thành',
      files: [{ name: 'bao-cao.pdf', contentBase64: Buffer.from('<html>not a pdf</html>').toString('base64') }],
    });
    expect(fake.status).toBe(422);
    expect(fake.json.error.issues[0]).toMatchObject({ path: 'files.0' });
    expect(fake.json.error.issues[0].message).toMatch(/không đúng định dạng/);
    const reported = await ev(tk.agency, { kind: 'reported', note: 'Đã hoàn thành', files: [pdf()] });
    expect(reported.status).toBe(201);
    expect(reported.json.event.files).toEqual([
      { id: expect.any(Number), name: 'Báo cáo kết quả.pdf', mime: 'application/pdf', size: samplePdf().length },
    ]);
    const confirmed = await ev(tk.confirmer, { kind: 'confirmed' });
    expect(confirmed.status).toBe(201);
    expect(confirmed.json.task).toMatchObject({
      completedOn: '2026-03-02',
      confirmedOn: '2026-03-02',
      status: { category: 'completedOnTime' },
    });
    const read = await api.call(tk.agency, 'GET', `/api/v1/tasks/${t.tasks.own}`);
    expect(read.json.events.map((e: { kind: string }) => e.kind)).toEqual([
      'assigned',
      'received',
      'progress',
      'extension_requested',
      'extension_approved',
      'urged',
      'reported',
      'confirmed',
    ]);
    // each write audited by the shared action code, with the API client as actor
    expect(auditActions(t, 'task.confirmed').map((a) => [a.actor_kind, a.actor_name, a.target_id])).toEqual([
      ['api', 'Phần mềm Tổ công tác', t.tasks.own],
    ]);
    expect(auditActions(t, 'task.extension_requested')).toHaveLength(1);
  });

  it('report files can be downloaded by those who may read the task, with the original name', async () => {
    const { t, api, tk } = setup();
    const ev = (token: string, body: unknown) => api.call(token, 'POST', `/api/v1/tasks/${t.tasks.own}/events`, body);
    expect((await ev(tk.agency, { kind: 'received' })).status).toBe(201);
    const reported = await ev(tk.agency, { kind: 'reported', note: 'Xong', files: [pdf('Báo cáo số 12.pdf')] });
    const fileId = reported.json.event.files[0].id as number;
    for (const who of ['agency', 'agencyB', 'leader', 'confirmer', 'specialist'] as const) {
      const res = await t.app.request(`/api/v1/files/${fileId}`, { headers: { authorization: `Bearer ${tk[who]}` } });
      expect(res.status, who).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''B%C3%A1o%20c%C3%A1o");
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(samplePdf());
    }
    const c = await api.call(tk.agencyC, 'GET', `/api/v1/files/${fileId}`);
    expect(c.status).toBe(403);
    expect(auditActions(t, 'access.denied').at(-1)).toMatchObject({ target_type: 'file', target_id: String(fileId) });
    expect((await api.call(tk.leader, 'GET', '/api/v1/files/99999')).status).toBe(404);
    expect((await api.call(null, 'GET', `/api/v1/files/${fileId}`)).status).toBe(401);
  });

  it('agency clients write only on tasks their agency leads; leaders write nothing; refusals write nothing', async () => {
    const { t, api, tk } = setup();
    const before = rowCounts(t);
    const ev = (token: string, code: string, body: unknown) =>
      api.call(token, 'POST', `/api/v1/tasks/${code}/events`, body);
    // agency A coordinates `coordinated` (may read it) but does not lead it
    expect((await ev(tk.agency, t.tasks.coordinated, { kind: 'received' })).status).toBe(403);
    expect((await ev(tk.agency, t.tasks.other, { kind: 'received' })).status).toBe(403);
    expect((await ev(tk.agencyB, t.tasks.own, { kind: 'reported', note: 'x', files: [pdf()] })).status).toBe(403);
    expect((await ev(tk.leader, t.tasks.own, { kind: 'urged' })).status).toBe(403);
    expect((await ev(tk.specialist, t.tasks.own, { kind: 'received' })).status).toBe(403);
    expect((await ev(tk.confirmer, t.tasks.own, { kind: 'cancelled', note: 'x' })).status).toBe(403);
    expect(rowCounts(t)).toEqual(before);
    const denied = auditActions(t, 'access.denied').map((d) => JSON.parse(d.details).permission);
    expect(denied).toEqual(['task.receive', 'task.read', 'task.report', 'task.urge', 'task.receive', 'task.cancel']);
  });

  it('validates the event body per kind', async () => {
    const { t, api, tk } = setup();
    const before = rowCounts(t);
    const ev = (body: unknown, token: string) => api.call(token, 'POST', `/api/v1/tasks/${t.tasks.own}/events`, body);
    const cases: Array<[unknown, string, string[]]> = [
      [{ kind: 'finished' }, tk.agency, ['kind']],
      [{ kind: 'assigned' }, tk.agency, ['kind']],
      [{}, tk.agency, ['kind']],
      [{ kind: 'received', newDeadline: '2026-09-01' }, tk.agency, ['newDeadline']],
      [{ kind: 'received', occurredOn: '2026-03-01' }, tk.agency, ['occurredOn']],
      [{ kind: 'progress' }, tk.agency, ['note']],
      [{ kind: 'reported', note: 'x' }, tk.agency, ['files']],
      [
        { kind: 'reported', note: 'x', files: [{ name: 'a.pdf', contentBase64: 'không phải base64' }] },
        tk.agency,
        ['files.0.contentBase64'],
      ],
      [{ kind: 'explanation_submitted' }, tk.agency, ['note']],
      [{ kind: 'extension_requested', note: 'x' }, tk.agency, ['newDeadline']],
      [{ kind: 'returned', note: '   ' }, tk.confirmer, ['note']],
      [{ kind: 'extension_approved' }, tk.confirmer, ['newDeadline']],
      [{ kind: 'reassigned', toAgency: 'NOPE', note: 'Sáp nhập' }, tk.specialist, ['toAgency']],
      [{ kind: 'urged', note: 'x'.repeat(4001) }, tk.specialist, ['note']],
    ];
    for (const [body, token, paths] of cases) {
      const r = await ev(body, token);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(
        r.json.error.issues.map((i: { path: string }) => i.path),
        JSON.stringify(body),
      ).toEqual(paths);
    }
    const past = await ev({ kind: 'extension_requested', newDeadline: '2026-03-02', note: 'x' }, tk.agency);
    expect(past.status).toBe(422);
    expect(past.json.error.code).toBe('bad_deadline');
    const late = await ev({ kind: 'explanation_submitted', note: 'Lý do chậm' }, tk.agency);
    expect(late.status).toBe(409);
    expect(late.json.error.code).toBe('not_late');
    expect(rowCounts(t)).toEqual(before);
  });

  it('the Office reassigns and cancels; a cancelled task takes no more events', async () => {
    const { t, api, tk } = setup();
    const ev = (token: string, body: unknown) => api.call(token, 'POST', `/api/v1/tasks/${t.tasks.other}/events`, body);
    const moved = await ev(tk.specialist, { kind: 'reassigned', toAgency: 'SYT', note: 'Sắp xếp đơn vị hành chính' });
    expect(moved.status).toBe(201);
    expect(moved.json.event).toMatchObject({ fromAgency: 'UBND-HX', toAgency: 'SYT' });
    expect(moved.json.task.leadAgency).toBe('SYT');
    // the new lead agency now sees it, the old one no longer does
    expect((await api.call(tk.agencyB, 'GET', `/api/v1/tasks/${t.tasks.other}`)).status).toBe(200);
    expect((await api.call(tk.agencyC, 'GET', `/api/v1/tasks/${t.tasks.other}`)).status).toBe(403);
    expect((await ev(tk.specialist, { kind: 'cancelled', note: 'Không còn phù hợp' })).status).toBe(201);
    const after = await ev(tk.agencyB, { kind: 'received' });
    expect(after.status).toBe(409);
    expect(after.json.error.code).toBe('cancelled');
  });
});

describe('documents', () => {
  it('the Office posts a document with three tasks in one transaction; agencies see only theirs', async () => {
    const { t, api, tk, leaderId } = setup();
    const r = await api.call(tk.specialist, 'POST', '/api/v1/documents', validDocument(leaderId));
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      number: '1147/UBND-KSTT',
      type: 'Công văn',
      issuedOn: '2026-02-27',
      taskCount: 3,
      signer: { id: leaderId, name: 'Trần Văn Chủ' },
    });
    expect(r.json.warnings).toEqual(['Nhiệm vụ 3 không có thời hạn: sẽ được đôn đốc định kỳ 3 tháng một lần.']);
    expect(r.json.tasks.map((x: { leadAgency: string }) => x.leadAgency)).toEqual(['STC', 'SYT', 'UBND-HX']);
    expect(
      r.json.tasks.every(
        (x: { document: { number: string }; assignedOn: string }) =>
          x.document.number === '1147/UBND-KSTT' && x.assignedOn === '2026-02-27',
      ),
    ).toBe(true);
    const id = r.json.id as number;
    expect(auditActions(t, 'document.create').map((a) => [a.actor_kind, a.target_id])).toEqual([['api', String(id)]]);
    // duplicate number + date
    const before = rowCounts(t);
    const dup = await api.call(tk.specialist, 'POST', '/api/v1/documents', validDocument(leaderId));
    expect(dup.status).toBe(422);
    expect(dup.json.error.issues).toEqual([
      { path: 'number', message: 'Đã có văn bản cùng số, ký hiệu và ngày ban hành này trong hệ thống.' },
    ]);
    expect(rowCounts(t)).toEqual(before);
    // agency A: leads task 1 and coordinates task 3
    const a = await api.call(tk.agency, 'GET', `/api/v1/documents/${id}`);
    expect(a.status).toBe(200);
    expect(a.json.taskCount).toBe(2);
    expect(a.json.tasks.map((x: { leadAgency: string }) => x.leadAgency)).toEqual(['STC', 'UBND-HX']);
    const b = await api.call(tk.agencyB, 'GET', `/api/v1/documents/${id}`);
    expect(b.json.tasks.map((x: { leadAgency: string }) => x.leadAgency)).toEqual(['STC', 'SYT']);
    // a document with no task for agency C
    const other = await api.call(
      tk.specialist,
      'POST',
      '/api/v1/documents',
      validDocument(leaderId, { number: '12/TB-UBND', type: 'Thông báo kết luận', tasks: [docTask(leaderId)] }),
    );
    expect(other.status).toBe(201);
    const denied = await api.call(tk.agencyC, 'GET', `/api/v1/documents/${other.json.id}`);
    expect(denied.status).toBe(403);
    expect(auditActions(t, 'access.denied').at(-1)).toMatchObject({
      target_type: 'document',
      target_id: String(other.json.id),
    });
    expect(
      (await api.call(tk.agencyC, 'GET', '/api/v1/documents')).json.items.map((d: { number: string }) => d.number),
    ).toEqual(['1147/UBND-KSTT']);
    expect((await api.call(tk.leader, 'GET', '/api/v1/documents/999')).status).toBe(404);
    expect((await api.call(tk.leader, 'GET', '/api/v1/documents/abc')).status).toBe(400);
    for (const who of ['agency', 'confirmer', 'leader'] as const) {
      expect(
        (await api.call(tk[who], 'POST', '/api/v1/documents', validDocument(leaderId, { number: '1/UBND-VP' }))).status,
        who,
      ).toBe(403);
    }
  });

  it('lists with paging and filters by number and date range', async () => {
    const { api, tk, leaderId } = setup();
    for (const [number, issuedOn] of [
      ['1147/UBND-KSTT', '2026-01-05'],
      ['1200/UBND-KT', '2026-02-10'],
      ['15/CT-UBND', '2026-02-20'],
      ['52/TB-VP', '2026-02-21'],
    ] as const) {
      const r = await api.call(
        tk.specialist,
        'POST',
        '/api/v1/documents',
        validDocument(leaderId, { number, issuedOn, tasks: [docTask(leaderId)] }),
      );
      expect(r.status, number).toBe(201);
    }
    const all = await api.call(tk.leader, 'GET', '/api/v1/documents?pageSize=2');
    expect(all.json).toMatchObject({ total: 4, page: 1, pageSize: 2 });
    expect(all.json.items.map((d: { number: string }) => d.number)).toEqual(['52/TB-VP', '15/CT-UBND']);
    const p2 = await api.call(tk.leader, 'GET', '/api/v1/documents?pageSize=2&page=2');
    expect(p2.json.items.map((d: { number: string }) => d.number)).toEqual(['1200/UBND-KT', '1147/UBND-KSTT']);
    expect((await api.call(tk.leader, 'GET', '/api/v1/documents?number=ubnd-k')).json.total).toBe(2);
    // LIKE wildcards in the filter are literal
    expect((await api.call(tk.leader, 'GET', '/api/v1/documents?number=%25')).json.total).toBe(0);
    expect((await api.call(tk.leader, 'GET', '/api/v1/documents?number=1_')).json.total).toBe(0);
    expect((await api.call(tk.leader, 'GET', '/api/v1/documents?from=2026-02-01&to=2026-02-20')).json.total).toBe(2);
    const bad = await api.call(tk.leader, 'GET', '/api/v1/documents?from=2026-03-01&to=2026-02-01&pageSize=0');
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['pageSize', 'to']);
    const order = await api.call(tk.leader, 'GET', '/api/v1/documents?from=2026-03-01&to=2026-02-01');
    expect(order.status).toBe(400);
    expect(order.json.error.issues).toEqual([{ path: 'to', message: 'Ngày "đến" phải sau hoặc bằng ngày "từ".' }]);
  });

  it('one bad task refuses the whole document, with the path of the bad field', async () => {
    const { t, api, tk, leaderId } = setup();
    const before = rowCounts(t);
    const doc = validDocument(leaderId);
    (doc.tasks[1] as Record<string, unknown>).leadAgency = 'KHONGCO';
    (doc.tasks[2] as Record<string, unknown>).noDeadlineReason = '';
    (doc.tasks[0] as Record<string, unknown>).deadline = '2026-02-01';
    const r = await api.call(tk.specialist, 'POST', '/api/v1/documents', doc);
    expect(r.status).toBe(422);
    expect(r.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'tasks.0.deadline',
      'tasks.1.leadAgency',
      'tasks.2.noDeadlineReason',
    ]);
    expect(r.json.error.issues.find((i: { path: string }) => i.path === 'tasks.1.leadAgency').message).toBe(
      'Không có đơn vị mã "KHONGCO".',
    );
    const shape = await api.call(
      tk.specialist,
      'POST',
      '/api/v1/documents',
      validDocument(leaderId, {
        type: 'Thư',
        number: 'abc',
        tasks: [{ ...docTask(leaderId), assignedOn: '2026-03-01' }],
      }),
    );
    expect(shape.status).toBe(422);
    expect(shape.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['tasks.0.assignedOn', 'type']);
    const number = await api.call(
      tk.specialist,
      'POST',
      '/api/v1/documents',
      validDocument(leaderId, { number: 'abc', signerId: 999 }),
    );
    expect(number.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['number', 'signerId']);
    expect(
      (await api.call(tk.specialist, 'POST', '/api/v1/documents', validDocument(leaderId, { tasks: [] }))).json.error
        .issues[0].path,
    ).toBe('tasks');
    const future = await api.call(
      tk.specialist,
      'POST',
      '/api/v1/documents',
      validDocument(leaderId, { issuedOn: '2026-12-01' }),
    );
    expect(future.json.error.issues.map((i: { path: string }) => i.path)).toEqual([
      'issuedOn',
      'tasks.0.deadline',
      'tasks.1.deadline',
    ]);
    expect(rowCounts(t)).toEqual(before);
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
