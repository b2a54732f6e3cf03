import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { makeTestApp } from '../test/support/admin-app.ts';
import { appendEvent, getTaskByCode } from '../domain/tasks.ts';
import { toLocalDate } from '../domain/dates.ts';

/** Events are stamped with the real time (recorded_at), so the app's clock is the real one here. */
function world() {
  const t = makeTestApp({ start: new Date().toISOString() });
  const day = toLocalDate(t.clock.now);
  const own = getTaskByCode(t.db, t.tasks.own)!;
  // agency A acknowledges its task today; the Office urges agency C (does not count as C's activity)
  appendEvent(t.db, own.id, { kind: 'received', occurredOn: day, actorUserId: t.users.agency.id });
  const other = getTaskByCode(t.db, t.tasks.other)!;
  appendEvent(t.db, other.id, { kind: 'urged', occurredOn: day, actorUserId: t.users.specialist.id });
  return t;
}

const row = (html: string, code: string) => {
  const m = new RegExp(`<tr data-agency="${code}"[^>]*>(.*?)</tr>`, 's').exec(html);
  return m ? m[1]!.replace(/<[^>]+>/g, '|').replace(/\|+/g, '|') : null;
};

describe('GET /admin/activity', () => {
  it('shows per agency last login, last update, share of open tasks updated in 30 days, and flags unused units', async () => {
    const t = world();
    await t.cookieFor('agency'); // agency A's user logs in now
    const res = await t.get('/admin/activity', await t.cookieFor('specialist'));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Cách tính');
    expect(html).toContain('không tính là đơn vị cập nhật');
    const a = row(html, 'STC')!;
    expect(a).toContain('100,0% (1/1)');
    expect(a).not.toContain('Chưa đăng nhập');
    expect(a).not.toContain('Không sử dụng hệ thống');
    const c = row(html, 'UBND-HX')!;
    expect(c).toContain('Chưa đăng nhập');
    expect(c).toContain('Chưa cập nhật'); // the Office's urging is not C's activity
    expect(c).toContain('0,0% (0/1)');
    expect(c).toContain('Không sử dụng hệ thống 30 ngày');
    // B: its user has not logged in; nothing recorded for B
    expect(row(html, 'SYT')).toContain('Không sử dụng hệ thống');
  });

  it('a unit that stops for more than 30 days is flagged', async () => {
    const t = world();
    await t.cookieFor('agency');
    t.clock.now = new Date(t.clock.now.getTime() + 31 * 86_400_000);
    const html = await (await t.get('/admin/activity', await t.cookieFor('leader'))).text();
    // the leader's login is now; agency A's login and update are 31 days old
    expect(row(html, 'STC')).toContain('Không sử dụng hệ thống');
    expect(row(html, 'STC')).toContain('0,0% (0/1)');
  });

  it('agency users see only their own row, in the page and in the export', async () => {
    const t = world();
    const cookie = await t.cookieFor('agency');
    const html = await (await t.get('/admin/activity', cookie)).text();
    expect(row(html, 'STC')).not.toBeNull();
    expect(row(html, 'SYT')).toBeNull();
    expect(row(html, 'UBND-HX')).toBeNull();
    const res = await t.get('/admin/activity/export.xlsx', cookie);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.getWorksheet('Mức độ cập nhật')!;
    expect(ws.rowCount).toBe(2);
    expect(ws.getRow(2).getCell(1).value).toBe('STC');
    expect(ws.getRow(2).getCell(5).value).toBeInstanceOf(Date);
    expect(ws.getRow(2).getCell(5).numFmt).toBe('dd/mm/yyyy hh:mm');
    expect(t.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'activity.export'").get()).toEqual({
      n: 1,
    });
  });

  it('sorts by a column; a bad sort is a 400 with a message, not a crash', async () => {
    const t = world();
    const cookie = await t.cookieFor('confirmer');
    const html = await (await t.get('/admin/activity?sort=share&dir=desc', cookie)).text();
    const order = [...html.matchAll(/<tr data-agency="([^"]+)"/g)].map((m) => m[1]);
    expect(order[0]).toBe('STC');
    expect(html).toContain('aria-sort="descending"');
    const bad = await t.get('/admin/activity?sort=%27%3Bdrop', cookie);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('sắp xếp không hợp lệ');
  });

  it('the administrator sees the table (aggregate statistics), anonymous people are sent to login', async () => {
    const t = world();
    expect((await t.get('/admin/activity', await t.cookieFor('admin'))).status).toBe(200);
    const anon = await t.get('/admin/activity');
    expect(anon.status).toBe(302);
  });
});
