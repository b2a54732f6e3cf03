/**
 * The people inside a unit through the routes (issue 11): delegation, the officer's draft, the head's approval
 * (sent back with a reason, resubmitted, approved, then confirmed by the Office) with the statistics unchanged
 * until the report reaches the Office; officer scoping on pages, lists, files and exports; a head of another unit
 * refused and audited; internal steps never in what is published.
 */
import { describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../test/support/admin-app.ts';
import { postMultipart } from '../test/support/task-routes.ts';
import { sampleExe, samplePdf } from '../test/fixtures/files.ts';
import { insertUser } from '../auth/users.ts';
import type { Role } from '../auth/permissions.ts';
import { computeStats } from '../domain/stats.ts';
import { getTaskByCode } from '../domain/tasks.ts';
import { setHeadApproval } from '../domain/unit-steps.ts';
import { previewSnapshot } from '../publication/publish.ts';
import { TEST_PASSWORD } from '../test/support/admin-app.ts';

function addUser(t: TestApp, username: string, role: Role, agencyId: number): number {
  return insertUser(
    t.db,
    { username, displayName: `Người dùng ${username}`, email: null, role, agencyId },
    t.hasher.hashSync(TEST_PASSWORD),
    false,
    t.clock.now,
  );
}

async function cookieOf(t: TestApp, username: string): Promise<string> {
  const res = await t.login(username);
  expect(res.status).toBe(303);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

const count = (t: TestApp, sql: string, ...params: unknown[]) =>
  t.db
    .prepare(sql)
    .pluck()
    .get(...params) as number;
const eventsOf = (t: TestApp, kind: string) => count(t, 'SELECT count(*) FROM task_events WHERE kind = ?', kind);
const stepsOf = (t: TestApp, kind: string) => count(t, 'SELECT count(*) FROM task_internal_steps WHERE kind = ?', kind);

describe('the approval flow inside a unit', () => {
  it('draft → sent back with a reason → resubmitted → approved → confirmed; statistics move only at approval', async () => {
    const t = makeTestApp();
    setHeadApproval(t.db, t.agencies.a, true);
    const code = t.tasks.own;
    const [officer, agency, head, confirmer] = await Promise.all([
      t.cookieFor('officer'),
      t.cookieFor('agency'),
      t.cookieFor('head'),
      t.cookieFor('confirmer'),
    ]);
    const stats = () => JSON.stringify(computeStats(t.db, '2026-03-02'));
    const statsBefore = stats();
    const snapshotText = () => JSON.stringify(previewSnapshot(t.db, '2026-03', '2026-03-02', t.clock.now));

    // the officer drafts the result report with a file
    const drafted = await postMultipart(
      t,
      `/admin/tasks/${code}/draft`,
      { note: 'DỰ THẢO: đã rà soát 12 kế hoạch' },
      [['files', samplePdf(), 'Dự thảo báo cáo.pdf']],
      officer,
    );
    expect(drafted.status, await drafted.clone().text()).toBe(303);
    expect(drafted.headers.get('location')).toContain('msg=task_draft_saved');
    const draftFile = count(t, 'SELECT file_id FROM internal_step_files');
    expect(eventsOf(t, 'reported')).toBe(0);

    // the focal point sees the draft and submits it with the draft's file: it waits for the head
    const page = await (await t.get(`/admin/tasks/${code}`, agency)).text();
    expect(page).toContain('DỰ THẢO: đã rà soát 12 kế hoạch');
    expect(page).toContain(`name="draft_files" value="${draftFile}"`);
    const submit = (note: string) =>
      postMultipart(t, `/admin/tasks/${code}/report`, { note, draft_files: String(draftFile) }, [], agency);
    const sub1 = await submit('Đã rà soát 12 kế hoạch');
    expect(sub1.status, await sub1.clone().text()).toBe(303);
    expect(sub1.headers.get('location')).toContain('msg=task_unit_submitted');
    expect(eventsOf(t, 'reported')).toBe(0);
    expect(getTaskByCode(t.db, code)!.reported_on).toBeNull();
    expect(stats()).toBe(statsBefore);
    // a second submission while one waits is refused with the reason
    const twice = await submit('Lần nữa');
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain('đang chờ duyệt');

    // the Office sees nothing of it: no draft, no submission, nothing to confirm
    const office = await (await t.get(`/admin/tasks/${code}`, confirmer)).text();
    expect(office).not.toContain('DỰ THẢO');
    expect(office).not.toContain('Trình thủ trưởng');
    expect((await t.post(`/admin/tasks/${code}/confirm`, {}, confirmer)).status).toBe(409);
    expect((await t.get(`/admin/files/${draftFile}`, confirmer)).status).toBe(403);

    // the head sends it back: a reason is required
    const steps = count(t, 'SELECT count(*) FROM task_internal_steps');
    const noReason = await t.post(`/admin/tasks/${code}/send-back`, { subject: 'report', note: ' ' }, head);
    expect(noReason.status).toBe(422);
    expect(await noReason.text()).toContain('Cần ghi rõ lý do trả lại.');
    expect(count(t, 'SELECT count(*) FROM task_internal_steps')).toBe(steps);
    const back = await t.post(
      `/admin/tasks/${code}/send-back`,
      { subject: 'report', note: 'Thiếu số liệu quý 1' },
      head,
    );
    expect(back.status).toBe(303);
    expect(stepsOf(t, 'sent_back')).toBe(1);
    expect(stats()).toBe(statsBefore);
    // the focal point starts again from the returned report: its text and files are offered again
    const returned = await (await t.get(`/admin/tasks/${code}`, agency)).text();
    expect(returned).toContain('Thiếu số liệu quý 1');
    expect(returned).toContain(`name="draft_files" value="${draftFile}"`);
    // nothing waits now: approving is refused
    expect((await t.post(`/admin/tasks/${code}/approve`, { subject: 'report' }, head)).status).toBe(409);

    // the focal point resubmits; the head approves: the report reaches the Office today, with the draft's file
    expect((await submit('Đã rà soát 12 kế hoạch, kèm số liệu quý 1')).status).toBe(303);
    expect(stepsOf(t, 'submitted')).toBe(2);
    const approved = await t.post(`/admin/tasks/${code}/approve`, { subject: 'report', note: 'Đồng ý' }, head);
    expect(approved.status).toBe(303);
    expect(approved.headers.get('location')).toContain('msg=task_unit_approved');
    const ev = t.db
      .prepare("SELECT id, note, occurred_on, actor_user_id FROM task_events WHERE kind = 'reported'")
      .get() as { id: number; note: string; occurred_on: string; actor_user_id: number };
    expect(ev).toMatchObject({
      note: 'Đã rà soát 12 kế hoạch, kèm số liệu quý 1',
      occurred_on: '2026-03-02',
      actor_user_id: t.users.head.id,
    });
    expect(count(t, 'SELECT file_id FROM event_files WHERE event_id = ?', ev.id)).toBe(draftFile);
    expect(getTaskByCode(t.db, code)!.reported_on).toBe('2026-03-02');
    expect(stats()).not.toBe(statsBefore);
    expect(computeStats(t.db, '2026-03-02').totals.awaitingConfirmation).toBe(1);

    // every step is on the unit's timeline, marked internal; the Office sees the report, not the steps
    const timeline = await (await t.get(`/admin/tasks/${code}`, agency)).text();
    for (const s of ['Chuyên viên soạn dự thảo', 'Trình thủ trưởng đơn vị duyệt', 'Thủ trưởng đơn vị trả lại'])
      expect(timeline).toContain(s);
    expect(timeline).toContain('Thiếu số liệu quý 1');
    expect(timeline).toContain('nội bộ');
    const officeAfter = await (await t.get(`/admin/tasks/${code}`, confirmer)).text();
    expect(officeAfter).toContain('Đã rà soát 12 kế hoạch, kèm số liệu quý 1');
    expect(officeAfter).not.toContain('Thiếu số liệu quý 1');
    expect((await t.get(`/admin/files/${draftFile}`, confirmer)).status).toBe(200);

    // never published: not the draft, not the head's reason
    const published = snapshotText();
    expect(published).not.toContain('DỰ THẢO');
    expect(published).not.toContain('Thiếu số liệu quý 1');

    // the Office confirms
    expect((await t.post(`/admin/tasks/${code}/confirm`, {}, confirmer)).status).toBe(303);
    expect(getTaskByCode(t.db, code)!.confirmed_on).toBe('2026-03-02');
  });

  it('without the setting the focal point submits straight to the Office; the head may submit itself', async () => {
    const t = makeTestApp();
    const agency = await t.cookieFor('agency');
    const res = await postMultipart(
      t,
      `/admin/tasks/${t.tasks.own}/report`,
      { note: 'Xong' },
      [['files', samplePdf(), 'BC.pdf']],
      agency,
    );
    expect(res.headers.get('location')).toContain('msg=task_reported');
    expect(eventsOf(t, 'reported')).toBe(1);

    const u = makeTestApp();
    setHeadApproval(u.db, u.agencies.a, true);
    const ext = await u.post(
      `/admin/tasks/${u.tasks.own}/extension-request`,
      { new_deadline: '31/07/2026', note: 'Chờ số liệu' },
      await u.cookieFor('head'),
    );
    expect(ext.headers.get('location')).toContain('msg=task_extension_requested');
    expect(eventsOf(u, 'extension_requested')).toBe(1);
  });

  it('an extension request waits for the head too, and the rules are applied when it is submitted', async () => {
    const t = makeTestApp();
    setHeadApproval(t.db, t.agencies.a, true);
    const agency = await t.cookieFor('agency');
    const past = await t.post(
      `/admin/tasks/${t.tasks.own}/extension-request`,
      { new_deadline: '01/01/2026', note: 'x' },
      agency,
    );
    expect(past.status).toBe(422);
    expect(count(t, 'SELECT count(*) FROM task_internal_steps')).toBe(0);
    const ok = await t.post(
      `/admin/tasks/${t.tasks.own}/extension-request`,
      { new_deadline: '31/07/2026', note: 'Chờ số liệu' },
      agency,
    );
    expect(ok.headers.get('location')).toContain('msg=task_unit_submitted');
    expect(eventsOf(t, 'extension_requested')).toBe(0);
    const head = await t.cookieFor('head');
    expect((await t.post(`/admin/tasks/${t.tasks.own}/approve`, { subject: 'request_extension' }, head)).status).toBe(
      303,
    );
    const ev = t.db.prepare("SELECT data FROM task_events WHERE kind = 'extension_requested'").pluck().get() as string;
    expect(JSON.parse(ev)).toEqual({ newDeadline: '2026-07-31' });
  });
});

describe('a head of another unit', () => {
  it('is refused (403) and the refusal is audited', async () => {
    const t = makeTestApp();
    setHeadApproval(t.db, t.agencies.a, true);
    await t.post(
      `/admin/tasks/${t.tasks.own}/extension-request`,
      { new_deadline: '31/07/2026', note: 'Chờ số liệu' },
      await t.cookieFor('agency'),
    );
    addUser(t, 'truong-b', 'head', t.agencies.b); // B coordinates the task
    const headB = await cookieOf(t, 'truong-b');
    const steps = count(t, 'SELECT count(*) FROM task_internal_steps');
    const res = await t.post(`/admin/tasks/${t.tasks.own}/approve`, { subject: 'request_extension' }, headB);
    expect(res.status).toBe(403);
    expect(
      (await t.post(`/admin/tasks/${t.tasks.own}/send-back`, { subject: 'request_extension', note: 'x' }, headB))
        .status,
    ).toBe(403);
    expect(count(t, 'SELECT count(*) FROM task_internal_steps')).toBe(steps);
    expect(eventsOf(t, 'extension_requested')).toBe(0);
    const audit = t.db
      .prepare("SELECT actor_name, target_id, details FROM audit_log WHERE action = 'access.denied' ORDER BY id")
      .all() as Array<{ actor_name: string; target_id: string; details: string }>;
    expect(audit.map((a) => [a.actor_name, a.target_id, JSON.parse(a.details).permission])).toEqual([
      ['truong-b', t.tasks.own, 'unit.approve'],
      ['truong-b', t.tasks.own, 'unit.approve'],
    ]);
    // B's head reads B's own work only: the coordinated task, never C's
    expect((await t.get(`/admin/tasks/${t.tasks.other}`, headB)).status).toBe(403);
  });
});

describe('officers see only what is delegated to them', () => {
  it('pages, lists, exports and files; a delegation opens the task and tells the officer', async () => {
    const t = makeTestApp();
    const otherOfficer = addUser(t, 'chuyenvien-a2', 'officer', t.agencies.a);
    const cv2 = await cookieOf(t, 'chuyenvien-a2');
    const cv1 = await t.cookieFor('officer');
    const agency = await t.cookieFor('agency');
    // a progress report with a file by the focal point (progress carries files like the result report)
    const progress = await postMultipart(
      t,
      `/admin/tasks/${t.tasks.own}/progress`,
      { note: 'Đã làm một nửa' },
      [['files', samplePdf(), 'Tiến độ.pdf']],
      agency,
    );
    expect(progress.status).toBe(303);
    const fileId = count(
      t,
      "SELECT ef.file_id FROM event_files ef JOIN task_events e ON e.id = ef.event_id WHERE e.kind = 'progress'",
    );

    expect((await t.get(`/admin/tasks/${t.tasks.own}`, cv2)).status).toBe(403);
    expect((await t.get(`/admin/files/${fileId}`, cv2)).status).toBe(403);
    expect(await (await t.get('/admin/tasks', cv2)).text()).not.toContain(t.tasks.own);
    expect(await (await t.get('/admin/tasks/export.csv', cv2)).text()).not.toContain(t.tasks.own);
    expect((await t.post(`/admin/tasks/${t.tasks.own}/progress`, { note: 'x' }, cv2)).status).toBe(403);

    // the delegated officer: own and coordinated tasks, never C's; writes only where the unit leads
    const list = await (await t.get('/admin/tasks', cv1)).text();
    expect(list).toContain(t.tasks.own);
    expect(list).toContain(t.tasks.coordinated);
    expect(list).not.toContain(t.tasks.other);
    expect(await (await t.get('/admin/tasks/export.csv', cv1)).text()).toContain(t.tasks.own);
    expect((await t.get(`/admin/files/${fileId}`, cv1)).status).toBe(200);
    expect((await t.get(`/admin/tasks/${t.tasks.other}`, cv1)).status).toBe(403);
    expect((await t.post(`/admin/tasks/${t.tasks.coordinated}/progress`, { note: 'x' }, cv1)).status).toBe(403);

    // delegating: an internal due date on or after the deadline, or someone outside the unit, is refused
    const before = count(t, 'SELECT count(*) FROM task_delegations');
    const late = await t.post(
      `/admin/tasks/${t.tasks.own}/delegate`,
      { officers: String(otherOfficer), internal_due: '30/06/2026' },
      agency,
    );
    expect(late.status).toBe(422);
    expect(await late.text()).toContain('Hạn nội bộ phải sớm hơn thời hạn của nhiệm vụ.');
    const outsider = await t.post(
      `/admin/tasks/${t.tasks.own}/delegate`,
      { officers: String(t.users.agencyB.id) },
      agency,
    );
    expect(outsider.status).toBe(422);
    expect(await outsider.text()).toContain('Chỉ giao được cho chuyên viên đang hoạt động của đơn vị mình.');
    expect((await t.post(`/admin/tasks/${t.tasks.own}/delegate`, {}, agency)).status).toBe(422);
    expect(count(t, 'SELECT count(*) FROM task_delegations')).toBe(before);

    const ok = await t.post(
      `/admin/tasks/${t.tasks.own}/delegate`,
      { officers: String(otherOfficer), internal_due: '15/06/2026', note: 'Chủ trì tổng hợp' },
      agency,
    );
    expect(ok.status).toBe(303);
    const page = await t.get(`/admin/tasks/${t.tasks.own}`, cv2);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Chủ trì tổng hợp');
    expect(html).toContain('15/06/2026');
    expect(count(t, "SELECT count(*) FROM notices WHERE user_id = ? AND kind = 'task_delegated'", otherOfficer)).toBe(
      1,
    );
    // an officer may not delegate, receive or submit
    for (const slug of ['delegate', 'receive', 'report'])
      expect((await t.post(`/admin/tasks/${t.tasks.own}/${slug}`, { note: 'x' }, cv2)).status).toBe(403);
  });
});

describe('progress reports carry files like the result report', () => {
  it('a checked file is kept with the progress event; a renamed EXE is refused and nothing is written', async () => {
    const t = makeTestApp();
    const agency = await t.cookieFor('agency');
    const before = count(t, 'SELECT count(*) FROM files');
    const bad = await postMultipart(
      t,
      `/admin/tasks/${t.tasks.own}/progress`,
      { note: 'Đã làm một nửa' },
      [['files', sampleExe(), 'Tiến độ.pdf']],
      agency,
    );
    expect(bad.status).toBe(422);
    expect(count(t, 'SELECT count(*) FROM files')).toBe(before);
    expect(eventsOf(t, 'progress')).toBe(0);
    const page = await (await t.get(`/admin/tasks/${t.tasks.own}`, agency)).text();
    expect(page).toMatch(/action="\/admin\/tasks\/NV-[0-9-]+\/progress" enctype="multipart\/form-data"/);
    const ok = await postMultipart(
      t,
      `/admin/tasks/${t.tasks.own}/progress`,
      { note: 'Đã làm một nửa' },
      [['files', samplePdf(), 'Tiến độ.pdf']],
      await t.cookieFor('officer'),
    );
    expect(ok.status).toBe(303);
    const timeline = await (await t.get(`/admin/tasks/${t.tasks.own}`, agency)).text();
    expect(timeline).toContain('Tiến độ.pdf');
  });
});
