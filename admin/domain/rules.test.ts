import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openDatabase, type DB } from '../db/open.ts';
import { DomainError } from './rules.ts';
import { appendEvent, createTask, factsFromRow, getTask, listEvents, type AppendEventInput } from './tasks.ts';
import { computeStats } from './stats.ts';
import {
  addToCounts,
  classifyAsOf,
  deriveFacts,
  emptyCounts,
  EVENT_KINDS,
  finishCounts,
  type EventLite,
} from './status.ts';
import { FACTS_COLUMNS, type FactsRow } from './tasks.ts';
import { addDays } from './dates.ts';

let db: DB;
let A: number;
let B: number;

function addAgency(d: DB, code: string, name: string): number {
  return Number(
    d.prepare("INSERT INTO agencies (code, name, kind) VALUES (?, ?, 'department')").run(code, name).lastInsertRowid,
  );
}

function newTask(deadline: string | null = '2026-01-31', assignedOn = '2026-01-05'): number {
  return createTask(db, {
    title: 'Rà soát thủ tục hành chính',
    leadAgencyId: A,
    assignedOn,
    deadline,
    noDeadlineReason: deadline === null ? 'Nhiệm vụ thường xuyên' : null,
  });
}

function eventCount(taskId: number): number {
  return listEvents(db, taskId).length;
}

/** Expects a refusal with this message fragment, and that nothing was written. */
function expectRefused(taskId: number, input: AppendEventInput, message: string | RegExp): void {
  const before = { events: eventCount(taskId), row: getTask(db, taskId) };
  let error: unknown;
  try {
    appendEvent(db, taskId, input);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).message).toMatch(message);
  expect(eventCount(taskId)).toBe(before.events);
  expect(getTask(db, taskId)).toEqual(before.row);
}

beforeEach(() => {
  db = openDatabase(':memory:');
  A = addAgency(db, 'STC', 'Sở Tài chính');
  B = addAgency(db, 'SKHDT', 'Sở Kế hoạch và Đầu tư');
});

describe('createTask', () => {
  it('refuses a task without a deadline unless a reason is given', () => {
    expect(() => createTask(db, { title: 'X', leadAgencyId: A, assignedOn: '2026-01-05', deadline: null })).toThrow(
      /không có thời hạn cần ghi rõ lý do/,
    );
    expect(db.prepare('SELECT count(*) AS n FROM tasks').get()).toEqual({ n: 0 });
    const id = newTask(null);
    expect(getTask(db, id)!.no_deadline_reason).toBe('Nhiệm vụ thường xuyên');
  });

  it('refuses a deadline before the assignment and an empty title', () => {
    expect(() => newTask('2026-01-04')).toThrow(/Thời hạn không được trước ngày giao/);
    expect(() =>
      createTask(db, { title: '  ', leadAgencyId: A, assignedOn: '2026-01-05', deadline: null, noDeadlineReason: 'x' }),
    ).toThrow(/Cần nhập tên nhiệm vụ/);
    expect(db.prepare('SELECT count(*) AS n FROM tasks').get()).toEqual({ n: 0 });
  });

  it('gives stable yearly codes and writes the assigned event', () => {
    const a = newTask();
    const b = newTask();
    expect(getTask(db, a)!.code).toBe('NV-2026-00001');
    expect(getTask(db, b)!.code).toBe('NV-2026-00002');
    expect(listEvents(db, a).map((e) => e.kind)).toEqual(['assigned']);
  });
});

