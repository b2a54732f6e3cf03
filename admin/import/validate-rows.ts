/**
 * Row validation for the import: formats, references (agencies, leaders, sectors, documents), dates in order, and
 * the row's history replayed through the rules module's checkEvent, exactly as appendEvent will check it on write.
 * Reads the database, writes nothing. Produces the planned tasks that write-tasks.ts writes.
 */
import type { DB } from '../db/open.ts';
import { formatDateVi, parseDateInput, type IsoDate } from '../domain/dates.ts';
import { checkEvent, DomainError, extensionContext, type ProposedEvent } from '../domain/rules.ts';
import { deriveFacts, type EventKind, type EventLite } from '../domain/status.ts';
import { foldVietnamese } from '../domain/text.ts';
import {
  columnLabel,
  IMPORT_COLUMNS,
  IMPORT_FIELDS,
  type ImportError,
  type ImportField,
  type ImportRow,
} from './columns.ts';

export interface PlannedEvent extends ProposedEvent {
  prio: number;
}

export interface PlannedTask {
  row: number;
  code: string;
  title: string;
  content: string;
  document: { number: string; date: IsoDate; type: string; signerId: number | null; existingId: number | null } | null;
  leadAgencyId: number;
  coordinatorIds: number[];
  leaderId: number | null;
  sectorId: number | null;
  assignedOn: IsoDate;
  deadline: IsoDate | null;
  noDeadlineReason: string | null;
  confidential: boolean;
  events: PlannedEvent[];
}

const TRUE_WORDS = new Set(['co', 'x', '1', 'true', 'yes', 'cong khai', 'public']);
const FALSE_WORDS = new Set(['khong', '0', 'false', 'no', 'mat', 'khong cong khai', 'confidential']);

function docTypeFromNumber(number: string): string {
  const suffix = number.slice(number.indexOf('/') + 1).toUpperCase();
  if (suffix.startsWith('QĐ') || suffix.startsWith('QD')) return 'Quyết định';
  if (suffix.startsWith('TB')) return 'Thông báo kết luận';
  if (suffix.startsWith('CT')) return 'Chỉ thị';
  if (suffix.startsWith('KH')) return 'Kế hoạch';
  return 'Công văn';
}

const IMPORT_NOTE = 'Nhập từ tệp dữ liệu.';

export interface Validation {
  planned: PlannedTask[];
  /** every problem, sorted by row */
  errors: ImportError[];
  /** task codes given in the file (upper case) → row */
  codesInFile: Map<string, number>;
}

