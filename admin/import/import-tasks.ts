/**
 * Import of tasks with their history from another system or a spreadsheet (.csv, .xlsx, .json), one row per task.
 * Used by `npm run import` and by the admin panel's import page; no CLI or HTTP concerns here.
 *
 *   parseImportFile(path | bytes, format) ──▶ rows ──importTasks(db, rows, { dryRun })──▶ { imported, errors }
 *
 * Every row is validated first (formats, references, dates in order) and its history is replayed through the rules
 * module's checkEvent; a file with any bad row imports nothing. Valid files are written in one immediate transaction
 * through createTask / appendEvent, i.e. the same rules as every other write.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { DB } from '../db/open.ts';
import { formatDateVi, parseDateInput, today as todayVn, type IsoDate } from '../domain/dates.ts';
import { checkEvent, DomainError, extensionContext, type ProposedEvent } from '../domain/rules.ts';
import { deriveFacts, type EventKind, type EventLite } from '../domain/status.ts';
import { appendEvent, createTask } from '../domain/tasks.ts';
import { foldVietnamese } from '../domain/text.ts';

export type ImportFormat = 'csv' | 'xlsx' | 'json';

/** The columns, by English key, with the Vietnamese header names accepted for each (matched without diacritics). */
export const IMPORT_COLUMNS = {
  code: { vi: ['Mã nhiệm vụ'], required: false, max: 50 },
  title: { vi: ['Tên nhiệm vụ'], required: true, max: 1000 },
  content: { vi: ['Nội dung'], required: false, max: 10000 },
  documentNumber: { vi: ['Số văn bản', 'Số hiệu văn bản'], required: false, max: 100 },
  documentDate: { vi: ['Ngày văn bản', 'Ngày ban hành'], required: false, max: 20 },
  documentType: { vi: ['Loại văn bản'], required: false, max: 100 },
  signer: { vi: ['Người ký', 'Lãnh đạo ký'], required: false, max: 200 },
  leadAgency: { vi: ['Đơn vị chủ trì', 'Mã đơn vị chủ trì'], required: true, max: 50 },
  coordinatingAgencies: { vi: ['Đơn vị phối hợp', 'Mã đơn vị phối hợp'], required: false, max: 1000 },
  sector: { vi: ['Lĩnh vực'], required: false, max: 200 },
  assignedOn: { vi: ['Ngày giao'], required: true, max: 20 },
  deadline: { vi: ['Thời hạn', 'Hạn xử lý', 'Hạn hoàn thành'], required: false, max: 20 },
  noDeadlineReason: { vi: ['Lý do không thời hạn'], required: false, max: 1000 },
  extensionApprovedOn: { vi: ['Ngày duyệt gia hạn', 'Ngày gia hạn'], required: false, max: 20 },
  newDeadline: { vi: ['Thời hạn mới', 'Hạn sau gia hạn'], required: false, max: 20 },
  reportedOn: { vi: ['Ngày báo cáo kết quả', 'Ngày báo cáo'], required: false, max: 20 },
  confirmedOn: { vi: ['Ngày xác nhận hoàn thành', 'Ngày xác nhận'], required: false, max: 20 },
  cancelledOn: { vi: ['Ngày thu hồi'], required: false, max: 20 },
  cancelReason: { vi: ['Lý do thu hồi'], required: false, max: 1000 },
  public: { vi: ['Công khai'], required: false, max: 20 },
} as const;

export type ImportField = keyof typeof IMPORT_COLUMNS;
export const IMPORT_FIELDS = Object.keys(IMPORT_COLUMNS) as ImportField[];

/** One data row as read from the file: its row number as the user sees it (header = row 1) and its cells as text. */
export interface ImportRow {
  row: number;
  values: Partial<Record<ImportField, string>>;
}

export interface ImportError {
  /** row number in the file as a spreadsheet shows it: the header is row 1, the first task row 2 */
  row: number;
  message: string;
}

export interface ParsedFile {
  rows: ImportRow[];
  errors: ImportError[];
}

export interface ImportOptions {
  /** validate only; write nothing */
  dryRun?: boolean;
  /** user recorded as the actor of created tasks and events */
  actorUserId?: number | null;
  /** "today" for the no-future-dates check (default: today in Asia/Ho_Chi_Minh) */
  today?: IsoDate;
}

