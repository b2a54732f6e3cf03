/** What the build script hands to the Astro build (files in SITE_DATA_DIR), derived only from publications. */
import type { StoredSnapshotHeader } from '../../admin/publication/schema.ts';

export interface RevisionInfo {
  id: number;
  period: string;
  revision: number;
  asOf: string;
  note: string;
  publishedAt: string;
  sha256: string;
  taskCount: number;
}

export interface OpenDataFile {
  format: 'JSON' | 'CSV' | 'XLSX' | 'Data Package';
  href: string;
}

/** An approved reply of a unit to its published figures (admin/publication/site-replies.ts). */
export interface SiteReply {
  id: number;
  agencyCode: string;
  agencyName: string;
  period: string;
  body: string;
  submittedOn: string;
  approvedOn: string;
  fileHref: string | null;
}

/** A former province's archive: its own publications, as frozen (admin/publication/site-archive.ts). */
export interface SiteArchive {
  slug: string;
  name: string;
  /** its last day before joining this province */
  lastDay: string;
  periods: Array<{
    period: string;
    revision: number;
    asOf: string;
    sha256: string;
    totals: StoredSnapshotHeader['totals'];
    jsonHref: string;
  }>;
}

export interface SiteData {
  siteUrl: string;
  /** latest revision of every published period, oldest first (site-data.json) */
  periods: StoredSnapshotHeader[];
  /** every revision of every period, newest first */
  revisions: RevisionInfo[];
  /** open-data downloads per period (latest revision) */
  openData: Record<string, OpenDataFile[]>;
  /** the units' approved replies, by period then agency */
  replies: SiteReply[];
  /** former provinces merged into this one, with their own periods */
  archives: SiteArchive[];
}
