/**
 * The archives of former provinces (issue 12): a province merged into this one (admin/domain/province-merge*.ts)
 * keeps its publications byte for byte in former_publications; the site shows them apart from this province's
 * periods, as "Tỉnh X (đến dd/mm/yyyy)", each period's frozen JSON downloadable and checked against its SHA-256.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decompressSnapshot } from './snapshot-compression.ts';
import type { DB } from '../db/open.ts';
import { slugify } from '../../site/lib/format.ts';
import type { SiteArchive } from '../../site/lib/site-data.ts';
import { storedSnapshotHeaderSchema } from './schema.ts';

/** Every former province with the latest revision of each of its periods, and the JSON files to publish. */
export function siteArchives(db: DB, cacheDir: string): { archives: SiteArchive[]; links: Array<[string, string]> } {
  const provinces = db
    .prepare('SELECT id, prefix, name, last_day FROM former_provinces ORDER BY joined_on, id')
    .all() as Array<{ id: number; prefix: string | null; name: string; last_day: string }>;
  const links: Array<[string, string]> = [];
  const archives = provinces.map((p) => {
    const slug = slugify(p.prefix ?? p.name);
    const rows = db
      .prepare(
        `SELECT f.period, f.revision, f.as_of, f.sha256, f.summary, f.json_gz FROM former_publications f
          WHERE f.province_id = ? AND f.revision = (SELECT max(revision) FROM former_publications g
                                                     WHERE g.province_id = f.province_id AND g.period = f.period)
          ORDER BY f.period`,
      )
      .all(p.id) as Array<{
      period: string;
      revision: number;
      as_of: string;
      sha256: string;
      summary: string;
      json_gz: Buffer;
    }>;
    const periods = rows.map((r) => {
      const header = storedSnapshotHeaderSchema.parse(JSON.parse(r.summary));
      const path = join(cacheDir, 'archives', `${r.sha256}.json`);
      if (!existsSync(path)) {
        const text = decompressSnapshot(r.json_gz);
        // the archive is published only as it was frozen
        if (createHash('sha256').update(text).digest('hex') !== r.sha256)
          throw new Error(`Bản lưu trữ ${p.name} kỳ ${r.period} không khớp mã băm SHA-256 đã lưu.`);
        mkdirSync(join(cacheDir, 'archives'), { recursive: true });
        writeFileSync(`${path}.tmp-${process.pid}`, text);
        renameSync(`${path}.tmp-${process.pid}`, path);
      }
      const jsonHref = `/luu-tru/${slug}/${r.period}/ban-${r.revision}.json`;
      links.push([path, jsonHref]);
      return {
        period: r.period,
        revision: r.revision,
        asOf: r.as_of,
        sha256: r.sha256,
        totals: header.totals,
        jsonHref,
      };
    });
    return { slug, name: p.name, lastDay: p.last_day, periods };
  });
  return { archives, links };
}
