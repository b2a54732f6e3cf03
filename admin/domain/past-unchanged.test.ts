/**
 * DESIGN.md §3 "the past is not rewritten", as a property: after any random history, any further action of any role
 * (every kind recordTaskAction knows, the one function behind the admin forms and the API, edits included) leaves
 * the statistics as of every earlier day exactly as they were: per-agency counts (stats.ts computeStats) and each
 * task's classifyAsOf. Changes of the holiday calendar (holidays.ts) are among the histories and among the actions
 * under test: a calendar change on day D must not change a figure as of a day before D either.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DB } from '../db/open.ts';
import type { Principal } from '../auth/permissions.ts';
import { acceptUpload, type AcceptedUpload } from '../files/store.ts';
import { samplePdf } from '../test/fixtures/files.ts';
import { addDays, type IsoDate } from './dates.ts';
import { DomainError } from './rules.ts';
import { classifyAsOf } from './status.ts';
import { computeStats } from './stats.ts';
import { addCalendarDay, deadlineCalendarOf, removeCalendarDay, setWorkingDayRule } from './holidays.ts';
import { createTask, factsFromRow, type TaskRow } from './tasks.ts';
import { recordTaskAction, type TaskActionInput, type EventActionKind } from './task-actions.ts';

const DAY0 = '2025-01-01';
const ACTION_KINDS: EventActionKind[] = [
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

interface World {
  db: DB;
  env: { uploadDir: string };
  agencies: number[];
  leaders: number[];
  sector: number;
  principals: Principal[];
}

function world(): World {
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
const whoArb = fc.oneof({ weight: 3, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat({ max: 5 }) });
const UNIT_ACTIONS: ReadonlySet<EventActionKind> = new Set([
  'receive',
  'progress',
  'report',
  'request_extension',
  'explain',
]);
const DECISIONS: ReadonlySet<EventActionKind> = new Set([
  'confirm',
  'return_report',
  'approve_extension',
  'reject_extension',
]);

/** One attempted action, its values drawn independently of the state (the rules decide what is refused). */
const actionFields = {
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
const actionArb = fc.record({ kind: fc.constantFrom(...ACTION_KINDS), ...actionFields });
/** The action under test: every kind, corrections more often (they are the ones that could reach into the past). */
const lastActionArb = fc.record({
  kind: fc.oneof({ weight: 4, arbitrary: fc.constant<EventActionKind>('edit') }, fc.constantFrom(...ACTION_KINDS)),
  ...actionFields,
});
type ActionSpec = typeof actionArb extends fc.Arbitrary<infer T> ? T : never;

const taskArb = fc.record({
  assignedDay: fc.nat({ max: 60 }),
  deadlineOffset: fc.option(fc.nat({ max: 90 }), { nil: null }),
  agency: fc.nat({ max: 2 }),
  actions: fc.array(fc.record({ task: fc.nat({ max: 3 }), action: actionArb }), { maxLength: 14 }),
});

function input(w: World, a: ActionSpec, on: IsoDate, pdf: AcceptedUpload): TaskActionInput {
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

const at = (day: IsoDate) => new Date(`${day}T03:00:00Z`); // 10:00 in Asia/Ho_Chi_Minh

/** Tries the action; a refusal (DomainError) is a legitimate outcome, anything else is a bug. */
function attempt(w: World, code: string, a: ActionSpec, on: IsoDate, pdf: AcceptedUpload): void {
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
const calendarEditArb = fc.record({
  kind: fc.constantFrom('day_off', 'working_day', 'remove', 'rule'),
  offset: fc.integer({ min: -20, max: 40 }),
  day: fc.nat({ max: 40 }),
});
type CalendarEdit = typeof calendarEditArb extends fc.Arbitrary<infer T> ? T : never;

function editCalendar(w: World, e: CalendarEdit, on: IsoDate): void {
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

/** Everything the statistics say about each day before `until` (with the database's holiday calendar). */
function pastFigures(db: DB, from: IsoDate, until: IsoDate): unknown[] {
  const tasks = db.prepare('SELECT * FROM tasks ORDER BY id').all() as TaskRow[];
  const calendar = deadlineCalendarOf(db);
  const out: unknown[] = [];
  for (let c = from; c < until; c = addDays(c, 1)) {
    out.push({ c, stats: computeStats(db, c), tasks: tasks.map((t) => classifyAsOf(factsFromRow(t), c, calendar)) });
  }
  return out;
}

describe('the past is not rewritten (fast-check over recordTaskAction)', () => {
  it('no action of any role on day D changes any statistic as of a day before D', { timeout: 600_000 }, async () => {
    const pdf = await acceptUpload(new File([samplePdf()], 'Báo cáo.pdf'), { maxBytes: 1e6 });
    fc.assert(
      fc.property(
        fc.array(taskArb, { minLength: 1, maxLength: 4 }),
        lastActionArb,
        fc.nat({ max: 3 }),
        fc.array(calendarEditArb, { maxLength: 4 }),
        fc.option(calendarEditArb, { freq: 3 }),
        (specs, last, t, calendarEdits, lastCalendar) => {
          const w = world();
          const codes: string[] = [];
          // histories: tasks created on their assignment day, then actions in day order, each dated its own day
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
          for (const s of steps) s.run();
          const lastDay = [addDays(DAY0, 60), ...steps.map((p) => p.on)].sort().at(-1)!;
          const actionDay = addDays(lastDay, last.day);
          const before = pastFigures(w.db, DAY0, actionDay);
          // the action under test: a task action of any role, or (one time in four) a change of the calendar
          if (lastCalendar !== null) editCalendar(w, lastCalendar, actionDay);
          else attempt(w, codes[t % codes.length]!, last, actionDay, pdf);
          expect(pastFigures(w.db, DAY0, actionDay)).toEqual(before);
          w.db.close();
        },
      ),
      { numRuns: Number(process.env.PAST_RUNS ?? 150) },
    );
  });
});
