/**
 * The demo's national roll-up (issue 13), served at /toan-quoc/: the demo province's live release beside two more
 * provinces generated with other seeds and names, put through the roll-up command's own code (admin/rollup/:
 * validation, comparison, pages, atomic replacement of the output folder).
 *
 *   other province (a child process each, national-child.ts → national-province.ts) ──generateProvince (1–2 years)
 *     ──▶ :memory: db ──publishMonthEnds (the demo's months)──▶ publications ──prepareOpenData + openDataCatalogue
 *     (the site build's own open-data code)──▶ du-lieu-mo/
 *   demo release (data/site/current) + those folders ──runRollup──▶ data/site/toan-quoc/
 *
 * The two provinces are made on both cores while the roll-up already checks the demo's own release (pendingSource).
 *
 * The other provinces publish only their open data, not an Astro site: it is all the roll-up reads, and building
 * two more sites (about 6,600 task pages each at two years) would add tens of seconds each to the demo's first run. They publish the same months as the demo province
 * (so every month is a common period) with fewer years of history (enough to cover those months). Their figures
 * therefore link nowhere; the demo province's link to its own pages on the demo's origin.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, realpathSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatNumber } from '../domain/format.ts';
import { REPO_ROOT } from '../publication/site-build-common.ts';
import { openSource, type RollupResult, runRollup, type Source } from '../rollup/index.ts';
import { nationalRollupDir } from '../rollup/served.ts';
import type { OtherProvinceSpec } from './national-province.ts';
import { parseProvinceName } from './province-name.ts';

export { writeOpenData } from './national-province.ts';

/** The two fictional provinces beside the demo's Lam Sơn (their names give their roll-up codes: ha-son, kim-giang). */
export const OTHER_PROVINCES: ReadonlyArray<{ name: string; seed: string }> = [
  { name: 'Hà Sơn', seed: 'ha-son' },
  { name: 'Kim Giang', seed: 'kim-giang' },
];

export interface NationalDemoOptions {
  /** the demo's site folder (data/site): its live release is `current`, the roll-up goes to `toan-quoc` */
  siteDir: string;
  /** the demo's served origin: the demo province's figures link to its pages there */
  siteUrl: string;
  /** the months the demo publishes: from this period to the month of `until` */
  fromPeriod: string;
  until: string;
  /** the last day of the other provinces' history, and the clock of their publications */
  asOf: string;
  now: Date;
  /** years of history of the other provinces (at least enough to cover the published months) */
  years: number;
  provinces?: ReadonlyArray<{ name: string; seed: string }>;
  /** keep the other provinces' open data there (tests read their snapshots) instead of a removed temporary folder */
  keepSourcesIn?: string;
  say?: (msg: string) => void;
}

/** Years of history the other provinces need to cover `months` published months: at most the demo's own. */
export function otherProvinceYears(demoYears: number, months: number): number {
  return Math.max(1, Math.min(demoYears, Math.floor(months / 12) + 1));
}

/** Whether the roll-up is (re)built: on the first run, or when something new was published. */
export function nationalNeedsBuild(siteDir: string, publishedNow: number): boolean {
  return publishedNow > 0 || !existsSync(join(nationalRollupDir(join(siteDir, 'current')), 'index.html'));
}

async function folderSource(dir: string, extra: Partial<Source>): Promise<Source> {
  const r = await openSource(dir);
  if (!r.ok) throw new Error(r.message);
  return { ...r.source, ...extra };
}

const CHILD = join(REPO_ROOT, 'admin', 'demo', 'national-child.ts');

/** Writes one other province in a child process (national-child.ts); resolves when it exited 0. */
function spawnProvince(spec: OtherProvinceSpec, children: ChildProcess[]): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(spec)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let err = '';
    child.stderr!.on('data', (b: Buffer) => {
      err += b.toString('utf8');
    });
    child.once('error', fail);
    child.once('exit', (code) =>
      code === 0
        ? ok()
        : fail(new Error(`tỉnh mẫu ${spec.name}: ${err.trim() || `tiến trình kết thúc với mã ${code}`}`)),
    );
  });
}

/**
 * A source whose files are read once `ready` resolves: the roll-up checks the sources in order, so the demo's own
 * (first) is checked while the other provinces are still being made.
 */
