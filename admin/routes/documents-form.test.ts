/**
 * The document entry form's server-side behaviour (issue 11): the no-deadline warning and reason open only on tasks
 * without a deadline, a chosen file that cannot be kept is named beside the file field, and the coordinating
 * agencies are a list of checkboxes that works without JavaScript and keeps its choices.
 */
import { describe, expect, it } from 'vitest';
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../test/support/admin-app.ts';
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

async function post(t: TestApp, f: Record<string, string | string[]>, file?: string): Promise<Response> {
  const fd = new FormData();
  for (const [k, v] of Object.entries(f)) for (const x of Array.isArray(v) ? v : [v]) fd.append(k, x);
  if (file) fd.append('file', new File([samplePdf()], file, { type: 'application/pdf' }));
  const cookie = await t.cookieFor('specialist');
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

  it('names the chosen file to choose again beside the file field and in the error summary', async () => {
    const t = makeTestApp();
    const leader = seedLeader(t);
    const res = await post(t, { ...form(t, leader), summary: '' }, 'Công văn 1147.pdf');
    expect(res.status).toBe(422);
    const html = await res.text();
    const msg = 'Tệp “Công văn 1147.pdf” chưa được lưu vì biểu mẫu chưa gửi xong: hãy chọn lại tệp này trước khi lưu.';
    expect(html).toContain(`<a href="#file">${msg}</a>`); // error summary, linked to the field
    expect(html).toMatch(new RegExp(`<p class="error-text">${msg}</p><input id="file" name="file" type="file"`));
    expect(t.db.prepare('SELECT count(*) FROM files').pluck().get()).toBe(0);
    // the no-JS "add a task" round trip says it too
    const added = await (await post(t, { ...form(t, leader), add_task: '1' }, 'Công văn 1147.pdf')).text();
    expect(added).toContain(msg);
    // without a file, nothing is said
    expect(await (await post(t, { ...form(t, leader), summary: '' })).text()).not.toContain('hãy chọn lại tệp');
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
