/**
 * Open data writers: the same snapshot the site is built from, as JSON (the exact stored text, so its SHA-256
 * matches the published hash), CSV (UTF-8 with BOM so spreadsheet software reads Vietnamese) and XLSX (exceljs
 * streaming writer; YYYY-MM-DD columns are real date cells, counts real numbers). The data dictionary below drives
 * the CSV/XLSX columns and the dictionary on the site. Formula-like text (a task title starting with "=", "+", …)
 * is neutralised in both by files/spreadsheet-cells.ts.
 */
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import { addSafeRow, excelDate, stringifyCsv, type XlsxValue } from '../files/spreadsheet-cells.ts';
import {
  COUNT_COLUMNS,
  countValue,
  FIGURE_DICTIONARY,
  figureRows,
  NEWLY_OVERDUE_DICTIONARY,
  newlyOverdueRows,
  type FigureRow,
} from './open-data-figures.ts';
import {
  EVENT_LABELS,
  type PublicTask,
  rulesVersionOf,
  STATUS_LABELS,
  type StoredSnapshot as Snapshot,
} from './schema.ts';

export { COUNT_COLUMNS, FIGURE_DICTIONARY, NEWLY_OVERDUE_DICTIONARY };
export { figuresCsv, newlyOverdueCsv } from './open-data-figures.ts';

export interface DictionaryEntry {
  column: string;
  type: string;
  meaning: string;
  value: (t: PublicTask, s: Snapshot) => string | number | null;
}

export const TASK_DICTIONARY: DictionaryEntry[] = [
  { column: 'ky', type: 'YYYY-MM', meaning: 'Kỳ công bố', value: (_t, s) => s.period },
  {
    column: 'ngay_chot',
    type: 'YYYY-MM-DD',
    meaning: 'Ngày chốt số liệu (mọi tình trạng tính đến hết ngày này)',
    value: (_t, s) => s.asOf,
  },
  { column: 'ma_nhiem_vu', type: 'văn bản', meaning: 'Mã nhiệm vụ, ổn định qua các kỳ', value: (t) => t.code },
  { column: 'ten_nhiem_vu', type: 'văn bản', meaning: 'Tên nhiệm vụ', value: (t) => t.title },
  {
    column: 'so_van_ban',
    type: 'văn bản',
    meaning: 'Số văn bản chỉ đạo giao nhiệm vụ',
    value: (t) => t.document?.number ?? null,
  },
  {
    column: 'loai_van_ban',
    type: 'văn bản',
    meaning: 'Loại văn bản (Công văn, Quyết định, Chỉ thị, …)',
    value: (t) => t.document?.type ?? null,
  },
  {
    column: 'ngay_van_ban',
    type: 'YYYY-MM-DD',
    meaning: 'Ngày ban hành văn bản',
    value: (t) => t.document?.issuedOn ?? null,
  },
  {
    column: 'ma_co_quan_chu_tri',
    type: 'văn bản',
    meaning: 'Mã cơ quan chủ trì tại ngày chốt',
    value: (t) => t.leadAgency,
  },
  {
    column: 'co_quan_chu_tri',
    type: 'văn bản',
    meaning: 'Tên cơ quan chủ trì',
    value: (t, s) => s.agencies.find((a) => a.code === t.leadAgency)?.name ?? t.leadAgency,
  },
  {
    column: 'co_quan_phoi_hop',
    type: 'danh sách mã, cách nhau bởi ";"',
    meaning: 'Các cơ quan phối hợp',
    value: (t) => t.coordinators.join(';'),
  },
  { column: 'linh_vuc', type: 'văn bản', meaning: 'Lĩnh vực', value: (t) => t.sector },
  { column: 'ngay_giao', type: 'YYYY-MM-DD', meaning: 'Ngày giao nhiệm vụ', value: (t) => t.assignedOn },
  {
    column: 'thoi_han',
    type: 'YYYY-MM-DD',
    meaning: 'Thời hạn ban đầu; trống = không thời hạn',
    value: (t) => t.deadline,
  },
  {
    column: 'thoi_han_gia_han',
    type: 'YYYY-MM-DD',
    meaning: 'Thời hạn mới nếu đã được đồng ý gia hạn trước ngày chốt',
    value: (t) => t.extendedDeadline,
  },
  {
    column: 'tinh_trang',
    type: 'mã',
    meaning: 'completedOnTime, completedLate, inProgress, overdue hoặc noDeadline',
    value: (t) => t.status,
  },
  {
    column: 'tinh_trang_ten',
    type: 'văn bản',
    meaning: 'Tên tình trạng bằng tiếng Việt',
    value: (t) => STATUS_LABELS[t.status],
  },
  {
    column: 'ngay_hoan_thanh',
    type: 'YYYY-MM-DD',
    meaning: 'Ngày nộp báo cáo kết quả đã được xác nhận',
    value: (t) => t.completedOn,
  },
  {
    column: 'cho_xac_nhan',
    type: '0/1',
    meaning: 'Đã báo cáo kết quả, đang chờ Tổ công tác xác nhận',
    value: (t) => (t.awaitingConfirmation ? 1 : 0),
  },
  {
    column: 'so_ngay_qua_han',
    type: 'số nguyên',
    meaning: 'Số ngày quá hạn tại ngày chốt (nhiệm vụ đang quá hạn)',
    value: (t) => t.overdueDays,
  },
  { column: 'ket_qua', type: 'văn bản', meaning: 'Tóm tắt kết quả đã được công khai', value: (t) => t.resultSummary },
];

