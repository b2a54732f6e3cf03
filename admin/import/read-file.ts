/**
 * Reading an import file into rows, off the request path: the bytes go to a child process (read-process.mjs) that
 * streams the file with the row limit applied while reading, so a hostile workbook costs that process, never the
 * server's event loop (issue #9 item 5). A process, not a worker thread: a worker stopped mid-read (its time or
 * heap limit, or terminate() after its answer while exceljs still inflates) can abort the whole server in Node's
 * zlib cleanup ("close before init", seen in CI); a child that dies takes only itself. This module maps the
 * reader's bounded table to ImportRows.
 *
 *   path | bytes ──size check──▶ child (csv-parse / exceljs WorkbookReader / JSON.parse, bounded)
 *        ──▶ { n, cells }[] | objects ──headers → fields──▶ ParsedFile { rows, errors }
 */
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { fork } from 'node:child_process';
import {
  columnLabel,
  DATE_FIELDS,
  fieldOfHeader,
  IMPORT_COLUMNS,
  IMPORT_FIELDS,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_ROWS,
  type ImportError,
  type ImportField,
  type ImportFormat,
  type ImportRow,
  type ParsedFile,
} from './columns.ts';
import type { IsoDate } from '../domain/dates.ts';
import { formatNumber as fmtNumber } from '../domain/format.ts';

const READER_URL = new URL('./read-process.mjs', import.meta.url);

export const READ_LIMITS = {
  maxRows: MAX_IMPORT_ROWS,
  /** the format has 20 columns; cells past this are not read */
  maxColumns: 100,
  maxSharedStrings: MAX_IMPORT_ROWS * IMPORT_FIELDS.length * 2,
  maxSharedChars: 64 * 1024 * 1024,
  /** the reader's heap; past it the reader dies (the server does not) and the file is refused */
  heapMb: 512,
  /** a file that takes longer to read is refused */
  timeoutMs: 60_000,
};

type Cell = string | number | boolean | Date | null;
export type ReadResult =
  | { kind: 'table'; rows: Array<{ n: number; cells: Cell[] }> }
  | { kind: 'objects'; items: unknown[] }
  | {
      kind: 'error';
      reason: 'too_many_rows' | 'too_many_strings' | 'json_shape' | 'unreadable' | 'crashed' | 'timeout';
      message?: string;
    };

const fileError = (message: string): ParsedFile => ({ rows: [], errors: [{ row: 1, message }] });

/**
 * Reads the bytes in a child process; resolves with its result, never rejects. `script` is the reader (a test
 * gives one that dies, to show the server outlives it).
 */
