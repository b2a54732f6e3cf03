/**
 * Open data a machine can trust, on a real release (a version-1 period and a version-2 one): each period's
 * datapackage.json names every file with its true size and SHA-256; every CSV conforms to its Table Schema, cell by
 * cell (a strict reading of the Frictionless Table Schema types used: yearmonth, date, integer with enum, number
 * with bounds, string; '' = missing); the published JSON validates against the JSON Schema generated from zod
 * (ajv, draft 2020-12); the latest period is also under /du-lieu-mo/moi-nhat/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { openDatabase, type DB } from '../db/open.ts';
import { buildFixtureProvince, CANARY, FIXTURE_PERIODS } from '../test/fixtures/province.ts';
import { storeLegacySnapshot } from '../test/fixtures/stored-snapshots.ts';
import { publishPeriod } from './publish.ts';
import { buildSite } from './site-build.ts';
import type { TableSchema } from './data-package.ts';

const SITE = 'https://nhiemvu.example.gov.vn';
let tmp: string;
let db: DB;
let siteDir: string;
const file = (path: string) => readFileSync(join(siteDir, 'current', path));

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'data-package-'));
  siteDir = join(tmp, 'site');
  db = openDatabase(join(tmp, 'app.db'));
  buildFixtureProvince(db);
  storeLegacySnapshot(db, '2026-02');
  publishPeriod(db, { ...FIXTURE_PERIODS[1], now: new Date('2026-04-05T03:00:00Z') });
  await buildSite({ db, siteDir, trigger: 'test', siteUrl: SITE, forbidden: [CANARY, CANARY.toLowerCase()] });
}, 180_000);

afterAll(() => {
  db?.close();
  rmSync(tmp, { recursive: true, force: true });
});

interface Resource {
  name: string;
  path: string;
  bytes: number;
  hash: string;
  format: string;
  mediatype: string;
  schema?: TableSchema;
  jsonSchema?: string;
}

/** Problems of one CSV against its Table Schema (empty = conforms). */
function csvProblems(text: string, schema: TableSchema): string[] {
  const rows = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
  const problems: string[] = [];
  const names = schema.fields.map((f) => f.name);
  if (JSON.stringify(rows[0]) !== JSON.stringify(names)) problems.push(`header ${rows[0]} ≠ ${names}`);
  const keys = new Set<string>();
  rows.slice(1).forEach((row, r) => {
    if (row.length !== names.length) problems.push(`row ${r + 2}: ${row.length} cells`);
    schema.fields.forEach((f, i) => {
      const v = row[i] ?? '';
      if (schema.missingValues.includes(v)) return;
      const bad = (why: string) => problems.push(`row ${r + 2} ${f.name}=${JSON.stringify(v)}: ${why}`);
      if (
        f.type === 'date' &&
        !(/^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v))
      )
        bad('not a date');
      if (f.type === 'yearmonth' && !/^\d{4}-(0[1-9]|1[0-2])$/.test(v)) bad('not a year-month');
      if (f.type === 'integer' && !/^-?\d+$/.test(v)) bad('not an integer');
      if (f.type === 'number' && !/^-?\d+(\.\d+)?(e-?\d+)?$/.test(v)) bad('not a number');
      const c = f.constraints ?? {};
      if (Array.isArray(c.enum) && !c.enum.includes(Number(v))) bad('not in enum');
      if (typeof c.minimum === 'number' && Number(v) < c.minimum) bad('below minimum');
      if (typeof c.maximum === 'number' && Number(v) > c.maximum) bad('above maximum');
    });
    if (schema.primaryKey) {
      const key = schema.primaryKey.map((k) => row[names.indexOf(k)]).join('|');
      if (keys.has(key)) problems.push(`row ${r + 2}: primary key ${key} twice`);
      keys.add(key);
    }
  });
  return problems;
}

