/**
 * What a build feeds Astro and adds beside its pages: the site input (revisions, open-data links), the open data
 * files (cached per publication by content hash) and the share images (cached by content), hard-linked into the
 * release once Astro is done.
 */
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { DB } from '../db/open.ts';
import type { OpenDataFile, RevisionInfo } from '../../site/lib/site-data.ts';
import { slugify } from '../../site/lib/format.ts';
import { readSnapshotText, type PublicationRow } from './publish.ts';
import { figuresCsv, newlyOverdueCsv, writeSnapshotCsv, writeSnapshotXlsx } from './open-data.ts';
import { activityCsv } from './open-data-activity.ts';
import {
  dataPackage,
  type FileFacts,
  openDataFileNames,
  snapshotJsonSchema,
  snapshotSchemaPath,
} from './data-package.ts';
import { cachedCard, type CardStats } from './share-images.ts';
import {
  isCurrentSnapshot,
  type StoredSnapshot as Snapshot,
  type StoredSnapshotHeader as SnapshotHeader,
} from './schema.ts';
import { cachedFile, type BuildProgress } from './site-build-common.ts';

/** [file in the cache, path in the release] */
export type ReleaseLink = [string, string];

/** Sortable release id, UTC to the millisecond (two builds within one second must still sort in build order). */
export function releaseIdNow(): string {
  const d = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}${p(d.getUTCMilliseconds(), 3)}-${Math.random().toString(36).slice(2, 6)}`;
}

export function revisionsOf(db: DB, rows: PublicationRow[], headers: Map<number, SnapshotHeader>): RevisionInfo[] {
  const revisions = rows.map((r) => ({
    id: r.id,
    period: r.period,
    revision: r.revision,
    asOf: r.as_of,
    note: r.note,
    publishedAt: headers.get(r.id)?.publishedAt ?? r.created_at,
    sha256: r.sha256,
    taskCount: r.task_count,
  }));
  // revisions other than the latest have no summary header in `periods`: read their publishedAt from summary
  for (const v of revisions) {
    if (!headers.has(v.id)) {
      const s = db.prepare('SELECT summary FROM publications WHERE id = ?').get(v.id) as { summary: string };
      v.publishedAt = (JSON.parse(s.summary) as SnapshotHeader).publishedAt;
    }
  }
  return revisions;
}

/** Links of each period's open data (latest revision: JSON, CSV, XLSX), known before the files are written. */
export function openDataLinks(rows: PublicationRow[], headers: Map<number, SnapshotHeader>) {
  const openData: Record<string, OpenDataFile[]> = {};
  for (const r of rows) {
    if (!headers.has(r.id)) continue;
    const base = `/du-lieu-mo/${r.period}`;
    openData[r.period] = [
      { format: 'JSON', href: `${base}/ban-${r.revision}.json` },
      { format: 'CSV', href: `${base}/nhiem-vu.csv` },
      { format: 'XLSX', href: `${base}/nhiem-vu.xlsx` },
      { format: 'Data Package', href: `${base}/datapackage.json` },
    ];
  }
  return openData;
}

/** Files of one period's open data, produced once per publication (content = sha256) and cached. */
async function openDataFor(db: DB, cacheDir: string, row: PublicationRow): Promise<string> {
  const dir = join(cacheDir, 'data', row.sha256);
  // files.json arrived with the data packages: a cache entry from before is made again
  if (existsSync(join(dir, '.complete')) && existsSync(join(dir, 'files.json'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const text = readSnapshotText(db, row.id);
  writeFileSync(join(tmp, 'ban.json'), text);
  // the text was validated when published and its SHA-256 was just checked: parse without re-validating
  const snapshot = JSON.parse(text) as Snapshot;
  await writeSnapshotCsv(snapshot, join(tmp, 'nhiem-vu.csv'));
  await writeSnapshotXlsx(snapshot, join(tmp, 'nhiem-vu.xlsx'));
  writeFileSync(join(tmp, 'so-lieu.csv'), figuresCsv(snapshot));
  const overdue = newlyOverdueCsv(snapshot);
  if (overdue !== null) writeFileSync(join(tmp, 'moi-qua-han.csv'), overdue);
  const activity = activityCsv(snapshot);
  if (activity !== null) writeFileSync(join(tmp, 'hoat-dong.csv'), activity);
  // size and SHA-256 of every file, for the data package (computed once, with the files)
  const facts: Record<string, FileFacts> = {};
  for (const name of readdirSync(tmp)) {
    const bytes = readFileSync(join(tmp, name));
    facts[name] = { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  writeFileSync(join(tmp, 'files.json'), JSON.stringify(facts));
  writeFileSync(join(tmp, '.complete'), row.sha256);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}

/**
 * Produces (or takes from the cache) every publication's open data and, for each period's latest revision, its
 * data package (data-package.ts); the JSON Schema of each snapshot schema version in use; and the latest period
 * again under /du-lieu-mo/moi-nhat/ (a stable address). Returns the links to add to the release.
 */
export async function prepareOpenData(
  db: DB,
  cacheDir: string,
  rows: PublicationRow[],
  headers: Map<number, SnapshotHeader>,
  say: (p: BuildProgress) => void,
  siteUrl: string,
): Promise<ReleaseLink[]> {
  const links: ReleaseLink[] = [];
  const schemaVersions = new Set<1 | 2>();
  let latest: { period: string; files: ReleaseLink[] } | null = null;
  let n = 0;
  for (const r of rows) {
    const base = `/du-lieu-mo/${r.period}`;
    const dir = await openDataFor(db, cacheDir, r);
    links.push([join(dir, 'ban.json'), `${base}/ban-${r.revision}.json`]);
    const h = headers.get(r.id);
    if (h) {
      schemaVersions.add(h.schemaVersion);
      const facts = JSON.parse(readFileSync(join(dir, 'files.json'), 'utf8')) as Record<string, FileFacts>;
      const named: Record<string, FileFacts> = {};
      const files: ReleaseLink[] = [];
      for (const name of openDataFileNames(h)) {
        const cached = name.startsWith('ban-') ? 'ban.json' : name;
        named[name] = facts[cached]!;
        files.push([join(dir, cached), name]);
      }
      const pkg = `${JSON.stringify(dataPackage(h, named, siteUrl), null, 2)}\n`;
      files.push([
        cachedFile(join(cacheDir, 'packages'), `${r.period}-${r.revision}`, '.json', pkg),
        'datapackage.json',
      ]);
      for (const [src, name] of files) if (!name.startsWith('ban-')) links.push([src, `${base}/${name}`]);
      if (!latest || r.period > latest.period) latest = { period: r.period, files };
    }
    if (++n % 12 === 0) say({ phase: 'extras', message: `Dữ liệu mở: ${n}/${rows.length} bản công bố` });
  }
  for (const v of schemaVersions) {
    const text = `${JSON.stringify(snapshotJsonSchema(v, siteUrl), null, 2)}\n`;
    links.push([cachedFile(join(cacheDir, 'schemas'), `v${v}`, '.json', text), snapshotSchemaPath(v)]);
  }
  // the same files once more at a stable address: the package's paths are relative, so it is valid there too
  if (latest) for (const [src, name] of latest.files) links.push([src, `/du-lieu-mo/moi-nhat/${name}`]);
  return links;
}

/** Share images of the home page, every agency of the latest period and every monthly report. */
export async function prepareShareImages(
  cacheDir: string,
  latest: SnapshotHeader,
  periods: SnapshotHeader[],
  stats: CardStats,
): Promise<ReleaseLink[]> {
  const ogCache = join(cacheDir, 'og');
  const links: ReleaseLink[] = [];
  const title = 'Theo dõi nhiệm vụ UBND tỉnh giao';
  // from schema version 2 the cards show what the pages lead with: the tasks assigned since 1 January
  const kicker = (h: SnapshotHeader) =>
    isCurrentSnapshot(h) ? `${h.province} · Nhiệm vụ giao từ đầu năm ${h.yearToDate.from.slice(0, 4)}` : h.province;
  const home = isCurrentSnapshot(latest) ? latest.yearToDate.assigned : latest.totals;
  links.push([
    await cachedCard(ogCache, { kicker: kicker(latest), title, asOf: latest.asOf, counts: home }, stats),
    '/og/trang-chu.png',
  ]);
  for (const a of latest.agencies) {
    const counts = 'yearToDate' in a ? a.yearToDate.assigned : a.counts;
    links.push([
      await cachedCard(ogCache, { kicker: kicker(latest), title: a.name, asOf: latest.asOf, counts }, stats),
      `/og/co-quan/${slugify(a.code)}.png`,
    ]);
  }
  for (const p of periods) {
    const [y, m] = p.period.split('-');
    links.push([
      await cachedCard(
        ogCache,
        {
          kicker: kicker(p),
          title: `Báo cáo tháng ${Number(m)}/${y}`,
          asOf: p.asOf,
          counts: isCurrentSnapshot(p) ? p.yearToDate.assigned : p.totals,
        },
        stats,
      ),
      `/og/bao-cao/${p.period}.png`,
    ]);
  }
  return links;
}

export function linkOrCopy(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}
