/**
 * The task page and every action through the routes: each action × role (allowed, 403, another agency 403),
 * the rules as users meet them (second extension, confirmation only after a report, explanation only when late),
 * status as of today after confirm/return, files, and hostile form input (property-based) that never causes a
 * 500 or a partial write.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { makeTestApp } from '../test/support/admin-app.ts';
import { MATRIX, ROLES, type Role } from '../auth/permissions.ts';
import { ACTION_PERMISSION } from '../domain/task-actions.ts';
import { getTaskByCode } from '../domain/tasks.ts';
import { samplePdf, sampleExe, sampleHtml } from '../test/fixtures/files.ts';
import {
  act,
  counts,
  INTERNAL_KINDS,
  KINDS,
  postMultipart,
  prepare,
  validFields,
  type Who,
} from '../test/support/task-routes.ts';
import { isUnitAction } from '../domain/unit-actions.ts';

describe('each action × role', () => {
  for (const kind of KINDS) {
    const cells = MATRIX[ACTION_PERMISSION[kind]] as Partial<Record<Role, string>>;
    for (const role of ROLES) {
      const allowed = cells[role] !== undefined;
      it(`${kind} by ${role}: ${allowed ? 'recorded' : '403, nothing changed'}`, async () => {
        const t = makeTestApp();
        prepare(t, kind, t.tasks.own);
        const before = counts(t);
        const res = await act(t, kind, role, t.tasks.own);
        if (allowed) {
          expect(res.status, await res.clone().text()).toBe(303);
          expect(res.headers.get('location')).toBe(
            `/admin/tasks/${t.tasks.own}?msg=${(await import('./tasks.tsx')).ACTION_FLASH[kind]}`,
          );
          const after = counts(t);
          // a unit's internal step writes no task event; an approval writes the event it stands for and a step
          expect(after.events).toBe(before.events + (INTERNAL_KINDS.has(kind) ? 0 : 1));
          expect(after.steps).toBe(before.steps + (isUnitAction(kind) ? 1 : 0));
          expect(after.audit).toBe(before.audit + 1);
        } else {
          expect(res.status).toBe(403);
          expect(counts(t)).toEqual(before);
        }
      });
    }
    if (cells.agency === 'lead') {
      it(`${kind}: a coordinating agency and another agency are refused (lead scope)`, async () => {
        const t = makeTestApp();
        prepare(t, kind, t.tasks.own);
        const before = counts(t);
        expect((await act(t, kind, 'agencyB', t.tasks.own)).status).toBe(403); // B coordinates the task
        expect((await act(t, kind, 'agency', t.tasks.other)).status).toBe(403); // led by C
        expect(counts(t)).toEqual(before);
        expect(
          t.db
            .prepare("SELECT count(*) FROM audit_log WHERE action = 'access.denied' AND target_type = 'task'")
            .pluck()
            .get(),
        ).toBe(2);
      });
    }
  }
});

describe('the task page', () => {
  it('shows only the allowed actions per role, and nothing to the administrator', async () => {
    const t = makeTestApp();
    const page = async (who: Who, code = t.tasks.own) => {
      const res = await t.get(`/admin/tasks/${code}`, await t.cookieFor(who));
      return { status: res.status, html: await res.text() };
    };
    const agency = await page('agency');
    expect(agency.status).toBe(200);
    for (const s of ['receive', 'progress', 'report', 'extension-request'])
      expect(agency.html).toContain(`/admin/tasks/${t.tasks.own}/${s}"`);
    expect(agency.html).not.toContain('/confirm"');
    expect(agency.html).not.toContain('/urge"');
    const coordinator = await page('agencyB');
    expect(coordinator.status).toBe(200);
    expect(coordinator.html).toContain('Bạn chỉ có quyền xem');
    const leader = await page('leader');
    expect(leader.html).toContain('Bạn chỉ có quyền xem');
    expect(leader.html).not.toContain('method="post" action="/admin/tasks/');
    const sp = await page('specialist');
    for (const s of ['urge', 'edit', 'reassign', 'cancel']) expect(sp.html).toContain(`/${s}"`);
    expect(sp.html).not.toContain('/report"');
    expect((await page('admin')).status).toBe(403);
    expect((await page('agency', t.tasks.other)).status).toBe(403);
    expect((await page('agency', 'NV-2026-99999')).status).toBe(404);
  });

  it('a task brought in by a province merger (prefixed code) opens, takes actions and their files', async () => {
    const t = makeTestApp();
    // the code mergeProvince gives a former province's task (PL-NV-…); the pattern used to stop at NV-
    t.db.prepare('UPDATE tasks SET code = ? WHERE code = ?').run(`PL-${t.tasks.own}`, t.tasks.own);
    const cookie = await t.cookieFor('agency');
    const res = await t.get(`/admin/tasks/PL-${t.tasks.own}`, cookie);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`/admin/tasks/PL-${t.tasks.own}/report"`);
    const report = await postMultipart(
      t,
      `/admin/tasks/PL-${t.tasks.own}/report`,
      { note: 'Đã hoàn thành' },
      [['files', samplePdf(), 'Báo cáo.pdf']],
      cookie,
    );
    expect(report.status).toBe(303);
    expect(getTaskByCode(t.db, `PL-${t.tasks.own}`)!.reported_on).not.toBeNull();
  });
});

describe('rules through the routes', () => {
  it('a second extension request is refused with the rule’s message; the original deadline stays on record', async () => {
    const t = makeTestApp();
    expect((await act(t, 'request_extension', 'agency', t.tasks.own)).status).toBe(303);
    expect((await act(t, 'approve_extension', 'confirmer', t.tasks.own, { new_deadline: '15/07/2026' })).status).toBe(
      303,
    );
    const second = await act(t, 'request_extension', 'agency', t.tasks.own, {
      new_deadline: '30/09/2026',
      note: 'Lần nữa',
    });
    expect(second.status).toBe(409);
    const html = await second.text();
    expect(html).toContain('Mỗi nhiệm vụ chỉ được gia hạn tối đa một lần');
    expect(html).toContain('30/09/2026'); // the user's input is kept
    const task = getTaskByCode(t.db, t.tasks.own)!;
    expect([task.deadline, task.ext_deadline]).toEqual(['2026-06-30', '2026-07-15']);
    const page = await (await t.get(`/admin/tasks/${t.tasks.own}`, await t.cookieFor('leader'))).text();
    expect(page).toContain('Thời hạn ban đầu');
    expect(page).toContain('30/06/2026');
    expect(page).toContain('thời hạn mới 15/07/2026');
  });

  it('a deadline on a day off shows the deadline that counts (the next working day) beside the stated one', async () => {
    const t = makeTestApp();
    t.db.prepare("UPDATE tasks SET deadline = '2026-06-27' WHERE code = ?").run(t.tasks.own); // a Saturday
    const page = await (await t.get(`/admin/tasks/${t.tasks.own}`, await t.cookieFor('specialist'))).text();
    expect(page).toContain('<dt>Thời hạn tính</dt>');
    expect(page).toContain('29/06/2026 (thời hạn 27/06/2026 rơi vào ngày nghỉ');
    const plain = await (await t.get(`/admin/tasks/${t.tasks.coordinated}`, await t.cookieFor('specialist'))).text();
    expect(plain).not.toContain('Thời hạn tính'); // 30/06/2026 is a Tuesday
  });

  it('a rejected extension cannot be asked again either', async () => {
    const t = makeTestApp();
    await act(t, 'request_extension', 'agency', t.tasks.own);
    expect((await act(t, 'reject_extension', 'confirmer', t.tasks.own, { note: '' })).status).toBe(422); // reason required
    expect((await act(t, 'reject_extension', 'confirmer', t.tasks.own, { note: 'Không đủ căn cứ' })).status).toBe(303);
    expect((await act(t, 'request_extension', 'agency', t.tasks.own)).status).toBe(409);
    expect((await act(t, 'approve_extension', 'confirmer', t.tasks.own)).status).toBe(409); // nothing pending
  });

  it('confirmation only after a report; confirm and return change the status as of today', async () => {
    const t = makeTestApp();
    const none = await act(t, 'confirm', 'confirmer', t.tasks.own);
    expect(none.status).toBe(409);
    expect(await none.text()).toContain('Chỉ xác nhận hoàn thành khi đơn vị đã gửi báo cáo kết quả');
    expect((await act(t, 'report', 'agency', t.tasks.own)).status).toBe(303);
    const status = async () =>
      (await (await t.get(`/admin/tasks/${t.tasks.own}`, await t.cookieFor('confirmer'))).text())
        .match(/<strong>([^<]+)<\/strong>([^<]*)/)!
        .slice(1)
        .join('');
    expect(await status()).toContain('Đang thực hiện trong hạn — đã báo cáo, chờ xác nhận 0 ngày');
    t.clock.now = new Date('2026-03-04T03:00:00Z');
    expect(await status()).toContain('đã báo cáo, chờ xác nhận 2 ngày'); // the days it has waited
    t.clock.now = new Date('2026-03-02T02:00:00Z');
    expect((await act(t, 'return_report', 'confirmer', t.tasks.own, { note: 'Thiếu số liệu' })).status).toBe(303);
    expect(await status()).not.toContain('chờ xác nhận');
    expect((await act(t, 'confirm', 'confirmer', t.tasks.own)).status).toBe(409); // the report was returned
    t.clock.now = new Date('2026-03-05T03:00:00Z');
    expect((await act(t, 'report', 'agency', t.tasks.own, { note: 'Bổ sung số liệu' })).status).toBe(303);
    expect((await act(t, 'confirm', 'confirmer', t.tasks.own)).status).toBe(303);
    expect(await status()).toContain('Hoàn thành đúng hạn');
    expect(getTaskByCode(t.db, t.tasks.own)!.completed_on).toBe('2026-03-05');
  });

  it('an explanation is accepted only when the task is late (overdue, or reported after the deadline)', async () => {
    const t = makeTestApp();
    const early = await postMultipart(
      t,
      `/admin/tasks/${t.tasks.own}/explain`,
      { note: 'Giải trình' },
      [],
      await t.cookieFor('agency'),
    );
    expect(early.status).toBe(409);
    expect(await early.text()).toContain('Chỉ giải trình khi nhiệm vụ đã quá hạn');
    t.clock.now = new Date('2026-07-10T03:00:00Z');
    const inbox = await (await t.get('/admin/inbox', await t.cookieFor('agency'))).text();
    expect(inbox).toContain(t.tasks.own);
    const ok = await postMultipart(
      t,
      `/admin/tasks/${t.tasks.own}/explain`,
      { note: 'Do chờ ý kiến Bộ' },
      [['files', samplePdf(), 'Giải trình đã ký.pdf']],
      await t.cookieFor('agency'),
    );
    expect(ok.status).toBe(303);
    const ev = t.db.prepare("SELECT id FROM task_events WHERE kind = 'explanation_submitted'").pluck().get() as number;
    expect(t.db.prepare('SELECT count(*) FROM event_files WHERE event_id = ?').pluck().get(ev)).toBe(1);
    const list = await (await t.get('/admin/explanations', await t.cookieFor('specialist'))).text();
    expect(list).toContain('Do chờ ý kiến Bộ');
    expect(list).toContain('Giải trình đã ký.pdf');
  });

  it('the deadline is corrected only before receipt; reassign and cancel record their reason', async () => {
    const t = makeTestApp();
    const edit = (deadline: string) =>
      act(t, 'edit', 'specialist', t.tasks.own, { ...validFields(t, 'edit'), deadline, reason: 'Nhập nhầm' });
    expect((await edit('15/06/2026')).status).toBe(303);
    expect(getTaskByCode(t.db, t.tasks.own)!.deadline).toBe('2026-06-15');
    await act(t, 'receive', 'agency', t.tasks.own);
    const locked = await edit('20/06/2026');
    expect(locked.status).toBe(409);
    expect(await locked.text()).toContain('chỉ được thay đổi qua đề nghị gia hạn');
    expect(
      (await act(t, 'reassign', 'specialist', t.tasks.own, { to_agency: String(t.agencies.a), note: 'x' })).status,
    ).toBe(422); // same agency
    t.db.prepare("UPDATE agencies SET dissolved_on = '2026-02-01' WHERE id = ?").run(t.agencies.c);
    expect((await act(t, 'reassign', 'specialist', t.tasks.own)).status).toBe(422); // dissolved
    expect((await act(t, 'cancel', 'specialist', t.tasks.own, { note: '' })).status).toBe(422);
    expect((await act(t, 'cancel', 'specialist', t.tasks.own, { note: 'Không còn phù hợp' })).status).toBe(303);
    expect((await act(t, 'progress', 'agency', t.tasks.own)).status).toBe(409); // cancelled
  });
});

describe('report files', () => {
  it('a renamed EXE or HTML page is refused; nothing is left behind', async () => {
    const t = makeTestApp();
    const cookie = await t.cookieFor('agency');
    const before = counts(t);
    for (const bytes of [sampleExe(), sampleHtml()]) {
      const res = await postMultipart(
        t,
        `/admin/tasks/${t.tasks.own}/report`,
        { note: 'Kết quả' },
        [['files', bytes, 'Báo cáo.pdf']],
        cookie,
      );
      expect(res.status).toBe(422);
      expect(await res.text()).toContain('không đúng định dạng cho phép');
    }
    // a good file next to a bad one: the whole report is refused
    const mixed = await postMultipart(
      t,
      `/admin/tasks/${t.tasks.own}/report`,
      { note: 'Kết quả' },
      [
        ['files', samplePdf(), 'a.pdf'],
        ['files', sampleExe(), 'b.pdf'],
      ],
      cookie,
    );
    expect(mixed.status).toBe(422);
    const none = await postMultipart(t, `/admin/tasks/${t.tasks.own}/report`, { note: 'Kết quả' }, [], cookie);
    expect(none.status).toBe(422);
    expect(counts(t)).toEqual(before);
    expect(readdirSync(t.env.uploadDir)).toEqual([]);
  });

  it('an oversized file is refused (configurable maximum)', async () => {
    const t = makeTestApp({ env: { UPLOAD_MAX_BYTES: '1024' } });
    const big = new Uint8Array(4096);
    big.set(samplePdf().subarray(0, 8));
    const res = await postMultipart(
      t,
      `/admin/tasks/${t.tasks.own}/report`,
      { note: 'Kết quả' },
      [['files', big, 'lớn.pdf']],
      await t.cookieFor('agency'),
    );
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('vượt quá dung lượng tối đa');
    const huge = await postMultipart(
      t,
      `/admin/tasks/${t.tasks.own}/report`,
      { note: 'Kết quả' },
      [['files', new Uint8Array(400 * 1024), 'x.pdf']],
      await t.cookieFor('agency'),
    );
    expect(huge.status).toBe(413); // above the request limit itself
    expect(counts(t).files).toBe(0);
    expect(readdirSync(t.env.uploadDir)).toEqual([]);
  });
});