describe.each(['2026-02', '2026-03'])('the data package of %s', (period) => {
  const pkg = () => JSON.parse(file(`du-lieu-mo/${period}/datapackage.json`).toString('utf8'));

  it('describes every file with its true size and SHA-256, a licence, sources and the period', () => {
    const p = pkg();
    expect(p).toMatchObject({
      profile: 'tabular-data-package',
      name: `theo-doi-nhiem-vu-${period}`,
      id: `${SITE}/du-lieu-mo/${period}/datapackage.json`,
      licenses: [{ name: 'CC-BY-4.0' }],
      period,
    });
    expect(p.sources[0].path).toBe(SITE);
    const names = (p.resources as Resource[]).map((r) => r.path);
    expect(names).toEqual(
      expect.arrayContaining([
        'nhiem-vu.csv',
        'so-lieu.csv',
        'nhiem-vu.xlsx',
        expect.stringMatching(/^ban-\d+\.json$/),
      ]),
    );
    expect(names.includes('moi-qua-han.csv')).toBe(period === '2026-03'); // schema version 2 only
    expect(names.includes('hoat-dong.csv')).toBe(period === '2026-03'); // published with the units' activity
    for (const r of p.resources as Resource[]) {
      const bytes = file(`du-lieu-mo/${period}/${r.path}`);
      expect(r.bytes, r.path).toBe(bytes.length);
      expect(r.hash, r.path).toBe(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);
      expect(statSync(join(siteDir, 'current', 'du-lieu-mo', period, r.path)).isFile()).toBe(true);
    }
  });

  it('every CSV conforms to its Table Schema, cell by cell', () => {
    for (const r of (pkg().resources as Resource[]).filter((x) => x.format === 'csv')) {
      expect(r.schema, r.path).toBeDefined();
      expect(csvProblems(file(`du-lieu-mo/${period}/${r.path}`).toString('utf8'), r.schema!), r.path).toEqual([]);
    }
  });

  it('the published JSON validates against the JSON Schema generated from the snapshot schema', () => {
    const json = (pkg().resources as Resource[]).find((r) => r.format === 'json')!;
    expect(json.jsonSchema).toMatch(new RegExp(`^${SITE}/du-lieu-mo/luoc-do/ban-cong-bo-v[12]\\.schema\\.json$`));
    const schema = JSON.parse(file(json.jsonSchema!.slice(SITE.length + 1)).toString('utf8'));
    expect(schema.$id).toBe(json.jsonSchema);
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
    const data = JSON.parse(file(`du-lieu-mo/${period}/${json.path}`).toString('utf8'));
    expect(validate(data), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    // and it is a real check: a count as text is refused
    expect(validate({ ...data, totals: { ...data.totals, total: 'nhiều' } })).toBe(false);
  });
});

describe("the units' update activity, published", () => {
  it('a sortable page with every ranked unit and those that did not use the system, the agency pages, the CSV', () => {
    const snapshot = JSON.parse(file('du-lieu-mo/2026-03/ban-1.json').toString('utf8'));
    expect(snapshot.activity.map((a: { code: string }) => a.code)).toEqual(
      snapshot.agencies.map((a: { code: string }) => a.code),
    );
    const page = file('muc-do-cap-nhat/index.html').toString('utf8');
    expect(page).toContain('data-testid="activity"');
    expect(page).toContain('data-sortable');
    for (const a of snapshot.activity as Array<{ code: string; usedSystem: boolean }>) {
      const name = snapshot.agencies.find((x: { code: string }) => x.code === a.code).name as string;
      expect(page, a.code).toContain(name);
    }
    const unused = (snapshot.activity as Array<{ usedSystem: boolean }>).filter((a) => !a.usedSystem).length;
    expect((page.match(/data-testid="unused"/g) ?? []).length).toBe(unused > 0 ? 1 : 0);
    expect(page).toContain('Đơn vị không sử dụng hệ thống trong tháng: không có bước cập nhật nào');
    const stc = file('co-quan/stc/index.html').toString('utf8');
    expect(stc).toContain('data-testid="agency-activity"');
    const csv = file('du-lieu-mo/2026-03/hoat-dong.csv').toString('utf8');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(snapshot.activity.length + 1);
    // facts about units only: no account, no person
    expect(JSON.stringify(snapshot.activity)).not.toMatch(/user|login|display|tên người/i);
  });
});

describe('the catalogue of the open data', () => {
  it('the latest period again at a stable address; the open-data page links each package', () => {
    const latest = file('du-lieu-mo/moi-nhat/datapackage.json').toString('utf8');
    expect(latest).toBe(file('du-lieu-mo/2026-03/datapackage.json').toString('utf8'));
    expect(file('du-lieu-mo/moi-nhat/nhiem-vu.csv').equals(file('du-lieu-mo/2026-03/nhiem-vu.csv'))).toBe(true);
    const page = file('du-lieu-mo/index.html').toString('utf8');
    expect(page).toContain('href="/du-lieu-mo/2026-03/datapackage.json"');
    expect(page).toContain('href="/du-lieu-mo/2026-02/datapackage.json"');
    expect(page).toContain('href="/du-lieu-mo/luoc-do/ban-cong-bo-v2.schema.json"');
    // the machine-readable catalogue: every period with its package and hash, and the latest address
    const catalogue = JSON.parse(file('du-lieu-mo/danh-muc.json').toString('utf8'));
    expect(catalogue.latest).toBe(`${SITE}/du-lieu-mo/moi-nhat/datapackage.json`);
    expect(catalogue.periods.map((p: { period: string }) => p.period)).toEqual(['2026-02', '2026-03']);
    for (const p of catalogue.periods) {
      const pkg = JSON.parse(file(p.datapackage.slice(SITE.length + 1)).toString('utf8'));
      const json = pkg.resources.find((r: Resource) => r.format === 'json') as Resource;
      expect(json.hash).toBe(`sha256:${p.sha256}`); // the package's JSON is the published text
      expect(file(p.jsonSchema.slice(SITE.length + 1)).length).toBeGreaterThan(1000);
    }
  });
});
