import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { makeTestApp, type TestApp } from '../test/support/admin-app.ts';
import fc from 'fast-check';
import { appendEvent, createTask, getTaskByCode } from '../domain/tasks.ts';
import { formatDateTimeVi } from '../domain/dates.ts';
import { formatInstantVi } from './task-list.tsx';

/** Task codes in the order the table shows them. */
const codesIn = (html: string) =>
  [...html.matchAll(/<td[^>]*><a href="\/admin\/tasks\/(NV-\d+-\d+)">/g)].map((m) => m[1]!);
const count = (html: string, status: string) => {
  const m = new RegExp(`data-status="${status}"[^>]*>[^<]*: (\\d+)<`).exec(html);
  if (!m) throw new Error(`no count for ${status}`);
  return Number(m[1]);
};
const total = (html: string) => Number(/data-total="(\d+)"/.exec(html)![1]);

async function readXlsx(res: Response) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return wb;
}

function world(): TestApp & { done: string; late: string } {
  const t = makeTestApp({ start: '2026-03-02T02:00:00Z' });
  const own = getTaskByCode(t.db, t.tasks.own)!;
  // own task (agency A): reported 01/02, confirmed 05/02 → completed on time from 05/02 on
  appendEvent(t.db, own.id, { kind: 'received', occurredOn: '2026-01-12' });
  appendEvent(t.db, own.id, { kind: 'reported', occurredOn: '2026-02-01' });
  appendEvent(t.db, own.id, { kind: 'confirmed', occurredOn: '2026-02-05' });
  // a second task of agency C with a past deadline: overdue as of 02/03
  const lateId = createTask(t.db, {
    title: 'Báo cáo quyết toán ngân sách huyện',
    leadAgencyId: t.agencies.c,
    assignedOn: '2026-01-05',
    deadline: '2026-02-15',
  });
  const late = (t.db.prepare('SELECT code FROM tasks WHERE id = ?').get(lateId) as { code: string }).code;
  return Object.assign(t, { done: t.tasks.own, late });
}