describe('appendEvent — the rules', () => {
  it('allows one extension; a second request is refused with the message, even after a rejection', () => {
    const t = newTask();
    appendEvent(db, t, { kind: 'extension_requested', occurredOn: '2026-01-20', data: { newDeadline: '2026-02-28' } });
    appendEvent(db, t, { kind: 'extension_approved', occurredOn: '2026-01-22', data: { newDeadline: '2026-02-28' } });
    expect(getTask(db, t)!.ext_deadline).toBe('2026-02-28');
    expect(getTask(db, t)!.deadline).toBe('2026-01-31'); // the original deadline stays on record
    expectRefused(
      t,
      { kind: 'extension_requested', occurredOn: '2026-02-01' },
      'Mỗi nhiệm vụ chỉ được gia hạn tối đa một lần',
    );

    const r = newTask();
    appendEvent(db, r, { kind: 'extension_requested', occurredOn: '2026-01-20' });
    appendEvent(db, r, { kind: 'extension_rejected', occurredOn: '2026-01-21', note: 'Không có căn cứ' });
    expectRefused(r, { kind: 'extension_requested', occurredOn: '2026-01-22' }, /gia hạn tối đa một lần/);
  });

  it('refuses approving without a pending request, without a new deadline, or with one not after the original', () => {
    const t = newTask();
    expectRefused(
      t,
      { kind: 'extension_approved', occurredOn: '2026-01-10', data: { newDeadline: '2026-03-01' } },
      /Không có đề nghị gia hạn/,
    );
    appendEvent(db, t, { kind: 'extension_requested', occurredOn: '2026-01-10' });
    expectRefused(t, { kind: 'extension_approved', occurredOn: '2026-01-11' }, /Cần nhập thời hạn mới/);
    expectRefused(
      t,
      { kind: 'extension_approved', occurredOn: '2026-01-11', data: { newDeadline: '2026-01-31' } },
      /phải sau thời hạn ban đầu/,
    );
    expectRefused(t, { kind: 'extension_rejected', occurredOn: '2026-01-11' }, /lý do không đồng ý/);
  });

  it('an extension approved after the original deadline is accepted and applies from its day', () => {
    const t = newTask();
    appendEvent(db, t, { kind: 'extension_requested', occurredOn: '2026-01-30' });
    appendEvent(db, t, { kind: 'extension_approved', occurredOn: '2026-02-05', data: { newDeadline: '2026-02-20' } });
    const f = factsFromRow(getTask(db, t)!);
    expect(classifyAsOf(f, '2026-02-04').category).toBe('overdue');
    expect(classifyAsOf(f, '2026-02-05').category).toBe('inProgress');
  });

  it('refuses approving a pending extension once the task is completed (a rejection is still recorded)', () => {
    const t = newTask();
    appendEvent(db, t, { kind: 'extension_requested', occurredOn: '2026-01-28' });
    // the deadline 31/01/2026 is a Saturday: it ends on Monday 02/02, so a report on 03/02 is late
    appendEvent(db, t, { kind: 'reported', occurredOn: '2026-02-03' });
    appendEvent(db, t, { kind: 'confirmed', occurredOn: '2026-02-03' });
    expectRefused(
      t,
      { kind: 'extension_approved', occurredOn: '2026-02-04', data: { newDeadline: '2026-02-28' } },
      'Nhiệm vụ đã hoàn thành; không thể đồng ý gia hạn.',
    );
    expect(classifyAsOf(factsFromRow(getTask(db, t)!), '2026-03-01').category).toBe('completedLate');
    appendEvent(db, t, { kind: 'extension_rejected', occurredOn: '2026-02-04', note: 'Đã hoàn thành' });
  });

  it('refuses extension on a task without a deadline', () => {
    const t = newTask(null);
    expectRefused(t, { kind: 'extension_requested', occurredOn: '2026-01-10' }, /không có thời hạn; không cần gia hạn/);
  });

  it('confirmation needs a pending result report; a returned report needs a reason and does not complete', () => {
    const t = newTask();
    expectRefused(
      t,
      { kind: 'confirmed', occurredOn: '2026-01-10' },
      'Chỉ xác nhận hoàn thành khi đơn vị đã gửi báo cáo kết quả.',
    );
    appendEvent(db, t, { kind: 'reported', occurredOn: '2026-01-10' });
    expectRefused(t, { kind: 'reported', occurredOn: '2026-01-11' }, /đang chờ xác nhận/);
    expectRefused(t, { kind: 'returned', occurredOn: '2026-01-11' }, /lý do trả lại/);
    appendEvent(db, t, { kind: 'returned', occurredOn: '2026-01-11', note: 'Thiếu phụ lục' });
    expect(getTask(db, t)!.completed_on).toBeNull();
    expectRefused(t, { kind: 'confirmed', occurredOn: '2026-01-12' }, /đã gửi báo cáo kết quả/);
    appendEvent(db, t, { kind: 'reported', occurredOn: '2026-01-15' });
    appendEvent(db, t, { kind: 'confirmed', occurredOn: '2026-01-16' });
    expect(getTask(db, t)).toMatchObject({ completed_on: '2026-01-15', confirmed_on: '2026-01-16', reported_on: null });
  });

  it('a completed task refuses progress, new reports, extensions, reassignment and cancellation', () => {
    const t = newTask();
    appendEvent(db, t, { kind: 'reported', occurredOn: '2026-01-10' });
    appendEvent(db, t, { kind: 'confirmed', occurredOn: '2026-01-10' });
    expectRefused(t, { kind: 'progress', occurredOn: '2026-01-11' }, /đã hoàn thành/);
    expectRefused(t, { kind: 'reported', occurredOn: '2026-01-11' }, /đã được xác nhận hoàn thành/);
    expectRefused(t, { kind: 'extension_requested', occurredOn: '2026-01-11' }, /đã hoàn thành/);
    expectRefused(t, { kind: 'reassigned', occurredOn: '2026-01-11', data: { toAgencyId: B } }, /đã hoàn thành/);
    expectRefused(t, { kind: 'cancelled', occurredOn: '2026-01-11', note: 'x' }, /đã hoàn thành/);
  });

  it('a cancelled task refuses every update but a correction', () => {
    const t = newTask();
    expectRefused(t, { kind: 'cancelled', occurredOn: '2026-01-10' }, /lý do thu hồi/);
    appendEvent(db, t, { kind: 'cancelled', occurredOn: '2026-01-10', note: 'Văn bản bị thay thế' });
    for (const kind of ['received', 'progress', 'reported', 'urged', 'extension_requested', 'cancelled'] as const) {
      expectRefused(
        t,
        { kind, occurredOn: '2026-01-12', note: 'x' },
        'Nhiệm vụ đã bị thu hồi; không thể cập nhật thêm.',
      );
    }
    appendEvent(db, t, { kind: 'corrected', occurredOn: '2026-01-12', note: 'Sửa lỗi chính tả' });
  });

  it('refuses events before the assignment or before the latest event', () => {
    const t = newTask();
    expectRefused(t, { kind: 'received', occurredOn: '2026-01-04' }, /trước ngày giao/);
    appendEvent(db, t, { kind: 'progress', occurredOn: '2026-01-10' });
    expectRefused(t, { kind: 'received', occurredOn: '2026-01-09' }, /không ghi lùi/);
    appendEvent(db, t, { kind: 'received', occurredOn: '2026-01-10' });
    expectRefused(t, { kind: 'received', occurredOn: '2026-01-11' }, /đã xác nhận tiếp nhận/);
    expectRefused(t, { kind: 'assigned', occurredOn: '2026-01-11' }, /đã được giao/);
  });

  it('an explanation is accepted only when the task is late, and needs text', () => {
    const t = newTask();
    expectRefused(t, { kind: 'explanation_submitted', occurredOn: '2026-01-20', note: 'Lý do' }, /Chỉ giải trình khi/);
    // the deadline 31/01/2026 is a Saturday: Monday 02/02 is still in time, late from 03/02
    expectRefused(t, { kind: 'explanation_submitted', occurredOn: '2026-02-02', note: 'Lý do' }, /Chỉ giải trình khi/);
    expectRefused(t, { kind: 'explanation_submitted', occurredOn: '2026-02-03' }, /nội dung giải trình/);
    appendEvent(db, t, { kind: 'explanation_submitted', occurredOn: '2026-02-03', note: 'Chờ ý kiến Bộ Tài chính' });
    expect(getTask(db, t)!.explained_on).toBe('2026-02-03');
    // a report submitted late and still awaiting confirmation may be explained too
    const u = newTask();
    appendEvent(db, u, { kind: 'reported', occurredOn: '2026-02-03' });
    appendEvent(db, u, { kind: 'explanation_submitted', occurredOn: '2026-02-03', note: 'Chậm do thiếu số liệu' });
  });

  it('reassignment (merge) moves the task from its day; earlier statistics keep the old agency', () => {
    const t = newTask();
    expectRefused(t, { kind: 'reassigned', occurredOn: '2026-01-15', data: { toAgencyId: A } }, /đã thuộc đơn vị này/);
    expectRefused(
      t,
      { kind: 'reassigned', occurredOn: '2026-01-15', data: { toAgencyId: 999 } },
      /Không tìm thấy đơn vị/,
    );
    expectRefused(t, { kind: 'reassigned', occurredOn: '2026-01-15' }, /Cần chọn đơn vị/);
    appendEvent(db, t, { kind: 'reassigned', occurredOn: '2026-01-15', data: { toAgencyId: B } });
    expect(getTask(db, t)!.lead_agency_id).toBe(B);
    expect(JSON.parse(listEvents(db, t)[1]!.data)).toEqual({ toAgencyId: B, fromAgencyId: A });
    const before = computeStats(db, '2026-01-14');
    expect(before.agencies.map((a) => [a.code, a.total])).toEqual([['STC', 1]]);
    const after = computeStats(db, '2026-01-15');
    expect(after.agencies.map((a) => [a.code, a.total])).toEqual([['SKHDT', 1]]);
    expect(computeStats(db, '2026-01-14', { agencyId: A }).totals.total).toBe(1);
    expect(computeStats(db, '2026-01-14', { agencyId: B }).totals.total).toBe(0);
    expect(computeStats(db, '2026-01-15', { agencyId: B }).totals.total).toBe(1);
  });

  it('the append-only log refuses UPDATE and DELETE', () => {
    const t = newTask();
    expect(() => db.prepare("UPDATE task_events SET note = 'x' WHERE task_id = ?").run(t)).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM task_events WHERE task_id = ?').run(t)).toThrow(/append-only/);
  });
});

