/**
 * The document entry form's server-side behaviour (issue 11): the no-deadline warning and reason open only on tasks
 * without a deadline, a chosen file is held on the server across a refusal (files/held-uploads.ts), and the coordinating
 * agencies are a list of checkboxes that works without JavaScript and keeps its choices.
 */
import { describe, expect, it } from 'vitest';
import { cookieFrom, makeTestApp, TEST_ORIGIN, TEST_PASSWORD, type TestApp } from '../test/support/admin-app.ts';
import { insertUser } from '../auth/users.ts';
import { samplePdf } from '../test/fixtures/files.ts';

function seedLeader(t: TestApp): number {
  return Number(
    t.db.prepare("INSERT INTO leaders (name, title) VALUES ('Trần Văn Chủ', 'Chủ tịch UBND tỉnh')").run()
      .lastInsertRowid,
  );
}

function form(t: TestApp, leader: number): Record<string, string | string[]> {
  const { a, b, c } = t.agencies;
  return {
    number: '1147/UBND-KSTT',
    doc_type: 'Công văn',
    issued_on: '01/03/2026',
    signer: String(leader),
    summary: 'Về việc triển khai các nhiệm vụ trọng tâm',
    task_count: '2',
    t0_title: 'Rà soát thủ tục hành chính',
    t0_lead: String(a),
    t0_coordinators: [String(b), String(c)],
    t0_leader: String(leader),
    t0_deadline: '30/04/2026',
    t1_title: 'Theo dõi sắp xếp đơn vị hành chính',
    t1_lead: String(c),
    t1_leader: String(leader),
    t1_no_deadline: '1',
    t1_no_deadline_reason: 'Nhiệm vụ thường xuyên',
  };
}

async function post(
  t: TestApp,
  f: Record<string, string | string[]>,
  file?: string,
  cookieOf?: string,
): Promise<Response> {
  const fd = new FormData();
  for (const [k, v] of Object.entries(f)) for (const x of Array.isArray(v) ? v : [v]) fd.append(k, x);
  if (file) fd.append('file', new File([samplePdf()], file, { type: 'application/pdf' }));
  const cookie = cookieOf ?? (await t.cookieFor('specialist'));
  return t.app.request('/admin/documents/new', { method: 'POST', headers: { origin: TEST_ORIGIN, cookie }, body: fd });
}

/** The HTML of task block i. */
function block(html: string, i: number): string {
  return html.split('<fieldset class="task-block"')[i + 1]!;
}

const openDetails = (s: string) => /<details class="no-deadline" open/.test(s);

