/**
 * Spreadsheet-cell neutralising for every CSV and XLSX this product writes (admin exports, public open data):
 * a text cell that a spreadsheet could run as a formula (DESIGN.md §7; OWASP "CSV Injection") is written as text.
 *
 * - CSV has no cell types, so such a cell gets a leading apostrophe, as OWASP recommends: csv-stringify's
 *   `escape_formulas` prefixes "'" to strings starting with = + - @ tab CR (and their full-width forms) and leaves
 *   real numbers, negative ones included, untouched.
 * - XLSX carries the type of each cell: strings are written as shared strings (`t="s"`, never an `<f>` element), so
 *   Excel and LibreOffice show them and do not evaluate them. Such a cell also gets the Text number format ("@",
 *   numFmtId 49), so that editing it in Excel and pressing Enter keeps it text instead of turning it into a formula.
 *   No apostrophe is added: in XLSX it would be visible content, and the value would differ from the JSON.
 * - Numbers stay numbers and dates stay dates (real numeric and date cells).
 */
import { stringify } from 'csv-stringify/sync';
import type ExcelJS from 'exceljs';

/** The first characters that make Excel, LibreOffice or Google Sheets read a cell as a formula (or a DDE call). */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

export function looksLikeFormula(value: string): boolean {
  return FORMULA_START.test(value);
}

export type CsvField = string | number | boolean | null | undefined;

/** CSV with formula-like text neutralised; CRLF line ends, and a UTF-8 BOM so Excel on Windows reads Vietnamese. */
export function stringifyCsv(rows: CsvField[][], options: { bom?: boolean } = {}): string {
  return stringify(rows, { bom: options.bom ?? true, record_delimiter: 'windows', escape_formulas: true });
}

/** A calendar day (YYYY-MM-DD) as the Excel date of that day (UTC midnight: exceljs stores whole-day serials). */
export function excelDate(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

export type XlsxValue = string | number | boolean | Date | null;

/** What both exceljs worksheets (in-memory and streaming) offer for adding a row. */
interface RowSink {
  addRow(values: XlsxValue[]): ExcelJS.Row;
}

/**
 * Adds a row whose formula-like strings are kept as text (Text format). `formats` gives a number format per column
 * (e.g. dates), applied to cells that hold a value.
 */
export function addSafeRow(sheet: RowSink, values: XlsxValue[], formats: Array<string | undefined> = []): ExcelJS.Row {
  const row = sheet.addRow(values);
  values.forEach((v, i) => {
    if (typeof v === 'string' && looksLikeFormula(v)) row.getCell(i + 1).numFmt = '@';
    else if (v !== null && formats[i]) row.getCell(i + 1).numFmt = formats[i]!;
  });
  return row;
}