/** Validates every row against the database as it is now; `parseErrors` from reading the file count as bad rows. */
export function validateRows(
  db: DB,
  rows: readonly ImportRow[],
  today: IsoDate,
  parseErrors: readonly ImportError[] = [],
): Validation {
  const errors: ImportError[] = [...parseErrors];
  if (rows.length === 0 && errors.length === 0) errors.push({ row: 1, message: 'Tệp không có dòng nhiệm vụ nào.' });

  const agencies = new Map(
    (
      db.prepare('SELECT id, code, name, merged_on, dissolved_on, successor_id FROM agencies').all() as Array<{
        id: number;
        code: string;
        name: string;
        merged_on: string | null;
        dissolved_on: string | null;
        successor_id: number | null;
      }>
    ).map((a) => [a.code.toUpperCase(), a]),
  );
  const agencyById = new Map([...agencies.values()].map((a) => [a.id, a]));
  const leaders = db.prepare('SELECT id, name FROM leaders').all() as Array<{ id: number; name: string }>;
  const sectors = db.prepare('SELECT id, code, name FROM sectors').all() as Array<{
    id: number;
    code: string;
    name: string;
  }>;
  const codeExists = db.prepare('SELECT 1 FROM tasks WHERE code = ?').pluck();
  const findDocument = db.prepare('SELECT id FROM documents WHERE number = ? AND issued_on = ?').pluck();

  const planned: PlannedTask[] = [];
  const codesInFile = new Map<string, number>();
  for (const r of rows) {
    const code = r.values.code?.trim();
    if (code) {
      const key = code.toUpperCase();
      if (codesInFile.has(key))
        errors.push({ row: r.row, message: `Mã nhiệm vụ "${code}" trùng với dòng ${codesInFile.get(key)}.` });
      else codesInFile.set(key, r.row);
    }
  }

  for (const r of rows) {
    const v = r.values;
    const rowErrors: string[] = [];
    const err = (m: string) => rowErrors.push(m);
    for (const f of IMPORT_FIELDS) {
      const text = v[f];
      if (text !== undefined && [...text].length > IMPORT_COLUMNS[f].max) {
        err(`Cột ${columnLabel(f)} quá dài (${[...text].length} ký tự; tối đa ${IMPORT_COLUMNS[f].max}).`);
      }
    }
    if (rowErrors.length > 0) {
      for (const m of rowErrors) errors.push({ row: r.row, message: m });
      continue;
    }
    const date = (f: ImportField, noFuture = true): IsoDate | null => {
      const text = v[f];
      if (text === undefined) return null;
      const d = parseDateInput(text);
      if (d === null) {
        err(`Cột ${columnLabel(f)}: "${text}" không phải ngày hợp lệ (dd/mm/yyyy hoặc YYYY-MM-DD).`);
        return null;
      }
      if (noFuture && d > today)
        err(`Cột ${columnLabel(f)}: ngày ${formatDateVi(d)} sau ngày hôm nay (${formatDateVi(today)}).`);
      return d;
    };

    const code = v.code?.trim() ?? '';
    if (code && !/^[\p{L}\p{N}._/-]+$/u.test(code))
      err(`Mã nhiệm vụ "${code}" chỉ được gồm chữ, số và các ký tự . _ / -.`);
    if (code && codeExists.get(code)) err(`Mã nhiệm vụ "${code}" đã có trong hệ thống.`);
    const title = v.title?.trim() ?? '';
    if (!title) err(`Thiếu ${columnLabel('title')}.`);

    const assignedOn = date('assignedOn');
    if (v.assignedOn === undefined) err(`Thiếu ${columnLabel('assignedOn')}.`);
    const deadlineText = v.deadline;
    const deadline = date('deadline', false);
    const documentDate = date('documentDate');
    const extensionApprovedOn = date('extensionApprovedOn');
    const newDeadline = v.newDeadline === undefined ? null : parseDateInput(v.newDeadline);
    if (v.newDeadline !== undefined && newDeadline === null)
      err(`Cột ${columnLabel('newDeadline')}: "${v.newDeadline}" không phải ngày hợp lệ (dd/mm/yyyy hoặc YYYY-MM-DD).`);
    const reportedOn = date('reportedOn');
    const confirmedOn = date('confirmedOn');
    const cancelledOn = date('cancelledOn');

    // agencies
    let leadAgencyId = 0;
    const leadCode = v.leadAgency?.trim();
    if (!leadCode) err(`Thiếu ${columnLabel('leadAgency')}.`);
    else {
      const a = agencies.get(leadCode.toUpperCase());
      if (!a) err(`Không có đơn vị mã "${leadCode}" (đơn vị chủ trì).`);
      else {
        leadAgencyId = a.id;
        if (assignedOn && a.merged_on && a.merged_on <= assignedOn) {
          err(
            `Đơn vị ${a.code} đã sáp nhập vào ${agencyById.get(a.successor_id!)?.code ?? 'đơn vị khác'} từ ngày ${formatDateVi(a.merged_on)}; hãy giao cho đơn vị kế thừa.`,
          );
        }
        if (assignedOn && a.dissolved_on && a.dissolved_on <= assignedOn)
          err(`Đơn vị ${a.code} đã giải thể từ ngày ${formatDateVi(a.dissolved_on)}.`);
      }
    }
    const coordinatorIds: number[] = [];
    for (const c of (v.coordinatingAgencies ?? '')
      .split(/[;,]/)
      .map((s) => s.trim())
      .filter(Boolean)) {
      const a = agencies.get(c.toUpperCase());
      if (!a) err(`Không có đơn vị mã "${c}" (đơn vị phối hợp).`);
      else if (a.id === leadAgencyId) err(`Đơn vị ${a.code} vừa chủ trì vừa phối hợp.`);
      else if (!coordinatorIds.includes(a.id)) coordinatorIds.push(a.id);
    }

    // signer, sector
    let leaderId: number | null = null;
    if (v.signer) {
      const folded = foldVietnamese(v.signer);
      const l = leaders.find((x) => foldVietnamese(x.name) === folded);
      if (!l)
        err(
          `Không có lãnh đạo tên "${v.signer}" (người ký); các lãnh đạo hiện có: ${leaders.map((x) => x.name).join(', ') || 'chưa có'}.`,
        );
      else leaderId = l.id;
    }
    let sectorId: number | null = null;
    if (v.sector) {
      const folded = foldVietnamese(v.sector);
      const s = sectors.find((x) => foldVietnamese(x.code) === folded || foldVietnamese(x.name) === folded);
      if (!s) err(`Không có lĩnh vực "${v.sector}".`);
      else sectorId = s.id;
    }

    // document
    let document: PlannedTask['document'] = null;
    const number = v.documentNumber?.trim();
    if (number || v.documentDate !== undefined) {
      if (!number) err(`Có ${columnLabel('documentDate')} nhưng thiếu ${columnLabel('documentNumber')}.`);
      else if (!/^\d+[\p{L}]?\/\S+$/u.test(number))
        err(`Số văn bản "${number}" không đúng dạng số/ký hiệu (ví dụ 1147/UBND-KSTT).`);
      if (v.documentDate === undefined)
        err(`Có ${columnLabel('documentNumber')} nhưng thiếu ${columnLabel('documentDate')}.`);
      if (number && documentDate) {
        if (assignedOn && documentDate > assignedOn)
          err(`Ngày văn bản ${formatDateVi(documentDate)} sau ngày giao ${formatDateVi(assignedOn)}.`);
        const existingId = (findDocument.get(number, documentDate) as number | undefined) ?? null;
        document = {
          number,
          date: documentDate,
          type: v.documentType?.trim() || docTypeFromNumber(number),
          signerId: leaderId,
          existingId,
        };
      }
    }

    // deadline and history
    if (assignedOn && deadline && deadline < assignedOn)
      err(`Thời hạn ${formatDateVi(deadline)} trước ngày giao ${formatDateVi(assignedOn)}.`);
    if (deadlineText === undefined && !v.noDeadlineReason?.trim()) {
      err(`Nhiệm vụ không có thời hạn cần ghi rõ lý do (cột ${columnLabel('noDeadlineReason')}).`);
    }
    if ((v.extensionApprovedOn === undefined) !== (v.newDeadline === undefined)) {
      err(`Gia hạn cần đủ cả ${columnLabel('extensionApprovedOn')} và ${columnLabel('newDeadline')}.`);
    }
    if (extensionApprovedOn && newDeadline) {
      if (deadlineText === undefined) err('Nhiệm vụ không có thời hạn thì không gia hạn.');
      else if (deadline && newDeadline <= deadline)
        err(`Thời hạn mới ${formatDateVi(newDeadline)} phải sau thời hạn ban đầu ${formatDateVi(deadline)}.`);
    }
    if (confirmedOn && !reportedOn)
      err('Có ngày xác nhận hoàn thành nhưng chưa có ngày báo cáo kết quả: chỉ xác nhận khi đơn vị đã báo cáo.');
    if (confirmedOn && reportedOn && confirmedOn < reportedOn)
      err(`Ngày xác nhận ${formatDateVi(confirmedOn)} trước ngày báo cáo ${formatDateVi(reportedOn)}.`);
    if (cancelledOn && confirmedOn) err('Nhiệm vụ đã xác nhận hoàn thành thì không thể thu hồi.');
    if (cancelledOn && reportedOn && reportedOn > cancelledOn)
      err(`Ngày báo cáo ${formatDateVi(reportedOn)} sau ngày thu hồi ${formatDateVi(cancelledOn)}.`);
    if (cancelledOn && extensionApprovedOn && extensionApprovedOn > cancelledOn)
      err(`Ngày duyệt gia hạn ${formatDateVi(extensionApprovedOn)} sau ngày thu hồi ${formatDateVi(cancelledOn)}.`);
    if (confirmedOn && extensionApprovedOn && extensionApprovedOn > confirmedOn)
      err(
        `Ngày duyệt gia hạn ${formatDateVi(extensionApprovedOn)} sau ngày xác nhận hoàn thành ${formatDateVi(confirmedOn)}.`,
      );
    if (assignedOn) {
      for (const [f, d] of [
        ['extensionApprovedOn', extensionApprovedOn],
        ['reportedOn', reportedOn],
        ['confirmedOn', confirmedOn],
        ['cancelledOn', cancelledOn],
      ] as const) {
        if (d && d < assignedOn)
          err(`Cột ${columnLabel(f)}: ngày ${formatDateVi(d)} trước ngày giao ${formatDateVi(assignedOn)}.`);
      }
    }
    let confidential = false;
    if (v.public !== undefined) {
      const p = foldVietnamese(v.public);
      if (FALSE_WORDS.has(p)) confidential = true;
      else if (!TRUE_WORDS.has(p))
        err(`Cột ${columnLabel('public')}: "${v.public}" không hợp lệ; ghi "có" (công khai) hoặc "không" (mật).`);
    }

    if (rowErrors.length > 0 || !assignedOn) {
      for (const m of rowErrors) errors.push({ row: r.row, message: m });
      continue;
    }

    const events: PlannedEvent[] = [];
    if (extensionApprovedOn && newDeadline) {
      events.push({
        kind: 'extension_requested',
        occurredOn: extensionApprovedOn,
        data: { newDeadline },
        note: IMPORT_NOTE,
        prio: 3,
      });
      events.push({
        kind: 'extension_approved',
        occurredOn: extensionApprovedOn,
        data: { newDeadline },
        note: IMPORT_NOTE,
        prio: 4,
      });
    }
    if (reportedOn) events.push({ kind: 'reported', occurredOn: reportedOn, note: IMPORT_NOTE, prio: 6 });
    if (confirmedOn) events.push({ kind: 'confirmed', occurredOn: confirmedOn, note: IMPORT_NOTE, prio: 7 });
    if (cancelledOn)
      events.push({
        kind: 'cancelled',
        occurredOn: cancelledOn,
        note: v.cancelReason?.trim() || 'Thu hồi (theo dữ liệu nhập từ tệp).',
        prio: 8,
      });
    events.sort((a, b) => (a.occurredOn < b.occurredOn ? -1 : a.occurredOn > b.occurredOn ? 1 : a.prio - b.prio));

    // replay through the rules module, exactly as appendEvent will check them
    const base = { assignedOn, deadline, leadAgencyId };
    const lite: EventLite[] = [{ kind: 'assigned', occurredOn: assignedOn }];
    const kinds: EventKind[] = ['assigned'];
    let ruleError: string | null = null;
    for (const e of events) {
      try {
        checkEvent(deriveFacts(base, lite), extensionContext(kinds), e);
      } catch (x) {
        if (!(x instanceof DomainError)) throw x;
        ruleError = x.message;
        break;
      }
      lite.push({ kind: e.kind, occurredOn: e.occurredOn, ...(e.data ? { data: e.data } : {}) });
      kinds.push(e.kind);
    }
    if (ruleError) {
      errors.push({ row: r.row, message: ruleError });
      continue;
    }

    planned.push({
      row: r.row,
      code,
      title,
      content: v.content?.trim() ?? '',
      document,
      leadAgencyId,
      coordinatorIds,
      leaderId,
      sectorId,
      assignedOn,
      deadline: deadlineText === undefined ? null : deadline,
      noDeadlineReason: deadlineText === undefined ? (v.noDeadlineReason?.trim() ?? null) : null,
      confidential,
      events,
    });
  }

  errors.sort((a, b) => a.row - b.row);
  return { planned, errors, codesInFile };
}
