/**
 * Open data a machine can trust (issue 13): with every period, a Frictionless Data Package (datapackage.json)
 * that names each file with its media type, size and SHA-256, and gives each CSV a Table Schema derived from the
 * same dictionaries that write its columns (open-data.ts, open-data-figures.ts), so the description cannot drift
 * from the files; and a JSON Schema of the published snapshot generated from its zod schema (schema.ts, the source
 * the OpenAPI document and the publication check use too).
 *
 * Paths inside a package are relative to its folder, so the same package is valid in /du-lieu-mo/<period>/ and in
 * the /du-lieu-mo/moi-nhat/ alias; the absolute URLs (id, homepage, the JSON Schema) start with SITE_URL.
 */
import { z } from 'zod';
import { FIGURE_DICTIONARY, NEWLY_OVERDUE_DICTIONARY, TASK_DICTIONARY } from './open-data.ts';
import { ACTIVITY_DICTIONARY } from './open-data-activity.ts';
import {
  isCurrentSnapshot,
  legacySnapshotSchema,
  rulesVersionOf,
  snapshotSchema,
  type StoredSnapshotHeader,
} from './schema.ts';

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const LICENSE = {
  name: 'CC-BY-4.0',
  path: 'https://creativecommons.org/licenses/by/4.0/',
  title: 'Creative Commons Attribution 4.0 International',
} as const;

/** Where each schema version's JSON Schema is published (one file per version, shared by every period). */
export function snapshotSchemaPath(schemaVersion: number): string {
  return `/du-lieu-mo/luoc-do/ban-cong-bo-v${schemaVersion}.schema.json`;
}

/** The JSON Schema (draft 2020-12) of a stored snapshot of the given schema version. */
export function snapshotJsonSchema(schemaVersion: 1 | 2, siteUrl: string): Record<string, unknown> {
  const schema = schemaVersion === 2 ? snapshotSchema : legacySnapshotSchema;
  return {
    $id: `${siteUrl}${snapshotSchemaPath(schemaVersion)}`,
    title: `Bản công bố số liệu theo dõi nhiệm vụ, phiên bản lược đồ ${schemaVersion}`,
    description:
      'Tệp ban-N.json của mỗi kỳ trong /du-lieu-mo/: đúng văn bản đã công bố, có mã SHA-256 ghi trong datapackage.json.',
    ...(z.toJSONSchema(schema, { unrepresentable: 'any' }) as Record<string, unknown>),
  };
}

interface Column {
  column: string;
  type: string;
  meaning: string;
}

/** A dictionary's type word as a Table Schema field type. */
function fieldType(type: string): Record<string, unknown> {
  if (type === 'YYYY-MM') return { type: 'yearmonth' };
  if (type === 'YYYY-MM-DD') return { type: 'date' };
  if (type === 'số nguyên') return { type: 'integer' };
  if (type === '0/1') return { type: 'integer', constraints: { enum: [0, 1] } };
  if (type.startsWith('số thập phân 0–1')) return { type: 'number', constraints: { minimum: 0, maximum: 1 } };
  return { type: 'string' };
}

export interface TableSchema {
  fields: Array<{ name: string; description: string; type: string; constraints?: Record<string, unknown> }>;
  missingValues: string[];
  primaryKey?: string[];
}

export function tableSchema(dictionary: readonly Column[], primaryKey?: string[]): TableSchema {
  return {
    fields: dictionary.map((d) => ({
      name: d.column,
      description: d.meaning,
      ...(fieldType(d.type) as { type: string }),
    })),
    // an empty cell is a missing value (a task without deadline, a rate with nothing due)
    missingValues: [''],
    ...(primaryKey ? { primaryKey } : {}),
  };
}

/** How every CSV of the open data is written (files/spreadsheet-cells.ts stringifyCsv: UTF-8 with BOM, CRLF). */
const CSV_DIALECT = { delimiter: ',', lineTerminator: '\r\n', quoteChar: '"', doubleQuote: true, header: true };

export interface FileFacts {
  bytes: number;
  sha256: string;
}

/** The file names of one period's open data, as published in its folder. */
export function openDataFileNames(h: StoredSnapshotHeader): string[] {
  const names = [`ban-${h.revision}.json`, 'nhiem-vu.csv', 'nhiem-vu.xlsx', 'so-lieu.csv'];
  if (isCurrentSnapshot(h)) names.push('moi-qua-han.csv');
  if (isCurrentSnapshot(h) && h.activity) names.push('hoat-dong.csv');
  return names;
}

