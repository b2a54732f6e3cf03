/**
 * The approved replies of the units (admin/domain/replies.ts) for a site build: what the pages show, the PDF files
 * to add to the release, and /du-lieu-mo/y-kien.csv. Declined and waiting replies are never read here.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DB } from '../db/open.ts';
import { approvedReplies } from '../domain/replies.ts';
import { toLocalDate } from '../domain/dates.ts';
import { stringifyCsv } from '../files/spreadsheet-cells.ts';
import { storedPath } from '../files/store.ts';
import type { SiteReply } from '../../site/lib/site-data.ts';

export const REPLIES_CSV_HREF = '/du-lieu-mo/y-kien.csv';

/** The folder of stored uploads for this database (admin/env.ts: UPLOAD_DIR, else uploads/ next to the file). */
function uploadDirOf(db: DB): string {
  return process.env.UPLOAD_DIR?.trim() || join(dirname(db.name), 'uploads');
}

export function siteReplies(db: DB, cacheDir: string): { replies: SiteReply[]; links: Array<[string, string]> } {
  const links: Array<[string, string]> = [];
  const replies = approvedReplies(db).map((r) => {
    let fileHref: string | null = null;
    if (r.file) {
      const path = storedPath({ uploadDir: uploadDirOf(db) }, r.file.storageName);
      // a stored file that went missing is left out rather than failing the build on a broken link
      if (existsSync(path)) {
        fileHref = `/y-kien/y-kien-${r.id}.pdf`;
        links.push([path, fileHref]);
      }
    }
    return {
      id: r.id,
      agencyCode: r.agencyCode,
      agencyName: r.agencyName,
      period: r.period,
      body: r.body,
      submittedOn: toLocalDate(r.submittedOn),
      approvedOn: toLocalDate(r.approvedOn),
      fileHref,
    };
  });
  const csv = stringifyCsv([
    ['ky', 'ma_co_quan', 'co_quan', 'ngay_gui', 'ngay_cong_khai', 'noi_dung', 'tep_pdf'],
    ...replies.map((r) => [r.period, r.agencyCode, r.agencyName, r.submittedOn, r.approvedOn, r.body, r.fileHref]),
  ]);
  const dir = join(cacheDir, 'replies');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `y-kien-${createHash('sha256').update(csv).digest('hex').slice(0, 16)}.csv`);
  if (!existsSync(path)) {
    writeFileSync(`${path}.tmp-${process.pid}`, csv);
    renameSync(`${path}.tmp-${process.pid}`, path);
  }
  links.push([path, REPLIES_CSV_HREF]);
  return { replies, links };
}
