/**
 * Checks a period asked for by a person or a partner system (npm run stats, GET /api/v1/stats, the dashboard's
 * period picker) before computePeriodStats runs: one place for the Vietnamese messages, so every surface refuses
 * the same things the same way (issue 10 "Bad input").
 *
 *   from, to (both or neither)  ── from ≤ to
 *   cutoff C = asOf ?? to        ── from ≤ C ≤ to, C ≤ today (no figures for a day that has not come)
 *   the data                     ── the period may not end before the first task was assigned
 *   agency (code), leader (id)   ── must exist
 */
import type { DB } from '../db/open.ts';
import { formatDateVi, type IsoDate, parseDateInput } from './dates.ts';
import type { PeriodQuery } from './period-stats.ts';
import { findAgencyByCode } from './references.ts';

export interface PeriodRequest {
  from?: string | undefined;
  to?: string | undefined;
  asOf?: string | undefined;
  /** agency code, any case */
  agency?: string | undefined;
  /** leader id as typed */
  leader?: string | number | undefined;
}

export interface PeriodIssue {
  /** the field: from, to, asOf, agency, leader */
  path: 'from' | 'to' | 'asOf' | 'agency' | 'leader';
  message: string;
}

export type PeriodCheck =
  | { ok: true; query: PeriodQuery & { asOf: IsoDate }; agencyCode: string | null }
  | { ok: false; issues: PeriodIssue[] };

const DATE_HINT = 'nhập dạng YYYY-MM-DD (ví dụ 2026-06-30) hoặc dd/mm/yyyy';

const FIELD_NAMES: Record<PeriodIssue['path'], string> = {
  from: 'Ngày đầu kỳ',
  to: 'Ngày cuối kỳ',
  asOf: 'Ngày chốt số liệu',
  agency: 'Đơn vị',
  leader: 'Lãnh đạo',
};

/** The first day any task was assigned, or null for an empty database. */
export function firstTaskDay(db: DB): IsoDate | null {
  return (db.prepare('SELECT min(assigned_on) AS d FROM tasks').get() as { d: string | null }).d;
}

/** Validates a period request against the calendar and the data; `todayDate` is today in Asia/Ho_Chi_Minh. */
export function checkPeriodRequest(db: DB, req: PeriodRequest, todayDate: IsoDate): PeriodCheck {
  const issues: PeriodIssue[] = [];
  const date = (path: 'from' | 'to' | 'asOf'): IsoDate | null => {
    const raw = req[path];
    if (raw === undefined) return null;
    const d = parseDateInput(String(raw));
    if (d === null) issues.push({ path, message: `${FIELD_NAMES[path]} "${raw}" không hợp lệ; ${DATE_HINT}.` });
    return d;
  };
  const from = date('from');
  const to = date('to');
  const asOf = date('asOf');
  if (req.from === undefined) issues.push({ path: 'from', message: 'Thiếu ngày đầu kỳ (from).' });
  if (req.to === undefined) issues.push({ path: 'to', message: 'Thiếu ngày cuối kỳ (to).' });
  if (from !== null && to !== null) {
    if (from > to) {
      issues.push({
        path: 'from',
        message: `Ngày đầu kỳ (${formatDateVi(from)}) sau ngày cuối kỳ (${formatDateVi(to)}); chọn lại kỳ báo cáo.`,
      });
    } else {
      const cutoff = asOf ?? to;
      if (asOf !== null && (asOf < from || asOf > to))
        issues.push({
          path: 'asOf',
          message: `Ngày chốt số liệu (${formatDateVi(asOf)}) phải nằm trong kỳ, từ ${formatDateVi(from)} đến ${formatDateVi(to)}.`,
        });
      else if (cutoff > todayDate)
        issues.push({
          path: asOf !== null ? 'asOf' : 'to',
          message: `Ngày chốt số liệu (${formatDateVi(cutoff)}) sau hôm nay (${formatDateVi(todayDate)}): chưa có số liệu. Chọn ngày cuối kỳ không muộn hơn hôm nay, hoặc chọn ngày chốt số liệu trong kỳ không muộn hơn hôm nay.`,
        });
      const first = firstTaskDay(db);
      if (first !== null && to < first)
        issues.push({
          path: 'to',
          message: `Kỳ báo cáo kết thúc (${formatDateVi(to)}) trước ngày giao nhiệm vụ đầu tiên (${formatDateVi(first)}): không có số liệu.`,
        });
    }
  }
  let agencyId: number | undefined;
  let agencyCode: string | null = null;
  if (req.agency !== undefined) {
    const a = findAgencyByCode(db, String(req.agency).trim());
    if (a === undefined) issues.push({ path: 'agency', message: `Không có đơn vị mã "${req.agency}".` });
    else {
      agencyId = a.id;
      agencyCode = a.code;
    }
  }
  let leaderId: number | undefined;
  if (req.leader !== undefined) {
    const raw = String(req.leader).trim();
    const id = /^\d{1,9}$/.test(raw) ? Number(raw) : null;
    const row =
      id === null
        ? undefined
        : (db.prepare('SELECT id FROM leaders WHERE id = ?').get(id) as { id: number } | undefined);
    if (row === undefined)
      issues.push({
        path: 'leader',
        message: `Không có lãnh đạo mã số "${req.leader}"; dùng mã số của lãnh đạo UBND tỉnh (xem danh sách lãnh đạo).`,
      });
    else leaderId = row.id;
  }
  if (issues.length > 0 || from === null || to === null) return { ok: false, issues };
  const query: PeriodQuery & { asOf: IsoDate } = { from, to, asOf: asOf ?? to };
  if (agencyId !== undefined) query.agencyId = agencyId;
  if (leaderId !== undefined) query.leaderId = leaderId;
  return { ok: true, query, agencyCode };
}

/** The leaders a person may name with --leader / leader=: id, title and name (for the CLI's hint). */
export function listLeaderChoices(db: DB): Array<{ id: number; name: string; title: string }> {
  return db.prepare('SELECT id, name, title FROM leaders ORDER BY id').all() as Array<{
    id: number;
    name: string;
    title: string;
  }>;
}