export interface ImportResult {
  /** tasks written (0 on a dry run or when any row is bad) */
  imported: number;
  /** rows that passed validation */
  valid: number;
  /** documents created (or that would be created, on a dry run) */
  documentsCreated: number;
  dryRun: boolean;
  errors: ImportError[];
}

export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 20_000;

const HEADER_INDEX: Map<string, ImportField> = (() => {
  const m = new Map<string, ImportField>();
  for (const f of IMPORT_FIELDS) {
    m.set(foldVietnamese(f), f);
    for (const vi of IMPORT_COLUMNS[f].vi) m.set(foldVietnamese(vi), f);
  }
  return m;
})();

function fieldOfHeader(header: string): ImportField | undefined {
  return HEADER_INDEX.get(foldVietnamese(header.replace(/\s*\*\s*$/, '')));
}

function columnLabel(f: ImportField): string {
  return `"${IMPORT_COLUMNS[f].vi[0]}" (${f})`;
}

function isoFromDate(d: Date): IsoDate {
  return d.toISOString().slice(0, 10);
}

/** Text of a cell, whatever the file format stored (dates become YYYY-MM-DD). */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : isoFromDate(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object') {
    const o = v as { result?: unknown; richText?: Array<{ text: string }>; text?: unknown; error?: unknown };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if ('result' in o) return cellText(o.result);
    if (o.text !== undefined) return cellText(o.text);
    if (o.error !== undefined) return String(o.error);
  }
  return String(v);
}

const DATE_FIELDS = new Set<ImportField>([
  'documentDate',
  'assignedOn',
  'deadline',
  'extensionApprovedOn',
  'newDeadline',
  'reportedOn',
  'confirmedOn',
  'cancelledOn',
]);

/** An Excel date serial (days since 1899-12-30) in a date column whose cell is formatted as a number. */
function excelSerialToIso(n: number): IsoDate | null {
  if (!Number.isFinite(n) || n < 1 || n > 2958465) return null;
  return isoFromDate(new Date(Math.round((Math.floor(n) - 25569) * 86_400_000)));
}

function fromTable(table: unknown[][], excelSerials = false): ParsedFile {
  const errors: ImportError[] = [];
  const header = (table[0] ?? []).map(cellText);
  if (table.length === 0 || header.every((h) => h.trim() === '')) {
    return { rows: [], errors: [{ row: 1, message: 'Tệp trống: không có dòng tiêu đề và dữ liệu.' }] };
  }
  const columns: Array<ImportField | undefined> = [];
  const seen = new Set<ImportField>();
  header.forEach((h, i) => {
    if (h.trim() === '') return;
    const f = fieldOfHeader(h);
    if (!f)
      errors.push({
        row: 1,
        message: `Cột "${h.slice(0, 100)}" (cột ${i + 1}) không thuộc mẫu nhập; xem danh sách cột trong hướng dẫn.`,
      });
    else if (seen.has(f)) errors.push({ row: 1, message: `Cột ${columnLabel(f)} xuất hiện hai lần.` });
    else {
      seen.add(f);
      columns[i] = f;
    }
  });
  for (const f of IMPORT_FIELDS) {
    if (IMPORT_COLUMNS[f].required && !seen.has(f))
      errors.push({ row: 1, message: `Thiếu cột bắt buộc ${columnLabel(f)}.` });
  }
  const rows: ImportRow[] = [];
  for (let r = 1; r < table.length; r++) {
    const cells = table[r] ?? [];
    const values: ImportRow['values'] = {};
    let any = false;
    cells.forEach((c, i) => {
      const f = columns[i];
      const serial =
        excelSerials && f !== undefined && DATE_FIELDS.has(f) && typeof c === 'number' ? excelSerialToIso(c) : null;
      const text = serial ?? cellText(c).trim();
      if (text !== '') any = true;
      if (f && text !== '') values[f] = text;
    });
    if (any) rows.push({ row: r + 1, values });
  }
  return { rows, errors };
}

function detectDelimiter(text: string): string {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  const count = (ch: string) => first.split(ch).length - 1;
  const candidates = [',', ';', '\t'].map((d) => [d, count(d)] as const).sort((a, b) => b[1] - a[1]);
  return candidates[0]![1] > 0 ? candidates[0]![0] : ',';
}

/**
 * Reads a file (path, or its bytes with an explicit format) into rows. Problems with the file itself (unreadable,
 * unknown or missing columns, too large) come back in `errors` with row 1.
 */
