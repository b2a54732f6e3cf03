// The catalogue of the open data (admin/publication/open-data-catalogue.ts: every published period with its data
// package, report page and SHA-256, and the stable address of the latest one; a national roll-up starts here).
import type { APIRoute } from 'astro';
import { openDataCatalogueText } from '../../../admin/publication/open-data-catalogue.ts';
import { loadSite, reportHref } from '../../lib/data.ts';

export const GET: APIRoute = () => {
  const site = loadSite();
  const body = openDataCatalogueText({
    siteUrl: site.siteUrl,
    periods: site.periods,
    sha256Of: (period, revision) =>
      site.revisions.find((r) => r.period === period && r.revision === revision)?.sha256 ?? null,
    reportPath: reportHref,
  });
  return new Response(body, { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
};
