import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { openDatabase, type DB } from '../db/open.ts';
import { generateProvince, type GenerateSummary } from './generate.ts';
import { computeStats } from '../domain/stats.ts';
import { checkEvent, extensionContext } from '../domain/rules.ts';
import { deriveFacts, type EventKind, type EventLite } from '../domain/status.ts';
import { appendEvent, createTask, factsToColumns, getTask, type EventRow, type TaskRow } from '../domain/tasks.ts';
import { summarizeProvince } from './summary.ts';

function dump(db: DB): string {
  const h = createHash('sha256');
  for (const table of ['agencies', 'leaders', 'sectors', 'documents', 'tasks', 'task_coordinators', 'task_events']) {
    for (const row of db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).raw().iterate()) h.update(JSON.stringify(row));
  }
  return h.digest('hex');
}

function lite(e: EventRow): EventLite {
  return { id: e.id, kind: e.kind, occurredOn: e.occurred_on, data: JSON.parse(e.data) as EventLite['data'] };
}

describe('generateProvince with the clock of the run', () => {
  it('records nothing after the moment it runs: events of the run day get times at or before now', () => {
    const now = new Date('2026-10-30T02:00:00.000Z'); // 09:00 in Asia/Ho_Chi_Minh
    const db = openDatabase(':memory:');
    generateProvince(db, { years: 1, seed: 'clock', endDate: '2026-10-30', now });
    const latest = db
      .prepare(
        `SELECT max(t) FROM (SELECT max(recorded_at) AS t FROM task_events UNION ALL SELECT max(created_at) FROM tasks
           UNION ALL SELECT max(last_update_at) FROM tasks UNION ALL SELECT max(created_at) FROM documents)`,
      )
      .pluck()
      .get() as string;
    expect(latest <= now.toISOString()).toBe(true);
    // the run day does have events (the test would prove nothing otherwise)
    const today = db
      .prepare("SELECT count(*) FROM task_events WHERE occurred_on = '2026-10-30'")
      .pluck()
      .get() as number;
    expect(today).toBeGreaterThan(0);
    db.close();
  });
});

