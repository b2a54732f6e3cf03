/** The holiday calendar page (admin/routes/holidays.tsx) through app.request: who may use it, each change, refusals. */
import { describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../test/support/admin-app.ts';
import type { Role } from '../auth/permissions.ts';
import { activeDeadlineCalendar } from '../domain/holidays-history.ts';

const changes = (t: TestApp) => t.db.prepare('SELECT count(*) FROM calendar_changes').pluck().get() as number;
const audits = (t: TestApp) =>
  t.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'holiday.%' ORDER BY id").pluck().all() as string[];

describe('holiday calendar page', () => {
  it('administrator only: other roles get 403 and nothing is written', async () => {
    const t = makeTestApp();
    const before = changes(t);
    for (const role of ['agency', 'head', 'officer', 'specialist', 'confirmer', 'leader'] as Role[]) {
      const cookie = await t.cookieFor(role);
      expect((await t.get('/admin/holidays', cookie)).status).toBe(403);
      const add = { day: '2026-09-01', kind: 'day_off', name: 'Nghỉ Quốc khánh' };
      expect((await t.post('/admin/holidays', add, cookie)).status).toBe(403);
      expect((await t.post('/admin/holidays/remove', { day: '2026-04-30' }, cookie)).status).toBe(403);
      expect((await t.post('/admin/holidays/rule', { on: '0' }, cookie)).status).toBe(403);
      expect((await t.post('/admin/holidays/prefill', { year: '2040' }, cookie)).status).toBe(403);
    }
    expect(changes(t)).toBe(before);
  });

  it('lists the year of the clock by default, with Tết and the pre-filled holidays, and any year asked', async () => {
    const t = makeTestApp(); // clock: 02/03/2026
    const admin = await t.cookieFor('admin');
    const html = await (await t.get('/admin/holidays', admin)).text();
    expect(html).toContain('Các ngày trong lịch năm 2026');
    expect(html).toContain('Thứ Hai, 16/02/2026');
    expect(html).toContain('Tết Nguyên Đán');
    expect(html).toContain('Nạp từ thư viện ngày lễ');
    expect(html).toContain('Đang áp dụng');
    const y2040 = await (await t.get('/admin/holidays?year=2040', admin)).text();
    expect(y2040).toContain('Năm 2040 chưa có ngày nghỉ nào trong lịch.');
    expect(y2040).toContain('Nạp ngày nghỉ lễ, Tết năm 2040');
    const bad = await t.get('/admin/holidays?year=abc', admin);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Năm không hợp lệ');
  });

  it('adds, removes, pre-fills and switches the rule, each audited; the history shows every step', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    const add = await t.post(
      '/admin/holidays',
      { day: '2026-09-01', kind: 'day_off', name: 'Nghỉ Quốc khánh (ngày thứ hai)' },
      admin,
    );
    expect(add.status).toBe(303);
    expect(add.headers.get('location')).toBe('/admin/holidays?year=2026&msg=added');
    const sat = await t.post('/admin/holidays', { day: '2026-01-10', kind: 'working_day', name: 'Làm bù' }, admin);
    expect(sat.status).toBe(303);
    expect((await t.post('/admin/holidays/remove', { day: '2026-09-01' }, admin)).status).toBe(303);
    expect((await t.post('/admin/holidays/prefill', { year: '2040' }, admin)).status).toBe(303);
    expect((await t.post('/admin/holidays/rule', { on: '0', year: '2026' }, admin)).status).toBe(303);
    expect(audits(t)).toEqual([
      'holiday.add',
      'holiday.add',
      'holiday.remove',
      ...Array(10).fill('holiday.add'), // 2040's library days
      'holiday.rule',
    ]);
    const html = await (await t.get('/admin/holidays?year=2026&msg=rule_off', admin)).text();
    expect(html).toContain('Đã tắt quy tắc ngày làm việc');
    expect(html).toContain('Đang tắt');
    expect(html).toContain('Xóa khỏi lịch');
    expect(html).toContain('Thêm ngày làm việc bù');
    expect(html).toContain('Tắt quy tắc ngày làm việc');
  });

  it('bad input: a Vietnamese message, the values kept, the right 4xx, nothing written', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    const before = changes(t);
    const cases: Array<[string, Record<string, string>, number, string]> = [
      ['/admin/holidays', { day: '2026-02-30', kind: 'day_off', name: 'Nghỉ' }, 422, 'Ngày không hợp lệ'],
      ['/admin/holidays', { day: '2026-03-03', kind: 'day_off', name: '' }, 422, 'Cần nhập tên ngày'],
      ['/admin/holidays', { day: '2026-03-03', kind: 'x', name: 'Nghỉ bù' }, 422, 'Chọn loại ngày'],
      ['/admin/holidays', { day: '2026-03-04', kind: 'working_day', name: 'Làm bù' }, 422, 'thứ Bảy hoặc Chủ nhật'],
      ['/admin/holidays', { day: '2026-02-17', kind: 'day_off', name: 'Tết' }, 409, 'đã có trong lịch'],
      ['/admin/holidays/remove', { day: '2026-03-03' }, 404, 'không có trong lịch'],
      ['/admin/holidays/remove', { day: 'x' }, 422, 'Ngày không hợp lệ'],
      ['/admin/holidays/prefill', { year: '2026' }, 409, 'đã được nạp'],
      ['/admin/holidays/prefill', { year: '20x6' }, 400, 'Năm không hợp lệ'],
      ['/admin/holidays/rule', { on: 'maybe' }, 400, 'không hợp lệ'],
    ];
    for (const [path, form, status, message] of cases) {
      const res = await t.post(path, form, admin);
      expect(res.status, `${path} ${JSON.stringify(form)}`).toBe(status);
      const html = await res.text();
      expect(html).toContain(message);
      if (form.name) expect(html).toContain(`value="${form.name}"`);
    }
    expect(changes(t)).toBe(before);
    expect(audits(t)).toEqual([]);
  });

  it('every request puts the database’s calendar in force, also after a change made by another process', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    await t.get('/admin/holidays', admin);
    const v = activeDeadlineCalendar().version;
    t.db.prepare("INSERT INTO calendar_changes (day, action, name) VALUES ('2026-03-10', 'day_off', 'Nghỉ')").run();
    await t.get('/admin/', admin);
    expect(activeDeadlineCalendar().version).toBeGreaterThan(v);
  });
});
