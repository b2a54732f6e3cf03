import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeTestApp, type TestApp } from '../test/support/admin-app.ts';
import { appendEvent, createTask, getTask, getTaskByCode, listEvents } from '../domain/tasks.ts';
import { computeStats } from '../domain/stats.ts';
import { getAgency } from '../domain/agencies.ts';
import { publishPeriod, readSummary } from '../publication/index.ts';
import type { Role } from '../auth/permissions.ts';

/** the reason a merger must carry (issue 12) */
const R = 'Quyết định số 12/QĐ-UBND';
const count = (t: TestApp, sql: string, ...params: unknown[]) => (t.db.prepare(sql).get(...params) as { n: number }).n;
const auditCount = (t: TestApp, action: string) =>
  count(t, 'SELECT count(*) AS n FROM audit_log WHERE action = ?', action);
/** Everything a refused reorganisation must leave untouched. */
const fingerprint = (t: TestApp) =>
  JSON.stringify([
    t.db.prepare('SELECT * FROM agencies ORDER BY id').all(),
    t.db.prepare('SELECT id, lead_agency_id, agency_history, last_event_on FROM tasks ORDER BY id').all(),
    t.db.prepare('SELECT * FROM task_coordinators ORDER BY task_id, agency_id').all(),
    t.db.prepare('SELECT id, agency_id, disabled FROM users ORDER BY id').all(),
    count(t, 'SELECT count(*) AS n FROM task_events'),
    count(t, "SELECT count(*) AS n FROM audit_log WHERE action LIKE 'agency.%'"),
  ]);

describe('agencies: access', () => {
  it('only the administrator opens and changes agencies; every other role gets 403 and nothing is written', async () => {
    const t = makeTestApp();
    expect((await t.get('/admin/agencies', await t.cookieFor('admin'))).status).toBe(200);
    for (const role of ['agency', 'specialist', 'confirmer', 'leader'] as Role[]) {
      const cookie = await t.cookieFor(role);
      expect((await t.get('/admin/agencies', cookie)).status).toBe(403);
      expect((await t.get(`/admin/agencies/${t.agencies.a}`, cookie)).status).toBe(403);
      const before = fingerprint(t);
      expect(
        (await t.post('/admin/agencies', { code: 'SNV', name: 'Sở Nội vụ', kind: 'department' }, cookie)).status,
      ).toBe(403);
      expect(
        (
          await t.post(
            `/admin/agencies/${t.agencies.a}/merge`,
            { successor_id: String(t.agencies.b), on: '01/02/2026', users: 'disable' },
            cookie,
          )
        ).status,
      ).toBe(403);
      expect(
        (
          await t.post(
            `/admin/agencies/${t.agencies.c}/dissolve`,
            { dissolve_on: '01/02/2026', receiver_id: '' },
            cookie,
          )
        ).status,
      ).toBe(403);
      expect(fingerprint(t)).toBe(before);
    }
    expect((await t.get('/admin/agencies')).status).toBe(302); // anonymous → login
  });

  it('the list shows status, successor and task counts; the nav shows "Đơn vị" to the administrator only', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    const html = await (await t.get('/admin/agencies', admin)).text();
    expect(html).toContain('Sở Tài chính');
    expect(html).toContain('Đang hoạt động');
    expect(html).toContain('href="/admin/agencies"');
    const office = await (await t.get('/admin', await t.cookieFor('specialist'))).text();
    expect(office).not.toContain('href="/admin/agencies"');
  });
});

