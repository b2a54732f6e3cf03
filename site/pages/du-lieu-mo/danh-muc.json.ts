// The catalogue of the open data: every published period with its data package, report page and the SHA-256 of its
// latest revision, oldest first, and the stable address of the latest one (a national roll-up starts here).
import type { APIRoute } from 'astro';
import { LICENSE, snapshotSchemaPath } from '../../../admin/publication/data-package.ts';
import { rulesVersionOf } from '../../../admin/publication/schema.ts';
import { loadSite, reportHref } from '../../lib/data.ts';

export const GET: APIRoute = () => {
  const site = loadSite();
  const url = (path: string) => `${site.siteUrl}${path}`;
  const body = {
    title: `Dữ liệu mở theo dõi nhiệm vụ UBND tỉnh giao — ${site.latest.province}`,
    publisher: site.latest.office,
    license: LICENSE,
    latest: url('/du-lieu-mo/moi-nhat/datapackage.json'),
    periods: site.periods.map((p) => ({
      period: p.period,
      asOf: p.asOf,
      revision: p.revision,
      publishedAt: p.publishedAt,
      schemaVersion: p.schemaVersion,
      rulesVersion: rulesVersionOf(p),
      sha256: site.revisions.find((r) => r.period === p.period && r.revision === p.revision)?.sha256 ?? null,
      datapackage: url(`/du-lieu-mo/${p.period}/datapackage.json`),
      jsonSchema: url(snapshotSchemaPath(p.schemaVersion)),
      report: url(reportHref(p.period)),
    })),
  };
  return new Response(`${JSON.stringify(body, null, 2)}\n`, {
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
};