export async function parseImportFile(input: string | Uint8Array, format?: ImportFormat): Promise<ParsedFile> {
  let fmt = format;
  if (!fmt && typeof input === 'string') {
    const ext = extname(input).toLowerCase().slice(1);
    if (ext === 'csv' || ext === 'xlsx' || ext === 'json') fmt = ext;
  }
  if (!fmt) return { rows: [], errors: [{ row: 1, message: 'Chỉ nhận tệp .csv, .xlsx hoặc .json.' }] };
  let bytes: Buffer;
  try {
    bytes =
      typeof input === 'string' ? await readFile(input) : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  } catch (e) {
    return {
      rows: [],
      errors: [
        { row: 1, message: `Không đọc được tệp: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.` },
      ],
    };
  }
  if (bytes.length > MAX_IMPORT_BYTES) {
    return {
      rows: [],
      errors: [
        {
          row: 1,
          message: `Tệp quá lớn (${Math.round(bytes.length / 1048576)} MB); tối đa ${MAX_IMPORT_BYTES / 1048576} MB.`,
        },
      ],
    };
  }
  let parsed: ParsedFile;
  try {
    if (fmt === 'csv') {
      const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
      const table = parseCsv(text, {
        delimiter: detectDelimiter(text),
        relax_column_count: true,
        skip_empty_lines: false,
        max_record_size: 200_000,
      }) as string[][];
      parsed = fromTable(table);
    } else if (fmt === 'xlsx') {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
      const ws = wb.worksheets[0];
      if (!ws) return { rows: [], errors: [{ row: 1, message: 'Tệp Excel không có trang tính nào.' }] };
      const table: unknown[][] = [];
      for (let r = 1; r <= ws.rowCount; r++) {
        const values = ws.getRow(r).values as unknown[]; // 1-based, sparse
        table.push(Array.isArray(values) ? values.slice(1) : []);
      }
      parsed = fromTable(table, true);
    } else {
      const data = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, '')) as unknown;
      const list = Array.isArray(data) ? data : (data as { tasks?: unknown })?.tasks;
      if (!Array.isArray(list))
        return {
          rows: [],
          errors: [{ row: 1, message: 'Tệp JSON phải là một mảng nhiệm vụ (hoặc đối tượng có khóa "tasks").' }],
        };
      // each object is read by its own keys (English or Vietnamese, even mixed across objects)
      parsed = { rows: [], errors: [] };
      list.forEach((o, i) => {
        const row = i + 2;
        if (!o || typeof o !== 'object' || Array.isArray(o)) {
          parsed.errors.push({ row, message: 'Phần tử không phải là một đối tượng nhiệm vụ.' });
          return;
        }
        const values: ImportRow['values'] = {};
        for (const [key, raw] of Object.entries(o as Record<string, unknown>)) {
          const f = fieldOfHeader(key);
          const text = (typeof raw === 'object' && raw !== null ? JSON.stringify(raw) : cellText(raw)).trim();
          if (!f) parsed.errors.push({ row, message: `Trường "${key.slice(0, 100)}" không thuộc mẫu nhập.` });
          else if (values[f] !== undefined)
            parsed.errors.push({ row, message: `Trường ${columnLabel(f)} có hai lần.` });
          else if (text !== '') values[f] = text;
        }
        parsed.rows.push({ row, values });
      });
    }
  } catch (e) {
    const what = fmt === 'csv' ? 'CSV' : fmt === 'xlsx' ? 'Excel (.xlsx)' : 'JSON';
    return {
      rows: [],
      errors: [{ row: 1, message: `Không đọc được tệp ${what}: ${(e as Error).message.slice(0, 200)}` }],
    };
  }
  if (parsed.rows.length === 0 && parsed.errors.length === 0)
    parsed.errors.push({ row: 1, message: 'Tệp không có dòng nhiệm vụ nào.' });
  if (parsed.rows.length > MAX_IMPORT_ROWS) {
    parsed.errors.push({
      row: 1,
      message: `Tệp có ${parsed.rows.length} dòng; mỗi lần nhập tối đa ${MAX_IMPORT_ROWS} dòng.`,
    });
  }
  return parsed;
}

// ---------------------------------------------------------------------------------------------------------------

interface PlannedEvent extends ProposedEvent {
  prio: number;
}

