import { beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DB } from '../db/open.ts';
import { counts, setup } from './import-test-db.ts';
import { classifyAsOf } from '../domain/status.ts';
import { factsFromRow, getTaskByCode, listEvents, type TaskRow } from '../domain/tasks.ts';
import { importFile, importTasks, parseImportFile, type ImportResult } from './import-tasks.ts';

const EXAMPLE = fileURLToPath(new URL('../../data/demo/import-example.csv', import.meta.url));
const TODAY = '2026-01-15';
const HEADER =
  'Mã nhiệm vụ,Tên nhiệm vụ,Số văn bản,Ngày văn bản,Người ký,Đơn vị chủ trì,Đơn vị phối hợp,Ngày giao,Thời hạn,Lý do không thời hạn,Ngày duyệt gia hạn,Thời hạn mới,Ngày báo cáo kết quả,Ngày xác nhận hoàn thành,Ngày thu hồi,Công khai';
const GOOD = 'NV-2025-80001,Nhiệm vụ tốt,10/UBND-KT,2025-05-05,,STC,,2025-05-05,2025-06-30,,,,,,,có';

let db: DB;

async function importCsv(text: string, options: { dryRun?: boolean } = {}): Promise<ImportResult> {
  return importFile(db, Buffer.from(text, 'utf8'), 'csv', { today: TODAY, ...options });
}

beforeEach(() => {
  db = setup();
});

