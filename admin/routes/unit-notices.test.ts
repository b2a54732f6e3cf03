/** Notices inside a unit (issue 11): each internal step tells the people of the unit it concerns, nobody outside. */
import { describe, expect, it } from 'vitest';
import { makeTestApp } from '../test/support/admin-app.ts';
import { postMultipart } from '../test/support/task-routes.ts';
import { samplePdf } from '../test/fixtures/files.ts';
import { setHeadApproval } from '../domain/unit-steps.ts';

describe('notices of the approval flow inside a unit', () => {
  it('tells each person of the unit what needs them: draft → focal point, submission → head, sent back → unit', async () => {
    const t = makeTestApp();
    setHeadApproval(t.db, t.agencies.a, true);
    const code = t.tasks.own;
    const [officer, agency, head] = await Promise.all([
      t.cookieFor('officer'),
      t.cookieFor('agency'),
      t.cookieFor('head'),
    ]);
    const notices = () =>
      t.db
        .prepare(
          `SELECT u.username, n.kind, n.data FROM notices n JOIN users u ON u.id = n.user_id
            WHERE n.kind LIKE 'unit_%' OR n.kind = 'report_waiting' ORDER BY n.id`,
        )
        .all() as Array<{ username: string; kind: string; data: string }>;
    const drafted = await postMultipart(t, `/admin/tasks/${code}/draft`, { note: 'Dự thảo' }, [], officer);
    expect(drafted.status).toBe(303);
    expect(notices().map((n) => [n.username, n.kind])).toEqual([[t.users.agency.username, 'unit_draft']]);
    // a result report carries at least one file
    const report = (note: string) =>
      postMultipart(t, `/admin/tasks/${code}/report`, { note }, [['files', samplePdf(), 'Báo cáo.pdf']], agency);
    expect((await report('Báo cáo')).status).toBe(303);
    expect(
      notices()
        .slice(1)
        .map((n) => [n.username, n.kind]),
    ).toEqual([[t.users.head.username, 'unit_waiting']]);
    const back = await t.post(`/admin/tasks/${code}/send-back`, { subject: 'report', note: 'Thiếu số liệu' }, head);
    expect(back.status).toBe(303);
    const sentBack = notices().slice(2);
    expect(sentBack.map((n) => [n.username, n.kind]).sort()).toEqual(
      [
        [t.users.agency.username, 'unit_sent_back'],
        [t.users.officer.username, 'unit_sent_back'],
      ].sort(),
    );
    expect(JSON.parse(sentBack[0]!.data)).toMatchObject({ subject: 'report', reason: 'Thiếu số liệu' });
    // the focal point's list page says it, with the reason; nobody outside the unit was told anything
    const list = await (await t.get('/admin/thong-bao', agency)).text();
    expect(list).toContain('Báo cáo kết quả bị thủ trưởng đơn vị trả lại. Lý do: Thiếu số liệu');
    const outside = t.db
      .prepare(
        "SELECT count(*) FROM notices n JOIN users u ON u.id = n.user_id WHERE u.agency_id IS NOT ? AND n.kind LIKE 'unit_%'",
      )
      .pluck()
      .get(t.agencies.a);
    expect(outside).toBe(0);
    // the approved resubmission reaches the working group as a report waiting
    expect((await report('Báo cáo đủ')).status).toBe(303);
    expect((await t.post(`/admin/tasks/${code}/approve`, { subject: 'report' }, head)).status).toBe(303);
    expect(
      notices()
        .filter((n) => n.kind === 'report_waiting')
        .map((n) => n.username),
    ).toEqual([t.users.confirmer.username]);
  });
});
