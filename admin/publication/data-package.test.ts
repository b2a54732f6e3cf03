/**
 * Open data a machine can trust, on a real release (a version-1 period and a version-2 one): each period's
 * datapackage.json names every file with its true size and SHA-256; every CSV conforms to its Table Schema, cell by
 * cell (a strict reading of the Frictionless Table Schema types used: yearmonth, date, integer with enum, number
 * with bounds, string; '' = missing); the published JSON validates against the JSON Schema generated from zod
 * (ajv, draft 2020-12); the latest period is also under /du-lieu-mo/moi-nhat/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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
import { insertUser } from '../auth/users.ts';
import { decideReply, submitReply } from '../domain/replies.ts';
import { acceptUpload, runWithUploads, storeUpload } from '../files/store.ts';
import { samplePdf } from '../test/fixtures/files.ts';

const SITE = 'https://nhiemvu.example.gov.vn';
let tmp: string;
let db: DB;
let siteDir: string;
const file = (path: string) => readFileSync(join(siteDir, 'current', path));
function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'data-package-'));
  siteDir = join(tmp, 'site');
  db = openDatabase(join(tmp, 'app.db'));
  buildFixtureProvince(db);
  storeLegacySnapshot(db, '2026-02');
  publishPeriod(db, { ...FIXTURE_PERIODS[1], now: new Date('2026-04-05T03:00:00Z') });
  await addReplies(db, join(tmp, 'uploads'));
  await buildSite({ db, siteDir, trigger: 'test', siteUrl: SITE, forbidden: [CANARY, CANARY.toLowerCase()] });
}, 180_000);

const APPROVED = 'Hai nhiệm vụ quá hạn đã hoàn thành ngày 30/03; hồ sơ kèm theo.';
const DECLINED = `Ý kiến bị từ chối ${CANARY}`;
const WAITING = 'Ý kiến đang chờ xem xét XYZZY-CHO';

/** Three replies of STC's head: one approved with a PDF, one declined (with the canary), one waiting. */
async function addReplies(db: DB, uploadDir: string): Promise<void> {
  const stc = db.prepare("SELECT id FROM agencies WHERE code = 'STC'").pluck().get() as number;
  const head = insertUser(
    db,
    { username: 'truong-stc', displayName: 'Thủ trưởng STC', email: null, role: 'head', agencyId: stc },
    'x',
    false,
    new Date(),
  );
  const office = insertUser(
    db,
    { username: 'tct', displayName: 'Tổ công tác', email: null, role: 'confirmer', agencyId: null },
    'x',
    false,
    new Date(),
  );
  const principal = (id: number, role: 'head' | 'confirmer', agencyId: number | null) => ({
    kind: 'user' as const,
    id,
    name: role,
    role,
    agencyId,
  });
  const ctx = (id: number, role: 'head' | 'confirmer', agencyId: number | null, day: string) => ({
    principal: principal(id, role, agencyId),
    now: new Date(`${day}T03:00:00Z`),
  });
  const pdf = await acceptUpload(new File([samplePdf('Ho so STC')], 'Hồ sơ.pdf'), { kinds: ['pdf'], maxBytes: 1e6 });
  const approved = runWithUploads(db, (pending) =>
    submitReply(db, ctx(head, 'head', stc, '2026-04-06'), {
      period: '2026-03',
      body: APPROVED,
      fileId: storeUpload({ db, env: { uploadDir } }, pdf, { actorUserId: head, pending }),
    }),
  );
  decideReply(db, ctx(office, 'confirmer', null, '2026-04-07'), { id: approved, approve: true, reason: '' });
  const declined = submitReply(db, ctx(head, 'head', stc, '2026-04-06'), {
    period: '2026-02',
    body: DECLINED,
    fileId: null,
  });
  decideReply(db, ctx(office, 'confirmer', null, '2026-04-07'), {
    id: declined,
    approve: false,
    reason: 'Không phù hợp',
  });
  submitReply(db, ctx(head, 'head', stc, '2026-04-08'), { period: '2026-02', body: WAITING, fileId: null });
}

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

describe("the units' replies, published once approved", () => {
  it('on the agency page and the report, with dates and the PDF; in the open data and the feeds', () => {
    const agency = file('co-quan/stc/index.html').toString('utf8');
    expect(agency).toContain('data-testid="replies"');
    expect(agency).toContain(APPROVED);
    expect(agency).toContain('Gửi ngày 06/04/2026, công khai ngày 07/04/2026');
    const href = /href="(\/y-kien\/y-kien-\d+\.pdf)"/.exec(agency)?.[1];
    expect(href).toBeDefined();
    expect(file(href!.slice(1)).equals(Buffer.from(samplePdf('Ho so STC')))).toBe(true);
    expect(file('bao-cao/2026-03/index.html').toString('utf8')).toContain(APPROVED);
    expect(file('bao-cao/2026-02/index.html').toString('utf8')).not.toContain('data-testid="replies"');
    const csv = file('du-lieu-mo/y-kien.csv').toString('utf8');
    expect(csv).toContain(APPROVED);
    expect(csv.trim().split('\r\n')).toHaveLength(2);
    expect(file('atom.xml').toString('utf8')).toContain('Ý kiến của Sở Tài chính về số liệu tháng 3/2026');
    expect(file('rss.xml').toString('utf8')).toContain('Ý kiến của Sở Tài chính về số liệu tháng 3/2026');
  });

  it('declined and waiting replies appear in no file of the release', () => {
    const files = walk(join(siteDir, 'current'));
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const text = readFileSync(f).toString('latin1') + readFileSync(f).toString('utf8');
      expect(text.includes('XYZZY-CHO'), f).toBe(false);
      expect(text.includes(CANARY), f).toBe(false); // the build's own canary check refuses it too
    }
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