describe('import of the example file', () => {
  it('imports every row with its history, documents and coordinators', async () => {
    const r = await importFile(db, EXAMPLE, undefined, { today: TODAY });
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({ imported: 6, valid: 6, documentsCreated: 4, dryRun: false });
    const t1 = getTaskByCode(db, 'NV-2025-90001')!;
    expect(classifyAsOf(factsFromRow(t1), '2025-04-10').category).toBe('completedOnTime');
    expect(db.prepare('SELECT count(*) FROM task_coordinators WHERE task_id = ?').pluck().get(t1.id)).toBe(2);
    const t2 = getTaskByCode(db, 'NV-2025-90002')!;
    expect(listEvents(db, t2.id).map((e) => e.kind)).toEqual([
      'assigned',
      'extension_requested',
      'extension_approved',
      'reported',
      'confirmed',
    ]);
    expect(t2).toMatchObject({ deadline: '2025-04-15', ext_deadline: '2025-04-30', completed_on: '2025-04-29' });
    expect(classifyAsOf(factsFromRow(t2), '2025-05-05').category).toBe('completedOnTime');
    const t3 = getTaskByCode(db, 'NV-2025-90003')!;
    expect(t3.confidential).toBe(1);
    expect(classifyAsOf(factsFromRow(t3), '2025-06-01').category).toBe('completedLate');
    const t4 = getTaskByCode(db, 'NV-2025-90004')!;
    expect(t4).toMatchObject({ deadline: null, no_deadline_reason: 'Nhiệm vụ thường xuyên' });
    expect(getTaskByCode(db, 'NV-2025-90005')!.cancelled_on).toBe('2025-04-20');
    const auto = db.prepare("SELECT * FROM tasks WHERE title LIKE 'Tổ chức kỳ thi%'").get() as TaskRow;
    expect(auto.code).toBe('NV-2025-90006'); // after the highest code of the year in the file
    const doc = db.prepare("SELECT doc_type, signer_id FROM documents WHERE number = '3180/QĐ-UBND'").get();
    expect(doc).toEqual({ doc_type: 'Quyết định', signer_id: 4 });
  });

  it('a second import of the same file is refused as a whole (codes already exist)', async () => {
    await importFile(db, EXAMPLE, undefined, { today: TODAY });
    const before = counts(db);
    const r = await importFile(db, EXAMPLE, undefined, { today: TODAY });
    expect(r.imported).toBe(0);
    expect(r.errors.map((e) => e.row)).toEqual([2, 3, 4, 5, 6]);
    expect(r.errors[0]!.message).toBe('Mã nhiệm vụ "NV-2025-90001" đã có trong hệ thống.');
    expect(counts(db)).toEqual(before);
  });

  it('a dry run validates and writes nothing', async () => {
    const r = await importFile(db, EXAMPLE, undefined, { today: TODAY, dryRun: true });
    expect(r).toMatchObject({ imported: 0, valid: 6, dryRun: true, errors: [] });
    expect(counts(db)).toEqual({ tasks: 0, events: 0, documents: 0 });
  });

  it('reads the same rows from .xlsx (real date cells, English keys) and .json', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Nhiệm vụ');
    ws.addRow([
      'code',
      'title',
      'documentNumber',
      'documentDate',
      'leadAgency',
      'coordinatingAgencies',
      'assignedOn',
      'deadline',
      'reportedOn',
      'confirmedOn',
      'public',
    ]);
    ws.addRow([
      'NV-2025-70001',
      'Từ Excel',
      '5/UBND-KT',
      new Date(Date.UTC(2025, 4, 5)),
      'stc',
      'SXD;SNV',
      new Date(Date.UTC(2025, 4, 5)),
      '30/06/2025',
      '2025-06-01',
      new Date(Date.UTC(2025, 5, 3)),
      'x',
    ]);
    ws.addRow([]);
    ws.addRow([
      'NV-2025-70002',
      { richText: [{ text: 'Rich ' }, { text: 'text' }] },
      null,
      null,
      'SCT',
      null,
      '2025-05-06',
      '2025-05-30',
      null,
      null,
      'Không',
    ]);
    const buffer = new Uint8Array(await wb.xlsx.writeBuffer());
    const parsed = await parseImportFile(buffer, 'xlsx');
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.map((r) => r.row)).toEqual([2, 4]); // the empty row 3 keeps the numbering
    expect(parsed.rows[0]!.values).toMatchObject({
      documentDate: '2025-05-05',
      confirmedOn: '2025-06-03',
      leadAgency: 'stc',
    });
    expect(parsed.rows[1]!.values.title).toBe('Rich text');
    const r = importTasks(db, parsed.rows, { today: TODAY });
    expect(r.errors).toEqual([]);
    expect(r.imported).toBe(2);
    expect(getTaskByCode(db, 'NV-2025-70001')).toMatchObject({
      completed_on: '2025-06-01',
      confirmed_on: '2025-06-03',
      confidential: 0,
    });
    expect(getTaskByCode(db, 'NV-2025-70002')!.confidential).toBe(1);

    const json = JSON.stringify([
      {
        'Mã nhiệm vụ': 'NV-2025-70003',
        'Tên nhiệm vụ': 'Từ JSON',
        'Đơn vị chủ trì': 'SYT',
        'Ngày giao': '2025-05-07',
        'Thời hạn': '2025-05-20',
      },
      {
        code: 'NV-2025-70004',
        title: 'JSON 2',
        leadAgency: 'SYT',
        assignedOn: '2025-05-07',
        noDeadlineReason: 'Thường xuyên',
      },
    ]);
    const rj = await importFile(db, Buffer.from(json), 'json', { today: TODAY });
    expect(rj.errors).toEqual([]);
    expect(rj.imported).toBe(2);
    expect(getTaskByCode(db, 'NV-2025-70004')!.deadline).toBeNull();
  });

  it('accepts a semicolon-separated CSV with a BOM (as Excel writes it in Vietnamese locales)', async () => {
    const text = `\uFEFF${HEADER.replaceAll(',', ';')}\n${GOOD.replaceAll(',', ';')}\n`;
    const r = await importCsv(text);
    expect(r.errors).toEqual([]);
    expect(r.imported).toBe(1);
  });
});

