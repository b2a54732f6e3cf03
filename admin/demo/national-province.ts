/**
 * One of the demo's other provinces for the national roll-up (admin/demo/national.ts): generated with its own seed
 * and name, published for the demo's months, and written as the open data its site would publish (du-lieu-mo/),
 * with the site build's own open-data code and the catalogue writer its site uses; no pages.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reportHref } from '../../site/lib/data.ts';
import type { DB } from '../db/open.ts';
import { openDatabase } from '../db/open.ts';
import { openDataCatalogueText } from '../publication/open-data-catalogue.ts';
import { listPublications, publishMonthEnds } from '../publication/publish.ts';
import type { StoredSnapshotHeader } from '../publication/schema.ts';
import { latestSummaries } from '../publication/snapshot.ts';
import { linkOrCopy, prepareOpenData } from '../publication/site-build-inputs.ts';
import { generateProvince } from './generate.ts';
import { parseProvinceName } from './province-name.ts';

/**
 * Writes the open data a province's site publishes (du-lieu-mo/: each period's files and data package, the JSON
 * Schemas, the moi-nhat/ alias, the catalogue) into `dest`, as a site build does. Returns the number of files.
 */
export async function writeOpenData(db: DB, dest: string, siteUrl: string, cacheDir: string): Promise<number> {
  const rows = listPublications(db);
  const periods = latestSummaries(db);
  const headers = new Map<number, StoredSnapshotHeader>();
  for (const r of rows) {
    const h = periods.find((p) => p.period === r.period && p.revision === r.revision);
    if (h) headers.set(r.id, h);
  }
  const links = await prepareOpenData(db, cacheDir, rows, headers, () => {}, siteUrl);
  for (const [from, href] of links) linkOrCopy(from, join(dest, href));
  mkdirSync(join(dest, 'du-lieu-mo'), { recursive: true });
  writeFileSync(
    join(dest, 'du-lieu-mo', 'danh-muc.json'),
    openDataCatalogueText({
      siteUrl,
      periods,
      sha256Of: (period, revision) => rows.find((r) => r.period === period && r.revision === revision)?.sha256 ?? null,
      reportPath: reportHref,
    }),
  );
  return links.length + 1;
}

export interface OtherProvinceSpec {
  name: string;
  seed: string;
  years: number;
  /** the last day of its history */
  asOf: string;
  /** the months published: fromPeriod to the month of `until` */
  fromPeriod: string;
  until: string;
  /** ISO time of the run: nothing is recorded or published later */
  now: string;
  /** where its du-lieu-mo/ goes (a cache for the open data is made beside it) */
  dir: string;
}

export async function writeOtherProvince(spec: OtherProvinceSpec): Promise<void> {
  const parsed = parseProvinceName(spec.name);
  if (!parsed.ok) throw new Error(parsed.message);
  const { naming } = parsed;
  const now = new Date(spec.now);
  const db = openDatabase(':memory:');
  try {
    generateProvince(db, {
      years: spec.years,
      seed: spec.seed,
      endDate: spec.asOf,
      now,
      province: { name: naming.name, code: naming.shortCode },
    });
    publishMonthEnds(db, { fromPeriod: spec.fromPeriod, until: spec.until, now });
    // an address that is not https and cannot resolve: the roll-up links only to provinces' real pages
    await writeOpenData(db, spec.dir, `http://${naming.rollupCode}.invalid`, `${spec.dir}-cache`);
  } finally {
    db.close();
  }
}
