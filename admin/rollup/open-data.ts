/**
 * The combined open data of the roll-up: one CSV per common period with one row per province (the figures the
 * period page shows, as published), and a catalogue JSON naming every province, its source, the hashes of the
 * packages it was built from, the refused sources with their reasons, and each CSV with its size and SHA-256.
 */
import { createHash } from 'node:crypto';
import { stringifyCsv, type CsvField } from '../files/spreadsheet-cells.ts';
import type { PeriodComparison, Rollup, ViewFigures } from './compare.ts';

const VIEW_COLUMNS = [
  'giao',
  'hoan_thanh',
  'den_han',
  'ty_le_hoan_thanh',
  'qua_han',
  'qua_han_tren_30_ngay',
  'qua_han_tren_60_ngay',
  'qua_han_tren_120_ngay',
];

export const ROLLUP_CSV_HEADER = [
  'ma_tinh',
  'ten_tinh',
  'ky',
  'ngay_chot',
  'ban',
  'phien_ban_luoc_do',
  'phien_ban_quy_tac',
  ...VIEW_COLUMNS.map((c) => `thang_${c}`),
  ...VIEW_COLUMNS.map((c) => `tu_dau_nam_${c}`),
  'so_don_vi',
  'don_vi_su_dung_he_thong',
  'ty_le_don_vi_su_dung',
  'trang_bao_cao',
  'sha256_goi_du_lieu',
];

function viewFields(v: ViewFigures | null): CsvField[] {
  if (!v) return VIEW_COLUMNS.map(() => '');
  return [v.assigned, v.completed, v.due, v.completionRate ?? '', v.overdue, v.over30, v.over60, v.over120];
}

/** The CSV of one common period (UTF-8 with BOM, CRLF, formula-like text neutralised, as every open-data CSV). */
export function periodCsv(c: PeriodComparison): string {
  return stringifyCsv([
    ROLLUP_CSV_HEADER,
    ...c.rows.map((r) => [
      r.code,
      r.name,
      c.period,
      r.asOf,
      r.revision,
      r.schemaVersion,
      r.rulesVersion,
      ...viewFields(r.month),
      ...viewFields(r.yearToDate),
      r.activity?.units ?? '',
      r.activity?.used ?? '',
      r.activity?.share ?? '',
      r.href ?? '',
      r.packageSha256,
    ]),
  ]);
}

export interface OutFile {
  path: string;
  bytes: number;
  sha256: string;
}

export function fileFacts(path: string, text: string): OutFile {
  const buf = Buffer.from(text, 'utf8');
  return { path, bytes: buf.length, sha256: createHash('sha256').update(buf).digest('hex') };
}

/** The combined catalogue (danh-muc.json of the national site). */
export function rollupCatalogue(r: Rollup, files: OutFile[], generatedAt: Date) {
  return {
    title: 'Dữ liệu mở tổng hợp toàn quốc — Theo dõi nhiệm vụ UBND tỉnh giao',
    generatedAt: generatedAt.toISOString(),
    commonPeriods: r.commonPeriods,
    leftOut: r.leftOut,
    provinces: r.provinces.map((p) => ({
      code: p.code,
      name: p.name,
      office: p.office,
      source: p.source.label,
      origin: p.source.origin,
      periods: p.periods.map((x) => ({
        period: x.period,
        asOf: x.asOf,
        revision: x.revision,
        schemaVersion: x.schemaVersion,
        rulesVersion: x.rulesVersion,
        datapackage: x.packagePath,
        datapackageSha256: x.packageSha256,
        snapshotSha256: x.snapshotSha256,
      })),
    })),
    refused: r.refused.map((x) => ({ source: x.source.label, status: 'không đạt kiểm tra', reason: x.reason })),
    files,
  };
}
