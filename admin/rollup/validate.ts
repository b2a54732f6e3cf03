/**
 * Checks one province's published open data before the roll-up trusts a figure of it (issue 13):
 *
 *   danh-muc.json ──each period──▶ datapackage.json ──each resource──▶ size + SHA-256 of the file
 *                                                   └─▶ ban-N.json ──zod storedSnapshotSchema (the source of the
 *                                                        published JSON Schema)──▶ the figures the roll-up compares
 *
 * A province is refused whole when any of its packages fails (a wrong hash or size, a file missing or not described,
 * a schema version newer than this code, a snapshot that does not parse): comparing it on the periods that happen
 * to pass would silently change which periods are common to all. Every message is Vietnamese and names the file.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { z } from 'zod';
import { stripVietnameseMarks } from '../domain/text.ts';
import { openDataFileNames } from '../publication/data-package.ts';
import {
  describeSchemaError,
  type PeriodFigures,
  rulesVersionOf,
  SNAPSHOT_SCHEMA_VERSION,
  storedSnapshotSchema,
} from '../publication/schema.ts';
import { type Source, SourceError, sitePath } from './sources.ts';

/** What the roll-up keeps of one validated period of a province. */
export interface ProvincePeriod {
  period: string;
  asOf: string;
  revision: number;
  schemaVersion: number;
  rulesVersion: number;
  /** SHA-256 of the period's datapackage.json and of its snapshot JSON, as read */
  packageSha256: string;
  snapshotSha256: string;
  /** where the package was read (site path) and the province's own report page of the period */
  packagePath: string;
  reportPath: string;
  /** the absolute report address the province's catalogue gives (its SITE_URL) */
  reportUrl: string;
  /** schema version 2 only: the month and the year to date (null for a version-1 snapshot) */
  month: PeriodFigures | null;
  yearToDate: PeriodFigures | null;
  /** units listed in the activity facts and those that used the system (null when not published) */
  activity: { units: number; used: number } | null;
}

export interface Province {
  source: Source;
  name: string;
  office: string;
  /** derived from the name: "Ủy ban nhân dân tỉnh Mẫu Sơn" → "mau-son" (snapshots carry no code) */
  code: string;
  periods: ProvincePeriod[];
}

export type Checked = { ok: true; province: Province } | { ok: false; source: Source; reason: string };

/** A refusal: the message names the source and the file. */
export class PackageError extends Error {}

const catalogueSchema = z.looseObject({
  periods: z
    .array(
      z.looseObject({
        period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
        revision: z.number().int().min(1),
        schemaVersion: z.number().int().min(1),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        datapackage: z.string().min(1),
        report: z.string().min(1),
      }),
    )
    .min(1),
});

const packageSchema = z.looseObject({
  period: z.string(),
  revision: z.number().int(),
  schemaVersion: z.number().int(),
  resources: z
    .array(
      z.looseObject({
        path: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'tên tệp không hợp lệ'),
        format: z.string(),
        bytes: z.number().int().min(0),
        hash: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'mã băm phải có dạng sha256:…'),
      }),
    )
    .min(1),
});

/** "Ủy ban nhân dân tỉnh Mẫu Sơn" → "Mẫu Sơn": the name provinces are sorted and coded by. */
export function bareProvinceName(name: string): string {
  return name.replace(/^\s*(ủy|uỷ) ban nhân dân\s+/i, '').replace(/^\s*(tỉnh|thành phố)\s+/i, '');
}

/** The province's code from its name: the administrative prefix dropped, marks stripped, a slug. */
export function provinceCode(name: string): string {
  return stripVietnameseMarks(bareProvinceName(name))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function parseJson(bytes: Buffer, where: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    throw new PackageError(`Tệp ${where} không phải JSON hợp lệ.`);
  }
}

function zodProblem(err: z.ZodError): string {
  const issue = err.issues[0];
  return issue ? `tại "${issue.path.join('.') || '(gốc)'}": ${issue.message}` : 'không đúng cấu trúc';
}

function newerSchema(version: number, where: string): PackageError {
  return new PackageError(
    `Tệp ${where} dùng lược đồ phiên bản ${version}, mới hơn phiên bản ${SNAPSHOT_SCHEMA_VERSION} mà chương trình tổng hợp này đọc được; hãy cập nhật chương trình.`,
  );
}

type CatalogueEntry = z.infer<typeof catalogueSchema>['periods'][number];

