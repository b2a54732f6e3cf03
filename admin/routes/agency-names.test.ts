/**
 * Issue 12, "Names as of the date" and "Merge with a past date", through the admin routes: a rename recorded from a
 * day keeps the old name on everything dated before it (timeline, task list, export, snapshot), with "(nay là …)"
 * beside it; published snapshots never change; a merger dated in the past needs a reason, is audited as a
 * correction, and is announced by the next publication when it falls within a published period.
 */
import { describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../test/support/admin-app.ts';
import { appendEvent, getTaskByCode } from '../domain/tasks.ts';
import { nameAsOf } from '../domain/agency-names.ts';
import { previewSnapshot, publishPeriod, readSnapshotText, readSummary, sha256Hex } from '../publication/publish.ts';

const REASON = 'Quyết định số 12/QĐ-UBND';
const fingerprint = (t: TestApp) =>
  JSON.stringify([
    t.db.prepare('SELECT * FROM agencies ORDER BY id').all(),
    t.db.prepare('SELECT * FROM agency_names ORDER BY agency_id, valid_from').all(),
    t.db.prepare('SELECT id, lead_agency_id, last_event_on FROM tasks ORDER BY id').all(),
    t.db.prepare('SELECT count(*) AS n FROM task_events').get(),
    t.db.prepare('SELECT count(*) AS n FROM audit_log').get(),
    t.db.prepare('SELECT count(*) AS n FROM reorganisation_notes').get(),
  ]);

async function renamed() {
  const t = makeTestApp(); // today 02/03/2026; tasks assigned 10/01/2026
  const admin = await t.cookieFor('admin');
  const own = getTaskByCode(t.db, t.tasks.own)!;
  appendEvent(t.db, own.id, { kind: 'received', occurredOn: '2026-02-20' });
  const res = await t.post(
    `/admin/agencies/${t.agencies.a}`,
    { name: 'Sở Tài chính và Kế hoạch', kind: 'department', renamed_on: '15/02/2026' },
    admin,
  );
  expect(res.status).toBe(303);
  return { t, admin, own, office: await t.cookieFor('specialist') };
}

describe('agency names as of a date', () => {
  it('the timeline names each event’s agency as it was on the event’s day, with the current name beside it', async () => {
    const { t, admin, own, office } = await renamed();
    expect(nameAsOf(t.db, t.agencies.a, '2026-02-14')).toBe('Sở Tài chính');
    expect(nameAsOf(t.db, t.agencies.a, '2026-02-15')).toBe('Sở Tài chính và Kế hoạch');
    const html = await (await t.get(`/admin/tasks/${own.code}`, office)).text();
    const timeline = html.slice(html.indexOf('id="timeline"'));
    // the assignment (10/01) was to "Sở Tài chính"; the receipt (20/02) by the renamed agency
    expect(timeline).toContain('Sở Tài chính (nay là Sở Tài chính và Kế hoạch)');
    const rows = timeline.split('<tr>');
    expect(rows.find((r) => r.includes('10/01/2026'))).toContain('Sở Tài chính (nay là Sở Tài chính và Kế hoạch)');
    const received = rows.find((r) => r.includes('20/02/2026'))!;
    expect(received).toContain('Sở Tài chính và Kế hoạch');
    expect(received).not.toContain('nay là');
    const history = await (await t.get(`/admin/agencies/${t.agencies.a}`, admin)).text();
    expect(history).toContain('Từ ngày 15/02/2026: Sở Tài chính và Kế hoạch');
  });

  it('the task list and its export name the lead agency as of the cutoff', async () => {
    const { t, own, office } = await renamed();
    const past = await (await t.get('/admin/tasks?asOf=2026-02-01', office)).text();
    expect(past).toContain('Sở Tài chính (nay là Sở Tài chính và Kế hoạch)');
    const now = await (await t.get('/admin/tasks', office)).text();
    expect(now).toContain('Sở Tài chính và Kế hoạch');
    expect(now).not.toContain('nay là');
    const csv = await (await t.get('/admin/tasks/export.csv?asOf=2026-02-01', office)).text();
    expect(csv.split('\n').find((l) => l.includes(own.code))).toContain(
      'Sở Tài chính (nay là Sở Tài chính và Kế hoạch)',
    );
  });

  it('a snapshot as of before the rename holds the old name; one after, the new; published snapshots never change', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    const jan = publishPeriod(t.db, { period: '2026-01', asOf: '2026-01-31', now: t.clock.now });
    const janText = readSnapshotText(t.db, jan.id);
    await t.post(
      `/admin/agencies/${t.agencies.a}`,
      { name: 'Sở Tài chính và Kế hoạch', kind: 'department', renamed_on: '15/02/2026' },
      admin,
    );
    expect(sha256Hex(readSnapshotText(t.db, jan.id))).toBe(jan.sha256);
    expect(readSnapshotText(t.db, jan.id)).toBe(janText);
    const feb = publishPeriod(t.db, { period: '2026-02', asOf: '2026-02-10', now: t.clock.now });
    const names = (id: number) => readSummary(t.db, id).agencies.map((a) => a.name);
    expect(names(feb.id)).toContain('Sở Tài chính');
    expect(names(feb.id)).not.toContain('Sở Tài chính và Kế hoạch');
    expect(previewSnapshot(t.db, '2026-03', '2026-03-01', t.clock.now).agencies.map((a) => a.name)).toContain(
      'Sở Tài chính và Kế hoạch',
    );
  });

  it('a merged agency is named with its successor: "Sở Tài chính (nay là Sở Y tế)" on what it did before', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    const office = await t.cookieFor('specialist');
    const res = await t.post(
      `/admin/agencies/${t.agencies.a}/merge`,
      { successor_id: String(t.agencies.b), on: '15/02/2026', users: 'disable', reason: REASON },
      admin,
    );
    expect(res.status).toBe(303);
    const html = await (await t.get(`/admin/tasks/${t.tasks.own}`, office)).text();
    const rows = html.slice(html.indexOf('id="timeline"')).split('<tr>');
    expect(rows.find((r) => r.includes('10/01/2026'))).toContain('Sở Tài chính (nay là Sở Y tế)');
    // the reassignment itself names both as they were that day
    expect(rows.find((r) => r.includes('15/02/2026'))).toContain('Từ Sở Tài chính sang Sở Y tế');
    const past = await (await t.get('/admin/tasks?asOf=2026-02-01', office)).text();
    expect(past).toContain('Sở Tài chính (nay là Sở Y tế)');
    const successor = await (await t.get(`/admin/agencies/${t.agencies.b}`, admin)).text();
    expect(successor).toContain('Đơn vị đã hợp nhất vào đơn vị này');
    expect(successor).toContain(`href="/admin/agencies/${t.agencies.a}"`);
  });

  const renameRefusals: Array<[string, Record<string, string>, RegExp]> = [
    ['in the future', { renamed_on: '10/03/2026' }, /Ngày đổi tên 10\/03\/2026 ở tương lai/],
    ['with an impossible date', { renamed_on: '31/02/2026' }, /Ngày đổi tên không hợp lệ/],
    ['before the last recorded name', { renamed_on: '10/02/2026' }, /lịch sử tên chỉ ghi tiếp/],
    [
      'before the agency was established',
      { renamed_on: '01/02/2026', established_on: '05/02/2026' },
      /sau sự kiện đầu tiên|trước ngày thành lập/,
    ],
  ];
  for (const [name, form, message] of renameRefusals) {
    it(`refuses a rename ${name}, writing nothing`, async () => {
      const { t, admin } = await renamed();
      const before = fingerprint(t);
      const res = await t.post(
        `/admin/agencies/${t.agencies.a}`,
        { name: 'Sở Tài chính – Kế hoạch', kind: 'department', ...form },
        admin,
      );
      expect(res.status).toBe(422);
      expect(await res.text()).toMatch(message);
      expect(fingerprint(t)).toBe(before);
    });
  }

  it('the establishment day is editable; a successor that did not exist on D is refused, naming the day', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    // Sở Y tế leads a task assigned 10/01: it cannot have been established after that
    const late = await t.post(
      `/admin/agencies/${t.agencies.b}`,
      { name: 'Sở Y tế', kind: 'department', established_on: '20/02/2026' },
      admin,
    );
    expect(late.status).toBe(422);
    expect(await late.text()).toContain('sau sự kiện đầu tiên của đơn vị (10/01/2026)');
    const future = await t.post(
      '/admin/agencies',
      { code: 'SNNMT', name: 'Sở Nông nghiệp và Môi trường', kind: 'department', established_on: '01/04/2026' },
      admin,
    );
    expect(future.status).toBe(422);
    expect(await future.text()).toContain('Ngày thành lập 01/04/2026 ở tương lai.');
    const created = await t.post(
      '/admin/agencies',
      { code: 'SNNMT', name: 'Sở Nông nghiệp và Môi trường', kind: 'department', established_on: '01/03/2026' },
      admin,
    );
    expect(created.status).toBe(303);
    const id = Number(created.headers.get('location')!.match(/agencies\/(\d+)/)![1]);
    const before = fingerprint(t);
    const res = await t.post(
      `/admin/agencies/${t.agencies.a}/merge`,
      { successor_id: String(id), on: '15/02/2026', users: 'disable', reason: REASON },
      admin,
    );
    expect(res.status).toBe(422);
    expect(await res.text()).toContain(
      'Sở Nông nghiệp và Môi trường thành lập ngày 01/03/2026, chưa tồn tại vào ngày 15/02/2026.',
    );
    expect(fingerprint(t)).toBe(before);
  });
});