/**
 * The Data Package of one period's latest revision. `files` holds the facts of every file openDataFileNames
 * names (missing ones are an error: a package must not describe a file that is not there).
 */
export function dataPackage(h: StoredSnapshotHeader, files: Record<string, FileFacts>, siteUrl: string) {
  const fact = (name: string) => {
    const f = files[name];
    if (!f) throw new Error(`open data of ${h.period}: ${name} is missing`);
    return { bytes: f.bytes, hash: `sha256:${f.sha256}` };
  };
  const csv = (name: string, path: string, title: string, schema: TableSchema) => ({
    name,
    path,
    title,
    profile: 'tabular-data-resource',
    format: 'csv',
    mediatype: 'text/csv',
    encoding: 'utf-8',
    ...fact(path),
    dialect: CSV_DIALECT,
    schema,
  });
  const resources: Array<Record<string, unknown>> = [
    csv(
      'nhiem-vu',
      'nhiem-vu.csv',
      'Nhiệm vụ công khai và tình trạng tại ngày chốt',
      tableSchema(TASK_DICTIONARY, ['ma_nhiem_vu']),
    ),
    csv('so-lieu', 'so-lieu.csv', 'Số liệu theo kỳ: toàn tỉnh và từng cơ quan', tableSchema(FIGURE_DICTIONARY)),
  ];
  if (isCurrentSnapshot(h))
    resources.push(
      csv(
        'moi-qua-han',
        'moi-qua-han.csv',
        'Cơ quan có nhiệm vụ mới quá hạn trong tháng',
        tableSchema(NEWLY_OVERDUE_DICTIONARY),
      ),
    );
  if (isCurrentSnapshot(h) && h.activity)
    resources.push(
      csv(
        'hoat-dong',
        'hoat-dong.csv',
        'Mức độ cập nhật của các đơn vị trong tháng',
        tableSchema(ACTIVITY_DICTIONARY, ['ma_co_quan']),
      ),
    );
  resources.push(
    {
      name: 'ban-cong-bo',
      path: `ban-${h.revision}.json`,
      title: 'Bản công bố (JSON), đúng văn bản đã công bố',
      profile: 'data-resource',
      format: 'json',
      mediatype: 'application/json',
      encoding: 'utf-8',
      ...fact(`ban-${h.revision}.json`),
      jsonSchema: `${siteUrl}${snapshotSchemaPath(h.schemaVersion)}`,
    },
    {
      name: 'nhiem-vu-xlsx',
      path: 'nhiem-vu.xlsx',
      title: 'Bảng tính (tổng hợp, cơ quan, số liệu theo kỳ, nhiệm vụ)',
      profile: 'data-resource',
      format: 'xlsx',
      mediatype: XLSX_MEDIA_TYPE,
      ...fact('nhiem-vu.xlsx'),
    },
  );
  return {
    profile: 'tabular-data-package',
    name: `theo-doi-nhiem-vu-${h.period}`,
    id: `${siteUrl}/du-lieu-mo/${h.period}/datapackage.json`,
    title: `Theo dõi nhiệm vụ UBND tỉnh giao — ${h.province}, kỳ ${h.period.slice(5)}/${h.period.slice(0, 4)}`,
    description: `Số liệu tính đến hết ngày ${h.asOf}, bản ${h.revision}${h.note ? ` (đính chính: ${h.note})` : ''}; quy tắc tính phiên bản ${rulesVersionOf(h)} (${siteUrl}/phuong-phap/).`,
    homepage: `${siteUrl}/bao-cao/${h.period}/`,
    version: String(h.revision),
    created: h.publishedAt,
    keywords: ['nhiệm vụ', 'UBND tỉnh', 'theo dõi', h.province],
    licenses: [LICENSE],
    sources: [{ title: h.office, path: siteUrl }],
    contributors: [{ title: h.office, role: 'publisher' }],
    // beyond the standard: what the numbers are (a consumer compares periods on these)
    period: h.period,
    asOf: h.asOf,
    revision: h.revision,
    schemaVersion: h.schemaVersion,
    rulesVersion: rulesVersionOf(h),
    resources,
  };
}
