/**
 * Random task histories for property tests (fast-check): a small province (three agencies, two leaders, one sector,
 * a user of each role), tasks with random attempted actions of every kind recordTaskAction knows (the rules decide
 * what is refused), and holiday calendar changes. Used by admin/domain/past-unchanged.test.ts and
 * admin/domain/live-status.props.test.ts. Tests only.
 */
import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DB } from '../../db/open.ts';
import type { Principal } from '../../auth/permissions.ts';
import type { AcceptedUpload } from '../../files/store.ts';
import { addDays, type IsoDate } from '../../domain/dates.ts';
import { DomainError } from '../../domain/rules.ts';
import { addCalendarDay, deadlineCalendarOf, removeCalendarDay, setWorkingDayRule } from '../../domain/holidays.ts';
import { createTask } from '../../domain/tasks.ts';
import { recordTaskAction, type TaskActionInput, type EventActionKind } from '../../domain/task-actions.ts';

export const DAY0 = '2025-01-01';
export const ACTION_KINDS: EventActionKind[] = [
  'receive',
  'progress',
  'report',
  'request_extension',
  'explain',
  'urge',
  'edit',
  'reassign',
  'cancel',
  'confirm',
  'return_report',
  'approve_extension',
  'reject_extension',
];

export interface World {
  db: DB;
  env: { uploadDir: string };
  agencies: number[];
  leaders: number[];
  sector: number;
  principals: Principal[];
}

export function world(): World {
  const db = openDatabase(':memory:');
  const env = { uploadDir: mkdtempSync(join(tmpdir(), 'past-unchanged-')) };
  const ins = db.prepare('INSERT INTO agencies (code, name, kind) VALUES (?, ?, ?)');
  const agencies = ['STC', 'SYT', 'SXD'].map((c) => Number(ins.run(c, `Sở ${c}`, 'department').lastInsertRowid));
  const leaders = ['Chủ tịch UBND tỉnh', 'Phó Chủ tịch UBND tỉnh'].map((t, i) =>
    Number(db.prepare('INSERT INTO leaders (name, title) VALUES (?, ?)').run(`Lãnh đạo ${i}`, t).lastInsertRowid),
  );
  const sector = Number(
    db.prepare("INSERT INTO sectors (code, name) VALUES ('TC', 'Tài chính')").run().lastInsertRowid,
  );
  const user = (role: Principal['role'], agencyId: number | null): Principal => {
    const id = Number(
      db
        .prepare("INSERT INTO users (username, display_name, role, agency_id, password_hash) VALUES (?, ?, ?, ?, 'x')")
        .run(`${role}${agencyId ?? ''}`, role, role, agencyId).lastInsertRowid,
    );
    return { kind: 'user', id, name: role, role, agencyId };
  };
  const principals = [
    user('agency', agencies[0]!),
    user('agency', agencies[1]!),
    user('specialist', null),
    user('confirmer', null),
    user('leader', null),
    user('admin', null),
  ];
  return { db, env, agencies, leaders, sector, principals };
}

/** Who acts: mostly the role the action is meant for (so histories get somewhere), sometimes anyone at all. */
export const whoArb = fc.oneof({ weight: 3, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat({ max: 5 }) });
export const UNIT_ACTIONS: ReadonlySet<EventActionKind> = new Set([
  'receive',
  'progress',
  'report',
  'request_extension',
  'explain',
]);
export const DECISIONS: ReadonlySet<EventActionKind> = new Set([
  'confirm',
  'return_report',
  'approve_extension',
  'reject_extension',
]);

/** One attempted action, its values drawn independently of the state (the rules decide what is refused). */
export const actionFields = {
  who: whoArb,
  day: fc.nat({ max: 40 }),
  deadlineOffset: fc.integer({ min: -60, max: 120 }),
  removeDeadline: fc.boolean(),
  agency: fc.nat({ max: 2 }),
  edit: fc.record(
    {
      deadline: fc.constant(true),
      title: fc.constantFrom('Rà soát lại', 'Báo cáo tổng hợp'),
      confidential: fc.boolean(),
      starred: fc.boolean(),
      leader: fc.nat({ max: 1 }),
      sector: fc.boolean(),
      coordinators: fc.subarray([0, 1, 2]),
    },
    { requiredKeys: [] },
  ),
};
export const actionArb = fc.record({ kind: fc.constantFrom(...ACTION_KINDS), ...actionFields });
/** The action under test: every kind, corrections more often (they are the ones that could reach into the past). */
export const lastActionArb = fc.record({
  kind: fc.oneof({ weight: 4, arbitrary: fc.constant<EventActionKind>('edit') }, fc.constantFrom(...ACTION_KINDS)),
  ...actionFields,
});
export type ActionSpec = typeof actionArb extends fc.Arbitrary<infer T> ? T : never;

export const taskArb = fc.record({
  assignedDay: fc.nat({ max: 60 }),
  deadlineOffset: fc.option(fc.nat({ max: 90 }), { nil: null }),
  agency: fc.nat({ max: 2 }),
  actions: fc.array(fc.record({ task: fc.nat({ max: 3 }), action: actionArb }), { maxLength: 14 }),
});

