/** Queues, explanations and the agency inbox through the routes: contents, order, inline actions, who may open them. */
import { describe, expect, it } from 'vitest';
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../test/support/admin-app.ts';
import { getTaskByCode } from '../domain/tasks.ts';
import { samplePdf } from '../test/fixtures/files.ts';

async function report(t: TestApp, who: 'agency' | 'agencyB', code: string, note: string, filename: string) {
  const fd = new FormData();
  fd.append('note', note);
  fd.append('files', new File([samplePdf()], filename));
  const res = await t.app.request(`/admin/tasks/${code}/report`, {
    method: 'POST',
    headers: { origin: TEST_ORIGIN, cookie: await t.cookieFor(who) },
    body: fd,
  });
  expect(res.status).toBe(303);
}

describe('reports awaiting confirmation', () => {
  it('lists pending reports oldest first with text and files; confirm and return inline come back to the queue', async () => {
    const t = makeTestApp();
    t.clock.now = new Date('2026-03-02T03:00:00Z');
    await report(t, 'agencyB', t.tasks.coordinated, 'Báo cáo của Sở Y tế', 'Y tế.pdf');
    t.clock.now = new Date('2026-03-04T03:00:00Z');
    await report(t, 'agency', t.tasks.own, 'Báo cáo của Sở Tài chính', 'Tài chính.pdf');
    const cf = await t.cookieFor('confirmer');
    const html = await (await t.get('/admin/queues/reports', cf)).text();
    expect(html).toContain('2 báo cáo kết quả đang chờ xác nhận');
    expect(html.indexOf('Báo cáo của Sở Y tế')).toBeLessThan(html.indexOf('Báo cáo của Sở Tài chính'));
    expect(html).toContain('Tài chính.pdf');
    const confirm = await t.post(`/admin/tasks/${t.tasks.coordinated}/confirm`, { back: '/admin/queues/reports' }, cf);
    expect(confirm.headers.get('location')).toBe('/admin/queues/reports?msg=task_confirmed');
    const ret = await t.post(
      `/admin/tasks/${t.tasks.own}/return`,
      { back: '/admin/queues/reports', note: 'Thiếu phụ lục' },
      cf,
    );
    expect(ret.headers.get('location')).toBe('/admin/queues/reports?msg=task_returned');
    const after = await (await t.get('/admin/queues/reports?msg=task_returned', cf)).text();
    expect(after).toContain('Đã trả lại báo cáo kết quả cho đơn vị.');
    expect(after).toContain('Không có báo cáo nào chờ xác nhận.');
    // an outside address in back= is ignored
    await report(t, 'agency', t.tasks.own, 'Bổ sung', 'b.pdf');
    const evil = await t.post(`/admin/tasks/${t.tasks.own}/confirm`, { back: 'https://evil.example/' }, cf);
    expect(evil.headers.get('location')).toBe(`/admin/tasks/${t.tasks.own}?msg=task_confirmed`);
  });

  it('only the working group opens the queues; the explanations list is for the Office; the inbox for agencies', async () => {
    const t = makeTestApp();
    const expectations: Array<[string, Record<string, number>]> = [
      ['/admin/queues/reports', { confirmer: 200, specialist: 403, leader: 403, agency: 403, admin: 403 }],
      ['/admin/queues/extensions', { confirmer: 200, specialist: 403, leader: 403, agency: 403, admin: 403 }],
      ['/admin/explanations', { confirmer: 200, specialist: 200, leader: 200, agency: 403, admin: 403 }],
      ['/admin/inbox', { agency: 200, confirmer: 403, specialist: 403, leader: 403, admin: 403 }],
      ['/admin/urging', { confirmer: 200, specialist: 200, leader: 200, agency: 403, admin: 403 }],
    ];
    for (const [path, byRole] of expectations) {
      for (const [role, status] of Object.entries(byRole)) {
        expect((await t.get(path, await t.cookieFor(role as 'agency'))).status, `${role} ${path}`).toBe(status);
      }
    }
  });
});

