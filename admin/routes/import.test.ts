import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { makeTestApp, TEST_ORIGIN, TEST_PASSWORD, cookieFrom, type TestApp } from '../test/support/admin-app.ts';
import { insertUser } from '../auth/users.ts';
import type { Role } from '../auth/permissions.ts';

const HEADER =
  'Mã nhiệm vụ,Tên nhiệm vụ,Đơn vị chủ trì,Đơn vị phối hợp,Ngày giao,Thời hạn,Ngày báo cáo kết quả,Ngày xác nhận hoàn thành';
const GOOD = `${HEADER}
NV-2025-70001,Rà soát quy hoạch mạng lưới y tế,SYT,STC,05/01/2026,28/02/2026,20/02/2026,25/02/2026
NV-2025-70002,Báo cáo kết quả thu ngân sách,STC,,10/01/2026,31/03/2026,,
`;

function upload(
  t: TestApp,
  cookie: string,
  name: string,
  content: string | Uint8Array,
  path = '/admin/import',
): Promise<Response> {
  const form = new FormData();
  form.append('file', new File([typeof content === 'string' ? content : new Uint8Array(content)], name));
  return Promise.resolve(t.app.request(path, { method: 'POST', headers: { origin: TEST_ORIGIN, cookie }, body: form }));
}
const tasks = (t: TestApp) => (t.db.prepare('SELECT count(*) AS n FROM tasks').get() as { n: number }).n;
const tokenOf = (html: string) => /name="token" value="([^"]+)"/.exec(html)?.[1];

