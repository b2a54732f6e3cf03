/**
 * Splitting an agency (issue 12, "Split"): the mapping proposes, the administrator's choices are applied in one
 * transaction, and every refusal names what blocks it and writes nothing.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '../db/open.ts';
import { appendEvent, createTask, getTask, listEvents } from './tasks.ts';
import { agencyStatus, getAgency } from './agencies.ts';
import { EMPTY_MAPPING, parseSplitMapping, resolveSplitMapping } from './agency-split-mapping.ts';
import { listSplitTasks, proposeSuccessor, splitAgency, SplitError, type SplitInput } from './agency-split.ts';
import { DomainError } from './rules.ts';

const TODAY = '2026-03-02';
const ctx = { actor: null, at: new Date('2026-03-02T02:00:00Z') };

function world() {
  const db = openDatabase(':memory:');
  const ag = db.prepare('INSERT INTO agencies (code, name, kind) VALUES (?, ?, ?)');
  const id = (code: string, name: string, kind: string) => Number(ag.run(code, name, kind).lastInsertRowid);
  const district = id('UBND-HX', 'UBND huyện X', 'district');
  const xa1 = id('XA-1', 'UBND xã Một', 'commune');
  const xa2 = id('XA-2', 'UBND xã Hai', 'commune');
  const dept = id('SXD', 'Sở Xây dựng', 'department');
  const merged = id('SGTVT', 'Sở Giao thông vận tải', 'department');
  db.prepare('UPDATE agencies SET successor_id = ?, merged_on = ? WHERE id = ?').run(dept, '2026-01-15', merged);
  const sec = db.prepare('INSERT INTO sectors (code, name) VALUES (?, ?)');
  const dat = Number(sec.run('DD', 'Đất đai').lastInsertRowid);
  const gt = Number(sec.run('GT', 'Giao thông').lastInsertRowid);
  const mk = (title: string, sectorId: number | null, lead = district, assignedOn = '2026-01-10') =>
    createTask(db, { title, leadAgencyId: lead, sectorId, assignedOn, deadline: '2026-06-30' });
  const t1 = mk('Giải phóng mặt bằng', dat);
  const t2 = mk('Sửa đường liên xã', gt);
  const t3 = mk('Báo cáo chung', null);
  const done = mk('Đã xong', dat);
  appendEvent(db, done, { kind: 'reported', occurredOn: '2026-01-20' });
  appendEvent(db, done, { kind: 'confirmed', occurredOn: '2026-01-25' });
  const other = mk('Của xã', gt, xa1);
  db.prepare('INSERT INTO task_coordinators (task_id, agency_id) VALUES (?, ?)').run(other, district);
  const user = Number(
    db
      .prepare(
        "INSERT INTO users (username, display_name, role, agency_id, password_hash) VALUES ('cb-hx', 'Cán bộ', 'agency', ?, 'x')",
      )
      .run(district).lastInsertRowid,
  );
  return { db, district, xa1, xa2, dept, merged, dat, gt, t1, t2, t3, done, other, user };
}
type World = ReturnType<typeof world>;

const input = (w: World, over: Partial<SplitInput> = {}): SplitInput => ({
  fromId: w.district,
  on: '2026-02-01',
  assignments: [
    { taskId: w.t1, toId: w.xa1 },
    { taskId: w.t2, toId: w.dept },
    { taskId: w.t3, toId: w.xa2 },
  ],
  usersPolicy: 'disable',
  usersToId: null,
  mapping: EMPTY_MAPPING,
  defaultId: null,
  reason: 'Quyết định 123/QĐ-UBND sắp xếp đơn vị hành chính',
  ...over,
});

const fingerprint = (db: DB) =>
  JSON.stringify([
    db.prepare('SELECT * FROM agencies ORDER BY id').all(),
    db.prepare('SELECT id, lead_agency_id, agency_history, last_event_on FROM tasks ORDER BY id').all(),
    db.prepare('SELECT * FROM task_coordinators ORDER BY task_id, agency_id').all(),
    db.prepare('SELECT id, agency_id, disabled FROM users ORDER BY id').all(),
    db.prepare('SELECT count(*) AS n FROM task_events').get(),
    db.prepare('SELECT count(*) AS n FROM audit_log').get(),
  ]);

describe('split mapping', () => {
  it('reads sector lines, successor-only lines (a commune list), a header, comments and a BOM', () => {
    const lines = parseSplitMapping('\uFEFFsector_code,successor_code\nDD,XA-1\n# communes\n,xa-2\nSXD\n\n');
    expect(lines).toEqual([
      { line: 2, sectorCode: 'DD', successorCode: 'XA-1' },
      { line: 4, sectorCode: null, successorCode: 'XA-2' },
      { line: 5, sectorCode: null, successorCode: 'SXD' },
    ]);
    const w = world();
    const m = resolveSplitMapping(w.db, w.district, lines);
    expect([...m.bySector]).toEqual([[w.dat, w.xa1]]);
    expect(m.successors).toEqual([w.xa1, w.xa2, w.dept]);
  });

  it.each([
    ['DD,XA-1,thừa\n', /Dòng 1: cần tối đa 2 cột/],
    ['DD,XA-1\nGT,\n', /Dòng 2: thiếu mã đơn vị tiếp nhận/],
    ['DD,XA-1\nDD,XA-2\n', /Dòng 2: lĩnh vực DD đã được gán ở dòng 1/],
    ['DD,"XA-1\n', /Dòng \d+ của bảng ánh xạ không đọc được/],
    ['DD,xã một\n', /Dòng 1: mã đơn vị tiếp nhận "xã một" không hợp lệ/],
    ['a\u0000b', /không phải tệp văn bản/],
  ])('refuses a malformed mapping %j, naming the line', (text, message) => {
    expect(() => parseSplitMapping(text)).toThrow(message);
  });

  it.each([
    ['DD,XA-9', /Dòng 1: không có đơn vị mã XA-9/],
    ['\nXX,XA-1', /Dòng 2: không có lĩnh vực mã XX/],
    ['DD,UBND-HX', /Dòng 1: UBND huyện X là đơn vị đang chia tách/],
    ['GT,SGTVT', /Dòng 1: Sở Giao thông vận tải không còn hoạt động/],
  ])('refuses a mapping line %j that names no usable sector or successor', (text, message) => {
    const w = world();
    expect(() => resolveSplitMapping(w.db, w.district, parseSplitMapping(text))).toThrow(message);
  });

  it('proposes by sector, else the default, else nothing', () => {
    const w = world();
    const m = resolveSplitMapping(w.db, w.district, parseSplitMapping('DD,XA-1\nGT,SXD'));
    const tasks = listSplitTasks(w.db, w.district);
    expect(tasks.map((t) => t.id)).toEqual([w.t1, w.t2, w.t3]); // the completed task is not offered
    expect(tasks.map((t) => proposeSuccessor(t.sectorId, m, null))).toEqual([w.xa1, w.dept, null]);
    expect(tasks.map((t) => proposeSuccessor(t.sectorId, m, w.xa2))).toEqual([w.xa1, w.dept, w.xa2]);
  });
});

describe('splitAgency', () => {
  it('moves each open task to its successor on D, ends the agency, locks the accounts, audits with the reason', () => {
    const w = world();
    const mapping = resolveSplitMapping(w.db, w.district, parseSplitMapping('GT,XA-2'));
    const r = splitAgency(w.db, input(w, { mapping }), ctx, TODAY);
    expect(r).toMatchObject({ tasksMoved: 3, coordinationsMoved: 1, usersDisabled: 1, usersMoved: 0 });
    expect(getTask(w.db, w.t1)!.lead_agency_id).toBe(w.xa1);
    expect(getTask(w.db, w.t2)!.lead_agency_id).toBe(w.dept);
    expect(getTask(w.db, w.t3)!.lead_agency_id).toBe(w.xa2);
    expect(getTask(w.db, w.done)!.lead_agency_id).toBe(w.district); // completed work stays where it was done
    const ev = listEvents(w.db, w.t1).at(-1)!;
    expect(ev).toMatchObject({ kind: 'reassigned', occurred_on: '2026-02-01', agency_id: w.xa1 });
    expect(ev.note).toBe('Chuyển nhiệm vụ do chia tách UBND huyện X; UBND xã Một tiếp nhận.');
    const a = getAgency(w.db, w.district)!;
    expect(a.dissolved_on).toBe('2026-02-01');
    expect(agencyStatus(a)).toBe('dissolved');
    // the district's coordination on the commune's open task follows the sector mapping (GT → XA-2)
    expect(w.db.prepare('SELECT agency_id FROM task_coordinators WHERE task_id = ?').all(w.other)).toEqual([
      { agency_id: w.xa2 },
    ]);
    expect(w.db.prepare('SELECT disabled FROM users WHERE id = ?').get(w.user)).toEqual({ disabled: 1 });
    const audit = w.db.prepare("SELECT details FROM audit_log WHERE action = 'agency.split'").get() as {
      details: string;
    };
    expect(JSON.parse(audit.details)).toMatchObject({
      on: '2026-02-01',
      reason: 'Quyết định 123/QĐ-UBND sắp xếp đơn vị hành chính',
      tasksMoved: 3,
    });
  });

  it('moves the accounts to one chosen successor when asked, ending their sessions', () => {
    const w = world();
    w.db
      .prepare("INSERT INTO sessions (id, secret_hash, user_id, created_at, last_seen_at) VALUES ('h', x'00', ?, 0, 0)")
      .run(w.user);
    const r = splitAgency(w.db, input(w, { usersPolicy: 'move', usersToId: w.xa1 }), ctx, TODAY);
    expect(r).toMatchObject({ usersMoved: 1, usersDisabled: 0, coordinationsDropped: 1 });
    expect(w.db.prepare('SELECT agency_id, disabled FROM users WHERE id = ?').get(w.user)).toEqual({
      agency_id: w.xa1,
      disabled: 0,
    });
    expect(w.db.prepare('SELECT count(*) AS n FROM sessions WHERE user_id = ?').get(w.user)).toEqual({ n: 0 });
  });

  const refusals: Array<[string, (w: World) => Partial<SplitInput>, string, RegExp]> = [
    ['D in the future', () => ({ on: '2026-03-03' }), 'on', /03\/03\/2026 ở tương lai/],
    ['a malformed D', () => ({ on: '2026-02-30' }), 'on', /không hợp lệ/],
    [
      'D before the blocking event',
      () => ({ on: '2026-01-22' }),
      'on',
      /trước sự kiện ngày 25\/01\/2026 của nhiệm vụ NV-2026-00004.*từ 25\/01\/2026/,
    ],
    [
      'a successor that had ended before D',
      (w) => ({ assignments: [...input(w).assignments.slice(0, 2), { taskId: w.t3, toId: w.merged }] }),
      'rows',
      /NV-2026-00003: Sở Giao thông vận tải đã hợp nhất từ ngày 15\/01\/2026, không còn tồn tại vào ngày 01\/02\/2026/,
    ],
    [
      'the agency itself as a successor',
      (w) => ({ assignments: [...input(w).assignments.slice(0, 2), { taskId: w.t3, toId: w.district }] }),
      'rows',
      /UBND huyện X là đơn vị đang chia tách/,
    ],
    [
      'an unknown successor',
      (w) => ({ assignments: [...input(w).assignments.slice(0, 2), { taskId: w.t3, toId: 999 }] }),
      'rows',
      /Không tìm thấy đơn vị tiếp nhận/,
    ],
    [
      'a task left without a successor',
      (w) => ({ assignments: [...input(w).assignments.slice(0, 2), { taskId: w.t3, toId: null }] }),
      'rows',
      /Còn 1 nhiệm vụ chưa có đơn vị tiếp nhận: NV-2026-00003/,
    ],
    [
      'a task missing from the form',
      (w) => ({ assignments: input(w).assignments.slice(0, 2) }),
      'rows',
      /chưa có đơn vị tiếp nhận: NV-2026-00003/,
    ],
    [
      'a completed task in the form',
      (w) => ({ assignments: [...input(w).assignments, { taskId: w.done, toId: w.xa1 }] }),
      'rows',
      /không phải nhiệm vụ đang thực hiện của UBND huyện X: NV-2026-00004/,
    ],
    [
      'another agency’s task in the form',
      (w) => ({ assignments: [...input(w).assignments, { taskId: w.other, toId: w.xa2 }] }),
      'rows',
      /NV-2026-00005/,
    ],
    ['a task id that does not exist', () => ({ unknownTaskIds: ['77'] }), 'rows', /số 77/],
    ['no reason', () => ({ reason: '  ' }), 'reason', /Cần ghi rõ lý do chia tách/],
    ['accounts moved nowhere', () => ({ usersPolicy: 'move', usersToId: null }), 'users_to', /Chọn đơn vị nhận/],
    [
      'accounts moved to an ended agency',
      (w) => ({ usersPolicy: 'move', usersToId: w.merged }),
      'users_to',
      /Tài khoản: Sở Giao thông vận tải đã hợp nhất/,
    ],
  ];

  it.each(refusals)('refuses %s with a message on the right field, writing nothing', (_, over, fieldName, message) => {
    const w = world();
    const before = fingerprint(w.db);
    let error: unknown;
    try {
      splitAgency(w.db, input(w, over(w)), ctx, TODAY);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SplitError);
    expect((error as SplitError).field).toBe(fieldName);
    expect((error as SplitError).status).toBe(422);
    expect((error as Error).message).toMatch(message);
    expect(fingerprint(w.db)).toBe(before);
  });

  it('accepts D on the blocking day itself, and refuses a second split of the ended agency', () => {
    const w = world();
    splitAgency(w.db, input(w, { on: '2026-01-25' }), ctx, TODAY);
    expect(() => splitAgency(w.db, input(w, { assignments: [] }), ctx, TODAY)).toThrow(/không còn hoạt động/);
  });

  it('refuses a successor established after D when the agencies table records it', () => {
    const w = world();
    // migration 0013 records establishment days (agencies.established_on)
    w.db.prepare("UPDATE agencies SET established_on = '2026-02-15' WHERE id = ?").run(w.xa2);
    expect(() => splitAgency(w.db, input(w), ctx, TODAY)).toThrow(/UBND xã Hai thành lập ngày 15\/02\/2026/);
  });

  it('an unknown agency is a 404', () => {
    const w = world();
    expect(() => splitAgency(w.db, input(w, { fromId: 999 }), ctx, TODAY)).toThrow(DomainError);
  });
});