describe('merger with a past date', () => {
  it('needs a reason; the form names the task that bounds the day', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    const page = await (await t.get(`/admin/agencies/${t.agencies.a}`, admin)).text();
    expect(page).toContain(`sự kiện gần nhất, của nhiệm vụ ${t.tasks.own}`);
    const before = fingerprint(t);
    const res = await t.post(
      `/admin/agencies/${t.agencies.a}/merge`,
      { successor_id: String(t.agencies.b), on: '15/02/2026', users: 'disable', reason: ' ' },
      admin,
    );
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Cần ghi rõ lý do hợp nhất');
    expect(fingerprint(t)).toBe(before);
  });

  it('refuses a cycle (A into B, then B into A) with a clear message, writing nothing', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    const merge = (from: number, to: number) =>
      t.post(
        `/admin/agencies/${from}/merge`,
        { successor_id: String(to), on: '15/02/2026', users: 'disable', reason: REASON },
        admin,
      );
    expect((await merge(t.agencies.a, t.agencies.b)).status).toBe(303);
    const before = fingerprint(t);
    const res = await merge(t.agencies.b, t.agencies.a);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Sở Tài chính đã hợp nhất vào Sở Y tế từ ngày 15/02/2026');
    expect(fingerprint(t)).toBe(before);
  });

  it('is audited as a correction; the next publication notes it once; published snapshots stay frozen', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    const feb = publishPeriod(t.db, { period: '2026-02', asOf: '2026-02-28', now: t.clock.now });
    const febText = readSnapshotText(t.db, feb.id);
    const res = await t.post(
      `/admin/agencies/${t.agencies.a}/merge`,
      { successor_id: String(t.agencies.b), on: '15/02/2026', users: 'disable', reason: REASON },
      admin,
    );
    expect(res.status).toBe(303);
    const audit = JSON.parse(
      (t.db.prepare("SELECT details FROM audit_log WHERE action = 'agency.merge'").get() as { details: string })
        .details,
    );
    expect(audit).toMatchObject({ reason: REASON, correction: true, on: '2026-02-15' });
    expect(readSnapshotText(t.db, feb.id)).toBe(febText);
    const note =
      'Số liệu điều chỉnh do sắp xếp tổ chức: Sở Tài chính hợp nhất vào Sở Y tế từ ngày 15/02/2026. Các kỳ đã công bố giữ nguyên.';
    expect(previewSnapshot(t.db, '2026-03', '2026-03-01', t.clock.now).note).toBe(note);
    const mar = publishPeriod(t.db, { period: '2026-03', asOf: '2026-03-01', now: t.clock.now });
    expect(readSummary(t.db, mar.id).note).toBe(note);
    // a revision of the same period carries the office's note only: the adjustment was announced once
    const again = publishPeriod(t.db, {
      period: '2026-03',
      asOf: '2026-03-02',
      note: 'Cập nhật số liệu',
      now: t.clock.now,
    });
    expect(readSummary(t.db, again.id).note).toBe('Cập nhật số liệu');
  });

  it('a merger dated after every published cutoff adds no note', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    publishPeriod(t.db, { period: '2026-01', asOf: '2026-01-31', now: t.clock.now });
    const res = await t.post(
      `/admin/agencies/${t.agencies.a}/merge`,
      { successor_id: String(t.agencies.b), on: '15/02/2026', users: 'disable', reason: REASON },
      admin,
    );
    expect(res.status).toBe(303);
    expect(publishPeriod(t.db, { period: '2026-02', asOf: '2026-02-28', now: t.clock.now })).toBeTruthy();
    expect(readSummary(t.db, 2).note).toBe('');
  });
});