export function readInChild(bytes: Uint8Array, format: ImportFormat, script: URL = READER_URL): Promise<ReadResult> {
  return new Promise((resolve) => {
    let settled = false;
    const child = fork(script, [], {
      execArgv: [`--max-old-space-size=${READ_LIMITS.heapMb}`], // plain JavaScript: no loader needed
      serialization: 'advanced', // the bytes and the Date cells cross as they are
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    const done = (r: ReadResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
      // its answer is in; whatever it still does is of no use (a process, so stopping it mid-work is harmless)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const timer = setTimeout(() => done({ kind: 'error', reason: 'timeout' }), READ_LIMITS.timeoutMs);
    child.once('message', (m) => done(m as ReadResult));
    child.once('error', (e) => done({ kind: 'error', reason: 'crashed', message: e.message }));
    child.once('exit', () => done({ kind: 'error', reason: 'crashed', message: 'exit' }));
    child.send({ bytes, format, limits: READ_LIMITS }, (e) => {
      if (e) done({ kind: 'error', reason: 'crashed', message: e.message });
    });
  });
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
  return JSON.stringify(v);
}

/** An Excel date serial (days since 1899-12-30) in a date column whose cell is formatted as a number. */
function excelSerialToIso(n: number): IsoDate | null {
  if (!Number.isFinite(n) || n < 1 || n > 2958465) return null;
  return isoFromDate(new Date(Math.round((Math.floor(n) - 25569) * 86_400_000)));
}

function fromTable(table: Array<{ n: number; cells: Cell[] }>, excelSerials: boolean): ParsedFile {
  const errors: ImportError[] = [];
  const header = (table[0]?.n === 1 ? table[0].cells : []).map(cellText);
  if (header.every((h) => h.trim() === '')) return fileError('Tệp trống: không có dòng tiêu đề và dữ liệu.');
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
  for (const { n, cells } of table.slice(1)) {
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
    if (any) rows.push({ row: n, values });
  }
  return { rows, errors };
}

/** Each JSON object is read by its own keys (English or Vietnamese, even mixed across objects). */
function fromObjects(list: unknown[]): ParsedFile {
  const parsed: ParsedFile = { rows: [], errors: [] };
  list.forEach((o, i) => {
    const row = i + 2;
    if (!o || typeof o !== 'object' || Array.isArray(o)) {
      parsed.errors.push({ row, message: 'Phần tử không phải là một đối tượng nhiệm vụ.' });
      return;
    }
    const values: ImportRow['values'] = {};
    for (const [key, raw] of Object.entries(o as Record<string, unknown>)) {
      const f = fieldOfHeader(key);
      const text = cellText(raw).trim();
      if (!f) parsed.errors.push({ row, message: `Trường "${key.slice(0, 100)}" không thuộc mẫu nhập.` });
      else if (values[f] !== undefined) parsed.errors.push({ row, message: `Trường ${columnLabel(f)} có hai lần.` });
      else if (text !== '') values[f] = text;
    }
    parsed.rows.push({ row, values });
  });
  return parsed;
}

function readError(r: Extract<ReadResult, { kind: 'error' }>, fmt: ImportFormat): ParsedFile {
  const what = fmt === 'csv' ? 'CSV' : fmt === 'xlsx' ? 'Excel (.xlsx)' : 'JSON';
  switch (r.reason) {
    case 'too_many_rows':
      return fileError(
        `Tệp có hơn ${fmtNumber(MAX_IMPORT_ROWS)} dòng; mỗi lần nhập tối đa ${fmtNumber(MAX_IMPORT_ROWS)} dòng. Hãy chia thành nhiều tệp. Chưa đọc hết tệp và không nhập gì.`,
      );
    case 'too_many_strings':
    case 'crashed':
      return fileError(`Tệp ${what} quá lớn khi giải nén để đọc; hãy chia thành nhiều tệp nhỏ hơn. Không nhập gì.`);
    case 'timeout':
      return fileError(
        `Đọc tệp ${what} quá ${READ_LIMITS.timeoutMs / 1000} giây nên đã dừng; hãy chia thành nhiều tệp nhỏ hơn.`,
      );
    case 'json_shape':
      return fileError('Tệp JSON phải là một mảng nhiệm vụ (hoặc đối tượng có khóa "tasks").');
    default:
      return fileError(`Không đọc được tệp ${what}: ${(r.message ?? '').slice(0, 200)}`);
  }
}

/**
 * Reads a file (path, or its bytes with an explicit format) into rows. Problems with the file itself (unreadable,
 * unknown or missing columns, too large, too many rows) come back in `errors` with row 1.
 */
export async function parseImportFile(input: string | Uint8Array, format?: ImportFormat): Promise<ParsedFile> {
  let fmt = format;
  if (!fmt && typeof input === 'string') {
    const ext = extname(input).toLowerCase().slice(1);
    if (ext === 'csv' || ext === 'xlsx' || ext === 'json') fmt = ext;
  }
  if (!fmt) return fileError('Chỉ nhận tệp .csv, .xlsx hoặc .json.');
  const tooLarge = (size: number) =>
    fileError(`Tệp quá lớn (${Math.round(size / 1048576)} MB); tối đa ${MAX_IMPORT_BYTES / 1048576} MB.`);
  let bytes: Uint8Array;
  try {
    if (typeof input === 'string') {
      const { size } = await stat(input);
      if (size > MAX_IMPORT_BYTES) return tooLarge(size);
      bytes = await readFile(input);
    } else bytes = input;
  } catch (e) {
    return fileError(`Không đọc được tệp: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
  if (bytes.byteLength > MAX_IMPORT_BYTES) return tooLarge(bytes.byteLength);
  const result = await readInChild(bytes, fmt);
  if (result.kind === 'error') return readError(result, fmt);
  const parsed = result.kind === 'table' ? fromTable(result.rows, fmt === 'xlsx') : fromObjects(result.items);
  if (parsed.rows.length === 0 && parsed.errors.length === 0)
    parsed.errors.push({ row: 1, message: 'Tệp không có dòng nhiệm vụ nào.' });
  return parsed;
}
