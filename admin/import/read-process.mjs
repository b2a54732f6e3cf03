/**
 * Child process that reads an import file into a bounded table (issue #9 item 5: an .xlsx of 1.15 million rows
 * once froze the server for 30 s at 914 MiB). Plain JavaScript on purpose: it runs in any Node, with or without
 * the tsx loader, and imports only exceljs and csv-parse. Started by read-file.ts (fork, advanced serialization),
 * one process per file; it is killed once it has answered.
 *
 *   message { bytes: Uint8Array, format: 'csv' | 'xlsx' | 'json', limits }  ──▶  process.send(result)
 *   result = { kind: 'table', rows: { n, cells }[] } | { kind: 'objects', items: object[] } | { kind: 'error', … }
 *   (n = the row number a spreadsheet shows; only the header row and rows with a non-empty cell are sent)
 *
 * Limits apply while reading: the .xlsx is streamed (exceljs WorkbookReader) and reading stops at the row limit,
 * the shared-string table is capped in count and characters, CSV records are streamed (csv-parse) and stop at the
 * limit, a JSON array longer than the limit is refused before any row is looked at. The byte limit is checked by
 * the caller before the reader starts; its heap is capped by --max-old-space-size as a last line of defence.
 */
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';

class LimitError extends Error {}

/** A cell as plain data: text, number, boolean, Date or null (rich text, formulas and links reduced to values). */
function plainCell(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text ?? '').join('');
    if ('result' in v) return plainCell(v.result);
    if (v.text !== undefined) return plainCell(v.text);
    if (v.error !== undefined) return String(v.error);
  }
  return String(v);
}

function detectDelimiter(text) {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  const count = (ch) => first.split(ch).length - 1;
  const candidates = [',', ';', '\t'].map((d) => [d, count(d)]).sort((a, b) => b[1] - a[1]);
  return candidates[0][1] > 0 ? candidates[0][0] : ',';
}

async function readCsv(bytes, limits) {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 65536))
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  const parser = Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]).pipe(
    parseCsv({
      bom: true,
      delimiter: detectDelimiter(head),
      relax_column_count: true,
      skip_empty_lines: false,
      max_record_size: 200_000,
    }),
  );
  const table = new BoundedTable(limits);
  let n = 0;
  for await (const record of parser) {
    n++;
    try {
      table.add(n, record);
    } catch (e) {
      parser.destroy();
      throw e;
    }
  }
  return table.rows;
}

/** Rows as they are read, refused past the limits: data rows with content, and rows read at all (blank ones too). */
class BoundedTable {
  constructor(limits) {
    this.limits = limits;
    this.rows = [];
    this.data = 0;
    this.physical = 0;
  }
  add(n, values) {
    this.physical++;
    const cells = values.length > this.limits.maxColumns ? values.slice(0, this.limits.maxColumns) : values;
    const filled = cells.some((c) => c !== null && c !== undefined && String(c).trim() !== '');
    if (n === 1) this.rows.push({ n, cells });
    else if (filled) {
      this.data++;
      this.rows.push({ n, cells });
    }
    if (this.data > this.limits.maxRows || this.physical > this.limits.maxRows * 5) throw new LimitError('rows');
  }
}

/**
 * The first worksheet, streamed. exceljs' WorkbookReader parks every worksheet that comes before the shared
 * strings in the archive (as Excel writes them) in a temporary file, unbounded; so the workbook relations, the
 * workbook part and the shared strings (capped) are read first from the archive's directory, and the worksheet
 * is then streamed straight from the archive.
 */
async function readXlsx(bytes, limits) {
  // loaded here, not at the top: exceljs takes ~150 ms to load, which CSV and JSON files need not wait for
  const { default: ExcelJS } = await import('exceljs');
  // exceljs' own unzipper (its dependency, so always the version it was built with; not a dependency of ours)
  const unzipper = createRequire(createRequire(import.meta.url).resolve('exceljs'))('unzipper');
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const directory = await unzipper.Open.buffer(buffer);
  const entry = (path) => directory.files.find((f) => f.path === path);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buffer]), {
    worksheets: 'emit',
    sharedStrings: 'emit',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  const rels = entry('xl/_rels/workbook.xml.rels');
  const book = entry('xl/workbook.xml');
  if (!rels || !book) throw new Error('thiếu xl/workbook.xml');
  await reader._parseRels(rels.stream());
  await reader._parseWorkbook(book.stream());
  const strings = [];
  const sst = entry('xl/sharedStrings.xml');
  if (sst) {
    let chars = 0;
    for await (const { text } of reader._parseSharedStrings(sst.stream())) {
      const value = plainCell(text) ?? '';
      chars += String(value).length;
      if (strings.length >= limits.maxSharedStrings || chars > limits.maxSharedChars) throw new LimitError('strings');
      strings.push(value);
    }
  }
  reader.sharedStrings = strings;
  // the second pass (the archive in order) must not read the shared strings again, unbounded
  reader.options = { ...reader.options, sharedStrings: 'ignore' };
  const table = new BoundedTable(limits);
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = Array.isArray(row.values) ? row.values.slice(1, limits.maxColumns + 1) : [];
      const cells = [];
      for (let i = 0; i < values.length; i++) cells[i] = plainCell(values[i]);
      table.add(row.number, cells);
    }
    break; // the first worksheet only
  }
  return table.rows;
}

function readJson(bytes, limits) {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  const data = JSON.parse(text);
  const list = Array.isArray(data) ? data : data?.tasks;
  if (!Array.isArray(list)) return { kind: 'error', reason: 'json_shape' };
  if (list.length > limits.maxRows) throw new LimitError('rows');
  return { kind: 'objects', items: list };
}

async function main({ bytes, format, limits }) {
  try {
    if (format === 'csv') return { kind: 'table', rows: await readCsv(bytes, limits) };
    if (format === 'xlsx') return { kind: 'table', rows: await readXlsx(bytes, limits) };
    return readJson(bytes, limits);
  } catch (e) {
    if (e instanceof LimitError)
      return { kind: 'error', reason: e.message === 'rows' ? 'too_many_rows' : 'too_many_strings' };
    return { kind: 'error', reason: 'unreadable', message: String(e?.message ?? e).slice(0, 200) };
  }
}

process.once('message', async (input) => {
  process.send(await main(input));
});
