/**
 * Spreadsheet downloads shared by the task list and the activity page: Excel through exceljs (real dates formatted
 * dd/mm/yyyy, frozen bold header row), CSV through csv-stringify with a UTF-8 BOM (so Excel on Windows reads
 * Vietnamese correctly), and a Content-Disposition carrying the Vietnamese file name per RFC 6266 / RFC 5987.
 * Formula-like text is neutralised in both by files/spreadsheet-cells.ts.
 */
import ExcelJS from 'exceljs';
import { formatDateVi, type IsoDate } from '../domain/dates.ts';
import { addSafeRow, excelDate, stringifyCsv, type XlsxValue } from '../files/spreadsheet-cells.ts';

export type CellValue = string | number | boolean | null | { date: IsoDate | null } | { instant: string | null };

export interface SheetColumn {
  header: string;
  width?: number;
}

// one Content-Disposition for every download: files/disposition.ts (the content-disposition package)
export { attachmentDisposition as contentDisposition } from '../files/disposition.ts';

/** An instant as an Excel date-time in Asia/Ho_Chi_Minh local time (UTC+7, no daylight saving). */
function excelLocalDateTime(instant: string): Date {
  return new Date(new Date(instant).getTime() + 7 * 3_600_000);
}

export async function buildXlsx(
  sheetName: string,
  columns: SheetColumn[],
  rows: CellValue[][],
  notes: Array<[string, string]> = [],
): Promise<ArrayBuffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Theo dõi nhiệm vụ UBND tỉnh giao';
  wb.created = new Date();
  const ws = wb.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width ?? 16 }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) {
    addSafeRow(
      ws,
      r.map((v): XlsxValue => {
        if (v !== null && typeof v === 'object') {
          if ('date' in v) return v.date ? excelDate(v.date) : null;
          return v.instant ? excelLocalDateTime(v.instant) : null;
        }
        return v;
      }),
      r.map((v) =>
        v !== null && typeof v === 'object' ? ('date' in v ? 'dd/mm/yyyy' : 'dd/mm/yyyy hh:mm') : undefined,
      ),
    );
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  if (notes.length > 0) {
    const info = wb.addWorksheet('Thông tin');
    info.columns = [
      { header: 'Mục', width: 28 },
      { header: 'Giá trị', width: 80 },
    ];
    info.getRow(1).font = { bold: true };
    for (const n of notes) addSafeRow(info, n);
  }
  const buf = (await wb.xlsx.writeBuffer()) as unknown as Uint8Array;
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

export function buildCsv(columns: SheetColumn[], rows: CellValue[][]): string {
  const text = (v: CellValue): string | number | boolean | null => {
    if (v !== null && typeof v === 'object') {
      if ('date' in v) return formatDateVi(v.date);
      if (!v.instant) return '';
      const d = excelLocalDateTime(v.instant).toISOString();
      return `${formatDateVi(d.slice(0, 10))} ${d.slice(11, 16)}`;
    }
    return v;
  };
  return stringifyCsv([columns.map((c) => c.header), ...rows.map((r) => r.map(text))]);
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv; charset=utf-8';
