/** POST /api/v1/tasks/:code/events through app.request: each event kind, its rules, files and scope. */
import { describe, expect, it } from 'vitest';
import { samplePdf } from '../test/fixtures/files.ts';
import { rowCounts } from '../test/support/api.ts';
import { auditActions, pdf, setup } from '../test/support/api-world.ts';

describe('POST /api/v1/tasks/:code/events', () => {
  it('the life of a task through the API, with the rules: one extension only, confirmation only after a report', async () => {
    const { t, api, tk } = setup();
    const ev = (token: string, body: unknown, code = t.tasks.own) =>
      api.call(token, 'POST', `/api/v1/tasks/${code}/events`, body);
    expect((await ev(tk.agency, { kind: 'received' })).status).toBe(201);
    const again = await ev(tk.agency, { kind: 'received' });
    expect(again.status).toBe(409);
    expect(again.json.error).toEqual({
      code: 'already_received',
      message: 'Đơn vị đã xác nhận tiếp nhận nhiệm vụ này.',
    });
    expect((await ev(tk.agency, { kind: 'progress', note: 'Đã họp triển khai' })).status).toBe(201);
    const early = await ev(tk.confirmer, { kind: 'confirmed' });
    expect(early.status).toBe(409);
    expect(early.json.error.code).toBe('no_report');
    const req = await ev(tk.agency, {
      kind: 'extension_requested',
      newDeadline: '2026-07-31',
      note: 'Chờ số liệu quý II',
    });
    expect(req.status).toBe(201);
    expect(req.json.event).toMatchObject({
      kind: 'extension_requested',
      newDeadline: '2026-07-31',
      agency: 'STC',
      occurredOn: '2026-03-02',
    });
    const second = await ev(tk.agency, { kind: 'extension_requested', newDeadline: '2026-08-31', note: 'Xin thêm' });
    expect(second.status).toBe(409);
    expect(second.json.error.code).toBe('extension_limit');
    expect(second.json.error.message).toMatch(/tối đa một lần/);
    // deciding is the working group's, not the unit's nor the Office's
    expect((await ev(tk.agency, { kind: 'extension_approved', newDeadline: '2026-07-31' })).status).toBe(403);
    expect((await ev(tk.specialist, { kind: 'extension_approved', newDeadline: '2026-07-31' })).status).toBe(403);
    const approved = await ev(tk.confirmer, { kind: 'extension_approved', newDeadline: '2026-07-31' });
    expect(approved.status).toBe(201);
    expect(approved.json.task).toMatchObject({
      deadline: '2026-06-30',
      extendedDeadline: '2026-07-31',
      status: { effectiveDeadline: '2026-07-31' },
    });
    expect(
      (await ev(tk.agency, { kind: 'extension_requested', newDeadline: '2026-09-30', note: 'Lần nữa' })).status,
    ).toBe(409);
    expect((await ev(tk.specialist, { kind: 'urged', note: 'Đề nghị báo cáo đúng hạn' })).status).toBe(201);
    // a result report needs a file, checked by content
    const noFile = await ev(tk.agency, { kind: 'reported', note: 'Đã hoàn thành', files: [] });
    expect(noFile.status).toBe(422);
    expect(noFile.json.error.issues.map((i: { path: string }) => i.path)).toEqual(['files']);
    const fake = await ev(tk.agency, {
      kind: 'reported',
      note: 'Đã hoàn thành',
      files: [{ name: 'bao-cao.pdf', contentBase64: Buffer.from('<html>not a pdf</html>').toString('base64') }],
    });
    expect(fake.status).toBe(422);
    expect(fake.json.error.issues[0]).toMatchObject({ path: 'files.0' });
    expect(fake.json.error.issues[0].message).toMatch(/không đúng định dạng/);
    const reported = await ev(tk.agency, { kind: 'reported', note: 'Đã hoàn thành', files: [pdf()] });
    expect(reported.status).toBe(201);
    expect(reported.json.event.files).toEqual([
      { id: expect.any(Number), name: 'Báo cáo kết quả.pdf', mime: 'application/pdf', size: samplePdf().length },
    ]);
    // an on-time report waiting for the working group: in progress, flagged, with the days it has waited
    t.clock.now = new Date('2026-03-07T02:00:00Z');
    const waiting = await api.call(tk.agency, 'GET', `/api/v1/tasks/${t.tasks.own}`);
    // the answer to the write is the event as the task's history shows it (only that one event was read for it)
    expect(waiting.json.events.filter((e: { id: number }) => e.id === reported.json.event.id)).toEqual([
      reported.json.event,
    ]);
    expect(waiting.json.events.length).toBeGreaterThan(1);
    expect(waiting.json.status).toMatchObject({ awaitingConfirmation: true, awaitingDays: 5 });
    t.clock.now = new Date('2026-03-02T02:00:00Z');
    const confirmed = await ev(tk.confirmer, { kind: 'confirmed' });
    expect(confirmed.status).toBe(201);
    expect(confirmed.json.task).toMatchObject({
      completedOn: '2026-03-02',
      confirmedOn: '2026-03-02',
      status: { category: 'completedOnTime' },
    });
    const read = await api.call(tk.agency, 'GET', `/api/v1/tasks/${t.tasks.own}`);
    expect(read.json.events.map((e: { kind: string }) => e.kind)).toEqual([
      'assigned',
      'received',
      'progress',
      'extension_requested',
      'extension_approved',
      'urged',
      'reported',
      'confirmed',
    ]);
    // each write audited by the shared action code, with the API client as actor
    expect(auditActions(t, 'task.confirmed').map((a) => [a.actor_kind, a.actor_name, a.target_id])).toEqual([
      ['api', 'Phần mềm Tổ công tác', t.tasks.own],
    ]);
    expect(auditActions(t, 'task.extension_requested')).toHaveLength(1);
  });

  it('report files can be downloaded by those who may read the task, with the original name', async () => {
    const { t, api, tk } = setup();
    const ev = (token: string, body: unknown) => api.call(token, 'POST', `/api/v1/tasks/${t.tasks.own}/events`, body);
    expect((await ev(tk.agency, { kind: 'received' })).status).toBe(201);
    const reported = await ev(tk.agency, { kind: 'reported', note: 'Xong', files: [pdf('Báo cáo số 12.pdf')] });
    const fileId = reported.json.event.files[0].id as number;
    for (const who of ['agency', 'agencyB', 'leader', 'confirmer', 'specialist'] as const) {
      const res = await t.app.request(`/api/v1/files/${fileId}`, { headers: { authorization: `Bearer ${tk[who]}` } });
      expect(res.status, who).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''B%C3%A1o%20c%C3%A1o");
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(samplePdf());
    }
    const c = await api.call(tk.agencyC, 'GET', `/api/v1/files/${fileId}`);
    expect(c.status).toBe(403);
    expect(auditActions(t, 'access.denied').at(-1)).toMatchObject({ target_type: 'file', target_id: String(fileId) });
    expect((await api.call(tk.leader, 'GET', '/api/v1/files/99999')).status).toBe(404);
    expect((await api.call(null, 'GET', `/api/v1/files/${fileId}`)).status).toBe(401);
  });

  it('agency clients write only on tasks their agency leads; leaders write nothing; refusals write nothing', async () => {
    const { t, api, tk } = setup();
    const before = rowCounts(t);
    const ev = (token: string, code: string, body: unknown) =>
      api.call(token, 'POST', `/api/v1/tasks/${code}/events`, body);
    // agency A coordinates `coordinated` (may read it) but does not lead it
    expect((await ev(tk.agency, t.tasks.coordinated, { kind: 'received' })).status).toBe(403);
    expect((await ev(tk.agency, t.tasks.other, { kind: 'received' })).status).toBe(403);
    expect((await ev(tk.agencyB, t.tasks.own, { kind: 'reported', note: 'x', files: [pdf()] })).status).toBe(403);
    expect((await ev(tk.leader, t.tasks.own, { kind: 'urged' })).status).toBe(403);
    expect((await ev(tk.specialist, t.tasks.own, { kind: 'received' })).status).toBe(403);
    expect((await ev(tk.confirmer, t.tasks.own, { kind: 'cancelled', note: 'x' })).status).toBe(403);
    expect(rowCounts(t)).toEqual(before);
    const denied = auditActions(t, 'access.denied').map((d) => JSON.parse(d.details).permission);
    expect(denied).toEqual(['task.receive', 'task.read', 'task.report', 'task.urge', 'task.receive', 'task.cancel']);
  });

  it('validates the event body per kind', async () => {
    const { t, api, tk } = setup();
    const before = rowCounts(t);
    const ev = (body: unknown, token: string) => api.call(token, 'POST', `/api/v1/tasks/${t.tasks.own}/events`, body);
    const cases: Array<[unknown, string, string[]]> = [
      [{ kind: 'finished' }, tk.agency, ['kind']],
      [{ kind: 'assigned' }, tk.agency, ['kind']],
      [{}, tk.agency, ['kind']],
      [{ kind: 'received', newDeadline: '2026-09-01' }, tk.agency, ['newDeadline']],
      [{ kind: 'received', occurredOn: '2026-03-01' }, tk.agency, ['occurredOn']],
      [{ kind: 'progress' }, tk.agency, ['note']],
      [{ kind: 'reported', note: 'x' }, tk.agency, ['files']],
      [
        { kind: 'reported', note: 'x', files: [{ name: 'a.pdf', contentBase64: 'không phải base64' }] },
        tk.agency,
        ['files.0.contentBase64'],
      ],
      [{ kind: 'explanation_submitted' }, tk.agency, ['note']],
      [{ kind: 'extension_requested', note: 'x' }, tk.agency, ['newDeadline']],
      [{ kind: 'returned', note: '   ' }, tk.confirmer, ['note']],
      [{ kind: 'extension_approved' }, tk.confirmer, ['newDeadline']],
      [{ kind: 'reassigned', toAgency: 'NOPE', note: 'Sáp nhập' }, tk.specialist, ['toAgency']],
      [{ kind: 'urged', note: 'x'.repeat(4001) }, tk.specialist, ['note']],
    ];
    for (const [body, token, paths] of cases) {
      const r = await ev(body, token);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(
        r.json.error.issues.map((i: { path: string }) => i.path),
        JSON.stringify(body),
      ).toEqual(paths);
    }
    const past = await ev({ kind: 'extension_requested', newDeadline: '2026-03-02', note: 'x' }, tk.agency);
    expect(past.status).toBe(422);
    expect(past.json.error.code).toBe('bad_deadline');
    const late = await ev({ kind: 'explanation_submitted', note: 'Lý do chậm' }, tk.agency);
    expect(late.status).toBe(409);
    expect(late.json.error.code).toBe('not_late');
    expect(rowCounts(t)).toEqual(before);
  });

  it('the Office reassigns and cancels; a cancelled task takes no more events', async () => {
    const { t, api, tk } = setup();
    const ev = (token: string, body: unknown) => api.call(token, 'POST', `/api/v1/tasks/${t.tasks.other}/events`, body);
    const moved = await ev(tk.specialist, { kind: 'reassigned', toAgency: 'SYT', note: 'Sắp xếp đơn vị hành chính' });
    expect(moved.status).toBe(201);
    expect(moved.json.event).toMatchObject({ fromAgency: 'UBND-HX', toAgency: 'SYT' });
    expect(moved.json.task.leadAgency).toBe('SYT');
    // the new lead agency now sees it, the old one no longer does
    expect((await api.call(tk.agencyB, 'GET', `/api/v1/tasks/${t.tasks.other}`)).status).toBe(200);
    expect((await api.call(tk.agencyC, 'GET', `/api/v1/tasks/${t.tasks.other}`)).status).toBe(403);
    expect((await ev(tk.specialist, { kind: 'cancelled', note: 'Không còn phù hợp' })).status).toBe(201);
    const after = await ev(tk.agencyB, { kind: 'received' });
    expect(after.status).toBe(409);
    expect(after.json.error.code).toBe('cancelled');
  });
});
