/**
 * The split page through the app (issue 12, "Split"): preview, re-compute keeping the administrator's choices,
 * upload of the mapping, apply, and every bad input answered in Vietnamese with a 4xx and nothing written.
 */
import { describe, expect, it } from 'vitest';
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../test/support/admin-app.ts';
import { createTask, getTaskByCode, listEvents } from '../domain/tasks.ts';
import { computeStats } from '../domain/stats.ts';
import type { Role } from '../auth/permissions.ts';

/** The test app plus a district (UBND huyện X, agency c) with three open tasks in two sectors and two communes. */
function world() {
  const t = makeTestApp();
  const ins = t.db.prepare('INSERT INTO agencies (code, name, kind) VALUES (?, ?, ?)');
  const xa1 = Number(ins.run('XA-1', 'UBND xã Một', 'commune').lastInsertRowid);
  const xa2 = Number(ins.run('XA-2', 'UBND xã Hai', 'commune').lastInsertRowid);
  const sec = t.db.prepare('INSERT INTO sectors (code, name) VALUES (?, ?)');
  const dat = Number(sec.run('DD', 'Đất đai').lastInsertRowid);
  const gt = Number(sec.run('GT', 'Giao thông').lastInsertRowid);
  const mk = (title: string, sectorId: number | null) =>
    createTask(t.db, { title, leadAgencyId: t.agencies.c, sectorId, assignedOn: '2026-01-12', deadline: '2026-06-30' });
  const ids = { first: mk('Giải phóng mặt bằng', dat), road: mk('Sửa đường liên xã', gt) };
  const codeOf = (id: number) => (t.db.prepare('SELECT code FROM tasks WHERE id = ?').get(id) as { code: string }).code;
  const district = (t.db.prepare('SELECT id FROM tasks WHERE code = ?').get(t.tasks.other) as { id: number }).id;
  return { t, xa1, xa2, dat, gt, tasks: { ...ids, general: district }, codeOf };
}
type World = ReturnType<typeof world>;

const url = (w: World) => `/admin/agencies/${w.t.agencies.c}/split`;

/** A complete apply form: every open task of the district with a successor. */
const applyForm = (w: World, over: Record<string, string> = {}) => ({
  action: 'apply',
  on: '01/02/2026',
  mapping: '',
  default_id: '',
  users: 'disable',
  users_to: '',
  reason: 'Quyết định 99/QĐ-UBND về sắp xếp đơn vị hành chính cấp xã',
  [`task_${w.tasks.general}`]: String(w.xa1),
  [`task_${w.tasks.first}`]: String(w.xa1),
  [`task_${w.tasks.road}`]: String(w.t.agencies.b),
  ...over,
});

const fingerprint = (t: TestApp) =>
  JSON.stringify([
    t.db.prepare('SELECT * FROM agencies ORDER BY id').all(),
    t.db.prepare('SELECT id, lead_agency_id, agency_history, last_event_on FROM tasks ORDER BY id').all(),
    t.db.prepare('SELECT * FROM task_coordinators ORDER BY task_id, agency_id').all(),
    t.db.prepare('SELECT id, agency_id, disabled FROM users ORDER BY id').all(),
    t.db.prepare('SELECT count(*) AS n FROM task_events').get(),
    t.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action LIKE 'agency.%'").get(),
  ]);

