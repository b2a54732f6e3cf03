/**
 * Reading import files off the request path with the limits applied while reading (issue #9 item 5), and the
 * provenance every import records (issue #9, "History must say who really acted").
 */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it, vi } from 'vitest';
import { createTask, appendEvent, getTaskByCode } from '../domain/tasks.ts';
import { sampleZip } from '../test/fixtures/files.ts';
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../test/support/admin-app.ts';
import { importFile, MAX_IMPORT_ROWS, parseImportFile } from './import-tasks.ts';
import { READ_LIMITS, readInChild } from './read-file.ts';

const HEADER = ['Tên nhiệm vụ', 'Đơn vị chủ trì', 'Ngày giao', 'Thời hạn'];

/** An .xlsx of `rows` task rows, written by exceljs' streaming writer (as a big export would be). */
async function bigXlsx(rows: number): Promise<Uint8Array> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true });
  const ws = wb.addWorksheet('Nhiệm vụ');
  ws.addRow(HEADER).commit();
  for (let i = 0; i < rows; i++) ws.addRow([`Nhiệm vụ ${i}`, 'STC', '05/01/2026', '30/06/2026']).commit();
  ws.commit();
  await wb.commit();
  return new Uint8Array(Buffer.concat(chunks));
}

const tasks = (t: TestApp) => (t.db.prepare('SELECT count(*) AS n FROM tasks').get() as { n: number }).n;
const limitMessage = /Tệp có hơn 20\.000 dòng; mỗi lần nhập tối đa 20\.000 dòng/;

function upload(t: TestApp, cookie: string, name: string, content: Uint8Array | string): Promise<Response> {
  const form = new FormData();
  form.append('file', new File([typeof content === 'string' ? content : new Uint8Array(content)], name));
  return Promise.resolve(
    t.app.request('/admin/import', { method: 'POST', headers: { origin: TEST_ORIGIN, cookie }, body: form }),
  );
}