interface PlannedTask {
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

/**
 * Validates every row, then (unless dryRun or any row is bad) writes all tasks with their events in one immediate
 * transaction through createTask/appendEvent. `parseErrors` from parseImportFile count as bad rows too.
 */
export function importTasks(
  db: DB,
  rows: readonly ImportRow[],
  options: ImportOptions = {},
  parseErrors: readonly ImportError[] = [],
): ImportResult {
  const today = options.today ?? todayVn();
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
  const newDocuments = new Set(
    planned
      .filter((p) => p.document && p.document.existingId === null)
      .map((p) => `${p.document!.number}|${p.document!.date}`),
  );
  const result: ImportResult = {
    imported: 0,
    valid: planned.length,
    documentsCreated: newDocuments.size,
    dryRun: options.dryRun ?? false,
    errors,
  };
  if (errors.length > 0) return { ...result, valid: 0 };
  if (options.dryRun) return result;

  // codes for rows without one: NV-YYYY-NNNNN after the highest code of that year in the database and the file
  const nextByYear = new Map<string, number>();
  const maxCode = db
    .prepare('SELECT max(CAST(substr(code, 9) AS INTEGER)) FROM tasks WHERE code LIKE ? AND length(code) = 13')
    .pluck();
  const takeCode = (assignedOn: IsoDate): string => {
    const year = assignedOn.slice(0, 4);
    let n = nextByYear.get(year);
    if (n === undefined) {
      n = ((maxCode.get(`NV-${year}-%`) as number | null) ?? 0) + 1;
      for (const c of codesInFile.keys()) {
        const m = /^NV-(\d{4})-(\d{5})$/.exec(c);
        if (m && m[1] === year) n = Math.max(n, Number(m[2]) + 1);
      }
    }
    nextByYear.set(year, n + 1);
    return `NV-${year}-${String(n).padStart(5, '0')}`;
  };

  const insertDocument = db.prepare(
    'INSERT INTO documents (number, doc_type, issued_on, signer_id, summary, created_by) VALUES (?, ?, ?, ?, ?, ?)',
  );
  let current: PlannedTask | null = null;
  try {
    db.transaction(() => {
      const documentIds = new Map<string, number>();
      for (const p of planned) {
        current = p;
        let documentId: number | null = null;
        if (p.document) {
          const key = `${p.document.number}|${p.document.date}`;
          documentId = p.document.existingId ?? documentIds.get(key) ?? null;
          if (documentId === null) {
            documentId = Number(
              insertDocument.run(
                p.document.number,
                p.document.type,
                p.document.date,
                p.document.signerId,
                '',
                options.actorUserId ?? null,
              ).lastInsertRowid,
            );
            documentIds.set(key, documentId);
          }
        }
        const taskId = createTask(db, {
          code: p.code || takeCode(p.assignedOn),
          title: p.title,
          content: p.content,
          documentId,
          documentNumber: p.document?.number ?? '',
          leadAgencyId: p.leadAgencyId,
          coordinatorIds: p.coordinatorIds,
          leaderId: p.leaderId,
          sectorId: p.sectorId,
          assignedOn: p.assignedOn,
          deadline: p.deadline,
          noDeadlineReason: p.noDeadlineReason,
          confidential: p.confidential,
          actorUserId: options.actorUserId ?? null,
        });
        for (const e of p.events) {
          appendEvent(db, taskId, {
            kind: e.kind,
            occurredOn: e.occurredOn,
            note: e.note ?? '',
            ...(e.data ? { data: e.data } : {}),
            actorUserId: options.actorUserId ?? null,
          });
        }
      }
    }).immediate();
  } catch (e) {
    const row = (current as PlannedTask | null)?.row ?? 1;
    const message = e instanceof DomainError ? e.message : `Lỗi khi ghi dữ liệu: ${(e as Error).message}`;
    return { ...result, valid: 0, errors: [{ row, message: `${message} Không có dòng nào được nhập.` }] };
  }
  return { ...result, imported: planned.length };
}

/** parseImportFile + importTasks: the whole import of one file. */
export async function importFile(
  db: DB,
  input: string | Uint8Array,
  format: ImportFormat | undefined,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const parsed = await parseImportFile(input, format);
  if (parsed.errors.some((e) => e.row === 1)) {
    return { imported: 0, valid: 0, documentsCreated: 0, dryRun: options.dryRun ?? false, errors: parsed.errors };
  }
  return importTasks(db, parsed.rows, options, parsed.errors);
}
