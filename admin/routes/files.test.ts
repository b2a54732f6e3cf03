import { describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../test/support/admin-app.ts';
import { acceptUpload, runWithUploads, storeUpload } from '../files/store.ts';
import { appendEvent, getTaskByCode } from '../domain/tasks.ts';
import { insertUser } from '../auth/users.ts';
import { samplePdf, samplePng } from '../test/fixtures/files.ts';

async function stored(t: TestApp, bytes: Uint8Array<ArrayBuffer>, name: string): Promise<number> {
  const up = await acceptUpload(new File([bytes], name), { maxBytes: t.env.uploadMaxBytes });
  return runWithUploads(t.db, (pending) => storeUpload({ db: t.db, env: t.env }, up, { actorUserId: null, pending }));
}

async function setup() {
  const t = makeTestApp();
  const pdf = samplePdf();
  const reportFile = await stored(t, pdf, 'Báo cáo kết quả "quý 1".pdf');
  const own = getTaskByCode(t.db, t.tasks.own)!;
  appendEvent(t.db, own.id, { kind: 'reported', occurredOn: '2026-03-01', note: 'Đã xong', fileIds: [reportFile] });
  // a directive document with a file, whose task is led by agency C
  const docFile = await stored(t, samplePng(), 'Quyết định 3180.png');
  const docId = Number(
    t.db
      .prepare(
        "INSERT INTO documents (number, doc_type, issued_on, file_id) VALUES ('3180/QĐ-UBND', 'Quyết định', '2026-01-05', ?)",
      )
      .run(docFile).lastInsertRowid,
  );
  t.db.prepare('UPDATE tasks SET document_id = ? WHERE code = ?').run(docId, t.tasks.other);
  const orphan = await stored(t, pdf, 'mồ côi.pdf');
  const hash = t.hasher.hashSync('mật khẩu thử nghiệm đủ dài');
  insertUser(
    t.db,
    { username: 'donvi-c', displayName: 'Đơn vị C', email: null, role: 'agency', agencyId: t.agencies.c },
    hash,
    false,
    t.clock.now,
  );
  return { t, pdf, reportFile, docFile, orphan };
}

describe('GET /admin/files/:id', () => {
  it('serves an event file to the lead agency with safe headers and the exact bytes', async () => {
    const { t, pdf, reportFile } = await setup();
    const res = await t.get(`/admin/files/${reportFile}`, await t.cookieFor('agency'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    // quotes are dropped from stored names; the ASCII fallback loses only the marks
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="Bao cao ket qua quy 1.pdf"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20k%E1%BA%BFt%20qu%E1%BA%A3%20qu%C3%BD%201.pdf`,
    );
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(pdf);
  });

  it('scopes event files like the task: coordinator and Office roles yes, another agency and the administrator no', async () => {
    const { t, reportFile } = await setup();
    for (const who of ['agencyB', 'specialist', 'confirmer', 'leader'] as const) {
      expect((await t.get(`/admin/files/${reportFile}`, await t.cookieFor(who))).status, who).toBe(200);
    }
    expect((await t.get(`/admin/files/${reportFile}`, await t.cookieFor('admin'))).status).toBe(403);
    const c = await t.login('donvi-c');
    const cookieC = c.headers.get('set-cookie')!.split(';')[0]!;
    expect((await t.get(`/admin/files/${reportFile}`, cookieC)).status).toBe(403);
    const denied = t.db
      .prepare("SELECT count(*) FROM audit_log WHERE action = 'access.denied' AND target_type = 'file'")
      .pluck()
      .get();
    expect(denied).toBe(1);
  });

  it('serves a document file to Office roles and to agencies with a task from that document only', async () => {
    const { t, docFile } = await setup();
    const c = await t.login('donvi-c');
    const cookieC = c.headers.get('set-cookie')!.split(';')[0]!;
    const res = await t.get(`/admin/files/${docFile}`, cookieC);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect((await t.get(`/admin/files/${docFile}`, await t.cookieFor('specialist'))).status).toBe(200);
    expect((await t.get(`/admin/files/${docFile}`, await t.cookieFor('agency'))).status).toBe(403);
    expect((await t.get(`/admin/files/${docFile}`, await t.cookieFor('agencyB'))).status).toBe(403);
  });

  it('a file attached to nothing, an unknown id and anonymous requests are not served', async () => {
    const { t, orphan, reportFile } = await setup();
    const sp = await t.cookieFor('specialist');
    expect((await t.get(`/admin/files/${orphan}`, sp)).status).toBe(404);
    expect((await t.get('/admin/files/999999', sp)).status).toBe(404);
    expect((await t.get('/admin/files/abc', sp)).status).toBe(404);
    const anon = await t.get(`/admin/files/${reportFile}`);
    expect(anon.status).toBe(302);
    expect(anon.headers.get('location')).toMatch(/^\/admin\/login/);
  });
});

describe('body limits', () => {
  it('a multipart body above the form limit is refused (413) outside the upload routes', async () => {
    const t = makeTestApp();
    const cookie = await t.cookieFor('admin');
    const fd = new FormData();
    fd.append('display_name', 'x');
    fd.append('big', new File([new Uint8Array(400 * 1024)], 'a.pdf'));
    const res = await t.app.request('/admin/users/1', {
      method: 'POST',
      headers: { origin: 'http://localhost:3000', cookie },
      body: fd,
    });
    expect(res.status).toBe(413);
  });
});