describe('document entry form', () => {
  it('closes the no-deadline part on a fresh form and on dated tasks; opens it where there is no deadline', async () => {
    const t = makeTestApp();
    const leader = seedLeader(t);
    const fresh = await (await t.get('/admin/documents/new', await t.cookieFor('specialist'))).text();
    for (const i of [0, 1, 2]) {
      expect(block(fresh, i)).toContain('<details class="no-deadline">');
      expect(block(fresh, i)).toContain('hạn chế giao nhiệm vụ không có thời hạn');
    }
    // refused (signer missing): task 1 has no deadline and shows its reason open, task 0 has a deadline
    const res = await post(t, { ...form(t, leader), signer: '' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(openDetails(block(html, 0))).toBe(false);
    expect(openDetails(block(html, 1))).toBe(true);
    expect(block(html, 1)).toContain('Nhiệm vụ thường xuyên');
    // a missing reason opens it too, with the error beside the field
    const noReason = await (await post(t, { ...form(t, leader), t1_no_deadline_reason: '' })).text();
    expect(openDetails(block(noReason, 1))).toBe(true);
    expect(block(noReason, 1)).toContain('cần ghi rõ lý do');
  });

  it('keeps the chosen file on the server across a refusal; the next submission uses it', async () => {
    const t = makeTestApp();
    const leader = seedLeader(t);
    const res = await post(t, { ...form(t, leader), summary: '' }, 'Công văn 1147.pdf');
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Đã giữ lại tệp “Công văn 1147.pdf”: không cần chọn lại.');
    const token = /name="held_file" value="([0-9a-f]{64})"/.exec(html)?.[1];
    expect(token).toBeDefined();
    expect(t.db.prepare('SELECT count(*) FROM files').pluck().get()).toBe(0); // held, not stored
    // the no-JS "add a task" round trip keeps it too (same token)
    const added = await (await post(t, { ...form(t, leader), held_file: token!, add_task: '1' })).text();
    expect(added).toContain(`name="held_file" value="${token}"`);
    // corrected, without choosing the file again: the document is recorded with it
    const ok = await post(t, { ...form(t, leader), held_file: token! });
    expect(ok.status).toBe(303);
    const f = t.db
      .prepare('SELECT f.original_name, f.size FROM documents d JOIN files f ON f.id = d.file_id')
      .get() as { original_name: string; size: number };
    expect(f).toEqual({ original_name: 'Công văn 1147.pdf', size: samplePdf().length });
    // used once: the token is gone
    const again = await post(t, { ...form(t, leader), number: '52/TB-UBND', held_file: token! });
    expect(again.status).toBe(422);
    expect(await again.text()).toContain('Tệp đã chọn trước đó không còn được giữ');
  });

  it('a held file belongs to its user; a forged token or "drop it" never stores a file, never a 500', async () => {
    const t = makeTestApp();
    const leader = seedLeader(t);
    const html = await (await post(t, { ...form(t, leader), summary: '' }, 'a.pdf')).text();
    const token = /name="held_file" value="([0-9a-f]{64})"/.exec(html)![1]!;
    insertUser(
      t.db,
      { username: 'chuyenvien2', displayName: 'Chuyên viên 2', email: null, role: 'specialist', agencyId: null },
      t.hasher.hashSync(TEST_PASSWORD),
      false,
      t.clock.now,
    );
    const other = cookieFrom(await t.login('chuyenvien2'));
    for (const [held, cookie] of [
      [token, other],
      ['0'.repeat(64), undefined],
      ['../../etc/passwd', undefined],
    ] as const) {
      const res = await post(t, { ...form(t, leader), held_file: held }, undefined, cookie);
      expect(res.status, held).toBe(422);
      expect(await res.text()).toContain('Tệp đã chọn trước đó không còn được giữ');
    }
    const dropped = await post(t, { ...form(t, leader), held_file: token, drop_held: '1' });
    expect(dropped.status).toBe(303);
    expect(t.db.prepare('SELECT file_id FROM documents').pluck().get()).toBeNull();
    expect(t.db.prepare('SELECT count(*) FROM files').pluck().get()).toBe(0);
  });

  it('offers the coordinating agencies as checkboxes that keep their choices after a refusal', async () => {
    const t = makeTestApp();
    const leader = seedLeader(t);
    const fresh = await (await t.get('/admin/documents/new', await t.cookieFor('specialist'))).text();
    expect(fresh).not.toMatch(/<select[^>]*name="t0_coordinators"/);
    expect(block(fresh, 0)).toContain('<legend>Đơn vị phối hợp (không bắt buộc)</legend>');
    expect(block(fresh, 0)).toContain(
      `<input type="checkbox" name="t0_coordinators" value="${t.agencies.b}"/> Sở Y tế`,
    );
    const html = await (await post(t, { ...form(t, leader), summary: '' })).text();
    const b0 = block(html, 0);
    for (const id of [t.agencies.b, t.agencies.c])
      expect(b0).toContain(`name="t0_coordinators" value="${id}" checked=""`);
    expect(b0).not.toContain(`name="t0_coordinators" value="${t.agencies.a}" checked=""`);
    // and a choice made with them is recorded
    const ok = await post(t, form(t, leader));
    expect(ok.status).toBe(303);
    const coords = t.db
      .prepare(
        'SELECT agency_id FROM task_coordinators WHERE task_id = (SELECT min(id) FROM tasks WHERE document_id IS NOT NULL) ORDER BY agency_id',
      )
      .pluck()
      .all();
    expect(coords).toEqual([t.agencies.b, t.agencies.c]);
  });
});
