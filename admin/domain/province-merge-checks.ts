/**
 * Province merger, the checks (issue 12, "nothing is lost, and the counts before and after are printed side by
 * side"): rows and the published categories as of the day before the merger (stats.ts computeStats), for this
 * province before, the former province, and the merged database after, inside the write transaction. Any row count
 * that is not before + former refuses the merger (the transaction rolls back); a category that differs is reported
 * (it can only come from a difference between the two holiday calendars, which classify open tasks' deadlines).
 */
import type { DB } from '../db/open.ts';
import { computeStats } from './stats.ts';
import { ProvinceMergeError } from './province-merge-input.ts';
import type { IsoDate } from './dates.ts';

export const COUNTED = [
  ['tasks', 'Nhiệm vụ'],
  ['task_events', 'Sự kiện'],
  ['documents', 'Văn bản chỉ đạo'],
  ['files', 'Tệp đính kèm'],
  ['leaders', 'Lãnh đạo'],
  ['agencies', 'Đơn vị'],
  ['users', 'Tài khoản'],
] as const;

export const CATEGORIES = [
  ['completedOnTime', 'Hoàn thành đúng hạn'],
  ['completedLate', 'Hoàn thành quá hạn'],
  ['inProgress', 'Đang thực hiện trong hạn'],
  ['overdue', 'Đang thực hiện quá hạn'],
  ['noDeadline', 'Không thời hạn'],
  ['total', 'Tổng số nhiệm vụ tính đến ngày'],
] as const;

export type Tally = Record<string, number>;

/** Row counts of one schema ('main' or the attached 'src') and, from `statsDb`, the categories as of `asOf`. */
export function tally(db: DB, schema: 'main' | 'src', statsDb: DB, asOf: IsoDate): Tally {
  const out: Tally = {};
  for (const [t] of COUNTED) out[t] = (db.prepare(`SELECT count(*) AS n FROM ${schema}.${t}`).get() as { n: number }).n;
  const totals = computeStats(statsDb, asOf).totals;
  for (const [k] of CATEGORIES) out[`stats.${k}`] = totals[k];
  return out;
}

export interface SideBySideRow {
  label: string;
  before: number;
  former: number;
  after: number;
  /** after − (before + former): tasks moved add their 'reassigned' events */
  expected: number;
  ok: boolean;
}

export function sideBySide(before: Tally, former: Tally, after: Tally, extraEvents: number): SideBySideRow[] {
  const row = (key: string, label: string, extra = 0): SideBySideRow => {
    const expected = before[key]! + former[key]! + extra;
    return {
      label,
      before: before[key]!,
      former: former[key]!,
      after: after[key]!,
      expected,
      ok: after[key] === expected,
    };
  };
  return [
    ...COUNTED.map(([k, label]) => row(k, label, k === 'task_events' ? extraEvents : 0)),
    ...CATEGORIES.map(([k, label]) => row(`stats.${k}`, label)),
  ];
}

/** Refuses (rolls back) when a row count does not add up; returns the categories that differ, as warnings. */
export function checkNothingLost(rows: SideBySideRow[]): string[] {
  const counted = new Set<string>(COUNTED.map(([, l]) => l));
  const lost = rows.filter((r) => counted.has(r.label) && !r.ok);
  if (lost.length > 0)
    throw new ProvinceMergeError(
      'count_mismatch',
      `Số liệu sau hợp nhất không khớp (${lost.map((r) => `${r.label}: ${r.after} thay vì ${r.expected}`).join('; ')}); không ghi gì.`,
    );
  return rows
    .filter((r) => !counted.has(r.label) && !r.ok)
    .map((r) => `${r.label}: ${r.after} thay vì ${r.expected} (lịch nghỉ của hai tỉnh khác nhau?)`);
}