describe('row and size limits, applied while reading', () => {
  it('an .xlsx with more rows than the limit is refused with a Vietnamese message; nothing is imported', async () => {
    const t = makeTestApp();
    const bytes = await bigXlsx(MAX_IMPORT_ROWS + 1);
    const result = await importFile(t.db, bytes, 'xlsx', { actorUserId: t.users.specialist.id });
    expect(result.imported).toBe(0);
    expect(result.errors).toEqual([{ row: 1, message: expect.stringMatching(limitMessage) }]);
    expect(tasks(t)).toBe(3);

    const res = await upload(t, await t.cookieFor('specialist'), 'qua-nhieu-dong.xlsx', bytes);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(limitMessage);
    expect(html).toContain('Không nhập gì');
    expect(tasks(t)).toBe(3);
    expect(t.db.prepare('SELECT count(*) AS n FROM imports').get()).toEqual({ n: 0 });
  }, 60_000);

  it('exactly the limit is read in full', async () => {
    const parsed = await parseImportFile(await bigXlsx(MAX_IMPORT_ROWS), 'xlsx');
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toHaveLength(MAX_IMPORT_ROWS);
    expect(parsed.rows.at(-1)).toEqual({
      row: MAX_IMPORT_ROWS + 1,
      values: {
        title: `Nhiệm vụ ${MAX_IMPORT_ROWS - 1}`,
        leadAgency: 'STC',
        assignedOn: '05/01/2026',
        deadline: '30/06/2026',
      },
    });
  }, 60_000);

  it('CSV and JSON with more rows than the limit are refused the same way', async () => {
    const line = 'Nhiệm vụ,STC,05/01/2026,30/06/2026\n';
    const csv = `${HEADER.join(',')}\n${line.repeat(MAX_IMPORT_ROWS + 1)}`;
    const fromCsv = await parseImportFile(new TextEncoder().encode(csv), 'csv');
    expect(fromCsv.rows).toEqual([]);
    expect(fromCsv.errors[0]!.message).toMatch(limitMessage);
    const item = { title: 'x', leadAgency: 'STC', assignedOn: '2026-01-05', deadline: '2026-06-30' };
    const json = JSON.stringify(Array.from({ length: MAX_IMPORT_ROWS + 1 }, () => item));
    const fromJson = await parseImportFile(new TextEncoder().encode(json), 'json');
    expect(fromJson.errors[0]!.message).toMatch(limitMessage);
    // blank lines in between do not count, and keep the spreadsheet's numbering
    const spaced = await parseImportFile(new TextEncoder().encode(`${HEADER.join(',')}\n\n,,,\n${line}`), 'csv');
    expect(spaced.rows.map((r) => r.row)).toEqual([4]);
  }, 60_000);

  it('a workbook whose worksheet comes before its shared strings (as Excel orders them) is read from memory', async () => {
    const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    const cell = (ref: string, i: number) => `<c r="${ref}" t="s"><v>${i}</v></c>`;
    const strings = [...HEADER, 'Nhiệm vụ từ Excel', 'STC', '05/01/2026', '30/06/2026'];
    const bytes = sampleZip({
      '[Content_Types].xml': `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
      '_rels/.rels': '<?xml version="1.0"?><Relationships/>',
      'xl/workbook.xml': `<?xml version="1.0"?><workbook xmlns="${ns}" xmlns:r="${rel}"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      'xl/_rels/workbook.xml.rels': `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      'xl/worksheets/sheet1.xml': `<?xml version="1.0"?><worksheet xmlns="${ns}"><sheetData><row r="1">${['A1', 'B1', 'C1', 'D1'].map((r, i) => cell(r, i)).join('')}</row><row r="3">${['A3', 'B3', 'C3', 'D3'].map((r, i) => cell(r, i + 4)).join('')}</row></sheetData></worksheet>`,
      'xl/sharedStrings.xml': `<?xml version="1.0"?><sst xmlns="${ns}">${strings.map((s) => `<si><t>${s}</t></si>`).join('')}</sst>`,
    });
    const parsed = await parseImportFile(bytes, 'xlsx');
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toEqual([
      {
        row: 3,
        values: { title: 'Nhiệm vụ từ Excel', leadAgency: 'STC', assignedOn: '05/01/2026', deadline: '30/06/2026' },
      },
    ]);
  });
});

describe('the server stays responsive while a file is read', () => {
  it('sign-in pages are answered while a large workbook is being parsed (in a child process)', async () => {
    const t = makeTestApp();
    const cookie = await t.cookieFor('specialist');
    const bytes = await bigXlsx(MAX_IMPORT_ROWS + 1);
    // this process never reads the workbook (a child process does, with its own exceljs)
    const load = vi.spyOn(Object.getPrototypeOf(new ExcelJS.Workbook().xlsx), 'load');
    const stream = vi.spyOn(ExcelJS.stream.xlsx.WorkbookReader.prototype, 'parse');
    const order: string[] = [];
    const importing = upload(t, cookie, 'lon.xlsx', bytes).then((res) => {
      order.push('import');
      return res;
    });
    // five sign-in pages one after another, and a timer, while the upload is being read
    for (let i = 0; i < 5; i++) {
      const res = await t.app.request('/admin/login');
      expect(res.status).toBe(200);
      order.push(`login ${i}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
    order.push('timer');
    expect((await importing).status).toBe(422);
    expect(order).toEqual(['login 0', 'login 1', 'login 2', 'login 3', 'login 4', 'timer', 'import']);
    expect(load).not.toHaveBeenCalled();
    expect(stream).not.toHaveBeenCalled();
    load.mockRestore();
    stream.mockRestore();
  }, 60_000);
});

describe('a reader that dies takes only itself', () => {
  it('a reader aborting in native code (as Node\'s zlib cleanup did) answers "crashed", and this process goes on', async () => {
    // with a worker thread, process.abort() there ends the whole server (and this test run)
    const abort = new URL('../test/fixtures/reader-aborts.mjs', import.meta.url);
    const started = process.pid;
    const result = await readInChild(new Uint8Array([1, 2, 3]), 'csv', abort);
    expect(result).toEqual({ kind: 'error', reason: 'crashed', message: 'exit' });
    expect(process.pid).toBe(started);
    // and the real reader still works after it
    const ok = await readInChild(new TextEncoder().encode('Tên nhiệm vụ\nMột\n'), 'csv');
    expect(ok).toEqual({
      kind: 'table',
      rows: [
        { n: 1, cells: ['Tên nhiệm vụ'] },
        { n: 2, cells: ['Một'] },
      ],
    });
  });

  it('a reader past its heap cap dies and the file is refused; one that never answers is stopped at the time limit', async () => {
    const { heapMb, timeoutMs } = READ_LIMITS;
    try {
      READ_LIMITS.heapMb = 64;
      const grows = await readInChild(
        new Uint8Array(1),
        'csv',
        new URL('../test/fixtures/reader-grows.mjs', import.meta.url),
      );
      expect(grows).toMatchObject({ kind: 'error', reason: 'crashed' });
      READ_LIMITS.timeoutMs = 300;
      const hangs = await readInChild(
        new Uint8Array(1),
        'csv',
        new URL('../test/fixtures/reader-hangs.mjs', import.meta.url),
      );
      expect(hangs).toEqual({ kind: 'error', reason: 'timeout' });
    } finally {
      Object.assign(READ_LIMITS, { heapMb, timeoutMs });
    }
  }, 30_000);
});

describe('provenance of imported events', () => {
  const FILE = `Mã nhiệm vụ,Tên nhiệm vụ,Đơn vị chủ trì,Ngày giao,Thời hạn,Ngày báo cáo kết quả,Ngày xác nhận hoàn thành
NV-2025-70001,Nhiệm vụ nhập,SYT,05/01/2026,28/02/2026,20/02/2026,25/02/2026
`;

  it('records the file, its SHA-256, the importer, the time and the rows, and links every event written', async () => {
    const t = makeTestApp();
    const bytes = new TextEncoder().encode(FILE);
    const result = await importFile(t.db, bytes, 'csv', {
      actorUserId: t.users.specialist.id,
      today: '2026-03-01',
      at: new Date('2026-03-01T03:00:00Z'),
      source: { fileName: 'Dữ liệu cũ.csv', sha256: 'a'.repeat(64) },
    });
    expect(result.errors).toEqual([]);
    expect(t.db.prepare('SELECT * FROM imports').all()).toEqual([
      {
        id: result.importId,
        file_name: 'Dữ liệu cũ.csv',
        sha256: 'a'.repeat(64),
        imported_by: t.users.specialist.id,
        imported_at: '2026-03-01T03:00:00.000Z',
        rows: 1,
        tasks: 1,
      },
    ]);
    const task = getTaskByCode(t.db, 'NV-2025-70001')!;
    const linked = () =>
      t.db
        .prepare(
          'SELECT e.kind, l.import_id FROM task_events e LEFT JOIN import_events l ON l.event_id = e.id WHERE e.task_id = ? ORDER BY e.id',
        )
        .all(task.id);
    expect(linked()).toEqual([
      { kind: 'assigned', import_id: result.importId },
      { kind: 'reported', import_id: result.importId },
      { kind: 'confirmed', import_id: result.importId },
    ]);
    // what happens afterwards is not imported
    const other = createTask(t.db, {
      title: 'Sau',
      leadAgencyId: t.agencies.a,
      assignedOn: '2026-02-01',
      deadline: null,
      noDeadlineReason: 'x',
    });
    appendEvent(t.db, other, { kind: 'received', occurredOn: '2026-02-02' });
    expect(t.db.prepare('SELECT count(*) AS n FROM import_events').get()).toEqual({ n: 3 });
  });

  it('a file given by path records its own name and hash; a refused file records nothing', async () => {
    const t = makeTestApp();
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { createHash } = await import('node:crypto');
    const dir = mkdtempSync(join(tmpdir(), 'import-'));
    writeFileSync(join(dir, 'nhiem-vu.csv'), FILE);
    const bad = await importFile(t.db, new TextEncoder().encode(`${FILE}x,,,,,,\n`), 'csv', { today: '2026-03-01' });
    expect(bad.imported).toBe(0);
    expect(t.db.prepare('SELECT count(*) AS n FROM imports').get()).toEqual({ n: 0 });
    const ok = await importFile(t.db, join(dir, 'nhiem-vu.csv'), undefined, { today: '2026-03-01' });
    expect(ok.imported).toBe(1);
    expect(t.db.prepare('SELECT file_name, sha256, imported_by FROM imports').get()).toEqual({
      file_name: 'nhiem-vu.csv',
      sha256: createHash('sha256').update(FILE).digest('hex'),
      imported_by: null,
    });
  });
});