export function input(w: World, a: ActionSpec, on: IsoDate, pdf: AcceptedUpload): TaskActionInput {
  const nd = addDays(on, a.deadlineOffset);
  switch (a.kind) {
    case 'receive':
    case 'urge':
    case 'confirm':
      return { kind: a.kind };
    case 'progress':
    case 'explain':
    case 'cancel':
    case 'return_report':
    case 'reject_extension':
      return { kind: a.kind, note: 'Nội dung' };
    case 'report':
      return { kind: 'report', note: 'Đã hoàn thành', files: [pdf] };
    case 'request_extension':
      return { kind: 'request_extension', newDeadline: nd, note: 'Cần thêm thời gian' };
    case 'approve_extension':
      return { kind: 'approve_extension', newDeadline: nd };
    case 'reassign':
      return { kind: 'reassign', toAgencyId: w.agencies[a.agency]!, note: 'Chuyển đơn vị' };
    case 'edit': {
      const e = a.edit;
      return {
        kind: 'edit',
        note: 'Sửa lỗi nhập liệu',
        changes: {
          ...(e.deadline ? { deadline: a.removeDeadline ? null : nd, noDeadlineReason: 'Nhiệm vụ thường xuyên' } : {}),
          ...(e.title !== undefined ? { title: e.title } : {}),
          ...(e.confidential !== undefined ? { confidential: e.confidential } : {}),
          ...(e.starred !== undefined ? { starred: e.starred } : {}),
          ...(e.leader !== undefined ? { leaderId: w.leaders[e.leader]! } : {}),
          ...(e.sector !== undefined ? { sectorId: e.sector ? w.sector : null } : {}),
          ...(e.coordinators !== undefined ? { coordinatorIds: e.coordinators.map((i) => w.agencies[i]!) } : {}),
        },
      };
    }
  }
}

export const at = (day: IsoDate) => new Date(`${day}T03:00:00Z`); // 10:00 in Asia/Ho_Chi_Minh

/** Tries the action; a refusal (DomainError) is a legitimate outcome, anything else is a bug. */
export function attempt(w: World, code: string, a: ActionSpec, on: IsoDate, pdf: AcceptedUpload): void {
  const lead = w.db.prepare('SELECT lead_agency_id FROM tasks WHERE code = ?').pluck().get(code) as number;
  const principal =
    a.who >= 0
      ? w.principals[a.who]!
      : UNIT_ACTIONS.has(a.kind)
        ? (w.principals.find((p) => p.role === 'agency' && p.agencyId === lead) ?? w.principals[0]!)
        : DECISIONS.has(a.kind)
          ? w.principals[3]!
          : w.principals[2]!;
  try {
    recordTaskAction({ db: w.db, env: w.env, now: at(on) }, principal, code, input(w, a, on, pdf));
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
  }
}

/** A change of the holiday calendar by the administrator (holidays.ts): a day around `on`, or the rule switch. */
export const calendarEditArb = fc.record({
  kind: fc.constantFrom('day_off', 'working_day', 'remove', 'rule'),
  offset: fc.integer({ min: -20, max: 40 }),
  day: fc.nat({ max: 40 }),
});
export type CalendarEdit = typeof calendarEditArb extends fc.Arbitrary<infer T> ? T : never;

export function editCalendar(w: World, e: CalendarEdit, on: IsoDate): void {
  const admin = w.principals[5]!;
  const actor = { principal: admin, userId: admin.id };
  const day = addDays(on, e.offset);
  try {
    if (e.kind === 'remove') removeCalendarDay(w.db, at(on), actor, day);
    else if (e.kind === 'rule')
      setWorkingDayRule(w.db, at(on), actor, !deadlineCalendarOf(w.db).ruleAt('9999-12-31T00:00:00.000Z'));
    else addCalendarDay(w.db, at(on), actor, { day, kind: e.kind, name: 'Ngày nghỉ bù' });
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
  }
}

export type TaskSpec = typeof taskArb extends fc.Arbitrary<infer T> ? T : never;

/**
 * Creates the tasks of `specs` (each on its assignment day) and returns, in day order, the steps that play their
 * actions and the calendar edits, each dated its own day, not yet run.
 */
export function plannedSteps(
  w: World,
  specs: TaskSpec[],
  calendarEdits: CalendarEdit[],
  pdf: AcceptedUpload,
): { codes: string[]; steps: Array<{ on: IsoDate; run: () => void }> } {
  const codes: string[] = [];
  const planned: Array<{ on: IsoDate; code: number; action: ActionSpec }> = [];
  specs.forEach((s, i) => {
    const assignedOn = addDays(DAY0, s.assignedDay);
    const id = createTask(w.db, {
      title: `Nhiệm vụ ${i + 1}`,
      leadAgencyId: w.agencies[s.agency]!,
      assignedOn,
      deadline: s.deadlineOffset === null ? null : addDays(assignedOn, s.deadlineOffset),
      noDeadlineReason: 'Nhiệm vụ thường xuyên',
    });
    codes.push(w.db.prepare('SELECT code FROM tasks WHERE id = ?').pluck().get(id) as string);
    let day = assignedOn;
    for (const x of s.actions) {
      day = addDays(day, x.action.day % 15);
      planned.push({ on: day, code: i, action: x.action });
    }
  });
  // holiday calendar changes among them (days off, compensatory working days, removals, the rule switch)
  const edits = calendarEdits.map((e) => ({ on: addDays(DAY0, e.day * 2), edit: e }));
  const steps = [
    ...planned.map((p) => ({ on: p.on, run: () => attempt(w, codes[p.code]!, p.action, p.on, pdf) })),
    ...edits.map((e) => ({ on: e.on, run: () => editCalendar(w, e.edit, e.on) })),
  ];
  steps.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  return { codes, steps };
}
