/**
 * The demo's national roll-up on small generated provinces: the demo province (its open data standing for its
 * release, as the roll-up reads nothing else) and two more generated with other seeds and names, publishing the
 * same months. Every figure on the national period pages is the province's own published snapshot; the demo
 * province's figures link to its pages on the demo's origin; a rerun with nothing new published builds nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db/open.ts';
import { formatNumber, formatRate } from '../domain/format.ts';
import { publishMonthEnds } from '../publication/publish.ts';
import type { PublicCounts, Snapshot } from '../publication/schema.ts';
import type { RollupResult } from '../rollup/index.ts';
import { generateProvince } from './generate.ts';
import { buildNationalDemo, nationalNeedsBuild, otherProvinceYears, writeOpenData } from './national.ts';

const NOW = new Date('2026-06-15T04:00:00Z');
const ORIGIN = 'http://localhost:4321';
const PERIODS = ['2026-04', '2026-05'];
let tmp: string;
let siteDir: string;
let sources: string;
let result: RollupResult;

/** The text of each data-field cell of a province's row in one table of a page (admin/rollup/rollup.test.ts). */
function rowCells(page: string, table: string, code: string): Record<string, string> {
  const t = page.slice(page.indexOf(`data-testid="${table}"`));
  const tableHtml = t.slice(0, t.indexOf('</table>'));
  const row = tableHtml.slice(tableHtml.indexOf(`data-province="${code}"`));
  const rowHtml = row.slice(0, row.indexOf('</tr>'));
  const cells: Record<string, string> = {};
  for (const m of rowHtml.matchAll(/data-field="(\w+)">(.*?)<\/td>/g)) cells[m[1]!] = m[2]!.replace(/<[^>]+>/g, '');
  return cells;
}

const out = () => join(siteDir, 'toan-quoc');
const snapshotIn = (dir: string, period: string) =>
  JSON.parse(readFileSync(join(dir, 'du-lieu-mo', period, 'ban-1.json'), 'utf8')) as Snapshot;
