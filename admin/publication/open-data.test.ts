/**
 * Open data of the period figures: the three views in the CSV and XLSX of a version-2 snapshot equal the snapshot's
 * own figures, formula-like agency names stay text, and a stored version-1 snapshot still writes its files (the
 * cumulative view only, no newly-overdue sheet).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '../db/open.ts';
import { buildFixtureProvince, EXPECTED, FIXTURE_PERIODS } from '../test/fixtures/province.ts';
import { storeLegacySnapshot } from '../test/fixtures/stored-snapshots.ts';
import { figureRows, FIGURE_DICTIONARY, newlyOverdueCsv } from './open-data-figures.ts';
import { figuresCsv, writeSnapshotXlsx } from './open-data.ts';
import { previewSnapshot, readSnapshot } from './publish.ts';

const NOW = new Date('2026-04-05T03:00:00Z');
let db: DB;
let tmp: string;
beforeEach(() => {
  db = openDatabase(':memory:');
  buildFixtureProvince(db);
  tmp = mkdtempSync(join(tmpdir(), 'open-data-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const column = (name: string) => FIGURE_DICTIONARY.findIndex((d) => d.column === name);

describe('period figures in the open data', () => {
  it('one row per period, view and agency, equal to the snapshot', () => {
    const s = previewSnapshot(db, FIXTURE_PERIODS[1].period, FIXTURE_PERIODS[1].asOf, NOW);
    const rows = figureRows(s);
    expect(rows).toHaveLength(2 * 3 * (1 + s.agencies.length));
    const find = (scope: string, view: string, code: string) =>
      rows.find(
        (r) => r[column('pham_vi')] === scope && r[column('cach_tinh')] === view && r[column('ma_co_quan')] === code,
      )!;
    const backlog = find('thang', 'ton_dong', '');
    expect(backlog[column('total')]).toBe(s.month.backlog.total);
    expect(backlog[column('completionRate')]).toBe(s.month.backlog.completionRate);
    expect(backlog[column('tu_ngay')]).toBe('2026-03-01');
    const sxd = s.agencies.find((a) => a.code === 'SXD')!;
    expect(find('tu_dau_nam', 'giao_trong_ky', 'SXD')[column('overdue')]).toBe(sxd.yearToDate.assigned.overdue);
    expect(find('thang', 'luy_ke', 'SXD')[column('phien_ban_quy_tac')]).toBe(s.rulesVersion);
    expect(newlyOverdueCsv(s)).toContain('2026-03,2026-03-01,2026-03-31,SXD,Sở Xây dựng,1,1');
  });

  it('a formula-like agency name is written as text in the CSV and the XLSX', async () => {
    db.prepare("UPDATE agencies SET name = '=HYPERLINK(\"http://x\")' WHERE code = 'SXD'").run();
    const s = previewSnapshot(db, FIXTURE_PERIODS[1].period, FIXTURE_PERIODS[1].asOf, NOW);
    expect(figuresCsv(s)).toContain('"\'=HYPERLINK(""http://x"")"');
    const path = join(tmp, 'x.xlsx');
    await writeSnapshotXlsx(s, path);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    const sheet = wb.getWorksheet('So lieu theo ky')!;
    expect(sheet.rowCount).toBe(1 + figureRows(s).length);
    let formulas = 0;
    sheet.eachRow((r) =>
      r.eachCell((c) => {
        if (c.type === ExcelJS.ValueType.Formula) formulas++;
      }),
    );
    expect(formulas).toBe(0);
    const overdue = wb.getWorksheet('Moi qua han')!;
    expect(overdue.getRow(2).getCell(5).value).toBe('=HYPERLINK("http://x")');
    expect(overdue.getRow(2).getCell(6).value).toBe(1);
  });

  it('a stored version-1 snapshot: cumulative rows with rules 1, no completion rate, no newly-overdue sheet', async () => {
    const s = readSnapshot(db, storeLegacySnapshot(db, '2026-02'));
    const rows = figureRows(s);
    expect(rows).toHaveLength(1 + s.agencies.length);
    expect(rows[0]!.slice(0, 9)).toEqual([
      '2026-02',
      '2026-02-28',
      1,
      'ngay_chot',
      null,
      '2026-02-28',
      'luy_ke',
      '',
      'Toàn tỉnh',
    ]);
    expect(rows[0]![column('total')]).toBe(EXPECTED['2026-02'].totals.total);
    expect(rows[0]![column('completionRate')]).toBeNull();
    expect(newlyOverdueCsv(s)).toBeNull();
    const path = join(tmp, 'v1.xlsx');
    await writeSnapshotXlsx(s, path);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    expect(wb.getWorksheet('So lieu theo ky')?.rowCount).toBe(1 + rows.length);
    expect(wb.getWorksheet('Moi qua han')).toBeUndefined();
    expect(wb.getWorksheet('Nhiem vu')?.rowCount).toBe(1 + s.tasks.length);
  });
});
