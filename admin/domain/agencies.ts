/**
 * Agencies and administrative reorganisation (DESIGN.md §1: "agencies are renamed, merged and dissolved, and their
 * open tasks move to a successor without rewriting history"). No HTTP here: the admin page (routes/agencies.tsx)
 * validates the form, then calls these functions, each one immediate transaction with its audit row.
 *
 * History is kept by construction:
 * - a rename changes only the current name; published snapshots hold the names of their day, and the audit log
 *   keeps the old name;
 * - a merger or dissolution (agency-reorganisation.ts) moves each OPEN task with a 'reassigned' event dated on its
 *   day, so statistics as of any earlier day still attribute it to the old agency (status.ts agencyAsOf).
 */
import { z } from 'zod';
import type { DB } from '../db/open.ts';
import type { Principal } from '../auth/permissions.ts';
import { writeAudit } from '../audit/audit.ts';
import { DomainError } from './rules.ts';
import { compareVi } from './collation.ts';

export const AGENCY_KINDS = ['department', 'district', 'commune', 'central', 'other'] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

export const AGENCY_KIND_LABELS: Record<AgencyKind, string> = {
  department: 'Sở, ban, ngành',
  district: 'UBND cấp huyện',
  commune: 'UBND cấp xã',
  central: 'Cơ quan Trung ương trên địa bàn',
  other: 'Khác',
};

export type AgencyStatus = 'active' | 'merged' | 'dissolved';
export const AGENCY_STATUS_LABELS: Record<AgencyStatus, string> = {
  active: 'Đang hoạt động',
  merged: 'Đã hợp nhất',
  dissolved: 'Đã giải thể',
};

export interface AgencyRow {
  id: number;
  code: string;
  name: string;
  kind: AgencyKind;
  successor_id: number | null;
  merged_on: string | null;
  dissolved_on: string | null;
  created_at: string;
}

export interface AgencyListRow extends AgencyRow {
  successor_name: string | null;
  status: AgencyStatus;
  total_tasks: number;
  open_tasks: number;
  users: number;
}

export function agencyStatus(a: Pick<AgencyRow, 'successor_id' | 'dissolved_on'>): AgencyStatus {
  return a.successor_id !== null ? 'merged' : a.dissolved_on !== null ? 'dissolved' : 'active';
}

export function getAgency(db: DB, id: number): AgencyRow | undefined {
  return db
    .prepare(
      'SELECT id, code, name, kind, successor_id, merged_on, dissolved_on, created_at FROM agencies WHERE id = ?',
    )
    .get(id) as AgencyRow | undefined;
}

/** Every agency with its status, successor and task counts (lead agency now; open = neither completed nor cancelled). */
export function listAgencies(db: DB): AgencyListRow[] {
  const rows = db
    .prepare(
      `SELECT a.id, a.code, a.name, a.kind, a.successor_id, a.merged_on, a.dissolved_on, a.created_at, s.name AS successor_name,
         (SELECT count(*) FROM tasks t WHERE t.lead_agency_id = a.id) AS total_tasks,
         (SELECT count(*) FROM tasks t WHERE t.lead_agency_id = a.id AND t.settled_on IS NULL) AS open_tasks,
         (SELECT count(*) FROM users u WHERE u.agency_id = a.id AND u.disabled = 0) AS users
       FROM agencies a LEFT JOIN agencies s ON s.id = a.successor_id
       ORDER BY (a.successor_id IS NOT NULL OR a.dissolved_on IS NOT NULL), a.kind`,
    )
    .all() as Array<Omit<AgencyListRow, 'status'>>;
  // current agencies first, then by kind, then by name in Vietnamese order (SQLite sorts names by bytes)
  const former = (r: Omit<AgencyListRow, 'status'>) => (r.successor_id !== null || r.dissolved_on !== null ? 1 : 0);
  return rows
    .sort(
      (x, y) => former(x) - former(y) || (x.kind < y.kind ? -1 : x.kind > y.kind ? 1 : 0) || compareVi(x.name, y.name),
    )
    .map((r) => ({ ...r, status: agencyStatus(r) }));
}

// ---- validation (zod; messages in Vietnamese) ---------------------------------------------------------------

