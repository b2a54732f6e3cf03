/** The documents API through app.request: listing and reading in scope, creating a document with its tasks. */
import { describe, expect, it } from 'vitest';
import { rowCounts } from '../test/support/api.ts';
import { auditActions, docTask, setup, validDocument } from '../test/support/api-world.ts';

describe('documents', () => {
  it('the Office posts a document with three tasks in one transaction; agencies see only theirs', async () => {
    const { t, api, tk, leaderId } = setup();
    const r = await api.call(tk.specialist, 'POST', '/api/v1/documents', validDocument(leaderId));
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      number: '1147/UBND-KSTT',
      type: 'Công văn',
      issuedOn: '2026-02-27',
      taskCount: 3,
      signer: { id: leaderId, name: 'Trần Văn Chủ' },
    });
    expect(r.json.warnings).toEqual(['Nhiệm vụ 3 không có thời hạn: sẽ được đôn đốc định kỳ 3 tháng một lần.']);
    expect(r.json.tasks.map((x: { leadAgency: string }) => x.leadAgency)).toEqual(['STC', 'SYT', 'UBND-HX']);
    expect(
      r.json.tasks.every(
        (x: { document: { number: string }; assignedOn: string }) =>
          x.document.number === '1147/UBND-KSTT' && x.assignedOn === '2026-02-27',
      ),
    ).toBe(true);
    const id = r.json.id as number;
    expect(auditActions(t, 'document.create').map((a) => [a.actor_kind, a.target_id])).toEqual([['api', String(id)]]);
    // duplicate number + date
    const before = rowCounts(t);
    const dup = await api.call(tk.specialist, 'POST', '/api/v1/documents', validDocument(leaderId));
    expect(dup.status).toBe(422);
    expect(dup.json.error.issues).toEqual([
      { path: 'number', message: 'Đã có văn bản cùng số, ký hiệu và ngày ban hành này trong hệ thống.' },
    ]);
    expect(rowCounts(t)).toEqual(before);
    // agency A: leads task 1 and coordinates task 3
    const a = await api.call(tk.agency, 'GET', `/api/v1/documents/${id}`);
    expect(a.status).toBe(200);
    expect(a.json.taskCount).toBe(2);
    expect(a.json.tasks.map((x: { leadAgency: string }) => x.leadAgency)).toEqual(['STC', 'UBND-HX']);
    const b = await api.call(tk.agencyB, 'GET', `/api/v1/documents/${id}`);
    expect(b.json.tasks.map((x: { leadAgency: string }) => x.leadAgency)).toEqual(['STC', 'SYT']);
    // a document with no task for agency C
    const other = await api.call(
      tk.specialist,
      'POST',
      '/api/v1/documents',
      validDocument(leaderId, { number: '12/TB-UBND', type: 'Thông báo kết luận', tasks: [docTask(leaderId)] }),
    );
    expect(other.status).toBe(201);
    const denied = await api.call(tk.agencyC, 'GET', `/api/v1/documents/${other.json.id}`);
    expect(denied.status).toBe(403);
    expect(auditActions(t, 'access.denied').at(-1)).toMatchObject({
      target_type: 'document',
      target_id: String(other.json.id),
    });
    expect(
      (await api.call(tk.agencyC, 'GET', '/api/v1/documents')).json.items.map((d: { number: string }) => d.number),
    ).toEqual(['1147/UBND-KSTT']);
    expect((await api.call(tk.leader, 'GET', '/api/v1/documents/999')).status).toBe(404);
    expect((await api.call(tk.leader, 'GET', '/api/v1/documents/abc')).status).toBe(400);
    for (const who of ['agency', 'confirmer', 'leader'] as const) {
      expect(
        (await api.call(tk[who], 'POST', '/api/v1/documents', validDocument(leaderId, { number: '1/UBND-VP' }))).status,
        who,
      ).toBe(403);
    }
  });

  it('lists with paging and filters by number and date range', async () => {
    const { api, tk, leaderId } = setup();
    for (const [number, issuedOn] of [
      ['1147/UBND-KSTT', '2026-01-05'],
      ['1200/UBND-KT', '2026-02-10'],
      ['15/CT-UBND', '2026-02-20'],
      ['52/TB-VP', '2026-02-21'],
    ] as const) {
      const r = await api.call(
        tk.specialist,
        'POST',
        '/api/v1/documents',
        validDocument(leaderId, { number, issuedOn, tasks: [docTask(leaderId)] }),
      );
      expect(r.status, number).toBe(201);
    }
    const all = await api.call(tk.leader, 'GET', '/api/v1/documents?pageSize=2');
    expect(all.json).toMatchObject({ total: 4, page: 1, pageSize: 2 });
    expect(all.json.items.map((d: { number: string }) => d.number)).toEqual(['52/TB-VP', '15/CT-UBND']);
    const p2 = await api.call(tk.leader, 'GET', '/api/v1/documents?pageSize=2&page=2');
    expect(p2.json.items.map((d: { number: string }) => d.number)).toEqual(['1200/UBND-KT', '1147/UBND-KSTT']);
    expect((await api.call(tk.leader, 'GET', '/api/v1/documents?number=ubnd-k')).json.total).toBe(2);
    // LIKE wildcards in the filter are literal
    expect((await api.call(tk.leader, 'GET', '/api/v1/documents?number=%25')).json.total).toBe(0);
    expect((await api.call(tk.leader, 'GET', '/api/v1/documents?number=1_')).json.total).toBe(0);
    expect((await api.call(tk.leader, 'GET', '/api/v1/documents?from=2026-02-01&to=2026-02-20')).json.total).toBe(2);
    const bad = await api.call(tk.leader, 'GET', '/api/v1/documents?from=2026-03-01&to=2026-02-01&pageSize=0');
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['pageSize', 'to']);
    const order = await api.call(tk.leader, 'GET', '/api/v1/documents?from=2026-03-01&to=2026-02-01');
    expect(order.status).toBe(400);
    expect(order.json.error.issues).toEqual([{ path: 'to', message: 'Ngày "đến" phải sau hoặc bằng ngày "từ".' }]);
  });

  it('one bad task refuses the whole document, with the path of the bad field', async () => {
    const { t, api, tk, leaderId } = setup();
    const before = rowCounts(t);
    const doc = validDocument(leaderId);
    (doc.tasks[1] as Record<string, unknown>).leadAgency = 'KHONGCO';
    (doc.tasks[2] as Record<string, unknown>).noDeadlineReason = '';
    (doc.tasks[0] as Record<string, unknown>).deadline = '2026-02-01';
    const r = await api.call(tk.specialist, 'POST', '/api/v1/documents', doc);
    expect(r.status).toBe(422);
    expect(r.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'tasks.0.deadline',
      'tasks.1.leadAgency',
      'tasks.2.noDeadlineReason',
    ]);
    expect(r.json.error.issues.find((i: { path: string }) => i.path === 'tasks.1.leadAgency').message).toBe(
      'Không có đơn vị mã "KHONGCO".',
    );
    const shape = await api.call(
      tk.specialist,
      'POST',
      '/api/v1/documents',
      validDocument(leaderId, {
        type: 'Thư',
        number: 'abc',
        tasks: [{ ...docTask(leaderId), assignedOn: '2026-03-01' }],
      }),
    );
    expect(shape.status).toBe(422);
    expect(shape.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['tasks.0.assignedOn', 'type']);
    const number = await api.call(
      tk.specialist,
      'POST',
      '/api/v1/documents',
      validDocument(leaderId, { number: 'abc', signerId: 999 }),
    );
    expect(number.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['number', 'signerId']);
    expect(
      (await api.call(tk.specialist, 'POST', '/api/v1/documents', validDocument(leaderId, { tasks: [] }))).json.error
        .issues[0].path,
    ).toBe('tasks');
    const future = await api.call(
      tk.specialist,
      'POST',
      '/api/v1/documents',
      validDocument(leaderId, { issuedOn: '2026-12-01' }),
    );
    expect(future.json.error.issues.map((i: { path: string }) => i.path)).toEqual([
      'issuedOn',
      'tasks.0.deadline',
      'tasks.1.deadline',
    ]);
    expect(rowCounts(t)).toEqual(before);
  });
});