describe('extension requests', () => {
  it('shows the original deadline, the requested date and the reason; approval may adjust the date', async () => {
    const t = makeTestApp();
    const a = await t.cookieFor('agency');
    expect(
      (
        await t.post(
          `/admin/tasks/${t.tasks.own}/extension-request`,
          { new_deadline: '31/07/2026', note: 'Chờ ý kiến của Bộ Tài chính' },
          a,
        )
      ).status,
    ).toBe(303);
    const cf = await t.cookieFor('confirmer');
    const html = await (await t.get('/admin/queues/extensions', cf)).text();
    expect(html).toContain('30/06/2026'); // original
    expect(html).toContain('31/07/2026'); // requested, also prefilled
    expect(html).toContain('Chờ ý kiến của Bộ Tài chính');
    const res = await t.post(
      `/admin/tasks/${t.tasks.own}/extension-approve`,
      { back: '/admin/queues/extensions', new_deadline: '20/07/2026' },
      cf,
    );
    expect(res.headers.get('location')).toBe('/admin/queues/extensions?msg=task_extension_approved');
    const task = getTaskByCode(t.db, t.tasks.own)!;
    expect([task.deadline, task.ext_deadline, task.ext_approved_on]).toEqual([
      '2026-06-30',
      '2026-07-20',
      '2026-03-02',
    ]);
    expect(await (await t.get('/admin/queues/extensions', cf)).text()).toContain(
      'Không có đề nghị gia hạn nào chờ xử lý.',
    );
  });
});

describe('agency inbox', () => {
  it('lists only the agency’s own unacknowledged tasks; acknowledging from it comes back to it', async () => {
    const t = makeTestApp();
    const a = await t.cookieFor('agency');
    const html = await (await t.get('/admin/inbox', a)).text();
    expect(html).toContain(t.tasks.own);
    expect(html).not.toContain(t.tasks.coordinated); // only coordinating
    expect(html).not.toContain(t.tasks.other);
    const res = await t.post(`/admin/tasks/${t.tasks.own}/receive`, { back: '/admin/inbox' }, a);
    expect(res.headers.get('location')).toBe('/admin/inbox?msg=task_received');
    const after = await (await t.get('/admin/inbox?msg=task_received', a)).text();
    expect(after).toContain('Đã xác nhận tiếp nhận nhiệm vụ.');
    expect(after).toContain('Không có nhiệm vụ mới.');
  });
});

describe('the queues leave out what needs nothing more', () => {
  it('the inbox drops a task confirmed complete that the unit never acknowledged', async () => {
    const t = makeTestApp();
    const a = await t.cookieFor('agency');
    await report(t, 'agency', t.tasks.own, 'Đã hoàn thành', 'kq.pdf'); // reported without a receipt event
    expect((await t.post(`/admin/tasks/${t.tasks.own}/confirm`, {}, await t.cookieFor('confirmer'))).status).toBe(303);
    const task = getTaskByCode(t.db, t.tasks.own)!;
    expect([task.received_on, task.confirmed_on]).toEqual([null, '2026-03-02']);
    const html = await (await t.get('/admin/inbox', a)).text();
    expect(html).not.toContain(t.tasks.own);
    expect(html).toContain('Nhiệm vụ mới chưa tiếp nhận (0)');
  });

  it('the extension queue drops a request whose task was confirmed complete meanwhile', async () => {
    const t = makeTestApp();
    const a = await t.cookieFor('agency');
    await t.post(
      `/admin/tasks/${t.tasks.own}/extension-request`,
      { new_deadline: '31/07/2026', note: 'Chờ ý kiến' },
      a,
    );
    const cf = await t.cookieFor('confirmer');
    expect(await (await t.get('/admin/queues/extensions', cf)).text()).toContain(t.tasks.own);
    await report(t, 'agency', t.tasks.own, 'Đã hoàn thành', 'kq.pdf');
    expect((await t.post(`/admin/tasks/${t.tasks.own}/confirm`, {}, cf)).status).toBe(303);
    expect(await (await t.get('/admin/queues/extensions', cf)).text()).toContain(
      'Không có đề nghị gia hạn nào chờ xử lý.',
    );
  });
});

describe('urging log', () => {
  it('lists manual urging with the actor and the note, newest first', async () => {
    const t = makeTestApp();
    const sp = await t.cookieFor('specialist');
    expect((await t.post(`/admin/tasks/${t.tasks.own}/urge`, { note: 'Đề nghị khẩn trương báo cáo' }, sp)).status).toBe(
      303,
    );
    t.clock.now = new Date('2026-03-03T03:00:00Z');
    expect((await t.post(`/admin/tasks/${t.tasks.other}/urge`, {}, await t.cookieFor('specialist'))).status).toBe(303);
    const html = await (await t.get('/admin/urging', await t.cookieFor('leader'))).text();
    expect(html).toContain('2 lần đôn đốc');
    expect(html).toContain('Đề nghị khẩn trương báo cáo');
    expect(html).toContain('Người dùng chuyenvien');
    expect(html.indexOf(t.tasks.other)).toBeLessThan(html.indexOf(t.tasks.own));
  });
});