async function checkPeriod(source: Source, entry: CatalogueEntry) {
  const packagePath = sitePath(entry.datapackage);
  if (entry.schemaVersion > SNAPSHOT_SCHEMA_VERSION)
    throw newerSchema(entry.schemaVersion, '/du-lieu-mo/danh-muc.json');
  const packageBytes = await source.read(packagePath);
  const pkgParsed = packageSchema.safeParse(parseJson(packageBytes, packagePath));
  if (!pkgParsed.success)
    throw new PackageError(`Tệp ${packagePath} không đúng cấu trúc ${zodProblem(pkgParsed.error)}.`);
  const pkg = pkgParsed.data;
  if (pkg.schemaVersion > SNAPSHOT_SCHEMA_VERSION) throw newerSchema(pkg.schemaVersion, packagePath);
  if (pkg.period !== entry.period || pkg.revision !== entry.revision)
    throw new PackageError(
      `Tệp ${packagePath} mô tả kỳ ${pkg.period} bản ${pkg.revision}, danh mục ghi kỳ ${entry.period} bản ${entry.revision}.`,
    );
  const dir = posix.dirname(packagePath);
  let snapshotBytes: Buffer | null = null;
  let snapshotName = '';
  for (const r of pkg.resources) {
    const path = `${dir}/${r.path}`;
    const bytes = await source.read(path);
    if (bytes.length !== r.bytes)
      throw new PackageError(`Tệp ${path} dài ${bytes.length} byte, gói dữ liệu ghi ${r.bytes} byte.`);
    if (`sha256:${sha256(bytes)}` !== r.hash)
      throw new PackageError(`Tệp ${path} có mã SHA-256 khác với mã ghi trong ${packagePath} (tệp đã bị thay đổi).`);
    if (r.format === 'json') {
      snapshotBytes = bytes;
      snapshotName = r.path;
    }
  }
  if (!snapshotBytes) throw new PackageError(`Tệp ${packagePath} không có tệp JSON của bản công bố.`);
  const snapshotPath = `${dir}/${snapshotName}`;
  const snapshotSha256 = sha256(snapshotBytes);
  if (snapshotSha256 !== entry.sha256)
    throw new PackageError(`Tệp ${snapshotPath} có mã SHA-256 khác với mã ghi trong /du-lieu-mo/danh-muc.json.`);
  const raw = parseJson(snapshotBytes, snapshotPath) as { schemaVersion?: unknown };
  if (typeof raw?.schemaVersion === 'number' && raw.schemaVersion > SNAPSHOT_SCHEMA_VERSION)
    throw newerSchema(raw.schemaVersion, snapshotPath);
  const parsed = storedSnapshotSchema.safeParse(raw);
  if (!parsed.success) throw new PackageError(`Tệp ${snapshotPath}: ${describeSchemaError(parsed.error)}.`);
  const s = parsed.data;
  if (s.period !== entry.period || s.revision !== entry.revision)
    throw new PackageError(`Tệp ${snapshotPath} là kỳ ${s.period} bản ${s.revision}, không phải kỳ ${entry.period}.`);
  // a package must describe exactly the files a period publishes: none missing, none extra
  const expected = openDataFileNames(s).sort();
  const listed = pkg.resources.map((r) => r.path).sort();
  const missing = expected.filter((n) => !listed.includes(n));
  const extra = listed.filter((n) => !expected.includes(n));
  if (missing.length > 0 || extra.length > 0)
    throw new PackageError(
      `Tệp ${packagePath} không khớp các tệp của kỳ: ${[
        missing.length ? `thiếu ${missing.join(', ')}` : '',
        extra.length ? `thừa ${extra.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ')}.`,
    );
  const v2 = s.schemaVersion === 2 ? s : null;
  const period: ProvincePeriod = {
    period: s.period,
    asOf: s.asOf,
    revision: s.revision,
    schemaVersion: s.schemaVersion,
    rulesVersion: rulesVersionOf(s),
    packageSha256: sha256(packageBytes),
    snapshotSha256,
    packagePath,
    reportPath: `/bao-cao/${s.period}/`,
    reportUrl: entry.report,
    month: v2?.month ?? null,
    yearToDate: v2?.yearToDate ?? null,
    activity: v2?.activity ? { units: v2.activity.length, used: v2.activity.filter((a) => a.usedSystem).length } : null,
  };
  return { period, province: s.province, office: s.office };
}

/** Validates every period a source publishes; a refusal carries the reason, naming the source and the file. */
export async function checkSource(source: Source, say: (msg: string) => void = () => {}): Promise<Checked> {
  try {
    const catalogue = catalogueSchema.safeParse(
      parseJson(await source.read('/du-lieu-mo/danh-muc.json'), '/du-lieu-mo/danh-muc.json'),
    );
    if (!catalogue.success)
      throw new PackageError(`Tệp /du-lieu-mo/danh-muc.json không đúng cấu trúc ${zodProblem(catalogue.error)}.`);
    const periods: ProvincePeriod[] = [];
    let name = '';
    let office = '';
    for (const entry of catalogue.data.periods) {
      const r = await checkPeriod(source, entry);
      if (name && r.province !== name)
        throw new PackageError(
          `Tệp ${r.period.packagePath}: tên tỉnh "${r.province}" khác với "${name}" của các kỳ khác trong cùng nguồn.`,
        );
      name = r.province;
      office = r.office;
      periods.push(r.period);
      say(`${source.label}: kỳ ${entry.period} đạt kiểm tra`);
    }
    if (new Set(periods.map((p) => p.period)).size !== periods.length)
      throw new PackageError('Tệp /du-lieu-mo/danh-muc.json liệt kê một kỳ hai lần.');
    periods.sort((a, b) => a.period.localeCompare(b.period));
    return { ok: true, province: { source, name, office, code: provinceCode(name), periods } };
  } catch (err) {
    if (err instanceof PackageError || err instanceof SourceError)
      return { ok: false, source, reason: `Nguồn ${source.label}: ${err.message}` };
    throw err;
  }
}
