/**
 * The site input a build derives from the publications (site-data.json, the latest snapshot's text, the hashes
 * of its inputs), read the same way by the build and by the step that prepares its caches after publishing.
 */
import type { DB } from '../db/open.ts';
import type { SiteData } from '../../site/lib/site-data.ts';
import { listPublications, type PublicationRow, readSnapshotText } from './publish.ts';
import type { StoredSnapshotHeader as SnapshotHeader } from './schema.ts';
import { openDataLinks, type ReleaseLink, revisionsOf } from './site-build-inputs.ts';
import { type ComputedInputs, inputsOf } from './site-build-plan.ts';
import { siteArchives } from './site-archive.ts';
import { siteReplies } from './site-replies.ts';
import { latestSummaries } from './snapshot.ts';

export interface SiteInputs {
  rows: PublicationRow[];
  periods: SnapshotHeader[];
  latest: SnapshotHeader;
  latestRow: PublicationRow;
  /** publication id → its period's summary (the latest revision of each period) */
  headers: Map<number, SnapshotHeader>;
  /** the latest publication's text (28 MB for 30,000 tasks), read on demand: a build starts Astro first */
  snapshotText: () => string;
  siteDataText: string;
  /** replies' and archives' files */
  links: ReleaseLink[];
  computed: ComputedInputs;
}

export function publicationHeaders(rows: PublicationRow[], periods: SnapshotHeader[]): Map<number, SnapshotHeader> {
  const headers = new Map<number, SnapshotHeader>();
  for (const r of rows) {
    const h = periods.find((p) => p.period === r.period && p.revision === r.revision);
    if (h) headers.set(r.id, h);
  }
  return headers;
}

/** null when nothing is published. */
export function readSiteInputs(
  db: DB,
  cacheDir: string,
  siteUrl: string,
  rows: PublicationRow[] = listPublications(db),
  lap: (name: string) => void = () => {},
): SiteInputs | null {
  if (rows.length === 0) return null;
  const periods = latestSummaries(db);
  const latest = periods[periods.length - 1]!;
  const latestRow = rows.find((r) => r.period === latest.period && r.revision === latest.revision)!;
  const headers = publicationHeaders(rows, periods);
  let text: string | null = null;
  const snapshotText = () => (text ??= readSnapshotText(db, latestRow.id));
  const replies = siteReplies(db, cacheDir);
  const archives = siteArchives(db, cacheDir);
  const siteData: SiteData = {
    siteUrl,
    periods,
    revisions: revisionsOf(db, rows, headers),
    openData: openDataLinks(rows, headers),
    replies: replies.replies,
    archives: archives.archives,
  };
  const siteDataText = JSON.stringify(siteData);
  lap('siteData');
  const computed = inputsOf(siteData, siteDataText, latestRow.sha256);
  lap('codeHash');
  return {
    rows,
    periods,
    latest,
    latestRow,
    headers,
    snapshotText,
    siteDataText,
    links: [...replies.links, ...archives.links],
    computed,
  };
}