const noControl = (s: string) => !/[\u0000-\u001f\u007f\u2028\u2029]/.test(s);

export const agencyCodeSchema = z
  .string()
  .trim()
  .min(1, 'Cần nhập mã đơn vị.')
  .max(30, 'Mã đơn vị tối đa 30 ký tự.')
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'Mã đơn vị chỉ gồm chữ cái không dấu, chữ số và các dấu - _ . (ví dụ STC, UBND-HX).',
  )
  .transform((s) => s.toUpperCase());

export const agencyNameSchema = z
  .string()
  .trim()
  .min(2, 'Cần nhập tên đơn vị (ít nhất 2 ký tự).')
  .max(200, 'Tên đơn vị tối đa 200 ký tự.')
  .refine(noControl, 'Tên đơn vị có ký tự điều khiển không hợp lệ.')
  .transform((s) => s.normalize('NFC').replace(/\s+/g, ' '));

export const agencyKindSchema = z.enum(AGENCY_KINDS, { error: 'Chọn loại đơn vị trong danh sách.' });

export const newAgencySchema = z.object({ code: agencyCodeSchema, name: agencyNameSchema, kind: agencyKindSchema });
export type NewAgency = z.output<typeof newAgencySchema>;

/** Field → first message, for forms. */
export function zodFieldErrors(err: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of err.issues) {
    const key = String(issue.path[0] ?? 'form');
    out[key] ??= issue.message;
  }
  return out;
}

// ---- writes ---------------------------------------------------------------------------------------------------

/** Who does it and from where, for the audit row written in the same transaction. */
export interface ChangeContext {
  actor: Principal | null;
  at: Date;
  ip?: string;
  userAgent?: string;
}

/** The audit row of an agency change, in the caller's transaction (also used by agency-reorganisation.ts). */
export function auditAgency(
  db: DB,
  ctx: ChangeContext,
  action: string,
  targetId: number,
  details: Record<string, unknown>,
): void {
  writeAudit(db, {
    at: ctx.at,
    actor: ctx.actor,
    action,
    targetType: 'agency',
    targetId,
    ip: ctx.ip ?? '',
    userAgent: ctx.userAgent ?? '',
    details,
  });
}

function codeTaken(db: DB, code: string, exceptId?: number): boolean {
  const row = db.prepare('SELECT id FROM agencies WHERE upper(code) = upper(?)').get(code) as
    | { id: number }
    | undefined;
  return row !== undefined && row.id !== exceptId;
}

export function createAgency(db: DB, input: NewAgency, ctx: ChangeContext): number {
  return db
    .transaction(() => {
      if (codeTaken(db, input.code))
        throw new DomainError('duplicate_code', `Mã đơn vị ${input.code} đã được dùng cho một đơn vị khác.`, 422);
      const id = Number(
        db.prepare('INSERT INTO agencies (code, name, kind) VALUES (?, ?, ?)').run(input.code, input.name, input.kind)
          .lastInsertRowid,
      );
      auditAgency(db, ctx, 'agency.create', id, { code: input.code, name: input.name, kind: input.kind });
      return id;
    })
    .immediate();
}

/**
 * Renames an agency (and may change its kind). The code is its stable identity (URLs of the public site, import
 * files) and is not changed here. Published snapshots keep the old name; the audit row records both.
 */
export function renameAgency(db: DB, id: number, input: { name: string; kind: AgencyKind }, ctx: ChangeContext): void {
  db.transaction(() => {
    const a = getAgency(db, id);
    if (!a) throw new DomainError('agency_not_found', 'Không tìm thấy đơn vị.', 404);
    if (agencyStatus(a) !== 'active') {
      throw new DomainError(
        'agency_inactive',
        `Đơn vị ${a.name} đã ${agencyStatus(a) === 'merged' ? 'hợp nhất' : 'giải thể'}; không đổi tên được.`,
        422,
      );
    }
    if (a.name === input.name && a.kind === input.kind) return;
    db.prepare('UPDATE agencies SET name = ?, kind = ? WHERE id = ?').run(input.name, input.kind, id);
    auditAgency(db, ctx, 'agency.rename', id, { code: a.code, before: { name: a.name, kind: a.kind }, after: input });
  }).immediate();
}