describe('import page: access', () => {
  it('the Office specialist only; other roles get 403 and nothing is written', async () => {
    const t = makeTestApp();
    expect((await t.get('/admin/import', await t.cookieFor('specialist'))).status).toBe(200);
    for (const role of ['admin', 'confirmer', 'leader', 'agency'] as Role[]) {
      const cookie = await t.cookieFor(role);
      expect((await t.get('/admin/import', cookie)).status).toBe(403);
      expect((await t.get('/admin/import/example.csv', cookie)).status).toBe(403);
      expect((await upload(t, cookie, 'a.csv', GOOD)).status).toBe(403);
      expect((await t.post('/admin/import/confirm', { token: 'x' }, cookie)).status).toBe(403);
    }
    expect(tasks(t)).toBe(3);
  });

  it('serves the example files for download', async () => {
    const t = makeTestApp();
    const cookie = await t.cookieFor('specialist');
    for (const ext of ['csv', 'xlsx']) {
      const res = await t.get(`/admin/import/example.${ext}`, cookie);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="import-example.${ext}"`);
      expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(`data/demo/import-example.${ext}`))).toBe(true);
    }
    const page = await (await t.get('/admin/import', cookie)).text();
    expect(page).toContain('href="/admin/import/example.xlsx"');
    expect(page).toContain('Đơn vị chủ trì');
  });
});

describe('import: check, then confirm', () => {
  it('a bad row gets a row-by-row report and nothing is written', async () => {
    const t = makeTestApp();
    const cookie = await t.cookieFor('specialist');
    const res = await upload(
      t,
      cookie,
      'nhiem-vu.csv',
      `${GOOD}NV-2025-70003,Nhiệm vụ của đơn vị lạ,SXYZ,,10/01/2026,31/03/2026,,\n`,
    );
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Không nhập gì: 1 lỗi ở 1 dòng');
    expect(html).toMatch(/<td[^>]*>4<\/td><td[^>]*>[^<]*SXYZ/);
    expect(tokenOf(html)).toBeUndefined();
    expect(tasks(t)).toBe(3);
  });

  it('a valid file is summarised, written only on confirmation, once, and audited', async () => {
    const t = makeTestApp();
    const cookie = await t.cookieFor('specialist');
    const res = await upload(t, cookie, 'nhiem-vu.csv', GOOD);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('2 nhiệm vụ sẽ được nhập');
    expect(html).toContain('Rà soát quy hoạch mạng lưới y tế');
    expect(tasks(t)).toBe(3); // the check wrote nothing
    const token = tokenOf(html)!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const ok = await t.post('/admin/import/confirm', { token }, cookie);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/admin/import?msg=import_done');
    expect(tasks(t)).toBe(5);
    expect(t.db.prepare("SELECT completed_on, confirmed_on FROM tasks WHERE code = 'NV-2025-70001'").get()).toEqual({
      completed_on: '2026-02-20',
      confirmed_on: '2026-02-25',
    });
    const audit = t.db.prepare("SELECT details FROM audit_log WHERE action = 'task.import'").get() as {
      details: string;
    };
    expect(JSON.parse(audit.details)).toMatchObject({ fileName: 'nhiem-vu.csv', imported: 2 });
    const again = await t.post('/admin/import/confirm', { token }, cookie);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Phiên nhập đã hết hạn hoặc không hợp lệ');
    expect(tasks(t)).toBe(5);
  });

  it('imported events show the file and the importer on the task timeline and in the API, not the importer as actor', async () => {
    const t = makeTestApp({ start: '2026-03-02T02:00:00Z' });
    const cookie = await t.cookieFor('specialist');
    const token = tokenOf(await (await upload(t, cookie, 'Dữ liệu 2025.csv', GOOD)).text())!;
    expect((await t.post('/admin/import/confirm', { token }, cookie)).status).toBe(303);
    const specialist = t.db.prepare('SELECT display_name FROM users WHERE id = ?').pluck().get(t.users.specialist.id);
    const html = await (await t.get('/admin/tasks/NV-2025-70001', cookie)).text();
    const timeline = html.slice(html.indexOf('sự kiện'));
    const label = `Nhập từ tệp Dữ liệu 2025.csv (bởi ${specialist}, 02/03/2026)`;
    // assigned, reported, confirmed: each shows the file and who imported it
    expect(timeline.split(label).length - 1).toBe(3);
    expect(timeline).not.toMatch(new RegExp(`<td[^>]*>${specialist}</td>`));
    const audit = t.db.prepare("SELECT details FROM audit_log WHERE action = 'task.import'").pluck().get() as string;
    const imp = t.db.prepare('SELECT id, sha256, rows, tasks FROM imports').get() as { id: number; sha256: string };
    expect(JSON.parse(audit)).toMatchObject({ importId: imp.id, sha256: imp.sha256 });
    expect(imp).toMatchObject({ rows: 2, tasks: 2 });
    const { eventViews } = await import('../api/task-view.ts');
    const task = t.db.prepare("SELECT id FROM tasks WHERE code = 'NV-2025-70001'").pluck().get() as number;
    expect(eventViews(t.db, task).map((e) => e.importedFrom)).toEqual(
      Array(3).fill({ fileName: 'Dữ liệu 2025.csv', importedBy: specialist, importedAt: '2026-03-02T02:00:00.000Z' }),
    );
  });

  it('the token belongs to the person who checked the file and expires after 15 minutes', async () => {
    const t = makeTestApp();
    insertUser(
      t.db,
      { username: 'chuyenvien2', displayName: 'Chuyên viên 2', email: null, role: 'specialist', agencyId: null },
      t.hasher.hashSync(TEST_PASSWORD),
      false,
      t.clock.now,
    );
    const cookie = await t.cookieFor('specialist');
    const other = cookieFrom(await t.login('chuyenvien2'));
    const token = tokenOf(await (await upload(t, cookie, 'a.csv', GOOD)).text())!;
    expect((await t.post('/admin/import/confirm', { token }, other)).status).toBe(409);
    t.clock.now = new Date(t.clock.now.getTime() + 16 * 60_000);
    expect((await t.post('/admin/import/confirm', { token }, await t.cookieFor('specialist'))).status).toBe(409);
    expect(tasks(t)).toBe(3);
  });

  it('data changed between the check and the confirmation: everything is re-checked, nothing written', async () => {
    const t = makeTestApp();
    const cookie = await t.cookieFor('specialist');
    const token = tokenOf(await (await upload(t, cookie, 'a.csv', GOOD)).text())!;
    t.db.prepare("UPDATE agencies SET dissolved_on = '2026-01-02' WHERE code = 'SYT'").run();
    const res = await t.post('/admin/import/confirm', { token }, cookie);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Dữ liệu đã thay đổi');
    expect(tasks(t)).toBe(3);
    expect(
      (t.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'task.import_failed'").get() as { n: number })
        .n,
    ).toBe(1);
  });
});

describe('import: hostile files', () => {
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const cases: Array<[string, string | Uint8Array, RegExp]> = [
    ['anh.csv', png, /không phải văn bản/],
    ['virus.exe', GOOD, /Chỉ nhận tệp .csv, .xlsx hoặc .json/],
    ['bang.xlsx', GOOD, /không phải bảng tính Excel/],
    ['latin1.csv', Uint8Array.from([...Buffer.from('Tên nhiệm vụ\n', 'latin1')]), /UTF-8/],
    ['rong.csv', '', /Chưa chọn tệp/],
    ['sai.json', '{"tasks": 5}', /mảng nhiệm vụ/],
    ['hong.json', '[{"title": "x"', /Không đọc được tệp JSON/],
    ['cot.csv', 'Cột lạ,Tên nhiệm vụ\n1,2\n', /Cột (&quot;|")Cột lạ/],
  ];
  for (const [name, content, message] of cases) {
    it(`refuses ${name} with a clear message`, async () => {
      const t = makeTestApp();
      const res = await upload(t, await t.cookieFor('specialist'), name, content);
      expect(res.status).toBe(422);
      expect(await res.text()).toMatch(message);
      expect(tasks(t)).toBe(3);
    });
  }

  it('the demo example (other agency codes) is reported row by row, not a crash', async () => {
    const t = makeTestApp();
    const res = await upload(
      t,
      await t.cookieFor('specialist'),
      'import-example.xlsx',
      readFileSync('data/demo/import-example.xlsx'),
    );
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Không nhập gì');
  });

  it('random bytes never crash the check and never write (property)', async () => {
    const t = makeTestApp();
    const cookie = await t.cookieFor('specialist');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('a.csv', 'a.json', 'a.xlsx'),
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.string({ maxLength: 300 }).map((s) => `${HEADER}\n${s}`),
        ),
        async (name, content) => {
          const res = await upload(t, cookie, name, content);
          expect([200, 422]).toContain(res.status);
          expect(tasks(t)).toBe(3);
        },
      ),
      { numRuns: 60 },
    );
  });
});
