/**
 * The tasks settled (completed) before a period's first day, read for computePeriodStats in one pass over the covering
 * index tasks_period (migration 0008). Settled tasks never change status again (status.ts settledAsOf) and are most
 * of a ten-year history, so this read is the period statistics' main cost: each task comes back as one integer
 * packing (agency, leader, sector, document, late) — half the time of a row of five values in better-sqlite3 — and
 * is unpacked here. When the ids are too large for the packing to stay exact in a double, the rows are read plainly.
 */
import type { DB } from '../db/open.ts';
import { statement } from '../db/statements.ts';
import type { IsoDate } from './dates.ts';

export interface SettledFilter {
  from: IsoDate;
  agencyId?: number | undefined;
  leaderId?: number | undefined;
  publicOnly?: boolean | undefined;
}

export type SettledVisit = (
  agencyId: number,
  leaderId: number | null,
  sectorId: number | null,
  documentId: number | null,
  late: 0 | 1,
) => void;

/** Calls `visit` once per task completed and settled before `from`, within the filter; returns how many. */
export function forEachSettledBefore(
  db: DB,
  f: SettledFilter,
  visit: SettledVisit,
  packLimit = Number.MAX_SAFE_INTEGER,
): number {
  const where =
    't.settled_on < @from AND t.settled_category IS NOT NULL' +
    (f.publicOnly ? ' AND t.confidential = 0' : '') +
    (f.leaderId !== undefined ? ' AND t.leader_id = @leaderId' : '') +
    (f.agencyId !== undefined ? ' AND t.lead_agency_id = @agencyId' : '');
  const late = "(t.settled_category = 'completedLate')";
  const params = { from: f.from, agencyId: f.agencyId ?? null, leaderId: f.leaderId ?? null };
  const max = statement(
    db,
    `SELECT (SELECT max(id) FROM agencies) AS a, (SELECT max(id) FROM leaders) AS l,
            (SELECT max(id) FROM sectors) AS s, (SELECT max(id) FROM documents) AS d`,
  ).get() as { a: number | null; l: number | null; s: number | null; d: number | null };
  // radices: null → 0, id → id + 1
  const L = (max.l ?? 0) + 2;
  const S = (max.s ?? 0) + 2;
  const D = (max.d ?? 0) + 2;
  if (((max.a ?? 0) + 1) * L * S * D * 2 < packLimit) {
    const keys = statement(
      db,
      `SELECT (((t.lead_agency_id * @L + ifnull(t.leader_id + 1, 0)) * @S + ifnull(t.sector_id + 1, 0)) * @D
               + ifnull(t.document_id + 1, 0)) * 2 + ${late}
       FROM tasks t INDEXED BY tasks_period WHERE ${where}`,
    )
      .pluck(true)
      .all({ ...params, L, S, D }) as number[];
    for (let k of keys) {
      const isLate = (k % 2) as 0 | 1;
      k = (k - isLate) / 2;
      const doc = k % D;
      k = (k - doc) / D;
      const sector = k % S;
      k = (k - sector) / S;
      const leader = k % L;
      visit(
        (k - leader) / L,
        leader === 0 ? null : leader - 1,
        sector === 0 ? null : sector - 1,
        doc === 0 ? null : doc - 1,
        isLate,
      );
    }
    return keys.length;
  }
  const rows = statement(
    db,
    `SELECT t.lead_agency_id, t.leader_id, t.sector_id, t.document_id, ${late}
     FROM tasks t INDEXED BY tasks_period WHERE ${where}`,
  )
    .raw(true)
    .all(params) as Array<[number, number | null, number | null, number | null, 0 | 1]>;
  for (const r of rows) visit(r[0], r[1], r[2], r[3], r[4]);
  return rows.length;
}