/** The <select> of one row, and the option selected in it ('' = none). */
function selectedIn(html: string, taskId: number): string {
  const m = new RegExp(`<select id="task_${taskId}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
  if (!m) throw new Error(`no row for task ${taskId}`);
  return /<option value="([^"]*)" selected/.exec(m[1]!)?.[1] ?? '';
}

describe('agency split: access and preview', () => {
  it('only the administrator opens and applies it; others get 403 and nothing is written', async () => {
    const w = world();
    for (const role of ['agency', 'specialist', 'confirmer', 'leader', 'head'] as Role[]) {
      const cookie = await w.t.cookieFor(role);
      expect((await w.t.get(url(w), cookie)).status).toBe(403);
      const before = fingerprint(w.t);
      expect((await w.t.post(url(w), applyForm(w), cookie)).status).toBe(403);
      expect(fingerprint(w.t)).toBe(before);
    }
  });

  it('lists every open task, links the page from the agency page, and proposes by the mapping or the default', async () => {
    const w = world();
    const admin = await w.t.cookieFor('admin');
    expect(await (await w.t.get(`/admin/agencies/${w.t.agencies.c}`, admin)).text()).toContain(`href="${url(w)}"`);
    const page = await (await w.t.get(url(w), admin)).text();
    for (const id of Object.values(w.tasks)) expect(page).toContain(w.codeOf(id));
    expect(page).toContain('Nhiệm vụ đang thực hiện (3)');
    expect(page).toContain('value="02/03/2026"'); // today, dd/mm/yyyy
    const res = await w.t.post(
      url(w),
      { action: 'preview', mapping: 'DD,XA-1\nGT,SYT', default_id: String(w.xa2) },
      admin,
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(selectedIn(html, w.tasks.first)).toBe(String(w.xa1));
    expect(selectedIn(html, w.tasks.road)).toBe(String(w.t.agencies.b));
    expect(selectedIn(html, w.tasks.general)).toBe(String(w.xa2)); // no sector: the default
    expect(html).toContain('theo lĩnh vực');
    expect(html).toContain('đơn vị mặc định');
  });

  it('re-computing keeps a row the administrator changed and moves the others with the new mapping', async () => {
    const w = world();
    const admin = await w.t.cookieFor('admin');
    const html = await (
      await w.t.post(
        url(w),
        {
          action: 'preview',
          mapping: 'DD,XA-2\nGT,XA-2\nXA-1',
          // the road row was shown proposing XA-1 and the administrator chose SYT: it stays
          [`task_${w.tasks.road}`]: String(w.t.agencies.b),
          [`proposed_${w.tasks.road}`]: String(w.xa1),
          // the first row was left as proposed: it follows the new mapping
          [`task_${w.tasks.first}`]: String(w.xa1),
          [`proposed_${w.tasks.first}`]: String(w.xa1),
        },
        admin,
      )
    ).text();
    expect(selectedIn(html, w.tasks.road)).toBe(String(w.t.agencies.b));
    expect(selectedIn(html, w.tasks.first)).toBe(String(w.xa2));
    expect(selectedIn(html, w.tasks.general)).toBe('');
    expect(html).toContain('1 nhiệm vụ chưa có đơn vị tiếp nhận');
    expect(html).toContain('UBND xã Một (XA-1)'); // a commune listed alone is offered in every row
  });

  it('reads an uploaded mapping file (multipart) and shows it in the text area', async () => {
    const w = world();
    const admin = await w.t.cookieFor('admin');
    const form = new FormData();
    form.set('action', 'preview');
    form.set('mapping', 'ignored');
    form.set('mapping_file', new File(['sector_code,successor_code\nGT,XA-2\n'], 'map.csv', { type: 'text/csv' }));
    const res = await w.t.app.request(url(w), {
      method: 'POST',
      headers: { origin: TEST_ORIGIN, cookie: admin },
      body: form,
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(selectedIn(html, w.tasks.road)).toBe(String(w.xa2));
    expect(html).toContain('GT,XA-2');
  });
});

describe('agency split: apply', () => {
  it('moves the tasks as of D, ends the district, locks its accounts, keeps the statistics before D', async () => {
    const w = world();
    const admin = await w.t.cookieFor('admin');
    const ins = w.t.db.prepare(
      "INSERT INTO users (username, display_name, role, agency_id, password_hash) VALUES (?, 'x', 'agency', ?, 'x')",
    );
    const user = Number(ins.run('cb-hx', w.t.agencies.c).lastInsertRowid);
    const before = computeStats(w.t.db, '2026-01-31');
    const res = await w.t.post(url(w), applyForm(w), admin);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/admin/agencies/${w.t.agencies.c}?msg=agency_split`);
    expect(getTaskByCode(w.t.db, w.codeOf(w.tasks.road))!.lead_agency_id).toBe(w.t.agencies.b);
    expect(getTaskByCode(w.t.db, w.codeOf(w.tasks.first))!.lead_agency_id).toBe(w.xa1);
    expect(listEvents(w.t.db, w.tasks.road).at(-1)).toMatchObject({ kind: 'reassigned', occurred_on: '2026-02-01' });
    expect(computeStats(w.t.db, '2026-01-31')).toEqual(before);
    expect(w.t.db.prepare('SELECT disabled FROM users WHERE id = ?').get(user)).toEqual({ disabled: 1 });
    const page = await (await w.t.get(`/admin/agencies/${w.t.agencies.c}?msg=agency_split`, admin)).text();
    expect(page).toContain('Đã chia tách đơn vị');
    expect(page).toContain('Đã giải thể từ ngày 01/02/2026');
    const audit = w.t.db.prepare("SELECT details FROM audit_log WHERE action = 'agency.split'").get() as {
      details: string;
    };
    expect(JSON.parse(audit.details)).toMatchObject({
      reason: 'Quyết định 99/QĐ-UBND về sắp xếp đơn vị hành chính cấp xã',
    });
    // a second apply of the ended agency is refused
    expect((await w.t.post(url(w), applyForm(w), admin)).status).toBe(422);
  });

  it('moves the accounts to the chosen successor when asked', async () => {
    const w = world();
    const admin = await w.t.cookieFor('admin');
    const ins = w.t.db.prepare(
      "INSERT INTO users (username, display_name, role, agency_id, password_hash) VALUES (?, 'x', 'agency', ?, 'x')",
    );
    const user = Number(ins.run('cb-hx', w.t.agencies.c).lastInsertRowid);
    const res = await w.t.post(url(w), applyForm(w, { users: 'move', users_to: String(w.xa2) }), admin);
    expect(res.status).toBe(303);
    expect(w.t.db.prepare('SELECT agency_id, disabled FROM users WHERE id = ?').get(user)).toEqual({
      agency_id: w.xa2,
      disabled: 0,
    });
  });

  const bad: Array<[string, (w: World) => Record<string, string>, RegExp]> = [
    ['D in the future', () => ({ on: '03/03/2026' }), /Ngày chia tách 03\/03\/2026 ở tương lai/],
    ['a malformed D', () => ({ on: '31/02/2026' }), /Ngày chia tách không hợp lệ/],
    [
      'D before the blocking event',
      () => ({ on: '11/01/2026' }),
      /trước sự kiện ngày 12\/01\/2026 của nhiệm vụ NV-2026-0000\d/,
    ],
    [
      'the agency itself as a successor',
      (w) => ({ [`task_${w.tasks.first}`]: String(w.t.agencies.c) }),
      /UBND huyện X là đơn vị đang chia tách/,
    ],
    [
      'a successor that does not exist',
      (w) => ({ [`task_${w.tasks.first}`]: '9999' }),
      /Không tìm thấy đơn vị tiếp nhận/,
    ],
    [
      'a task left without a successor',
      (w) => ({ [`task_${w.tasks.road}`]: '' }),
      /Còn 1 nhiệm vụ chưa có đơn vị tiếp nhận/,
    ],
    [
      'a task of another agency in the form',
      (w) => ({ task_1: String(w.xa1) }),
      /không phải nhiệm vụ đang thực hiện của UBND huyện X: NV-2026-00001/,
    ],
    ['an unknown task id', (w) => ({ task_abc: String(w.xa1) }), /không phải nhiệm vụ đang thực hiện.*số abc/],
    ['a malformed mapping', () => ({ mapping: 'DD,XA-1\nGT,XA-2,XA-1' }), /Dòng 2: cần tối đa 2 cột/],
    ['a mapping naming an unknown agency', () => ({ mapping: 'DD,XA-9' }), /Dòng 1: không có đơn vị mã XA-9/],
    ['no reason', () => ({ reason: '' }), /Cần ghi rõ lý do chia tách/],
    ['accounts moved nowhere', () => ({ users: 'move' }), /Chọn đơn vị nhận các tài khoản/],
    ['an unknown accounts policy', () => ({ users: 'keep' }), /Chọn cách xử lý tài khoản/],
  ];

  it.each(bad)('refuses %s: 422, a Vietnamese message, nothing written', async (_, over, message) => {
    const w = world();
    const admin = await w.t.cookieFor('admin');
    const before = fingerprint(w.t);
    const res = await w.t.post(url(w), applyForm(w, over(w)), admin);
    expect(res.status).toBe(422);
    const html = (await res.text()).replace(/&#39;|&quot;/g, '"');
    expect(html).toMatch(message);
    expect(fingerprint(w.t)).toBe(before);
  });

  it('refuses a successor that had ended before D', async () => {
    const w = world();
    const admin = await w.t.cookieFor('admin');
    w.t.db.prepare("UPDATE agencies SET dissolved_on = '2026-01-20' WHERE id = ?").run(w.xa2);
    const before = fingerprint(w.t);
    const res = await w.t.post(url(w), applyForm(w, { [`task_${w.tasks.road}`]: String(w.xa2) }), admin);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain(
      'UBND xã Hai đã giải thể từ ngày 20/01/2026, không còn tồn tại vào ngày 01/02/2026',
    );
    expect(fingerprint(w.t)).toBe(before);
  });

  it('a malformed mapping on re-compute is a 422 naming the line, and an unknown agency a 404', async () => {
    const w = world();
    const admin = await w.t.cookieFor('admin');
    const res = await w.t.post(url(w), { action: 'preview', mapping: 'DD,XA-1\n\nDD,XA-2' }, admin);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Dòng 3: lĩnh vực DD đã được gán ở dòng 1');
    expect((await w.t.get('/admin/agencies/9999/split', admin)).status).toBe(404);
  });
});
