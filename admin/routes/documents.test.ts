/**
 * Directive document entry through the routes: who may enter, the no-JS "add a task block" round trip, a document
 * with three tasks for three agencies and its file in one go, per-field Vietnamese errors with the input kept,
 * nothing written on any error (hostile input property-based), only active agencies, and scoped reading.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../test/support/admin-app.ts';
import { samplePdf, sampleExe } from '../test/fixtures/files.ts';

function seed(t: TestApp) {
  const leader = Number(
    t.db.prepare("INSERT INTO leaders (name, title) VALUES ('Trần Văn Chủ', 'Chủ tịch UBND tỉnh')").run()
      .lastInsertRowid,
  );
  const sector = Number(
    t.db.prepare("INSERT INTO sectors (code, name) VALUES ('TC', 'Tài chính')").run().lastInsertRowid,
  );
  return { leader, sector };
}

function validForm(t: TestApp, s: ReturnType<typeof seed>): Record<string, string | string[]> {
  const { a, b, c } = t.agencies;
  return {
    number: '1147/UBND-KSTT',
    doc_type: 'Công văn',
    issued_on: '01/03/2026',
    signer: String(s.leader),
    summary: 'Về việc triển khai các nhiệm vụ trọng tâm',
    task_count: '3',
    t0_title: 'Rà soát thủ tục hành chính',
    t0_lead: String(a),
    t0_coordinators: [String(b), String(c)],
    t0_leader: String(s.leader),
    t0_sector: String(s.sector),
    t0_deadline: '30/04/2026',
    t0_starred: '1',
    t1_title: 'Kiểm tra cơ sở y tế',
    t1_lead: String(b),
    t1_leader: String(s.leader),
    t1_deadline: '2026-05-15',
    t1_confidential: '1',
    t2_title: 'Theo dõi sắp xếp đơn vị hành chính',
    t2_lead: String(c),
    t2_leader: String(s.leader),
    t2_no_deadline: '1',
    t2_no_deadline_reason: 'Nhiệm vụ thường xuyên theo Kết luận của Ban Thường vụ',
  };
}

function postDoc(
  t: TestApp,
  form: Record<string, string | string[]>,
  cookie: string,
  file?: [Uint8Array<ArrayBuffer>, string],
) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) fd.append(k, x);
  if (file) fd.append('file', new File([file[0]], file[1], { type: 'application/pdf' }));
  return Promise.resolve(
    t.app.request('/admin/documents/new', { method: 'POST', headers: { origin: TEST_ORIGIN, cookie }, body: fd }),
  );
}

const counts = (t: TestApp) => ({
  documents: t.db.prepare('SELECT count(*) FROM documents').pluck().get(),
  tasks: t.db.prepare('SELECT count(*) FROM tasks').pluck().get(),
  events: t.db.prepare('SELECT count(*) FROM task_events').pluck().get(),
  files: t.db.prepare('SELECT count(*) FROM files').pluck().get(),
  coordinators: t.db.prepare('SELECT count(*) FROM task_coordinators').pluck().get(),
});

describe('document entry', () => {
  it('only the Office specialist may open or post the form', async () => {
    const t = makeTestApp();
    const s = seed(t);
    const page = await t.get('/admin/documents/new', await t.cookieFor('specialist'));
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const n of ['t0_title', 't1_title', 't2_title']) expect(html).toContain(`name="${n}"`);
    expect(html).not.toContain('name="t3_title"');
    expect(html).toContain('hạn chế giao nhiệm vụ không có thời hạn');
    expect(html).toContain('<script src="/admin/static/document-form.js" defer="">');
    for (const who of ['agency', 'confirmer', 'leader', 'admin'] as const) {
      const cookie = await t.cookieFor(who);
      expect((await t.get('/admin/documents/new', cookie)).status, who).toBe(403);
      expect((await postDoc(t, validForm(t, s), cookie)).status, who).toBe(403);
    }
    expect(counts(t).documents).toBe(0);
  });

  it('"Thêm nhiệm vụ" without JavaScript re-renders with one more block and keeps the input, writing nothing', async () => {
    const t = makeTestApp();
    const s = seed(t);
    const before = counts(t);
    const res = await postDoc(t, { ...validForm(t, s), add_task: '1' }, await t.cookieFor('specialist'));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('name="t3_title"');
    expect(html).toContain('value="Rà soát thủ tục hành chính"');
    expect(html).toContain('value="4"'); // task_count
    expect(counts(t)).toEqual(before);
  });

  it('records the document, its file and three tasks for three agencies in one go', async () => {
    const t = makeTestApp();
    const s = seed(t);
    const res = await postDoc(t, validForm(t, s), await t.cookieFor('specialist'), [samplePdf(), 'Công văn 1147.pdf']);
    expect(res.status, await res.clone().text()).toBe(303);
    const loc = res.headers.get('location')!;
    expect(loc).toMatch(/^\/admin\/documents\/[0-9]+\?msg=document_created$/);
    const doc = t.db.prepare('SELECT * FROM documents').get() as {
      id: number;
      number: string;
      file_id: number;
      issued_on: string;
      signer_id: number;
    };
    expect(doc).toMatchObject({ number: '1147/UBND-KSTT', issued_on: '2026-03-01', signer_id: s.leader });
    expect(doc.file_id).not.toBeNull();
    const tasks = t.db
      .prepare(
        'SELECT code, lead_agency_id, deadline, no_deadline_reason, starred, confidential, assigned_on, specialist_id FROM tasks WHERE document_id = ? ORDER BY id',
      )
      .all(doc.id) as Array<Record<string, unknown>>;
    expect(tasks.map((x) => x.lead_agency_id)).toEqual([t.agencies.a, t.agencies.b, t.agencies.c]);
    expect(tasks.map((x) => x.deadline)).toEqual(['2026-04-30', '2026-05-15', null]);
    expect(tasks[2]!.no_deadline_reason).toMatch(/thường xuyên/);
    expect([tasks[0]!.starred, tasks[1]!.confidential]).toEqual([1, 1]);
    expect(tasks.every((x) => x.assigned_on === '2026-03-01' && x.specialist_id === t.users.specialist.id)).toBe(true);
    expect(
      t.db
        .prepare('SELECT count(*) FROM task_coordinators tc JOIN tasks t ON t.id = tc.task_id WHERE t.document_id = ?')
        .pluck()
        .get(doc.id),
    ).toBe(2);
    expect(t.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'document.create'").pluck().get()).toBe(1);
    const page = await (await t.get(loc, await t.cookieFor('specialist'))).text();
    expect(page).toContain('Đã nhập văn bản và giao các nhiệm vụ.');
    expect(page).toContain('1 nhiệm vụ không có thời hạn');
    expect(page).toContain('Công văn 1147.pdf');
    // the lead agency of a task may download the document file, and sees the document
    const a = await t.cookieFor('agency');
    expect((await t.get(`/admin/files/${doc.file_id}`, a)).status).toBe(200);
    expect((await t.get(`/admin/documents/${doc.id}`, a)).status).toBe(200);
  });

  it('shows every error beside its field, in Vietnamese, keeps the input, and writes nothing', async () => {
    const t = makeTestApp();
    const s = seed(t);
    const before = counts(t);
    const form = {
      ...validForm(t, s),
      number: '1147 UBND',
      issued_on: '31/02/2026',
      t1_lead: '',
      t2_no_deadline_reason: '',
      t0_deadline: 'mai',
    };
    const res = await postDoc(t, form, await t.cookieFor('specialist'), [samplePdf(), 'a.pdf']);
    expect(res.status).toBe(422);
    const html = await res.text();
    for (const msg of [
      'Số, ký hiệu văn bản không đúng dạng',
      'Ngày ban hành không hợp lệ',
      'Nhiệm vụ 2: cần chọn đơn vị chủ trì',
      'Nhiệm vụ 3: nhiệm vụ không có thời hạn cần ghi rõ lý do',
      'Nhiệm vụ 1: thời hạn không hợp lệ',
    ])
      expect(html).toContain(msg);
    expect(html).toContain('href="#t1_lead"');
    expect(html).toContain('value="Kiểm tra cơ sở y tế"');
    expect(html).toContain('value="1147 UBND"');
    expect(counts(t)).toEqual(before);
    // nothing stored; a chosen file may only be held for the next submission (files/held-uploads.ts)
    expect(readdirSync(t.env.uploadDir).filter((n) => n !== 'held')).toEqual([]);
  });

  it('a file that is not what it claims refuses the whole document; a duplicate number too', async () => {
    const t = makeTestApp();
    const s = seed(t);
    const cookie = await t.cookieFor('specialist');
    const bad = await postDoc(t, validForm(t, s), cookie, [sampleExe(), 'Công văn.pdf']);
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('không đúng định dạng cho phép');
    expect(counts(t).documents).toBe(0);
    expect((await postDoc(t, validForm(t, s), cookie)).status).toBe(303);
    const dup = await postDoc(t, validForm(t, s), cookie);
    expect(dup.status).toBe(422);
    expect(await dup.text()).toContain('Đã có văn bản cùng số, ký hiệu và ngày ban hành');
    expect(counts(t).documents).toBe(1);
  });

  it('merged or dissolved agencies are neither offered nor accepted', async () => {
    const t = makeTestApp();
    const s = seed(t);
    t.db
      .prepare("UPDATE agencies SET successor_id = ?, merged_on = '2026-02-01' WHERE id = ?")
      .run(t.agencies.a, t.agencies.c);
    const cookie = await t.cookieFor('specialist');
    const html = await (await t.get('/admin/documents/new', cookie)).text();
    expect(html).not.toContain('UBND huyện X');
    const res = await postDoc(t, validForm(t, s), cookie);
    expect(res.status).toBe(422);
    const body = await res.text();
    expect(body).toContain('Nhiệm vụ 1: đơn vị phối hợp không hợp lệ hoặc đã sáp nhập/giải thể');
    expect(body).toContain('Nhiệm vụ 3: đơn vị chủ trì không hợp lệ hoặc đã sáp nhập/giải thể');
    expect(counts(t).documents).toBe(0);
  });

  it('hostile input in any field never causes a 500 or a partial write', async () => {
    const t = makeTestApp();
    const s = seed(t);
    const cookie = await t.cookieFor('specialist');
    const base = validForm(t, s);
    const keys = Object.keys(base).concat(['t5_title', 't0_content', 'add_task']);
    const hostile = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom(
        '',
        '0',
        '-1',
        '99999999999',
        '1e9',
        '<img src=x onerror=alert(1)>',
        "1147/UBND'; --",
        '\u0000',
        '31/12/9999',
        '50',
        '51',
        '100000',
        'x'.repeat(3000),
      ),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...keys), hostile, { maxKeys: 4 }),
        fc.integer({ min: 0, max: 1e6 }),
        async (patch, salt) => {
          const form = { ...base, ...patch, number: patch.number ?? `${salt}/UBND-KSTT` };
          const before = counts(t);
          const res = await postDoc(t, form, cookie);
          expect(res.status).not.toBe(500);
          const after = counts(t);
          if (res.status === 303) {
            n++;
            expect(after.documents).toBe((before.documents as number) + 1);
            expect((after.tasks as number) - (before.tasks as number)).toBeGreaterThanOrEqual(1);
          } else {
            expect([200, 422]).toContain(res.status);
            expect(after).toEqual(before);
          }
        },
      ),
      { numRuns: 120 },
    );
    expect(n).toBeGreaterThan(0); // some runs were valid and written
  });
});

describe('document list and page', () => {
  it('agencies see only documents that gave them a task; the Office sees all', async () => {
    const t = makeTestApp();
    const s = seed(t);
    const sp = await t.cookieFor('specialist');
    const form = validForm(t, s);
    await postDoc(t, { ...form, task_count: '1' }, sp); // only task 0, led by A (B, C coordinate)
    await postDoc(
      t,
      {
        ...form,
        number: '52/TB-UBND',
        doc_type: 'Thông báo kết luận',
        t0_lead: String(t.agencies.c),
        t0_coordinators: [],
        task_count: '1',
      },
      sp,
    );
    const ids = t.db.prepare('SELECT id FROM documents ORDER BY id').pluck().all() as number[];
    const listA = await (await t.get('/admin/documents', await t.cookieFor('agency'))).text();
    expect(listA).toContain('1147/UBND-KSTT');
    expect(listA).not.toContain('52/TB-UBND');
    const listLeader = await (await t.get('/admin/documents', await t.cookieFor('leader'))).text();
    expect(listLeader).toContain('52/TB-UBND');
    expect((await t.get(`/admin/documents/${ids[1]}`, await t.cookieFor('agency'))).status).toBe(403);
    expect((await t.get(`/admin/documents/${ids[0]}`, await t.cookieFor('agencyB'))).status).toBe(200); // coordinator
    expect((await t.get(`/admin/documents/${ids[0]}`, await t.cookieFor('admin'))).status).toBe(403);
    expect((await t.get('/admin/documents/999999', sp)).status).toBe(404);
    const search = await (await t.get('/admin/documents?q=52%2FTB', sp)).text();
    expect(search).toContain('52/TB-UBND');
    expect(search).not.toContain('1147/UBND-KSTT');
  });
});
