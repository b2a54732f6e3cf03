/**
 * computePeriodStats, table-driven: each task below lands in exactly one view (or none) for February 2026, with
 * the boundaries from − 1, from, to, to + 1, cancellations before and inside the period, and a cutoff inside it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '../db/open.ts';
import { appendEvent, createTask } from './tasks.ts';
import { computePeriodStats, PeriodError, periodStatsJson } from './period-stats.ts';
import { computeStats } from './stats.ts';
import type { EventKind } from './status.ts';

let db: DB;
let A: number;
let B: number;
let L1: number;
let L2: number;
let S: number;

const FROM = '2026-02-01';
const TO = '2026-02-28';

function task(
  name: string,
  assignedOn: string,
  deadline: string | null,
  events: Array<[EventKind, string]> = [],
  over: { agency?: number; leader?: number; confidential?: boolean } = {},
): number {
  const id = createTask(db, {
    code: name,
    title: name,
    leadAgencyId: over.agency ?? A,
    leaderId: over.leader ?? L1,
    sectorId: S,
    assignedOn,
    deadline,
    noDeadlineReason: deadline === null ? 'Nhiệm vụ thường xuyên' : null,
    confidential: over.confidential ?? false,
  });
  for (const [kind, occurredOn] of events) appendEvent(db, id, { kind, occurredOn, note: 'kiểm thử' });
  return id;
}

beforeEach(() => {
  db = openDatabase(':memory:');
  const agency = (code: string, name: string) =>
    Number(
      db.prepare("INSERT INTO agencies (code, name, kind) VALUES (?, ?, 'department')").run(code, name).lastInsertRowid,
    );
  A = agency('STC', 'Sở Tài chính');
  B = agency('SYT', 'Sở Y tế');
  const leader = (name: string, title: string) =>
    Number(db.prepare('INSERT INTO leaders (name, title) VALUES (?, ?)').run(name, title).lastInsertRowid);
  L1 = leader('Nguyễn Văn A', 'Chủ tịch UBND tỉnh');
  L2 = leader('Trần Thị B', 'Phó Chủ tịch UBND tỉnh');
  S = Number(db.prepare("INSERT INTO sectors (code, name) VALUES ('TC', 'Tài chính')").run().lastInsertRowid);

  // before the period
  task('done-before', '2026-01-05', '2026-01-20', [
    ['reported', '2026-01-15'],
    ['confirmed', '2026-01-31'],
  ]); // completed on from − 1 → completedBeforePeriod
  task('cancelled-before', '2026-01-05', '2026-03-31', [['cancelled', '2026-01-31']]); // nowhere
  task('open-day-before', '2026-01-31', '2026-02-10'); // backlog, overdue on C (18 days)
  task('backlog-done-in-period', '2026-01-05', '2026-01-31', [
    ['reported', '2026-01-30'],
    ['confirmed', '2026-02-01'],
  ]); // backlog, completed on time in the period
  task('backlog-late', '2026-01-05', '2026-01-10', [
    ['reported', '2026-02-05'],
    ['confirmed', '2026-02-06'],
  ]); // backlog, completed late in the period
  task('backlog-cancelled', '2026-01-05', '2026-03-31', [['cancelled', '2026-02-10']]); // openAtStart only
  task('backlog-old-overdue', '2025-09-01', '2025-10-31'); // backlog, overdue 120 days on 28/02
  task('backlog-awaiting', '2026-01-05', '2026-02-15', [['reported', '2026-02-14']]); // on-time report waiting
  // in the period
  task('assigned-from', '2026-02-01', '2026-03-31', [], { leader: L2 }); // assigned, in progress
  task('assigned-to', '2026-02-28', null, [], { agency: B }); // assigned, no deadline
  task('assigned-returned', '2026-02-02', '2026-02-10', [
    ['reported', '2026-02-09'],
    ['returned', '2026-02-20'],
  ]); // assigned, overdue from 20/02
  task('assigned-cancelled', '2026-02-05', '2026-03-31', [['cancelled', '2026-02-20']]); // nowhere
  task('assigned-confidential', '2026-02-03', '2026-02-04', [], { confidential: true }); // overdue; public: nowhere
  // after the period
  task('after-to', '2026-03-01', '2026-03-31'); // nowhere
});

describe('computePeriodStats — the three views for February 2026', () => {
  it('puts every task in exactly one view, with the boundaries and cancellations', () => {
    const p = computePeriodStats(db, { from: FROM, to: TO });
    expect(p).toMatchObject({ from: FROM, to: TO, asOf: TO, rulesVersion: 3, completedBeforePeriod: 1 });
    expect(p.assigned.totals).toMatchObject({
      total: 4, // from, to, returned, confidential
      inProgress: 1,
      noDeadline: 1,
      overdue: 2,
      due: 2,
      completionRate: 0,
      overdueRate: 1,
    });
    expect(p.backlog).toMatchObject({ openAtStart: 6, cancelledInPeriod: 1 });
    expect(p.backlog.totals).toMatchObject({
      total: 5,
      completedOnTime: 1,
      completedLate: 1,
      overdue: 2,
      inProgress: 1, // the on-time report still waiting on 28/02 (deadline 15/02)
      awaitingConfirmation: 1,
      overdueOver30: 1,
      overdueOver60: 1,
      overdueOver120: 0, // 31/10/2025 → 28/02/2026 is 120 days: not over 120
      due: 4,
    });
    expect(p.backlog.totals.completionRate).toBeCloseTo(2 / 4);
    expect(p.backlog.totals.onTimeRate).toBeCloseTo(1 / 4);
    expect(p.backlog.totals.overdueRate).toBeCloseTo(2 / 4);
    // cumulative = assigned + backlog + completed before; equal to the statistics as of the cutoff
    expect(p.cumulative.totals.total).toBe(4 + 5 + 1);
    expect(p.cumulative.totals).toEqual(computeStats(db, TO).totals);
  });

  it('an on-time report returned after the deadline makes the task overdue from the return day', () => {
    const p = computePeriodStats(db, { from: FROM, to: TO, asOf: '2026-02-19' });
    // 19/02: the report of 09/02 (deadline 10/02) still waits → in progress, not due (the task cancelled on 20/02
    // still counts)
    const assigned = p.assigned.totals;
    expect(assigned).toMatchObject({ total: 4, overdue: 1, inProgress: 3, awaitingConfirmation: 1, due: 1 });
    const after = computePeriodStats(db, { from: FROM, to: TO, asOf: '2026-02-20' }).assigned.totals;
    expect(after).toMatchObject({ total: 3, overdue: 2, inProgress: 1, awaitingConfirmation: 0, due: 2 });
  });

  it('a cutoff inside the period leaves out what was assigned after it', () => {
    const p = computePeriodStats(db, { from: FROM, to: TO, asOf: '2026-02-15' });
    expect(p.asOf).toBe('2026-02-15');
    expect(p.assigned.totals.total).toBe(4); // from, returned, confidential, cancelled (cancelled on 20/02 only)
    expect(p.cumulative.totals).toEqual(computeStats(db, '2026-02-15').totals);
    expect(p.backlog.totals.completedLate).toBe(1);
  });

  it('breaks each view down by agency, leader, sector and document type; the rows add up to the totals', () => {
    const p = computePeriodStats(db, { from: FROM, to: TO });
    for (const view of [p.assigned, p.backlog, p.cumulative]) {
      for (const rows of [view.agencies, view.leaders, view.sectors, view.documentTypes]) {
        expect(rows.reduce((n, r) => n + r.total, 0)).toBe(view.totals.total);
        expect(rows.reduce((n, r) => n + r.due, 0)).toBe(view.totals.due);
      }
    }
    expect(p.assigned.agencies.map((a) => [a.code, a.total])).toEqual([
      ['STC', 3],
      ['SYT', 1],
    ]);
    expect(p.assigned.leaders.map((l) => [l.name, l.title, l.total])).toEqual([
      ['Nguyễn Văn A', 'Chủ tịch UBND tỉnh', 3],
      ['Trần Thị B', 'Phó Chủ tịch UBND tỉnh', 1],
    ]);
    expect(p.assigned.sectors.map((s) => [s.code, s.total])).toEqual([['TC', 4]]);
    expect(p.assigned.documentTypes.map((d) => [d.code, d.name, d.total])).toEqual([[null, 'Chưa xác định', 4]]);
  });

  it('filters by agency (as of the cutoff), by leader and to public tasks only', () => {
    const syt = computePeriodStats(db, { from: FROM, to: TO, agencyId: B });
    expect(syt.assigned.totals.total).toBe(1);
    expect(syt.backlog.totals.total).toBe(0);
    expect(syt.backlog.agencies).toEqual([expect.objectContaining({ code: 'SYT', total: 0 })]);
    const l2 = computePeriodStats(db, { from: FROM, to: TO, leaderId: L2 });
    expect(l2.assigned.totals.total).toBe(1);
    expect(l2.cumulative.totals.total).toBe(1);
    const pub = computePeriodStats(db, { from: FROM, to: TO, publicOnly: true });
    expect(pub.assigned.totals.total).toBe(3);
    expect(pub.assigned.totals.overdue).toBe(1);
  });

  it('refuses from > to and a cutoff outside the period', () => {
    expect(() => computePeriodStats(db, { from: TO, to: FROM })).toThrow(PeriodError);
    expect(() => computePeriodStats(db, { from: FROM, to: TO, asOf: '2026-03-01' })).toThrow(PeriodError);
    expect(() => computePeriodStats(db, { from: FROM, to: TO, asOf: '2026-01-31' })).toThrow(PeriodError);
  });

  it('gives one JSON shape with the rates beside their counts', () => {
    const json = periodStatsJson(computePeriodStats(db, { from: FROM, to: TO }), 'Tháng 2/2026');
    expect(Object.keys(json)).toEqual([
      'from',
      'to',
      'asOf',
      'label',
      'rulesVersion',
      'assigned',
      'backlog',
      'cumulative',
      'completedBeforePeriod',
    ]);
    expect(Object.keys(json.backlog)).toEqual([
      'openAtStart',
      'cancelledInPeriod',
      'totals',
      'agencies',
      'leaders',
      'sectors',
      'documentTypes',
    ]);
    expect(json.assigned.totals).toHaveProperty('completionRate');
    expect(json.assigned.leaders[0]).toMatchObject({ id: L1, title: 'Chủ tịch UBND tỉnh' });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});