// Each hostile row is placed after one good row (row 2), so it is row 3; nothing at all may be imported.
const hostile: Array<{ name: string; row: string; message: RegExp; at?: number }> = [
  {
    name: 'impossible date',
    row: 'NV-2025-80002,X,,,,STC,,31/02/2025,2025-06-30,,,,,,,',
    message: /"31\/02\/2025" không phải ngày hợp lệ/,
  },
  {
    name: 'date in words',
    row: 'NV-2025-80002,X,,,,STC,,hôm qua,2025-06-30,,,,,,,',
    message: /không phải ngày hợp lệ/,
  },
  {
    name: 'unknown agency',
    row: 'NV-2025-80002,X,,,,XYZ,,2025-05-05,2025-06-30,,,,,,,',
    message: /Không có đơn vị mã "XYZ"/,
  },
  {
    name: 'unknown coordinating agency',
    row: 'NV-2025-80002,X,,,,STC,SNV;ABC,2025-05-05,2025-06-30,,,,,,,',
    message: /"ABC" \(đơn vị phối hợp\)/,
  },
  {
    name: 'agency merged before the assignment',
    row: 'NV-2025-80002,X,,,,SKHDT,,2025-05-05,2025-06-30,,,,,,,',
    message: /đã sáp nhập vào STC từ ngày 01\/03\/2025/,
  },
  {
    name: 'deadline before assignment',
    row: 'NV-2025-80002,X,,,,STC,,2025-05-05,2025-05-01,,,,,,,',
    message: /Thời hạn 01\/05\/2025 trước ngày giao 05\/05\/2025/,
  },
  {
    name: 'confirmed without report',
    row: 'NV-2025-80002,X,,,,STC,,2025-05-05,2025-06-30,,,,,2025-06-01,,',
    message: /chưa có ngày báo cáo kết quả/,
  },
  {
    name: 'duplicate code in the file',
    row: 'NV-2025-80001,X,,,,STC,,2025-05-05,2025-06-30,,,,,,,',
    message: /trùng với dòng 2/,
  },
  {
    name: 'extension date without new deadline',
    row: 'NV-2025-80002,X,,,,STC,,2025-05-05,2025-06-30,,2025-06-01,,,,,',
    message: /Gia hạn cần đủ cả/,
  },
  {
    name: 'new deadline not after the original',
    row: 'NV-2025-80002,X,,,,STC,,2025-05-05,2025-06-30,,2025-06-01,2025-06-15,,,,',
    message: /phải sau thời hạn ban đầu/,
  },
  {
    name: 'extension of a task without deadline',
    row: 'NV-2025-80002,X,,,,STC,,2025-05-05,,Thường xuyên,2025-06-01,2025-06-15,,,,',
    message: /không có thời hạn thì không gia hạn/,
  },
  {
    name: 'extension approved after completion',
    row: 'NV-2025-80002,X,,,,STC,,2025-05-05,2025-06-30,,2025-07-10,2025-07-30,2025-06-01,2025-06-02,,',
    message: /sau ngày xác nhận hoàn thành/,
  },
  { name: 'no deadline and no reason', row: 'NV-2025-80002,X,,,,STC,,2025-05-05,,,,,,,,', message: /cần ghi rõ lý do/ },
  {
    name: 'huge cell',
    row: `NV-2025-80002,${'Nhiệm vụ '.repeat(600)},,,,STC,,2025-05-05,2025-06-30,,,,,,,`,
    message: /quá dài \(5399 ký tự; tối đa 1000\)/,
  },
  {
    name: 'assignment in the future',
    row: 'NV-2026-80002,X,,,,STC,,2026-03-01,2026-06-30,,,,,,,',
    message: /sau ngày hôm nay \(15\/01\/2026\)/,
  },
  {
    name: 'cancelled after confirmation',
    row: 'NV-2025-80002,X,,,,STC,,2025-05-05,2025-06-30,,,,2025-06-01,2025-06-02,2025-06-03,',
    message: /không thể thu hồi/,
  },
  {
    name: 'report after cancellation',
    row: 'NV-2025-80002,X,,,,STC,,2025-05-05,2025-06-30,,,,2025-06-05,,2025-06-03,',
    message: /sau ngày thu hồi/,
  },
  {
    name: 'report before assignment',
    row: 'NV-2025-80002,X,,,,STC,,2025-05-05,2025-06-30,,,,2025-05-01,,,',
    message: /trước ngày giao/,
  },
  {
    name: 'bad public flag',
    row: 'NV-2025-80002,X,,,,STC,,2025-05-05,2025-06-30,,,,,,,có lẽ',
    message: /"có lẽ" không hợp lệ/,
  },
  {
    name: 'unknown signer',
    row: 'NV-2025-80002,X,11/UBND-KT,2025-05-05,Ông Ai Đó,STC,,2025-05-05,2025-06-30,,,,,,,',
    message: /Không có lãnh đạo tên "Ông Ai Đó"/,
  },
  {
    name: 'document number without date',
    row: 'NV-2025-80002,X,11/UBND-KT,,,STC,,2025-05-05,2025-06-30,,,,,,,',
    message: /thiếu "Ngày văn bản"/,
  },
  {
    name: 'malformed document number',
    row: 'NV-2025-80002,X,Công văn số mười,2025-05-05,,STC,,2025-05-05,2025-06-30,,,,,,,',
    message: /không đúng dạng số\/ký hiệu/,
  },
  {
    name: 'missing title',
    row: 'NV-2025-80002,,,,,STC,,2025-05-05,2025-06-30,,,,,,,',
    message: /Thiếu "Tên nhiệm vụ"/,
  },
  {
    name: 'code with spaces',
    row: 'NV 2025 1,X,,,,STC,,2025-05-05,2025-06-30,,,,,,,',
    message: /chỉ được gồm chữ, số/,
  },
];