/** where each province's own published snapshot is: the demo's release, the other provinces' open data */
const dirOf = (code: string) =>
  code === 'lam-son' ? join(siteDir, 'current') : join(sources, code === 'ha-son' ? 'ha-son' : 'kim-giang');

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'national-'));
  siteDir = join(tmp, 'site');
  sources = join(tmp, 'sources');
  // the demo province as `npm run demo` leaves it: published months and a live release (here its open data)
  const db = openDatabase(':memory:');
  generateProvince(db, { years: 1, seed: 'demo', endDate: '2026-06-15', now: NOW });
  publishMonthEnds(db, { fromPeriod: PERIODS[0]!, until: '2026-05-31', now: NOW });
  await writeOpenData(db, join(siteDir, 'releases', 'r1'), ORIGIN, join(tmp, 'cache'));
  db.close();
  symlinkSync(join('releases', 'r1'), join(siteDir, 'current'));
  expect(nationalNeedsBuild(siteDir, 0)).toBe(true); // first run: no roll-up yet
  result = await buildNationalDemo({
    siteDir,
    siteUrl: ORIGIN,
    fromPeriod: PERIODS[0]!,
    until: '2026-05-31',
    asOf: '2026-06-15',
    now: NOW,
    years: 1,
    keepSourcesIn: sources,
  });
}, 120_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the demo national roll-up', () => {
  it('compares the demo province and two generated ones, named and coded by their names, on the same months', () => {
    expect(result.rollup.refused).toEqual([]);
    expect(result.rollup.provinces.map((p) => [p.code, p.name])).toEqual([
      ['ha-son', 'Ủy ban nhân dân tỉnh Hà Sơn'],
      ['kim-giang', 'Ủy ban nhân dân tỉnh Kim Giang'],
      ['lam-son', 'Ủy ban nhân dân tỉnh Lam Sơn'],
    ]);
    expect(result.rollup.commonPeriods).toEqual(PERIODS);
    expect(result.rollup.leftOut).toEqual([]);
    expect(result.out).toBe(out());
    const index = readFileSync(join(out(), 'index.html'), 'utf8');
    for (const p of PERIODS) expect(index).toContain(`href="bao-cao/${p}/"`);
    // the other provinces' own units carry their names
    const ha = snapshotIn(dirOf('ha-son'), '2026-05');
    expect(ha.agencies.map((a) => a.code)).toContain('TPHS');
    expect(ha.agencies.find((a) => a.code === 'TPHS')?.name).toBe('UBND thành phố Hà Sơn');
  });

  it("shows each province's own published figures; the demo province's link to its pages on the demo's origin", () => {
    for (const period of PERIODS) {
      const page = readFileSync(join(out(), 'bao-cao', period, 'index.html'), 'utf8');
      const assigned = new Set<number>();
      let total = 0;
      for (const code of ['ha-son', 'kim-giang', 'lam-son']) {
        const s = snapshotIn(dirOf(code), period);
        for (const key of ['month', 'yearToDate'] as const) {
          const a: PublicCounts = s[key].assigned;
          expect(rowCells(page, key, code), `${code} ${period} ${key}`).toEqual({
            assigned: formatNumber(a.total),
            due: formatNumber(a.due),
            completionRate: formatRate(a.completionRate),
            overdue: formatNumber(a.overdue),
            over30: formatNumber(a.overdueOver30),
            over60: formatNumber(a.overdueOver60),
            over120: formatNumber(a.overdueOver120),
          });
        }
        const used = s.activity!.filter((u) => u.usedSystem).length;
        expect(rowCells(page, 'activity', code)).toEqual({
          units: formatNumber(s.activity!.length),
          used: formatNumber(used),
          usedShare: formatRate(used / s.activity!.length),
        });
        assigned.add(s.month.assigned.total);
        total += s.month.assigned.total;
      }
      expect(assigned.size, 'the three provinces really differ').toBe(3);
      expect(rowCells(page, 'month', 'toan-quoc').assigned).toBe(formatNumber(total));
      expect(page).toContain(`href="${ORIGIN}/bao-cao/${period}/"`);
      expect(page).toContain('tỉnh mẫu này chỉ công bố dữ liệu mở, không có trang báo cáo');
      expect(page).not.toContain('.invalid');
    }
  });

  it('is rebuilt only when something new was published, then replaced whole with no folder left beside it', async () => {
    expect(nationalNeedsBuild(siteDir, 0)).toBe(false);
    expect(nationalNeedsBuild(siteDir, 1)).toBe(true);
    const page = () => readFileSync(join(out(), 'bao-cao', '2026-05', 'index.html'), 'utf8');
    const before = page();
    const again = await buildNationalDemo({
      siteDir,
      siteUrl: ORIGIN,
      fromPeriod: PERIODS[0]!,
      until: '2026-05-31',
      asOf: '2026-06-15',
      now: NOW,
      years: 1,
    });
    expect(again.rollup.commonPeriods).toEqual(PERIODS);
    // the same provinces and months give the same figures (the generated provinces are deterministic; only their
    // spreadsheets' creation times, hence the packages' hashes, differ)
    expect(page()).toBe(before);
    expect(readdirSync(siteDir).sort()).toEqual(['current', 'releases', 'toan-quoc']);
  }, 120_000);

  it('a province that cannot be made stops the rebuild; the previous roll-up stays whole', async () => {
    const before = readFileSync(join(out(), 'bao-cao', '2026-05', 'index.html'), 'utf8');
    const options = {
      siteDir,
      siteUrl: ORIGIN,
      fromPeriod: PERIODS[0]!,
      until: '2026-05-31',
      asOf: '2026-06-15',
      now: NOW,
    };
    // refused in its own process (the generator takes 1–30 years): the child's reason is the error
    await expect(buildNationalDemo({ ...options, years: 0 })).rejects.toThrow(/^tỉnh mẫu Hà Sơn: years must be/);
    await expect(
      buildNationalDemo({ ...options, years: 1, provinces: [{ name: 'Hà\nSơn', seed: 'x' }] }),
    ).rejects.toThrow('Tên tỉnh không được chứa ký tự điều khiển');
    expect(readFileSync(join(out(), 'bao-cao', '2026-05', 'index.html'), 'utf8')).toBe(before);
    expect(readdirSync(siteDir).sort()).toEqual(['current', 'releases', 'toan-quoc']);
  }, 120_000);

  it('without a live release of the demo province there is nothing to compare it with', async () => {
    const empty = join(tmp, 'empty-site');
    mkdirSync(empty);
    await expect(
      buildNationalDemo({
        siteDir: empty,
        siteUrl: ORIGIN,
        fromPeriod: PERIODS[0]!,
        until: '2026-05-31',
        asOf: '2026-06-15',
        now: NOW,
        years: 1,
      }),
    ).rejects.toThrow('Chưa có trang công khai của tỉnh mẫu');
    expect(existsSync(join(empty, 'toan-quoc'))).toBe(false);
  });

  it('gives the other provinces enough years for the months published, never more than the demo has', () => {
    expect(otherProvinceYears(10, 12)).toBe(2);
    expect(otherProvinceYears(10, 11)).toBe(1);
    expect(otherProvinceYears(1, 1)).toBe(1);
    expect(otherProvinceYears(1, 12)).toBe(1);
    expect(otherProvinceYears(10, 120)).toBe(10);
  });
});
