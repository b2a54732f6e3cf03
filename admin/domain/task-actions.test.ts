import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db/open.ts';
import { createTask, getTaskByCode, listEvents } from './tasks.ts';
import { recordTaskAction, availableActions } from './task-actions.ts';
import { createDocumentWithTasks, validateDocumentInput, blankRawTask, type RawDocument } from './documents.ts';
import { DomainError } from './rules.ts';
import { acceptUpload } from '../files/store.ts';
import { samplePdf } from '../test/fixtures/files.ts';
import type { Principal } from '../auth/permissions.ts';

function setup() {
  const db = openDatabase(':memory:');
  const env = { uploadDir: mkdtempSync(join(tmpdir(), 'actions-test-')) };
  const ins = db.prepare('INSERT INTO agencies (code, name, kind) VALUES (?, ?, ?)');
  const a = Number(ins.run('STC', 'Sở Tài chính', 'department').lastInsertRowid);
  const b = Number(ins.run('SYT', 'Sở Y tế', 'department').lastInsertRowid);
  const leader = Number(
    db.prepare("INSERT INTO leaders (name, title) VALUES ('Nguyễn Văn A', 'Chủ tịch UBND tỉnh')").run().lastInsertRowid,
  );
  const uid = (role: string, agency: number | null) =>
    Number(
      db
        .prepare("INSERT INTO users (username, display_name, role, agency_id, password_hash) VALUES (?, ?, ?, ?, 'x')")
        .run(`${role}${agency ?? ''}`, role, role, agency).lastInsertRowid,
    );
  const p = (role: Principal['role'], agencyId: number | null = null): Principal => ({
    kind: 'user',
    id: uid(role, agencyId),
    name: role,
    role,
    agencyId,
  });
  const id = createTask(db, {
    title: 'Rà soát',
    leadAgencyId: a,
    coordinatorIds: [b],
    assignedOn: '2026-01-10',
    deadline: '2026-03-31',
  });
  const code = getTaskByCode(db, 'NV-2026-00001')!.code;
  return {
    db,
    env,
    a,
    b,
    leader,
    id,
    code,
    agencyA: p('agency', a),
    agencyB: p('agency', b),
    specialist: p('specialist'),
    confirmer: p('confirmer'),
    leaderP: p('leader'),
  };
}

const at = (iso: string) => new Date(`${iso}T03:00:00Z`);