describe('GET /admin/tasks', () => {
  it('lists every task for the Office with counts per status as of today, and the navigation entry', async () => {
    const t = world();
    const res = await t.get('/admin/tasks', await t.cookieFor('specialist'));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('href="/admin/tasks" aria-current="page"');
    expect(new Set(codesIn(html))).toEqual(new Set([t.tasks.own, t.tasks.coordinated, t.tasks.other, t.late]));
    expect(total(html)).toBe(4);
    expect(count(html, 'completedOnTime')).toBe(1);
    expect(count(html, 'overdue')).toBe(1);
    expect(count(html, 'inProgress')).toBe(2);
    expect(html).toContain('02/03/2026');
    expect(html).toContain('export.xlsx');
  });

  it('status as of a past date, in dd/mm/yyyy or ISO form', async () => {
    const t = world();
    const cookie = await t.cookieFor('leader');
    let html = await (await t.get('/admin/tasks?asOf=03/02/2026&status=completedOnTime', cookie)).text();
    expect(codesIn(html)).toEqual([]); // confirmed only on 05/02
    expect(count(html, 'awaitingConfirmation')).toBe(1); // reported 01/02, waiting on 03/02
    html = await (await t.get('/admin/tasks?asOf=2026-02-05&status=completedOnTime', cookie)).text();
    expect(codesIn(html)).toEqual([t.done]);
    html = await (await t.get('/admin/tasks?asOf=2026-02-15&status=overdue', cookie)).text();
    expect(codesIn(html)).toEqual([]); // the deadline day itself is still in time
    // 15/02/2026 is a Sunday followed by Tết (16–20/02): the deadline ends on Monday 23/02 (rules v3)
    html = await (await t.get('/admin/tasks?asOf=23/02/2026&status=overdue', cookie)).text();
    expect(codesIn(html)).toEqual([]);
    html = await (await t.get('/admin/tasks?asOf=24/02/2026&status=overdue', cookie)).text();
    expect(codesIn(html)).toEqual([t.late]);
    expect(html).toContain('quá hạn 1 ngày');
    // before its assignment a task is not in the list at all
    html = await (await t.get('/admin/tasks?asOf=2026-01-06', cookie)).text();
    expect(codesIn(html)).toEqual([t.late]);
  });

  it('agency users see only their own tasks (lead or coordinating), whatever they filter on', async () => {
    const t = world();
    const a = await t.cookieFor('agency');
    let html = await (await t.get('/admin/tasks', a)).text();
    expect(new Set(codesIn(html))).toEqual(new Set([t.tasks.own, t.tasks.coordinated]));
    html = await (await t.get('/admin/tasks?agency=UBND-HX', a)).text();
    expect(codesIn(html)).toEqual([]);
    expect(count(html, 'overdue')).toBe(0);
    html = await (await t.get('/admin/tasks?q=quyet+toan', a)).text();
    expect(codesIn(html)).toEqual([]);
    const b = await t.cookieFor('agencyB');
    html = await (await t.get('/admin/tasks', b)).text();
    expect(new Set(codesIn(html))).toEqual(new Set([t.tasks.own, t.tasks.coordinated]));
  });

  it('free text ignores diacritics and matches agency names (lead and coordinating)', async () => {
    const t = world();
    const cookie = await t.cookieFor('specialist');
    let html = await (await t.get('/admin/tasks?q=so+tai+chinh', cookie)).text();
    expect(new Set(codesIn(html))).toEqual(new Set([t.tasks.own, t.tasks.coordinated]));
    html = await (await t.get(`/admin/tasks?q=${encodeURIComponent('QUYẾT TOÁN')}`, cookie)).text();
    expect(codesIn(html)).toEqual([t.late]);
    html = await (await t.get('/admin/tasks?agency=STC&role=lead', cookie)).text();
    expect(codesIn(html)).toEqual([t.tasks.own]);
    html = await (await t.get('/admin/tasks?agency=STC&role=coordinator', cookie)).text();
    expect(codesIn(html)).toEqual([t.tasks.coordinated]);
  });

  it('sorts by the column headers and pages through long lists', async () => {
    const t = world();
    for (let i = 0; i < 60; i++) {
      createTask(t.db, {
        title: `Nhiệm vụ số ${i}`,
        leadAgencyId: t.agencies.b,
        assignedOn: '2026-02-01',
        deadline: `2026-04-${String(1 + (i % 28)).padStart(2, '0')}`,
      });
    }
    const cookie = await t.cookieFor('confirmer');
    let html = await (await t.get('/admin/tasks?sort=code&dir=desc', cookie)).text();
    const desc = codesIn(html);
    expect(desc).toHaveLength(50);
    expect(desc).toEqual([...desc].sort().reverse());
    expect(html).toContain('aria-sort="descending"');
    expect(html).toContain('Trang 1/2 (64 bản ghi)');
    html = await (await t.get('/admin/tasks?sort=code&dir=desc&page=2', cookie)).text();
    expect(codesIn(html)).toHaveLength(14);
    expect(codesIn(html).some((c) => desc.includes(c))).toBe(false);
    html = await (await t.get('/admin/tasks?sort=effective_deadline&pageSize=200', cookie)).text();
    const rows = [
      ...html.matchAll(/<td[^>]*>(\d\d)\/(\d\d)\/(\d{4})(?: \(gia hạn[^<]*)?<\/td><td[^>]*>(?:Đang|Hoàn)/g),
    ].map((m) => `${m[3]}-${m[2]}-${m[1]}`);
    expect(rows.length).toBe(64);
    expect(rows).toEqual([...rows].sort());
    // past the last page: an empty page, not an error
    html = await (await t.get('/admin/tasks?page=99', cookie)).text();
    expect(codesIn(html)).toEqual([]);
  });

  it.each([
    ['asOf=31/02/2026', 'asOf', 'không phải ngày hợp lệ'],
    ['asOf=2026-02-30', 'asOf', 'không phải ngày hợp lệ'],
    ['status=finished', 'status', 'Tình trạng không hợp lệ'],
    ['page=99999999999999999999999', 'page', 'Trang phải là số nguyên'],
    ['page=-1', 'page', 'Trang phải là số nguyên'],
    ['pageSize=100000', 'pageSize', 'Số dòng mỗi trang'],
    ['sort=title%3BDROP%20TABLE%20tasks', 'sort', 'Cột sắp xếp không hợp lệ'],
    ['agency=KHONG-CO', 'agency', 'Không có đơn vị với mã này'],
    ['leader=12abc', 'leader', 'Lãnh đạo giao'],
    ['evil=%3Cscript%3E', 'evil', 'Tham số không được hỗ trợ'],
    [`q=${'x'.repeat(500)}`, 'q', 'dài quá 200 ký tự'],
  ])('%s → 400 with the message on the field, the form kept', async (query, field, message) => {
    const t = world();
    const res = await t.get(`/admin/tasks?${query}`, await t.cookieFor('specialist'));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain(message);
    expect(html).toContain(`href="#${field}"`);
    expect(html).toContain('<form method="get" action="/admin/tasks"');
    expect(html).not.toContain('<script>');
  });

  it('hostile free text is escaped and simply finds nothing', async () => {
    const t = world();
    const res = await t.get(
      `/admin/tasks?q=${encodeURIComponent('"><script>alert(1)</script> %_\\')}`,
      await t.cookieFor('specialist'),
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;');
    expect(total(html)).toBe(0);
  });

  it('a repeated page follows every new event and task (rendered-page cache keyed by the data version)', async () => {
    const t = world();
    const cookie = await t.cookieFor('specialist');
    const url = '/admin/tasks?status=overdue';
    expect(codesIn(await (await t.get(url, cookie)).text())).toEqual([t.late]);
    expect(codesIn(await (await t.get(url, cookie)).text())).toEqual([t.late]);
    const late = getTaskByCode(t.db, t.late)!;
    appendEvent(t.db, late.id, { kind: 'reported', occurredOn: '2026-03-01' });
    appendEvent(t.db, late.id, { kind: 'confirmed', occurredOn: '2026-03-02' });
    expect(codesIn(await (await t.get(url, cookie)).text())).toEqual([]);
    createTask(t.db, {
      title: 'Nhiệm vụ mới quá hạn',
      leadAgencyId: t.agencies.b,
      assignedOn: '2026-01-02',
      deadline: '2026-01-20',
    });
    expect(codesIn(await (await t.get(url, cookie)).text())).toHaveLength(1);
    // another person with the same URL gets their own page
    const html = await (await t.get(url, await t.cookieFor('agency'))).text();
    expect(codesIn(html)).toEqual([]);
    expect(html).toContain('donvi-a');
  });

  it('task titles, agency and document texts are escaped in the rows', async () => {
    const t = world();
    t.db.prepare('UPDATE agencies SET name = ? WHERE id = ?').run('Sở "A" <b>&', t.agencies.a);
    createTask(t.db, {
      title: `<img src=x onerror=alert(1)> & "q" 'x'`,
      leadAgencyId: t.agencies.a,
      coordinatorIds: [t.agencies.b],
      assignedOn: '2026-02-01',
      deadline: '2026-04-01',
      starred: true,
    });
    const html = await (await t.get('/admin/tasks?q=onerror', await t.cookieFor('specialist'))).text();
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('★ </span>&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot; &#39;x&#39;');
    expect(html).toContain('Sở &quot;A&quot; &lt;b&gt;&amp;');
    expect(html).not.toContain('<b>&');
  });

  it('the administrator (no access to task contents) is refused the list and the exports', async () => {
    const t = world();
    const cookie = await t.cookieFor('admin');
    for (const path of ['/admin/tasks', '/admin/tasks/export.xlsx', '/admin/tasks/export.csv']) {
      expect((await t.get(path, cookie)).status).toBe(403);
    }
    const html = await (await t.get('/admin', cookie)).text();
    expect(html).not.toContain('href="/admin/tasks"');
  });
});

describe('exports', () => {
  it('Excel: the filtered, scoped list with Vietnamese headers, real dates, a frozen header, a Vietnamese file name; audited', async () => {
    const t = world();
    const res = await t.get('/admin/tasks/export.xlsx?sort=code', await t.cookieFor('agency'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const cd = res.headers.get('content-disposition')!;
    expect(cd).toMatch(/^attachment; filename="Danh sach nhiem vu den ngay 02-03-2026\.xlsx"; filename\*=UTF-8''/);
    expect(decodeURIComponent(cd.split("UTF-8''")[1]!)).toBe('Danh sách nhiệm vụ đến ngày 02-03-2026.xlsx');
    const wb = await readXlsx(res);
    const ws = wb.getWorksheet('Nhiệm vụ')!;
    expect(ws.getRow(1).getCell(1).value).toBe('Mã nhiệm vụ');
    expect(ws.getRow(1).getCell(9).value).toBe('Ngày giao');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const codes = [];
    for (let r = 2; r <= ws.rowCount; r++) codes.push(ws.getRow(r).getCell(1).value);
    expect(codes).toEqual([t.tasks.own, t.tasks.coordinated].sort()); // never agency C's tasks
    const assigned = ws.getRow(2).getCell(9);
    expect(assigned.value).toBeInstanceOf(Date);
    expect((assigned.value as Date).toISOString()).toBe('2026-01-10T00:00:00.000Z');
    expect(assigned.numFmt).toBe('dd/mm/yyyy');
    expect(ws.getRow(2).getCell(12).value).toBe('Hoàn thành đúng hạn');
    const audit = t.db
      .prepare("SELECT actor_name, details FROM audit_log WHERE action = 'task.export'")
      .all() as Array<{ actor_name: string; details: string }>;
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_name).toBe('donvi-a');
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ format: 'xlsx', rows: 2 });
  });

  it('Excel with a filter asking for another agency stays inside the scope', async () => {
    const t = world();
    const res = await t.get('/admin/tasks/export.xlsx?agency=UBND-HX', await t.cookieFor('agency'));
    const ws = (await readXlsx(res)).getWorksheet('Nhiệm vụ')!;
    expect(ws.rowCount).toBe(1); // header only
    const office = await t.get(
      '/admin/tasks/export.xlsx?agency=UBND-HX&status=overdue',
      await t.cookieFor('specialist'),
    );
    const rows = (await readXlsx(office)).getWorksheet('Nhiệm vụ')!;
    expect(rows.rowCount).toBe(2);
    expect(rows.getRow(2).getCell(1).value).toBe(t.late);
    expect(rows.getRow(2).getCell(14).value).toBe(7); // days overdue on 02/03 (deadline 15/02, ends 23/02 after Tết)
  });

  it('CSV: UTF-8 with BOM, Vietnamese headers and dd/mm/yyyy dates, scoped', async () => {
    const t = world();
    const res = await t.get('/admin/tasks/export.csv', await t.cookieFor('agencyB'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^Mã nhiệm vụ,Tên nhiệm vụ,Mã đơn vị chủ trì,Đơn vị chủ trì/);
    expect(lines).toHaveLength(3);
    expect(text).toContain('10/01/2026');
    expect(text).not.toContain(t.tasks.other);
    expect(text).not.toContain(t.late);
  });

  it('a bad filter gives 400 with the message, not a file', async () => {
    const t = world();
    const res = await t.get('/admin/tasks/export.csv?asOf=31/02/2026', await t.cookieFor('specialist'));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('không phải ngày hợp lệ');
    expect(t.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'task.export'").get()).toEqual({ n: 0 });
  });
});

describe('formatInstantVi', () => {
  it('equals formatDateTimeVi (Intl, Asia/Ho_Chi_Minh) for any instant since 1976', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1976, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        const iso = new Date(ms).toISOString();
        expect(formatInstantVi(iso)).toBe(formatDateTimeVi(iso));
      }),
      { numRuns: 500 },
    );
  });
});