// Random walks through the rules: whatever sequence of proposals arrives, the accepted history keeps the invariants.
describe('random walks through appendEvent (fast-check)', () => {
  const proposal = fc.record({
    task: fc.nat(),
    kind: fc.constantFrom(...EVENT_KINDS),
    step: fc.integer({ min: 0, max: 20 }),
    ext: fc.integer({ min: 1, max: 60 }),
    agency: fc.integer({ min: 0, max: 2 }),
    note: fc.constantFrom('', 'Lý do'),
  });

  it('stored facts equal facts re-derived from the events; per-agency counts sum to the totals; at most one extension', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            day: fc.integer({ min: 0, max: 60 }),
            dl: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
            ag: fc.integer({ min: 0, max: 2 }),
            secret: fc.boolean(),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        fc.array(proposal, { maxLength: 40 }),
        fc.integer({ min: 0, max: 200 }),
        (taskSpecs, proposals, cutoffDay) => {
          const d = openDatabase(':memory:');
          const agencies = [
            addAgency(d, 'STC', 'Sở Tài chính'),
            addAgency(d, 'SNV', 'Sở Nội vụ'),
            addAgency(d, 'SYT', 'Sở Y tế'),
          ];
          const ids = taskSpecs.map((s) => {
            const assignedOn = addDays('2026-01-01', s.day);
            return createTask(d, {
              title: 'Nhiệm vụ',
              leadAgencyId: agencies[s.ag]!,
              assignedOn,
              deadline: s.dl === null ? null : addDays(assignedOn, s.dl),
              noDeadlineReason: 'Thường xuyên',
              confidential: s.secret,
            });
          });
          for (const p of proposals) {
            const id = ids[p.task % ids.length]!;
            const t = getTask(d, id)!;
            const occurredOn = addDays(t.last_event_on ?? t.assigned_on, p.step);
            const before = listEvents(d, id).length;
            try {
              appendEvent(d, id, {
                kind: p.kind,
                occurredOn,
                note: p.note,
                data:
                  p.kind === 'reassigned'
                    ? { toAgencyId: agencies[p.agency]! }
                    : p.kind.startsWith('extension')
                      ? { newDeadline: addDays(t.deadline ?? t.assigned_on, p.ext) }
                      : {},
              });
            } catch (e) {
              if (!(e instanceof DomainError)) throw e;
              expect(listEvents(d, id).length).toBe(before);
            }
          }
          for (const id of ids) {
            const t = getTask(d, id)!;
            const events = listEvents(d, id);
            const lite: EventLite[] = events.map((e) => ({
              id: e.id,
              kind: e.kind,
              occurredOn: e.occurred_on,
              data: JSON.parse(e.data),
            }));
            const derived = deriveFacts(
              { assignedOn: t.assigned_on, deadline: t.deadline, leadAgencyId: events[0]!.agency_id! },
              lite,
            );
            expect(factsFromRow(t)).toEqual(derived);
            expect(events.filter((e) => e.kind === 'extension_approved').length).toBeLessThanOrEqual(1);
            expect(events.filter((e) => e.kind === 'extension_requested').length).toBeLessThanOrEqual(1);
          }
          const asOf = addDays('2026-01-01', cutoffDay);
          const stats = computeStats(d, asOf);
          const keys = [
            'total',
            'completedOnTime',
            'completedLate',
            'inProgress',
            'overdue',
            'noDeadline',
            'awaitingConfirmation',
            'due',
            'dueSoon',
            'overdueOver30',
          ] as const;
          for (const k of keys) expect(stats.agencies.reduce((s, a) => s + a[k], 0)).toBe(stats.totals[k]);
          // the SQL fast path for settled tasks gives exactly what classifying every row does
          const naive = emptyCounts();
          for (const r of d.prepare(`SELECT ${FACTS_COLUMNS} FROM tasks`).all() as FactsRow[])
            addToCounts(naive, classifyAsOf(factsFromRow(r), asOf));
          expect(stats.totals).toEqual(finishCounts(naive));
          const naivePublic = emptyCounts();
          for (const r of d.prepare(`SELECT ${FACTS_COLUMNS} FROM tasks WHERE confidential = 0`).all() as FactsRow[]) {
            addToCounts(naivePublic, classifyAsOf(factsFromRow(r), asOf));
          }
          expect(computeStats(d, asOf, { publicOnly: true }).totals).toEqual(finishCounts(naivePublic));
          for (const a of stats.agencies) {
            const one = computeStats(d, asOf, { agencyId: a.agencyId });
            for (const k of keys) expect(one.totals[k]).toBe(a[k]);
          }
          d.close();
        },
      ),
      { numRuns: 150 },
    );
  });
});