describe('recordTaskAction', () => {
  it('the whole life: receive, report with a file, confirm; each audited; coordinators may not write', async () => {
    const s = setup();
    const deps = (d: string) => ({ db: s.db, env: s.env, now: at(d) });
    expect(() => recordTaskAction(deps('2026-02-01'), s.agencyB, s.code, { kind: 'receive' })).toThrow(DomainError);
    recordTaskAction(deps('2026-02-01'), s.agencyA, s.code, { kind: 'receive' });
    const pdf = await acceptUpload(new File([samplePdf()], 'Báo cáo.pdf'), { maxBytes: 1e6 });
    const r = recordTaskAction(deps('2026-03-01'), s.agencyA, s.code, {
      kind: 'report',
      note: 'Đã hoàn thành',
      files: [pdf],
    });
    expect(r.fileIds).toHaveLength(1);
    recordTaskAction(deps('2026-03-02'), s.confirmer, s.code, { kind: 'confirm' });
    const t = getTaskByCode(s.db, s.code)!;
    expect(t.confirmed_on).toBe('2026-03-02');
    expect(t.completed_on).toBe('2026-03-01');
    expect(s.db.prepare('SELECT action FROM audit_log ORDER BY id').pluck().all()).toEqual([
      'task.received',
      'task.reported',
      'task.confirmed',
    ]);
  });

  it('a report refused by the rules leaves no row, no file, no audit', async () => {
    const s = setup();
    const pdf = await acceptUpload(new File([samplePdf()], 'a.pdf'), { maxBytes: 1e6 });
    recordTaskAction({ db: s.db, env: s.env, now: at('2026-03-01') }, s.agencyA, s.code, {
      kind: 'report',
      note: 'x',
      files: [pdf],
    });
    const before = readdirSync(s.env.uploadDir).length;
    expect(() =>
      recordTaskAction({ db: s.db, env: s.env, now: at('2026-03-01') }, s.agencyA, s.code, {
        kind: 'report',
        note: 'lần hai',
        files: [pdf],
      }),
    ).toThrow(/đang chờ xác nhận/);
    expect(readdirSync(s.env.uploadDir).length).toBe(before);
    expect(s.db.prepare('SELECT count(*) FROM files').pluck().get()).toBe(1);
    expect(s.db.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(1);
  });

  it('one extension per task; approval keeps the original deadline on record', () => {
    const s = setup();
    const d = (x: string) => ({ db: s.db, env: s.env, now: at(x) });
    recordTaskAction(d('2026-03-01'), s.agencyA, s.code, {
      kind: 'request_extension',
      newDeadline: '2026-04-30',
      note: 'Chờ số liệu',
    });
    recordTaskAction(d('2026-03-02'), s.confirmer, s.code, { kind: 'approve_extension', newDeadline: '2026-04-20' });
    const t = getTaskByCode(s.db, s.code)!;
    expect([t.deadline, t.ext_deadline]).toEqual(['2026-03-31', '2026-04-20']);
    expect(() =>
      recordTaskAction(d('2026-03-03'), s.agencyA, s.code, {
        kind: 'request_extension',
        newDeadline: '2026-05-30',
        note: 'Lần 2',
      }),
    ).toThrow(/tối đa một lần/);
  });

  it('a deadline is corrected only before receipt; a correction records the diff', () => {
    const s = setup();
    const d = { db: s.db, env: s.env, now: at('2026-02-01') };
    recordTaskAction(d, s.specialist, s.code, {
      kind: 'edit',
      changes: { deadline: '2026-04-30', title: 'Rà soát lại' },
      note: 'Nhập nhầm',
    });
    const ev = listEvents(s.db, s.id).at(-1)!;
    expect(JSON.parse(ev.data).changes).toEqual({
      title: { from: 'Rà soát', to: 'Rà soát lại' },
      deadline: { from: '2026-03-31', to: '2026-04-30' },
    });
    recordTaskAction(d, s.agencyA, s.code, { kind: 'receive' });
    expect(() =>
      recordTaskAction(d, s.specialist, s.code, { kind: 'edit', changes: { deadline: '2026-05-30' }, note: 'x' }),
    ).toThrow(/đề nghị gia hạn/);
    expect(() => recordTaskAction(d, s.specialist, s.code, { kind: 'edit', changes: {}, note: 'x' })).toThrow(
      /Không có thay đổi/,
    );
  });

  it('leaders and coordinators see no write actions; the lead agency sees its own', () => {
    const s = setup();
    const t = getTaskByCode(s.db, s.code)!;
    expect(availableActions(s.db, s.leaderP, t, '2026-02-01').size).toBe(0);
    expect(availableActions(s.db, s.agencyB, t, '2026-02-01').size).toBe(0);
    expect([...availableActions(s.db, s.agencyA, t, '2026-02-01')].sort()).toEqual([
      'progress',
      'receive',
      'report',
      'request_extension',
    ]);
    expect(availableActions(s.db, s.agencyA, t, '2026-04-02').has('explain')).toBe(true);
  });
});

describe('createDocumentWithTasks', () => {
  const raw = (s: ReturnType<typeof setup>, over: Partial<RawDocument> = {}): RawDocument => ({
    number: '1147/ubnd-kstt',
    docType: 'Công văn',
    issuedOn: '05/02/2026',
    signer: String(s.leader),
    summary: 'Về việc rà soát',
    tasks: [
      {
        ...blankRawTask(),
        title: 'Nhiệm vụ một',
        lead: String(s.a),
        coordinators: [String(s.b)],
        leader: String(s.leader),
        deadline: '30/04/2026',
      },
      {
        ...blankRawTask(),
        title: 'Nhiệm vụ hai',
        lead: String(s.b),
        leader: String(s.leader),
        noDeadline: true,
        noDeadlineReason: 'Thường xuyên',
      },
      blankRawTask(),
    ],
    ...over,
  });

  it('validates, then writes the document and its tasks in one go', () => {
    const s = setup();
    const v = validateDocumentInput(s.db, raw(s), '2026-02-10');
    expect(v.errors).toEqual({});
    expect(v.warnings).toHaveLength(1);
    const out = createDocumentWithTasks({ db: s.db, env: s.env, now: at('2026-02-10') }, s.specialist, v.value!, null);
    expect(out.codes).toEqual(['NV-2026-00002', 'NV-2026-00003']);
    expect(s.db.prepare('SELECT number FROM documents').pluck().get()).toBe('1147/UBND-KSTT');
  });

  it('errors per field; nothing written', () => {
    const s = setup();
    s.db.prepare('UPDATE agencies SET dissolved_on = ? WHERE id = ?').run('2026-01-01', s.b);
    const r = raw(s, { number: '1147 UBND', issuedOn: '31/02/2026' });
    r.tasks[1]!.noDeadlineReason = '';
    const v = validateDocumentInput(s.db, r, '2026-02-10');
    expect(Object.keys(v.errors).sort()).toEqual([
      'issued_on',
      'number',
      't0_coordinators',
      't1_lead',
      't1_no_deadline_reason',
    ]);
    expect(v.value).toBeNull();
  });

  it('a failure inside the transaction rolls back the document, earlier tasks and the file', async () => {
    const s = setup();
    const v = validateDocumentInput(s.db, raw(s), '2026-02-10');
    v.value!.tasks[1]!.title = ' '; // createTask refuses the second task
    const pdf = await acceptUpload(new File([samplePdf()], 'cv.pdf'), { maxBytes: 1e6 });
    expect(() =>
      createDocumentWithTasks({ db: s.db, env: s.env, now: at('2026-02-10') }, s.specialist, v.value!, pdf),
    ).toThrow(DomainError);
    expect(s.db.prepare('SELECT count(*) FROM documents').pluck().get()).toBe(0);
    expect(s.db.prepare('SELECT count(*) FROM tasks').pluck().get()).toBe(1);
    expect(s.db.prepare('SELECT count(*) FROM files').pluck().get()).toBe(0);
    expect(readdirSync(s.env.uploadDir)).toEqual([]);
  });
});