function pendingSource(ready: Promise<void>, dir: string, extra: Partial<Source> & { label: string }): Source {
  let inner: Promise<Source> | null = null;
  return {
    kind: 'folder',
    origin: null,
    ...extra,
    read: async (path) => {
      inner ??= ready.then(() => folderSource(dir, extra));
      return (await inner).read(path);
    },
  };
}

/**
 * Builds the roll-up of the demo province and the other provinces into siteDir/toan-quoc (replaced whole by
 * runRollup, so a failed run leaves the previous one). Throws when the demo has no live release.
 */
export async function buildNationalDemo(o: NationalDemoOptions): Promise<RollupResult> {
  const say = o.say ?? (() => {});
  const current = join(resolve(o.siteDir), 'current');
  if (!existsSync(current)) throw new Error('Chưa có trang công khai của tỉnh mẫu để tổng hợp.');
  const work = o.keepSourcesIn ?? join(resolve(o.siteDir), `toan-quoc-nguon.tmp-${process.pid}-${Date.now()}`);
  rmSync(work, { recursive: true, force: true });
  const children: ChildProcess[] = [];
  const made: Array<Promise<unknown>> = [];
  try {
    // the release the link points to now: a rebuild switching `current` meanwhile does not change what is read
    const sources = [
      await folderSource(realpathSync(current), {
        label: 'trang công khai của bản trình diễn',
        origin: o.siteUrl.replace(/\/+$/, ''),
      }),
    ];
    for (const p of o.provinces ?? OTHER_PROVINCES) {
      const parsed = parseProvinceName(p.name);
      if (!parsed.ok) throw new Error(parsed.message);
      const dir = join(work, parsed.naming.rollupCode);
      const t0 = performance.now();
      const spec = { ...p, years: o.years, asOf: o.asOf, fromPeriod: o.fromPeriod, until: o.until };
      const ready = spawnProvince({ ...spec, now: o.now.toISOString(), dir }, children).then(() =>
        say(
          `tỉnh mẫu ${p.name}: dữ liệu mở trong ${((performance.now() - t0) / 1000).toFixed(1).replace('.', ',')} giây`,
        ),
      );
      made.push(ready.catch(() => {})); // awaited through its source; a failure surfaces there
      sources.push(
        pendingSource(ready, dir, {
          label: `${parsed.naming.provinceName} (tỉnh mẫu, chỉ công bố dữ liệu mở)`,
          pagesNote: 'tỉnh mẫu này chỉ công bố dữ liệu mở, không có trang báo cáo',
        }),
      );
    }
    const result = await runRollup(sources, nationalRollupDir(current), () => {}, o.now);
    for (const x of result.rollup.refused) say(x.reason);
    for (const p of result.rollup.provinces) say(`${p.name}: ${formatNumber(p.periods.length)} kỳ đạt kiểm tra`);
    return result;
  } finally {
    // a failure before the children are done: stop them before their folder is removed
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill();
    await Promise.all(made);
    if (!o.keepSourcesIn) rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The demo's step: builds the roll-up when nationalNeedsBuild says so and prints what it did; a failure is printed
 * and the demo goes on (the previous roll-up, if any, is still served).
 */
export async function nationalDemoStep(
  o: Omit<NationalDemoOptions, 'years' | 'say'> & { demoYears: number; months: number; published: number },
  log: (msg: string) => void = console.log,
): Promise<void> {
  if (!nationalNeedsBuild(o.siteDir, o.published)) {
    log('\nTổng hợp toàn quốc (/toan-quoc/) đã có và không có kỳ mới; không dựng lại.');
    return;
  }
  const names = (o.provinces ?? OTHER_PROVINCES).map((p) => p.name).join(', ');
  const years = otherProvinceYears(o.demoYears, o.months);
  log(`\nDựng trang tổng hợp toàn quốc (/toan-quoc/): tỉnh mẫu và các tỉnh ${names} (${years} năm, cùng các kỳ)…`);
  const t0 = performance.now();
  try {
    const r = await buildNationalDemo({ ...o, years, say: (m) => log(`      ${m}`) });
    log(
      `      ${formatNumber(r.rollup.provinces.length)} tỉnh, ${formatNumber(r.rollup.commonPeriods.length)} kỳ chung, ` +
        `${formatNumber(r.pages)} trang trong ${((performance.now() - t0) / 1000).toFixed(1).replace('.', ',')} giây.`,
    );
  } catch (e) {
    log(`      Dựng trang tổng hợp toàn quốc thất bại: ${(e as Error).message}`);
  }
}
