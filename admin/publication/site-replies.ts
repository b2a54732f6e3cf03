/**
 * The approved replies of the units (admin/domain/replies.ts) for a site build: what the pages show, the PDF files
 * to add to the release, and /du-lieu-mo/y-kien.csv. Declined and waiting replies are never read here.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DB } from '../db/open.ts';
import { uploadDirFor } from '../env.ts';
import { cachedFile } from './site-build-common.ts';
import { approvedReplies } from '../domain/replies.ts';
import { toLocalDate } from '../domain/dates.ts';
import { stringifyCsv } from '../files/spreadsheet-cells.ts';
import { storedPath } from '../files/store.ts';
import type { SiteReply } from '../../site/lib/site-data.ts';

export const REPLIES_CSV_HREF = '/du-lieu-mo/y-kien.csv';

export function siteReplies(db: DB, cacheDir: string): { replies: SiteReply[]; links: Array<[string, string]> } {
  const links: Array<[string, string]> = [];
  const replies = approvedReplies(db).map((r) => {
    let fileHref: string | null = null;
    if (r.file) {
      const path = storedPath({ uploadDir: uploadDirFor(db.name, process.env.UPLOAD_DIR) }, r.file.storageName);
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
  const path = cachedFile(join(cacheDir, 'replies'), 'y-kien', '.csv', csv);
  links.push([path, REPLIES_CSV_HREF]);
  return { replies, links };
}
