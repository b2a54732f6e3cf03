/**
 * The national roll-up on three generated provinces (real releases built with buildSite): the figures on the
 * national period page and in the combined CSV are each province's own published snapshot; a province publishing
 * an extra period is compared only on the common one and the page says which were left out; a tampered file, a
 * newer schema version and a province used twice are refused with the file named while the others build; an http
 * source works like a folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { formatNumber, formatRate } from '../domain/format.ts';
import type { PublicCounts, Snapshot } from '../publication/schema.ts';
import { FIXTURE_PERIODS } from '../test/fixtures/province.ts';
import { openSource, runRollup, type Source } from './index.ts';
import { rewriteRelease } from './rewrite-release.ts';
import { buildTestProvince, serveFolder, type TestProvince } from './test-provinces.ts';

let tmp: string;
const provinces: TestProvince[] = [];
const CODES = ['mau-son', 'song-lam', 'ha-tien-giang'];

async function source(arg: string): Promise<Source> {
  const r = await openSource(arg);
  if (!r.ok) throw new Error(r.message);
  return r.source;
}
const snapshotOf = (p: TestProvince, period: string) =>
  JSON.parse(readFileSync(join(p.releaseDir, 'du-lieu-mo', period, 'ban-1.json'), 'utf8')) as Snapshot;
const read = (out: string, path: string) => readFileSync(join(out, path), 'utf8');

/** The text of each data-field cell of a province's row in one table of a page. */
function rowCells(page: string, table: string, code: string): Record<string, string> {
  const t = page.slice(page.indexOf(`data-testid="${table}"`));
  const tableHtml = t.slice(0, t.indexOf('</table>'));
  const row = tableHtml.slice(tableHtml.indexOf(`data-province="${code}"`));
  const rowHtml = row.slice(0, row.indexOf('</tr>'));
  const cells: Record<string, string> = {};
  for (const m of rowHtml.matchAll(/data-field="(\w+)">(.*?)<\/td>/g)) cells[m[1]!] = m[2]!.replace(/<[^>]+>/g, '');
  return cells;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'rollup-'));
  const specs = [
    // its February is a stored schema-version-1 snapshot: no period views to compare
    { name: 'Ủy ban nhân dân tỉnh Mẫu Sơn', extraOverdue: 0, periods: [FIXTURE_PERIODS[1]], legacyFebruary: true },
    { name: 'Ủy ban nhân dân tỉnh Sông Lam', extraOverdue: 2, periods: FIXTURE_PERIODS },
    { name: 'Ủy ban nhân dân tỉnh Hà Tiên Giang', extraOverdue: 5, periods: [FIXTURE_PERIODS[1]] },
  ];
  for (const [i, s] of specs.entries()) {
    const dir = join(tmp, `p${i}`);
    mkdirSync(dir);
    provinces.push(await buildTestProvince(dir, { ...s, siteUrl: `https://${CODES[i]}.example.gov.vn` }));
  }
}, 240_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the roll-up of three provinces', () => {
  let out: string;
  let result: Awaited<ReturnType<typeof runRollup>>;
  const messages: string[] = [];
  beforeAll(async () => {
    out = join(tmp, 'out');
    const sources = await Promise.all(provinces.map((p) => source(p.releaseDir)));
    result = await runRollup(sources, out, (m) => messages.push(m));
  }, 60_000);

  it('compares only the period all of them publish and says which were left out', () => {
    // listed by name (Vietnamese collation), whatever the order of the sources
    expect(result.rollup.provinces.map((p) => p.code)).toEqual(['ha-tien-giang', 'mau-son', 'song-lam']);
    expect(result.rollup.refused).toEqual([]);
    expect(result.rollup.commonPeriods).toEqual(['2026-03']);
    const index = read(out, 'index.html');
    expect(index).toContain('href="bao-cao/2026-03/"');
    expect(existsSync(join(out, 'bao-cao', '2026-02'))).toBe(false);
    const page = read(out, 'bao-cao/2026-03/index.html');
    expect(page).toContain('Các kỳ sau không được so sánh vì không phải tỉnh nào cũng có');
    expect(page).toContain('<li>Ủy ban nhân dân tỉnh Mẫu Sơn: tháng 2/2026</li>');
    expect(page).toContain('<li>Ủy ban nhân dân tỉnh Sông Lam: tháng 2/2026</li>');
    expect(page).toContain('href="../../css/site.css"');
    expect(read(out, 'css/site.css')).toBe(readFileSync('site/public/css/site.css', 'utf8'));
    expect(messages.filter((m) => m.includes('đạt kiểm tra')).length).toBeGreaterThan(3);
  });

  it("shows each province's own published figures, each linking to its report page", () => {
    const page = read(out, 'bao-cao/2026-03/index.html');
    const csv = parse(read(out, 'du-lieu-mo/tong-hop-2026-03.csv').replace(/^\uFEFF/, ''), {
      columns: true,
    }) as Array<Record<string, string>>;
    expect(csv.map((r) => r.ma_tinh)).toEqual(['ha-tien-giang', 'mau-son', 'song-lam']);
    const overdue = new Set<number>();
    for (const [i, p] of provinces.entries()) {
      const s = snapshotOf(p, '2026-03');
      expect(s.province).toBe(p.name);
      for (const key of ['month', 'yearToDate'] as const) {
        const a: PublicCounts = s[key].assigned;
        expect(rowCells(page, key, CODES[i]!), `${p.name} ${key}`).toEqual({
          assigned: formatNumber(a.total),
          due: formatNumber(a.due),
          completionRate: formatRate(a.completionRate),
          overdue: formatNumber(a.overdue),
          over30: formatNumber(a.overdueOver30),
          over60: formatNumber(a.overdueOver60),
          over120: formatNumber(a.overdueOver120),
        });
        const prefix = key === 'month' ? 'thang' : 'tu_dau_nam';
        expect(Number(csv.find((r) => r.ma_tinh === CODES[i])![`${prefix}_giao`])).toBe(a.total);
        expect(Number(csv.find((r) => r.ma_tinh === CODES[i])![`${prefix}_qua_han`])).toBe(a.overdue);
      }
      overdue.add(s.month.assigned.overdue);
      const used = s.activity!.filter((u) => u.usedSystem).length;
      expect(rowCells(page, 'activity', CODES[i]!)).toEqual({
        units: formatNumber(s.activity!.length),
        used: formatNumber(used),
        usedShare: formatRate(used / s.activity!.length),
      });
      expect(page).toContain(`href="https://${CODES[i]}.example.gov.vn/bao-cao/2026-03/"`);
      expect(page).toContain(`bao-cao/2026-03/index.html trong thư mục ${p.releaseDir}`);
    }
    expect(overdue.size).toBe(3); // the three provinces really differ
    const total = provinces.reduce((n, p) => n + snapshotOf(p, '2026-03').month.assigned.total, 0);
    expect(rowCells(page, 'month', 'toan-quoc').assigned).toBe(formatNumber(total));
    const catalogue = JSON.parse(read(out, 'du-lieu-mo/danh-muc.json'));
    expect(catalogue.commonPeriods).toEqual(['2026-03']);
    expect(catalogue.files[0].path).toBe('du-lieu-mo/tong-hop-2026-03.csv');
    expect(catalogue.provinces[2].periods[0].snapshotSha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('packages that cannot be trusted', () => {
  it('a tampered file is refused with its name; a newer schema version and a duplicate province too; the rest builds', async () => {
    const tampered = join(tmp, 'tampered');
    cpSync(provinces[0]!.releaseDir, tampered, { recursive: true });
    const csvPath = join(tampered, 'du-lieu-mo', '2026-03', 'so-lieu.csv');
    const bytes = readFileSync(csvPath);
    bytes[bytes.length - 3] = bytes[bytes.length - 3] === 0x31 ? 0x32 : 0x31; // same size, other bytes
    writeFileSync(csvPath, bytes);
    const newer = join(tmp, 'newer');
    rewriteRelease(provinces[2]!.releaseDir, newer, (s) => {
      s.schemaVersion = 3;
    });
    const out = join(tmp, 'out-refused');
    const sources = await Promise.all(
      [tampered, provinces[1]!.releaseDir, newer, provinces[1]!.releaseDir].map(source),
    );
    const { rollup } = await runRollup(sources, out);
    expect(rollup.provinces.map((p) => p.code)).toEqual(['song-lam']);
    expect(rollup.refused.map((r) => r.reason)).toEqual([
      `Nguồn ${tampered}: Tệp /du-lieu-mo/2026-03/so-lieu.csv có mã SHA-256 khác với mã ghi trong /du-lieu-mo/2026-03/datapackage.json (tệp đã bị thay đổi).`,
      expect.stringMatching(
        /^Nguồn .*newer: Tệp \/du-lieu-mo\/2026-03\/datapackage\.json dùng lược đồ phiên bản 3, mới hơn phiên bản 2/,
      ),
      expect.stringMatching(/tỉnh "Ủy ban nhân dân tỉnh Sông Lam" \(mã song-lam\) trùng với nguồn/),
    ]);
    const index = read(out, 'index.html');
    expect((index.match(/Không đạt kiểm tra/g) ?? []).length).toBe(3);
    expect(index).toContain('so-lieu.csv có mã SHA-256 khác');
    expect(read(out, 'bao-cao/2026-02/index.html')).toContain('Sông Lam');
  });

  it('a file missing from the folder, or from the package, is refused with its name', async () => {
    const missing = join(tmp, 'missing');
    rewriteRelease(provinces[1]!.releaseDir, missing, () => {});
    rmSync(join(missing, 'du-lieu-mo', '2026-03', 'hoat-dong.csv'));
    const unlisted = join(tmp, 'unlisted');
    rewriteRelease(provinces[2]!.releaseDir, unlisted, () => {});
    const pkgPath = join(unlisted, 'du-lieu-mo', '2026-03', 'datapackage.json');
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
    pkg.resources = pkg.resources.filter((r: { path: string }) => r.path !== 'moi-qua-han.csv');
    rmSync(pkgPath);
    writeFileSync(pkgPath, JSON.stringify(pkg));
    const catPath = join(unlisted, 'du-lieu-mo', 'danh-muc.json');
    const { rollup } = await runRollup(
      [await source(missing), await source(unlisted), await source(provinces[0]!.releaseDir)],
      join(tmp, 'o4'),
    );
    expect(readFileSync(catPath, 'utf8')).toContain('2026-03');
    expect(rollup.provinces.map((p) => p.code)).toEqual(['mau-son']);
    expect(rollup.refused[0]!.reason).toContain('Không đọc được tệp /du-lieu-mo/2026-03/hoat-dong.csv');
    expect(rollup.refused[1]!.reason).toContain(
      'Tệp /du-lieu-mo/2026-03/datapackage.json không khớp các tệp của kỳ: thiếu moi-qua-han.csv.',
    );
  });

  it('a snapshot that breaks the schema is refused even with matching hashes', async () => {
    const broken = join(tmp, 'broken');
    rewriteRelease(provinces[0]!.releaseDir, broken, (s) => {
      (s.totals as Record<string, unknown>).total = 'nhiều';
    });
    const { rollup } = await runRollup([await source(broken), await source(provinces[1]!.releaseDir)], join(tmp, 'o3'));
    expect(rollup.refused[0]!.reason).toContain(
      '/du-lieu-mo/2026-02/ban-1.json: Ảnh chụp số liệu không hợp lệ tại "totals.total"',
    );
  });
});

describe('an http(s) source', () => {
  it('is fetched from its origin, and its figures link to that origin', async () => {
    const { origin, server, hits } = await serveFolder(provinces[0]!.releaseDir);
    try {
      const out = join(tmp, 'out-http');
      const { rollup } = await runRollup([await source(origin), await source(provinces[1]!.releaseDir)], out);
      expect(rollup.refused).toEqual([]);
      expect(rollup.commonPeriods).toEqual(['2026-02', '2026-03']);
      expect(hits).toContain('/du-lieu-mo/danh-muc.json');
      expect(hits).toContain('/du-lieu-mo/2026-03/nhiem-vu.xlsx');
      const page = read(out, 'bao-cao/2026-03/index.html');
      expect(page).toContain(`href="${origin}/bao-cao/2026-03/"`);
      expect(read(out, 'index.html')).toContain(`href="${origin}/"`);
      // February: Mẫu Sơn published it under schema version 1, so it has no period views; the sum is Sông Lam's
      const feb = read(out, 'bao-cao/2026-02/index.html');
      const row = feb.slice(feb.indexOf('data-province="mau-son"'));
      expect(row.slice(0, row.indexOf('</tr>'))).toContain(
        'Không có số liệu theo kỳ (bản công bố theo lược đồ phiên bản 1)',
      );
      const songLam = snapshotOf(provinces[1]!, '2026-02').month.assigned;
      expect(rowCells(feb, 'month', 'toan-quoc').assigned).toBe(formatNumber(songLam.total));
      const csv = read(out, 'du-lieu-mo/tong-hop-2026-02.csv').split('\r\n');
      expect(csv[1]).toMatch(/^mau-son,Ủy ban nhân dân tỉnh Mẫu Sơn,2026-02,2026-02-28,1,1,1,,,,,,,,,,/);
    } finally {
      server.close();
    }
  });
});