export function snapshotCsv(s: Snapshot): string {
  const rows: Array<Array<string | number | null>> = [TASK_DICTIONARY.map((d) => d.column)];
  for (const t of s.tasks) rows.push(TASK_DICTIONARY.map((d) => d.value(t, s)));
  return stringifyCsv(rows);
}

const DATE_FORMAT = 'yyyy-mm-dd';
const DATE_COLUMNS = TASK_DICTIONARY.map((d) => (d.type === 'YYYY-MM-DD' ? DATE_FORMAT : undefined));

/** A task cell for XLSX: the dictionary's YYYY-MM-DD text becomes a real date cell. */
function xlsxTaskCell(v: string | number | null, i: number): XlsxValue {
  return DATE_COLUMNS[i] && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? excelDate(v) : v;
}

/** XLSX with three sheets: totals, agencies, tasks (streamed: 30,000 rows in about a second). */
export async function writeSnapshotXlsx(s: Snapshot, path: string): Promise<void> {
  const stream = createWriteStream(path);
  // styles for the date and Text formats; shared strings so every text cell is a plain string (t="s"), never the
  // formula-result type (t="str") that the inline writer uses
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: true });
  wb.creator = s.office;
  const summary = wb.addWorksheet('Tong hop');
  addSafeRow(summary, ['Kỳ', s.period]).commit();
  addSafeRow(summary, ['Ngày chốt số liệu', excelDate(s.asOf)], [undefined, DATE_FORMAT]).commit();
  addSafeRow(summary, ['Bản', s.revision]).commit();
  addSafeRow(summary, ['Phiên bản quy tắc tính', rulesVersionOf(s)]).commit();
  if (s.note) addSafeRow(summary, ['Đính chính', s.note]).commit();
  addSafeRow(summary, ['Lũy kế đến ngày chốt']).commit();
  for (const [key, label] of COUNT_COLUMNS) addSafeRow(summary, [label, countValue(s.totals, key)]).commit();
  summary.commit();
  const agencies = wb.addWorksheet('Co quan');
  addSafeRow(agencies, ['Mã', 'Cơ quan', ...COUNT_COLUMNS.map(([, l]) => l), 'Hạng']).commit();
  for (const a of s.agencies)
    addSafeRow(agencies, [a.code, a.name, ...COUNT_COLUMNS.map(([k]) => countValue(a.counts, k)), a.rank]).commit();
  agencies.commit();
  // the three views of the month and the year to date, and the agencies newly overdue (as in the CSV files)
  addTable(wb, 'So lieu theo ky', FIGURE_DICTIONARY, figureRows(s));
  const overdue = newlyOverdueRows(s);
  if (overdue) addTable(wb, 'Moi qua han', NEWLY_OVERDUE_DICTIONARY, overdue);
  const tasks = wb.addWorksheet('Nhiem vu');
  addSafeRow(
    tasks,
    TASK_DICTIONARY.map((d) => d.column),
  ).commit();
  for (const t of s.tasks)
    addSafeRow(
      tasks,
      TASK_DICTIONARY.map((d, i) => xlsxTaskCell(d.value(t, s), i)),
      DATE_COLUMNS,
    ).commit();
  tasks.commit();
  await wb.commit();
  if (!stream.closed) await once(stream, 'close');
}

/** A sheet with a header row of dictionary columns; YYYY-MM-DD columns become date cells. */
function addTable(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  dictionary: Array<{ column: string; type: string }>,
  rows: FigureRow[],
): void {
  const sheet = wb.addWorksheet(name);
  const formats = dictionary.map((d) => (d.type === 'YYYY-MM-DD' ? DATE_FORMAT : undefined));
  addSafeRow(
    sheet,
    dictionary.map((d) => d.column),
  ).commit();
  for (const r of rows)
    addSafeRow(
      sheet,
      r.map((v, i) => (formats[i] && typeof v === 'string' && v !== '' ? excelDate(v) : v)),
      formats,
    ).commit();
  sheet.commit();
}

export async function writeSnapshotCsv(s: Snapshot, path: string): Promise<void> {
  await writeFile(path, snapshotCsv(s));
}

export { EVENT_LABELS };
