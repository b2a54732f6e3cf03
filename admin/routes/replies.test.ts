/** The right of reply through the routes: submit, approve, decline; who may; bad input writes nothing. */
import { describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../test/support/admin-app.ts';
import { postMultipart } from '../test/support/task-routes.ts';
import { sampleExe, samplePdf } from '../test/fixtures/files.ts';
import { publishPeriod } from '../publication/publish.ts';
import { approvedReplies } from '../domain/replies.ts';

function world(): TestApp {
  const t = makeTestApp();
  publishPeriod(t.db, { period: '2026-02', asOf: '2026-02-28', now: t.clock.now });
  return t;
}
const rows = (t: TestApp) =>
  t.db.prepare('SELECT agency_id, period, body, status, file_id, decision_reason FROM agency_replies').all() as Array<{
    agency_id: number;
    period: string;
    body: string;
    status: string;
    file_id: number | null;
    decision_reason: string | null;
  }>;
const audits = (t: TestApp, action: string) =>
  t.db.prepare('SELECT count(*) FROM audit_log WHERE action = ?').pluck().get(action) as number;
const send = async (
  t: TestApp,
  who: 'head' | 'agency' | 'agencyB',
  fields: Record<string, string>,
  file?: Uint8Array<ArrayBuffer>,
) =>
  postMultipart(
    t,
    '/admin/y-kien',
    fields,
    file ? [['file', file, 'Giải trình số liệu.pdf']] : [],
    await t.cookieFor(who),
  );

describe('the right of reply', () => {
  it('the head submits with a PDF; the office lead approves; it is public, the figures unchanged', async () => {
    const t = world();
    const page = await (await t.get('/admin/y-kien', await t.cookieFor('head'))).text();
    expect(page).toContain('<option value="2026-02"');
    const before = t.db.prepare('SELECT sha256 FROM publications').pluck().all();
    const res = await send(
      t,
      'head',
      { period: '2026-02', body: 'Số liệu quá hạn gồm 2 nhiệm vụ đã hoàn thành ngày 27/02.' },
      samplePdf(),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/y-kien?msg=reply_submitted');
    expect(rows(t)).toMatchObject([{ agency_id: t.agencies.a, period: '2026-02', status: 'pending' }]);
    expect(rows(t)[0]!.file_id).not.toBeNull();
    expect(audits(t, 'reply.submit')).toBe(1);
    expect(approvedReplies(t.db)).toEqual([]); // nothing public before the decision
    const office = await t.cookieFor('confirmer');
    expect(await (await t.get('/admin/y-kien/xu-ly', office)).text()).toContain('Số liệu quá hạn gồm 2 nhiệm vụ');
    const id = t.db.prepare('SELECT id FROM agency_replies').pluck().get() as number;
    expect((await t.post(`/admin/y-kien/xu-ly/${id}/dong-y`, {}, office)).status).toBe(303);
    expect(rows(t)[0]!.status).toBe('approved');
    expect(audits(t, 'reply.approve')).toBe(1);
    expect(approvedReplies(t.db)).toMatchObject([
      { agencyCode: 'STC', period: '2026-02', file: { name: 'Giải trình số liệu.pdf' } },
    ]);
    expect(t.db.prepare('SELECT sha256 FROM publications').pluck().all()).toEqual(before); // never a figure
    // deciding again is refused
    expect((await t.post(`/admin/y-kien/xu-ly/${id}/tu-choi`, { reason: 'x' }, office)).status).toBe(409);
  });

  it('declined with a reason, which the unit sees; never public; a decline without reason is refused', async () => {
    const t = world();
    expect((await send(t, 'head', { period: '2026-02', body: 'Ý kiến có nội dung chưa phù hợp' })).status).toBe(303);
    const id = t.db.prepare('SELECT id FROM agency_replies').pluck().get() as number;
    const office = await t.cookieFor('confirmer');
    const none = await t.post(`/admin/y-kien/xu-ly/${id}/tu-choi`, { reason: ' ' }, office);
    expect(none.status).toBe(422);
    expect(await none.text()).toContain('Cần ghi rõ lý do');
    expect(rows(t)[0]!.status).toBe('pending');
    expect((await t.post(`/admin/y-kien/xu-ly/${id}/tu-choi`, { reason: 'Nêu tên cá nhân' }, office)).status).toBe(303);
    expect(rows(t)[0]).toMatchObject({ status: 'declined', decision_reason: 'Nêu tên cá nhân' });
    expect(audits(t, 'reply.decline')).toBe(1);
    expect(approvedReplies(t.db)).toEqual([]);
    expect(await (await t.get('/admin/y-kien', await t.cookieFor('head'))).text()).toContain('lý do: Nêu tên cá nhân');
  });

  it('who may: a head, a focal point only where the unit has no head; nobody else', async () => {
    const t = world();
    // unit A has a head: its focal point sees the page without the form and is refused
    expect(await (await t.get('/admin/y-kien', await t.cookieFor('agency'))).text()).toContain(
      'ý kiến do thủ trưởng đơn vị gửi',
    );
    expect((await send(t, 'agency', { period: '2026-02', body: 'Ý kiến' })).status).toBe(409);
    // unit B has no head account: its focal point replies
    expect((await send(t, 'agencyB', { period: '2026-02', body: 'Ý kiến của Sở Y tế' })).status).toBe(303);
    expect(rows(t).map((r) => r.agency_id)).toEqual([t.agencies.b]);
    // B's reply is not on A's page
    expect(await (await t.get('/admin/y-kien', await t.cookieFor('head'))).text()).not.toContain('Ý kiến của Sở Y tế');
    for (const role of ['officer', 'specialist', 'leader', 'admin'] as const)
      expect((await t.get('/admin/y-kien', await t.cookieFor(role))).status, role).toBe(403);
    for (const role of ['head', 'agency', 'specialist', 'leader', 'admin'] as const)
      expect((await t.get('/admin/y-kien/xu-ly', await t.cookieFor(role))).status, role).toBe(403);
  });

  it.each([
    ['an empty reply', { period: '2026-02', body: '   ' }, undefined, 422, 'Cần nhập nội dung'],
    ['over 1,000 characters', { period: '2026-02', body: 'á'.repeat(1001) }, undefined, 422, 'tối đa 1000 ký tự'],
    ['a period not published', { period: '2026-01', body: 'Ý kiến' }, undefined, 422, 'chưa được công bố'],
    ['a period that is not one', { period: 'xx', body: 'Ý kiến' }, undefined, 422, 'chưa được công bố'],
    ['a file that is not a PDF', { period: '2026-02', body: 'Ý kiến' }, sampleExe(), 422, 'không đúng định dạng'],
  ] as const)('refuses %s with a Vietnamese message, writing nothing', async (_l, fields, file, status, message) => {
    const t = world();
    const files = t.db.prepare('SELECT count(*) FROM files').pluck().get();
    const res = await send(t, 'head', fields, file);
    expect(res.status).toBe(status);
    expect(await res.text()).toContain(message);
    expect(rows(t)).toEqual([]);
    expect(t.db.prepare('SELECT count(*) FROM files').pluck().get()).toBe(files);
    expect(audits(t, 'reply.submit')).toBe(0);
  });

  it('one reply waiting per unit and period', async () => {
    const t = world();
    expect((await send(t, 'head', { period: '2026-02', body: 'Lần 1' })).status).toBe(303);
    const again = await send(t, 'head', { period: '2026-02', body: 'Lần 2' });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('đang chờ Văn phòng xem xét');
    expect(rows(t)).toHaveLength(1);
  });
});