describe('generateProvince', () => {
  let db: DB;
  let summary: GenerateSummary;
  let tasks: TaskRow[];
  let eventsByTask: Map<number, EventRow[]>;

  beforeAll(() => {
    db = openDatabase(':memory:');
    summary = generateProvince(db, { years: 2, seed: 'test', endDate: '2026-10-31' });
    tasks = db.prepare('SELECT * FROM tasks ORDER BY id').all() as TaskRow[];
    eventsByTask = new Map();
    for (const e of db.prepare('SELECT * FROM task_events ORDER BY task_id, occurred_on, id').all() as EventRow[]) {
      let list = eventsByTask.get(e.task_id);
      if (!list) eventsByTask.set(e.task_id, (list = []));
      list.push(e);
    }
  });

  it('is deterministic: same (years, seed, endDate) ⇒ same data; another seed ⇒ other data', () => {
    const a = openDatabase(':memory:');
    const b = openDatabase(':memory:');
    const c = openDatabase(':memory:');
    generateProvince(a, { years: 1, seed: 42 });
    generateProvince(b, { years: 1, seed: 42 });
    generateProvince(c, { years: 1, seed: 43 });
    expect(dump(a)).toBe(dump(b));
    expect(dump(a)).not.toBe(dump(c));
  });

  it('refuses a database that already has data', () => {
    expect(() => generateProvince(db, { years: 1, seed: 1 })).toThrow(/đã có dữ liệu/);
  });

  it('covers the period and reports what it wrote', () => {
    expect(summary.from).toBe('2024-11-01');
    expect(summary.to).toBe('2026-10-31');
    expect(summary.tasks).toBe(tasks.length);
    expect(summary.events).toBe((db.prepare('SELECT count(*) AS n FROM task_events').get() as { n: number }).n);
    expect(tasks.every((t) => t.assigned_on >= summary.from && t.assigned_on <= summary.to)).toBe(true);
    expect(db.prepare('SELECT max(occurred_on) AS m FROM task_events').get()).toEqual({
      m: expect.stringMatching(/^2026-10-/),
    });
  });

  it('has at least 42 units of every kind, short ASCII codes, the Chairman and Vice-Chairmen, sectors', () => {
    const agencies = db.prepare('SELECT code, name, kind FROM agencies').all() as Array<{
      code: string;
      name: string;
      kind: string;
    }>;
    expect(agencies.length).toBeGreaterThanOrEqual(42);
    expect(new Set(agencies.map((a) => a.kind))).toEqual(
      new Set(['department', 'district', 'commune', 'central', 'other']),
    );
    for (const a of agencies) expect(a.code).toMatch(/^[A-Z]{2,10}$/);
    const names = agencies.map((a) => a.name);
    for (const n of [
      'Sở Tài chính',
      'Sở Kế hoạch và Đầu tư',
      'Sở Nội vụ',
      'Cục Thuế tỉnh',
      'Kho bạc Nhà nước tỉnh',
      'Bảo hiểm xã hội tỉnh',
      'Công an tỉnh',
    ]) {
      expect(names).toContain(n);
    }
    expect(names.some((n) => n.startsWith('UBND huyện'))).toBe(true);
    expect(names.some((n) => n.startsWith('UBND xã') || n.startsWith('UBND phường'))).toBe(true);
    const titles = (db.prepare('SELECT title FROM leaders').all() as Array<{ title: string }>).map((l) => l.title);
    expect(titles.filter((t) => t === 'Chủ tịch UBND tỉnh')).toHaveLength(1);
    expect(titles.filter((t) => t.startsWith('Phó Chủ tịch')).length).toBeGreaterThanOrEqual(2);
    expect((db.prepare('SELECT count(*) AS n FROM sectors').get() as { n: number }).n).toBeGreaterThanOrEqual(8);
  });

  it('writes directive documents with real number shapes, each yielding 1–5 tasks', () => {
    const docs = db
      .prepare(
        'SELECT d.number, d.doc_type, count(t.id) AS n FROM documents d JOIN tasks t ON t.document_id = d.id GROUP BY d.id',
      )
      .all() as Array<{
      number: string;
      doc_type: string;
      n: number;
    }>;
    const shapes: Record<string, RegExp> = {
      'Công văn': /^\d+\/UBND-[A-Z]+$/,
      'Quyết định': /^\d+\/QĐ-UBND$/,
      'Thông báo kết luận': /^\d+\/TB-UBND$/,
      'Chỉ thị': /^\d+\/CT-UBND$/,
      'Kế hoạch': /^\d+\/KH-UBND$/,
    };
    expect(new Set(docs.map((d) => d.doc_type))).toEqual(new Set(Object.keys(shapes)));
    for (const d of docs) {
      expect(d.number).toMatch(shapes[d.doc_type]!);
      expect(d.n).toBeGreaterThanOrEqual(1);
      expect(d.n).toBeLessThanOrEqual(5);
    }
  });

  it('has about 3,000 tasks a year with the expected mix of histories', () => {
    expect(tasks.length / 2).toBeGreaterThan(2500);
    expect(tasks.length / 2).toBeLessThan(3800);
    const share = (p: (t: TaskRow) => boolean) => tasks.filter(p).length / tasks.length;
    expect(share((t) => t.deadline === null)).toBeGreaterThan(0.03);
    expect(share((t) => t.deadline === null)).toBeLessThan(0.07);
    expect(tasks.filter((t) => t.deadline === null).every((t) => (t.no_deadline_reason ?? '').length > 0)).toBe(true);
    expect(share((t) => t.confidential === 1)).toBeGreaterThan(0.015);
    expect(share((t) => t.confidential === 1)).toBeLessThan(0.05);
    expect(share((t) => t.starred === 1)).toBeGreaterThan(0.03);
    expect(
      tasks.every((t) => /^NV-\d{4}-\d{5}$/.test(t.code) && t.code.slice(3, 7) === t.assigned_on.slice(0, 4)),
    ).toBe(true);

    const kinds = (
      db.prepare('SELECT kind, count(*) AS n FROM task_events GROUP BY kind').all() as Array<{
        kind: EventKind;
        n: number;
      }>
    ).reduce((m, r) => m.set(r.kind, r.n), new Map<EventKind, number>());
    for (const k of [
      'received',
      'progress',
      'reported',
      'confirmed',
      'returned',
      'extension_requested',
      'extension_approved',
      'extension_rejected',
      'explanation_submitted',
      'urged',
      'reassigned',
      'cancelled',
    ] as const) {
      expect(kinds.get(k) ?? 0, k).toBeGreaterThan(0);
    }
    const twice = db
      .prepare(
        "SELECT task_id FROM task_events WHERE kind = 'extension_requested' GROUP BY task_id HAVING count(*) > 1",
      )
      .all();
    expect(twice).toEqual([]);

    const s = computeStats(db, '2026-10-31').totals;
    expect(s.completedOnTime / s.total).toBeGreaterThan(0.55); // most on time
    expect(s.completedLate).toBeGreaterThan(0);
    expect(s.overdue).toBeGreaterThan(0);
    expect(s.inProgress).toBeGreaterThan(0);
    expect(s.noDeadline).toBeGreaterThan(0);
  });

  it('merges one agency into its successor mid-way, moving its open tasks on that day', () => {
    const merged = db
      .prepare(
        'SELECT a.id, a.merged_on, s.code AS successor, s.id AS sid FROM agencies a JOIN agencies s ON s.id = a.successor_id',
      )
      .all() as Array<{
      id: number;
      merged_on: string;
      successor: string;
      sid: number;
    }>;
    expect(merged).toHaveLength(1);
    const m = merged[0]!;
    expect(m.merged_on).toBe(summary.merged.on);
    expect(m.successor).toBe('STC');
    expect(tasks.filter((t) => t.assigned_on >= m.merged_on && t.lead_agency_id === m.id)).toEqual([]);
    const moves = db.prepare("SELECT occurred_on, data FROM task_events WHERE kind = 'reassigned'").all() as Array<{
      occurred_on: string;
      data: string;
    }>;
    expect(moves.length).toBeGreaterThan(5); // 9 in the sample province since deadlines end on working days (rules v3)
    for (const e of moves) {
      expect(e.occurred_on).toBe(m.merged_on);
      expect(JSON.parse(e.data)).toEqual({ toAgencyId: m.sid, fromAgencyId: m.id });
    }
    const dayBefore = computeStats(db, '2025-02-28', { agencyId: m.id }).totals;
    const onTheDay = computeStats(db, m.merged_on, { agencyId: m.id }).totals;
    expect(dayBefore.inProgress + dayBefore.overdue + dayBefore.noDeadline).toBeGreaterThan(0);
    expect(onTheDay.inProgress + onTheDay.overdue + onTheDay.noDeadline).toBe(0);
    expect(onTheDay.completedOnTime + onTheDay.completedLate).toBeGreaterThan(0); // history stays with the old agency
  });

  it('stores facts equal to those derived from the stored events', () => {
    for (const t of tasks) {
      const events = eventsByTask.get(t.id)!;
      expect(events[0]!.kind).toBe('assigned');
      const facts = deriveFacts(
        { assignedOn: t.assigned_on, deadline: t.deadline, leadAgencyId: events[0]!.agency_id! },
        events.map(lite),
      );
      const cols = factsToColumns(facts);
      for (const [k, v] of Object.entries(cols)) expect([t.code, k, t[k as keyof TaskRow]]).toEqual([t.code, k, v]);
    }
  });

  it('writes only histories the rules accept (every 7th task replayed through checkEvent)', () => {
    let checked = 0;
    for (const t of tasks.filter((_, i) => i % 7 === 0)) {
      const events = eventsByTask.get(t.id)!;
      const base = { assignedOn: t.assigned_on, deadline: t.deadline, leadAgencyId: events[0]!.agency_id! };
      for (let i = 1; i < events.length; i++) {
        const e = events[i]!;
        const facts = deriveFacts(base, events.slice(0, i).map(lite));
        const ctx = extensionContext(events.slice(0, i).map((x) => x.kind));
        expect(
          () =>
            checkEvent(facts, ctx, { kind: e.kind, occurredOn: e.occurred_on, data: JSON.parse(e.data), note: e.note }),
          `${t.code} #${i} ${e.kind}`,
        ).not.toThrow();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5000);
  });

  it('replays a sample through createTask + appendEvent to the same facts', () => {
    const hasKind = (taskId: number, kind: EventKind) => eventsByTask.get(taskId)!.some((e) => e.kind === kind);
    const fresh = openDatabase(':memory:');
    for (const a of db.prepare('SELECT id, code, name, kind FROM agencies ORDER BY id').all() as Array<
      Record<string, unknown>
    >) {
      fresh.prepare('INSERT INTO agencies (id, code, name, kind) VALUES (@id, @code, @name, @kind)').run(a);
    }
    for (const t of tasks.filter((x, i) => i % 40 === 0 || hasKind(x.id, 'reassigned') || hasKind(x.id, 'returned'))) {
      const events = eventsByTask.get(t.id)!;
      const id = createTask(fresh, {
        code: t.code,
        title: t.title,
        leadAgencyId: events[0]!.agency_id!,
        assignedOn: t.assigned_on,
        deadline: t.deadline,
        noDeadlineReason: t.no_deadline_reason,
      });
      for (const e of events.slice(1)) {
        const data = JSON.parse(e.data) as { toAgencyId?: number; newDeadline?: string };
        appendEvent(fresh, id, {
          kind: e.kind,
          occurredOn: e.occurred_on,
          note: e.note,
          data: e.kind === 'reassigned' ? { toAgencyId: data.toAgencyId } : data,
        });
      }
      const replayed = getTask(fresh, id)!;
      for (const k of [
        'lead_agency_id',
        'received_on',
        'ext_approved_on',
        'ext_deadline',
        'reported_on',
        'completed_on',
        'confirmed_on',
        'cancelled_on',
        'explained_on',
        'report_windows',
        'agency_history',
        'settled_on',
        'settled_category',
      ] as const) {
        expect([t.code, k, replayed[k]]).toEqual([t.code, k, t[k]]);
      }
    }
  });

  it('summarizes the province in Vietnamese', () => {
    const text = summarizeProvince(db, '2026-10-31');
    expect(text).toContain('61 đơn vị');
    expect(text).toContain('01/11/2024');
    expect(text).toContain('Hoàn thành đúng hạn');
    expect(text).toContain('Đang thực hiện quá hạn');
    expect(text).toContain('31/10/2026');
  });
});