describe('agencies: create and rename', () => {
  it('creates with a normalised code, refuses a duplicate code whatever its case, audits', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    const res = await t.post('/admin/agencies', { code: 'snv', name: '  Sở   Nội vụ ', kind: 'department' }, admin);
    expect(res.status).toBe(303);
    const row = t.db.prepare("SELECT * FROM agencies WHERE code = 'SNV'").get() as { name: string; kind: string };
    expect(row).toMatchObject({ name: 'Sở Nội vụ', kind: 'department' });
    expect(auditCount(t, 'agency.create')).toBe(1);
    const dup = await t.post('/admin/agencies', { code: 'stc', name: 'Một Sở khác', kind: 'department' }, admin);
    expect(dup.status).toBe(422);
    expect(await dup.text()).toContain('Mã đơn vị STC đã được dùng');
    expect(auditCount(t, 'agency.create')).toBe(1);
  });

  it('hostile or malformed fields get a Vietnamese message and write nothing (property)', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    const junk = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        '',
        ' ',
        '<script>alert(1)</script>',
        "x'; DROP TABLE agencies; --",
        'a\u0000b',
        'x'.repeat(500),
        'department',
        'STC',
        'Sở\nTài chính',
      ),
    );
    await fc.assert(
      fc.asyncProperty(junk, junk, junk, async (code, name, kind) => {
        const before = count(t, 'SELECT count(*) AS n FROM agencies');
        const res = await t.post('/admin/agencies', { code, name, kind }, admin);
        const html = await res.text();
        expect([303, 422]).toContain(res.status);
        if (res.status === 422) {
          expect(html).toContain('Có lỗi cần sửa');
          expect(html).not.toContain('<script>alert(1)</script>');
          expect(count(t, 'SELECT count(*) AS n FROM agencies')).toBe(before);
        } else {
          expect(count(t, 'SELECT count(*) AS n FROM agencies')).toBe(before + 1);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('rename keeps the published snapshot and records the old name', async () => {
    const t = makeTestApp();
    publishPeriod(t.db, { period: '2026-02', asOf: '2026-02-28', now: t.clock.now });
    const admin = await t.cookieFor('admin');
    const res = await t.post(
      `/admin/agencies/${t.agencies.a}`,
      { name: 'Sở Tài chính và Kế hoạch', kind: 'department' },
      admin,
    );
    expect(res.status).toBe(303);
    expect(getAgency(t.db, t.agencies.a)!.name).toBe('Sở Tài chính và Kế hoạch');
    const published = readSummary(t.db, 1);
    expect(published.agencies.map((a) => a.name)).toContain('Sở Tài chính');
    const audit = t.db.prepare("SELECT details FROM audit_log WHERE action = 'agency.rename'").get() as {
      details: string;
    };
    expect(JSON.parse(audit.details)).toMatchObject({
      before: { name: 'Sở Tài chính' },
      after: { name: 'Sở Tài chính và Kế hoạch' },
    });
    const bad = await t.post(`/admin/agencies/${t.agencies.a}`, { name: ' ', kind: 'nope' }, admin);
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('Cần nhập tên đơn vị');
  });
});

describe('agencies: merge into a successor', () => {
  /** A (STC) leads `own` (open) and a task completed in January; B (SYT) leads `coordinated` with A coordinating. */
  function setup() {
    const t = makeTestApp();
    const own = getTaskByCode(t.db, t.tasks.own)!;
    appendEvent(t.db, own.id, { kind: 'received', occurredOn: '2026-01-12' });
    const done = createTask(t.db, {
      title: 'Báo cáo quyết toán quý IV',
      leadAgencyId: t.agencies.a,
      assignedOn: '2026-01-05',
      deadline: '2026-01-31',
    });
    appendEvent(t.db, done, { kind: 'reported', occurredOn: '2026-01-20' });
    appendEvent(t.db, done, { kind: 'confirmed', occurredOn: '2026-01-25' });
    return { t, own: own.id, done };
  }

  it('moves open tasks with a reassigned event on the merger day; statistics before it keep the old agency', async () => {
    const { t, own, done } = setup();
    const admin = await t.cookieFor('admin');
    const res = await t.post(
      `/admin/agencies/${t.agencies.a}/merge`,
      { successor_id: String(t.agencies.b), on: '15/02/2026', users: 'disable', reason: R },
      admin,
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/admin/agencies/${t.agencies.a}?msg=agency_merged`);

    expect(getTask(t.db, own)!.lead_agency_id).toBe(t.agencies.b);
    expect(getTask(t.db, done)!.lead_agency_id).toBe(t.agencies.a); // completed work stays with who did it
    const ev = listEvents(t.db, own).at(-1)!;
    expect(ev).toMatchObject({
      kind: 'reassigned',
      occurred_on: '2026-02-15',
      agency_id: t.agencies.b,
      actor_user_id: t.users.admin.id,
    });
    expect(JSON.parse(ev.data)).toEqual({ toAgencyId: t.agencies.b, fromAgencyId: t.agencies.a });
    expect(ev.note).toBe('Chuyển nhiệm vụ do hợp nhất Sở Tài chính vào Sở Y tế.');

    const before = computeStats(t.db, '2026-02-14');
    const after = computeStats(t.db, '2026-02-15');
    const of = (s: typeof before, id: number) => s.agencies.find((a) => a.agencyId === id)?.total ?? 0;
    expect(of(before, t.agencies.a)).toBe(2); // own + done
    expect(of(before, t.agencies.b)).toBe(1);
    expect(of(after, t.agencies.a)).toBe(1); // done only
    expect(of(after, t.agencies.b)).toBe(2);
    expect(after.totals.total).toBe(before.totals.total);
    // per-agency statistics as of a day agree
    expect(computeStats(t.db, '2026-02-14', { agencyId: t.agencies.a }).totals.total).toBe(2);
    expect(computeStats(t.db, '2026-02-15', { agencyId: t.agencies.b }).totals.total).toBe(2);

    // B led `coordinated` with A coordinating: A's coordination ends there; A's accounts are disabled
    const coordinated = getTaskByCode(t.db, t.tasks.coordinated)!;
    expect(t.db.prepare('SELECT agency_id FROM task_coordinators WHERE task_id = ?').all(coordinated.id)).toEqual([]);
    expect(t.db.prepare('SELECT disabled FROM users WHERE id = ?').get(t.users.agency.id)).toEqual({ disabled: 1 });
    expect((await t.login(t.users.agency.username)).status).not.toBe(303);

    const a = getAgency(t.db, t.agencies.a)!;
    expect(a).toMatchObject({ successor_id: t.agencies.b, merged_on: '2026-02-15' });
    const audit = JSON.parse(
      (t.db.prepare("SELECT details FROM audit_log WHERE action = 'agency.merge'").get() as { details: string })
        .details,
    );
    // the focal point, the head and the officer of A
    expect(audit).toMatchObject({ tasksMoved: 1, usersDisabled: 3, on: '2026-02-15', successor: { code: 'SYT' } });

    const list = await (await t.get('/admin/agencies', admin)).text();
    expect(list).toContain('Đã hợp nhất (15/02/2026)');
    // a merged agency can no longer be merged, renamed or chosen as a successor
    const again = await t.post(
      `/admin/agencies/${t.agencies.c}/merge`,
      { successor_id: String(t.agencies.a), on: '20/02/2026', users: 'disable', reason: R },
      admin,
    );
    expect(again.status).toBe(422);
    expect(await again.text()).toContain('đã hợp nhất');
  });

  it('can move the accounts to the successor instead (their sessions end)', async () => {
    const { t } = setup();
    const agencyCookie = await t.cookieFor('agency');
    const admin = await t.cookieFor('admin');
    expect(
      (
        await t.post(
          `/admin/agencies/${t.agencies.a}/merge`,
          { successor_id: String(t.agencies.b), on: '15/02/2026', users: 'move', reason: R },
          admin,
        )
      ).status,
    ).toBe(303);
    expect(t.db.prepare('SELECT agency_id, disabled FROM users WHERE id = ?').get(t.users.agency.id)).toEqual({
      agency_id: t.agencies.b,
      disabled: 0,
    });
    expect((await t.get('/admin', agencyCookie)).status).toBe(302); // session ended
  });

  const refusals: Array<[string, (t: TestApp) => Record<string, string>, RegExp]> = [
    [
      'into itself',
      (t) => ({
        successor_id: String(t.agencies.a),
        on: '15/02/2026',
        users: 'disable',
      }),
      /chính nó/,
    ],
    [
      'into an unknown agency',
      () => ({ successor_id: '999', on: '15/02/2026', users: 'disable' }),
      /Không tìm thấy đơn vị tiếp nhận/,
    ],
    ['without a successor', () => ({ successor_id: '', on: '15/02/2026', users: 'disable' }), /Chọn đơn vị kế thừa/],
    [
      'with a date before the last event',
      (t) => ({
        successor_id: String(t.agencies.b),
        on: '11/01/2026',
        users: 'disable',
      }),
      /trước sự kiện ngày 25\/01\/2026 của nhiệm vụ NV-/,
    ],
    [
      'in the future',
      (t) => ({
        successor_id: String(t.agencies.b),
        on: '01/04/2026',
        users: 'disable',
      }),
      /ở tương lai/,
    ],
    [
      'with an impossible date',
      (t) => ({
        successor_id: String(t.agencies.b),
        on: '30/02/2026',
        users: 'disable',
      }),
      /Ngày hợp nhất không hợp lệ/,
    ],
    [
      'with an unknown account policy',
      (t) => ({
        successor_id: String(t.agencies.b),
        on: '15/02/2026',
        users: 'delete',
      }),
      /cách xử lý tài khoản/,
    ],
    [
      'with a hostile id',
      () => ({ successor_id: '1 OR 1=1', on: '15/02/2026', users: 'disable' }),
      /Chọn đơn vị kế thừa/,
    ],
  ];
  for (const [name, form, message] of refusals) {
    it(`refuses a merger ${name}, writing nothing`, async () => {
      const { t } = setup();
      const admin = await t.cookieFor('admin');
      const before = fingerprint(t);
      const res = await t.post(`/admin/agencies/${t.agencies.a}/merge`, { reason: R, ...form(t) }, admin);
      expect(res.status).toBe(422);
      expect(await res.text()).toMatch(message);
      expect(fingerprint(t)).toBe(before);
    });
  }

  it('refuses a merger into a dissolved agency', async () => {
    const { t } = setup();
    const admin = await t.cookieFor('admin');
    t.db.prepare("UPDATE agencies SET dissolved_on = '2026-01-01' WHERE id = ?").run(t.agencies.c);
    const before = fingerprint(t);
    const res = await t.post(
      `/admin/agencies/${t.agencies.a}/merge`,
      { successor_id: String(t.agencies.c), on: '15/02/2026', users: 'disable', reason: R },
      admin,
    );
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('đơn vị này đã giải thể');
    expect(fingerprint(t)).toBe(before);
  });

  it('is one transaction: a failure while moving the second task leaves the first one where it was', async () => {
    const { t, own } = setup();
    const second = createTask(t.db, {
      title: 'Nhiệm vụ thứ hai',
      leadAgencyId: t.agencies.a,
      assignedOn: '2026-01-15',
      deadline: '2026-05-31',
    });
    t.db.exec(`CREATE TEMP TRIGGER fail_second BEFORE INSERT ON task_events WHEN NEW.task_id = ${second} AND NEW.kind = 'reassigned'
               BEGIN SELECT RAISE(ABORT, 'simulated crash'); END`);
    const before = fingerprint(t);
    const res = await t.post(
      `/admin/agencies/${t.agencies.a}/merge`,
      { successor_id: String(t.agencies.b), on: '15/02/2026', users: 'disable', reason: R },
      await t.cookieFor('admin'),
    );
    expect(res.status).toBe(500);
    expect(fingerprint(t)).toBe(before);
    expect(getTask(t.db, own)!.lead_agency_id).toBe(t.agencies.a);
  });
});

describe('agencies: dissolve', () => {
  it('refuses while open tasks have no receiver; with a receiver they move; accounts are disabled', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    const before = fingerprint(t);
    const refused = await t.post(
      `/admin/agencies/${t.agencies.a}/dissolve`,
      { dissolve_on: '20/02/2026', receiver_id: '' },
      admin,
    );
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('còn 1 nhiệm vụ chưa hoàn thành');
    expect(fingerprint(t)).toBe(before);

    const ok = await t.post(
      `/admin/agencies/${t.agencies.a}/dissolve`,
      { dissolve_on: '20/02/2026', receiver_id: String(t.agencies.c) },
      admin,
    );
    expect(ok.status).toBe(303);
    const own = getTaskByCode(t.db, t.tasks.own)!;
    expect(own.lead_agency_id).toBe(t.agencies.c);
    expect(listEvents(t.db, own.id).at(-1)!.note).toContain('giải thể Sở Tài chính');
    expect(getAgency(t.db, t.agencies.a)).toMatchObject({ dissolved_on: '2026-02-20', successor_id: null });
    expect(t.db.prepare('SELECT disabled FROM users WHERE id = ?').get(t.users.agency.id)).toEqual({ disabled: 1 });
    expect(auditCount(t, 'agency.dissolve')).toBe(1);
  });

  it('dissolves an agency without open tasks without a receiver', async () => {
    const t = makeTestApp();
    const other = getTaskByCode(t.db, t.tasks.other)!;
    appendEvent(t.db, other.id, { kind: 'cancelled', occurredOn: '2026-02-01', note: 'Không còn phù hợp' });
    const res = await t.post(
      `/admin/agencies/${t.agencies.c}/dissolve`,
      { dissolve_on: '02/02/2026', receiver_id: '' },
      await t.cookieFor('admin'),
    );
    expect(res.status).toBe(303);
    expect(getAgency(t.db, t.agencies.c)!.dissolved_on).toBe('2026-02-02');
    expect(getTaskByCode(t.db, t.tasks.other)!.lead_agency_id).toBe(t.agencies.c);
  });
});
