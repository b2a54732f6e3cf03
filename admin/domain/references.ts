/**
 * Looking up what outside input refers to by code or number (the API's agency and sector codes, leader ids), so the
 * API can say which reference is wrong before anything is written. Codes compare case-insensitively.
 */
import type { DB } from '../db/open.ts';

export interface AgencyRef {
  id: number;
  code: string;
  name: string;
  merged_on: string | null;
  dissolved_on: string | null;
}

/** The agency with this code, former ones included (the caller decides what a merged agency means). */
export function findAgencyByCode(db: DB, code: string): AgencyRef | undefined {
  return db
    .prepare('SELECT id, code, name, merged_on, dissolved_on FROM agencies WHERE code = ? COLLATE NOCASE')
    .get(code) as AgencyRef | undefined;
}

/** Whether a leader with this id is in office (may be given new tasks). */
export function isActiveLeader(db: DB, id: number): boolean {
  return db.prepare('SELECT 1 FROM leaders WHERE id = ? AND active = 1').get(id) !== undefined;
}

/** The id of the active sector with this code. */
export function findActiveSectorId(db: DB, code: string): number | null {
  const id = db.prepare('SELECT id FROM sectors WHERE code = ? COLLATE NOCASE AND active = 1').pluck().get(code) as
    | number
    | undefined;
  return id ?? null;
}

/** An agency as the API lists it: its successor named by code. */
export interface AgencyRecord {
  code: string;
  name: string;
  kind: string;
  successor: string | null;
  merged_on: string | null;
  dissolved_on: string | null;
}

const AGENCY_RECORD = `SELECT a.code, a.name, a.kind, s.code AS successor, a.merged_on, a.dissolved_on
                         FROM agencies a LEFT JOIN agencies s ON s.id = a.successor_id`;

/** Every agency, former ones included, by code. */
export function listAgencyRecords(db: DB): AgencyRecord[] {
  return db.prepare(`${AGENCY_RECORD} ORDER BY a.code`).all() as AgencyRecord[];
}

/** One agency by code (any case). */
export function findAgencyRecord(db: DB, code: string): AgencyRecord | undefined {
  return db.prepare(`${AGENCY_RECORD} WHERE a.code = ? COLLATE NOCASE`).get(code) as AgencyRecord | undefined;
}

/** The id of the sector with this code, active or not (the shared document check refuses inactive ones). */
export function findSectorIdByCode(db: DB, code: string): number | null {
  const id = db.prepare('SELECT id FROM sectors WHERE code = ? COLLATE NOCASE').pluck().get(code) as number | undefined;
  return id ?? null;
}
