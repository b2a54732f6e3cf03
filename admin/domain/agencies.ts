/**
 * Agencies and administrative reorganisation (DESIGN.md §1: "agencies are renamed, merged and dissolved, and their
 * open tasks move to a successor without rewriting history"). No HTTP here: the admin page (routes/agencies.tsx)
 * validates the form, then calls these functions, each one immediate transaction with its audit row.
 *
 * History is kept by construction:
 * - a rename records the new name from a day (agency-names.ts): every view names the agency as it was on its
 *   day, published snapshots hold the names of theirs, and the audit log keeps both;
 * - a merger or dissolution (agency-reorganisation.ts) moves each OPEN task with a 'reassigned' event dated on its
 *   day, so statistics as of any earlier day still attribute it to the old agency (status.ts agencyAsOf).
 */
import { z } from 'zod';
import type { DB } from '../db/open.ts';
import type { Principal } from '../auth/permissions.ts';
import { writeAudit } from '../audit/audit.ts';
import { DomainError } from './rules.ts';
import { compareVi } from './collation.ts';
import { formatDateVi, isIsoDate, toLocalDate, type IsoDate } from './dates.ts';
import { checkRenameDate, recordAgencyName } from './agency-names.ts';

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
  /** first day the agency existed (null: not recorded) */
  established_on: string | null;
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
      'SELECT id, code, name, kind, successor_id, merged_on, dissolved_on, created_at, established_on FROM agencies WHERE id = ?',
    )
    .get(id) as AgencyRow | undefined;
}

/** Every agency with its status, successor and task counts (lead agency now; open = neither completed nor cancelled). */
export function listAgencies(db: DB): AgencyListRow[] {
  const rows = db
    .prepare(
      `SELECT a.id, a.code, a.name, a.kind, a.successor_id, a.merged_on, a.dissolved_on, a.created_at, a.established_on,
         s.name AS successor_name,
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

export function createAgency(db: DB, input: NewAgency & { establishedOn?: IsoDate }, ctx: ChangeContext): number {
  return db
    .transaction(() => {
      if (codeTaken(db, input.code))
        throw new DomainError('duplicate_code', `Mã đơn vị ${input.code} đã được dùng cho một đơn vị khác.`, 422);
      const established = input.establishedOn ?? toLocalDate(ctx.at);
      if (established > toLocalDate(ctx.at))
        throw new DomainError('future_date', `Ngày thành lập ${formatDateVi(established)} ở tương lai.`, 422);
      const id = Number(
        db
          .prepare('INSERT INTO agencies (code, name, kind, established_on) VALUES (?, ?, ?, ?)')
          .run(input.code, input.name, input.kind, established).lastInsertRowid,
      );
      db.prepare('INSERT INTO agency_names (agency_id, name, valid_from) VALUES (?, ?, ?)').run(
        id,
        input.name,
        established,
      );
      auditAgency(db, ctx, 'agency.create', id, {
        code: input.code,
        name: input.name,
        kind: input.kind,
        establishedOn: established,
      });
      return id;
    })
    .immediate();
}

export interface AgencyEdit {
  name: string;
  kind: AgencyKind;
  /** the day the new name takes effect (default: today); the same rule as a merger: never before what it contradicts */
  renamedOn?: IsoDate;
  /** a changed establishment day (undefined: unchanged) */
  establishedOn?: IsoDate;
}

/** Why the establishment day cannot be `on` (null: it can): the agency acted, was renamed or received tasks earlier. */
function establishedProblem(db: DB, a: AgencyRow, on: IsoDate, today: IsoDate): string | null {
  if (on > today) return `Ngày thành lập ${formatDateVi(on)} ở tương lai.`;
  const first = db.prepare(`SELECT min(occurred_on) AS d FROM task_events WHERE agency_id = ?`).pluck().get(a.id) as
    | string
    | null;
  if (first !== null && first < on)
    return `Ngày thành lập ${formatDateVi(on)} sau sự kiện đầu tiên của đơn vị (${formatDateVi(first)}); chọn ngày từ ${formatDateVi(first)} trở về trước.`;
  const merged = db
    .prepare('SELECT name, merged_on FROM agencies WHERE successor_id = ? AND merged_on < ? ORDER BY merged_on LIMIT 1')
    .get(a.id, on) as { name: string; merged_on: string } | undefined;
  if (merged)
    return `Ngày thành lập ${formatDateVi(on)} sau ngày ${merged.name} hợp nhất vào đơn vị (${formatDateVi(merged.merged_on)}).`;
  const names = db
    .prepare('SELECT valid_from FROM agency_names WHERE agency_id = ? ORDER BY valid_from LIMIT 2')
    .pluck()
    .all(a.id) as string[];
  if (names[1] !== undefined && names[1] <= on)
    return `Ngày thành lập ${formatDateVi(on)} không trước lần đổi tên ngày ${formatDateVi(names[1])}.`;
  return null;
}

/**
 * Renames an agency from a day (today by default, or a past day after its last recorded name) and may change its
 * kind and its establishment day. The code is its stable identity (URLs of the public site, import files) and is
 * not changed here. The days before the rename keep the old name (agency-names.ts); published snapshots are
 * frozen anyway; the audit row records both.
 */
export function renameAgency(db: DB, id: number, input: AgencyEdit, ctx: ChangeContext, today?: IsoDate): void {
  const day = today ?? toLocalDate(ctx.at);
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
    const established = input.establishedOn ?? a.established_on;
    if (input.establishedOn !== undefined && input.establishedOn !== a.established_on) {
      if (!isIsoDate(input.establishedOn))
        throw new DomainError('bad_established', 'Ngày thành lập không hợp lệ (nhập theo dạng dd/mm/yyyy).', 422);
      const problem = establishedProblem(db, a, input.establishedOn, day);
      if (problem) throw new DomainError('bad_established', problem, 422);
      db.prepare('UPDATE agencies SET established_on = ? WHERE id = ?').run(input.establishedOn, id);
      // the first name is the name from the establishment day on
      db.prepare(
        `UPDATE agency_names SET valid_from = ? WHERE agency_id = ? AND valid_from = (SELECT min(valid_from) FROM agency_names WHERE agency_id = ?)`,
      ).run(input.establishedOn, id, id);
    }
    const renamed = a.name !== input.name;
    if (renamed) {
      const from = input.renamedOn ?? day;
      checkRenameDate(db, id, from, day, established);
      recordAgencyName(db, id, input.name, from, {
        name: a.name,
        since: established ?? toLocalDate(a.created_at),
      });
    }
    if (a.kind !== input.kind) db.prepare('UPDATE agencies SET kind = ? WHERE id = ?').run(input.kind, id);
    if (!renamed && a.kind === input.kind && established === a.established_on) return;
    auditAgency(db, ctx, 'agency.rename', id, {
      code: a.code,
      before: { name: a.name, kind: a.kind, establishedOn: a.established_on },
      after: {
        name: input.name,
        kind: input.kind,
        establishedOn: established,
        ...(renamed ? { renamedOn: input.renamedOn ?? day } : {}),
      },
    });
  }).immediate();
}