describe('hostile files import nothing and say why, with the spreadsheet row number', () => {
  it.each(hostile)('$name', async ({ row, message }) => {
    const r = await importCsv(`${HEADER}\n${GOOD}\n${row}\n`);
    expect(r.imported).toBe(0);
    expect(r.errors.length).toBeGreaterThan(0);
    expect(r.errors.every((e) => e.row === 3)).toBe(true);
    expect(r.errors.map((e) => e.message).join(' | ')).toMatch(message);
    expect(counts(db)).toEqual({ tasks: 0, events: 0, documents: 0 });
  });

  it('an empty file, a header without rows, unknown and missing columns are file errors (row 1)', async () => {
    expect((await importCsv('')).errors).toEqual([{ row: 1, message: expect.stringMatching(/Tệp trống/) }]);
    expect((await importCsv(`${HEADER}\n\n`)).errors).toEqual([{ row: 1, message: 'Tệp không có dòng nhiệm vụ nào.' }]);
    const unknown = await importCsv(`${HEADER},Ghi chú riêng\n${GOOD},abc\n`);
    expect(unknown.errors).toEqual([
      { row: 1, message: expect.stringMatching(/Cột "Ghi chú riêng" \(cột 17\) không thuộc mẫu nhập/) },
    ]);
    const missing = await importCsv('Mã nhiệm vụ,Tên nhiệm vụ\nA,B\n');
    expect(missing.errors.map((e) => e.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Thiếu cột bắt buộc "Đơn vị chủ trì"/),
        expect.stringMatching(/Thiếu cột bắt buộc "Ngày giao"/),
      ]),
    );
    expect((await importFile(db, Buffer.from('{"a":'), 'json', { today: TODAY })).errors[0]!.message).toMatch(
      /Không đọc được tệp JSON/,
    );
    expect((await importFile(db, Buffer.from('not a zip'), 'xlsx', { today: TODAY })).errors[0]!.message).toMatch(
      /Không đọc được tệp Excel/,
    );
    expect((await parseImportFile('/tmp/x.txt')).errors[0]!.message).toBe('Chỉ nhận tệp .csv, .xlsx hoặc .json.');
    expect(counts(db)).toEqual({ tasks: 0, events: 0, documents: 0 });
  });

  it('reports every bad row, not only the first, and keeps spreadsheet numbering across blank lines', async () => {
    const r = await importCsv(
      `${HEADER}\n${GOOD}\n\nNV-2025-80003,X,,,,XYZ,,2025-05-05,2025-06-30,,,,,,,\nNV-2025-80004,Y,,,,STC,,32/01/2025,,,,,,,,\n`,
    );
    expect(r.errors.map((e) => e.row)).toEqual([4, 5, 5]);
  });
});

describe('the example files on disk', () => {
  it('the .xlsx example holds the same rows as the .csv one', async () => {
    const csv = await parseImportFile(EXAMPLE);
    const xlsx = await parseImportFile(EXAMPLE.replace(/\.csv$/, '.xlsx'));
    expect(xlsx.errors).toEqual([]);
    const iso = (v: string) =>
      /^\d{2}\/\d{2}\/\d{4}$/.test(v) ? `${v.slice(6)}-${v.slice(3, 5)}-${v.slice(0, 2)}` : v;
    const norm = (rows: typeof csv.rows) =>
      rows.map((r) => ({
        row: r.row,
        values: Object.fromEntries(Object.entries(r.values).map(([k, v]) => [k, iso(v!)])),
      }));
    expect(norm(xlsx.rows)).toEqual(norm(csv.rows));
  });

  it('reads Excel date serials in date columns of a .xlsx (cells formatted as numbers)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('x');
    ws.addRow(['code', 'title', 'leadAgency', 'assignedOn', 'deadline']);
    ws.addRow(['NV-2025-50001', 'Serial', 'STC', 45782, 45838]); // 05/05/2025 and 30/06/2025
    const parsed = await parseImportFile(new Uint8Array(await wb.xlsx.writeBuffer()), 'xlsx');
    expect(parsed.rows[0]!.values).toMatchObject({ assignedOn: '2025-05-05', deadline: '2025-06-30' });
  });
});

describe('the example file on disk', () => {
  it('is UTF-8 with Vietnamese headers', () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    expect(text.split('\n')[0]).toBe(HEADER);
  });
});
