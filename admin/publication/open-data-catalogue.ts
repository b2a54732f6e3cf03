/**
 * The catalogue of a province's open data (/du-lieu-mo/danh-muc.json): every published period with its data
 * package, report page and the SHA-256 of its latest revision, oldest first, and the stable address of the latest
 * one. A national roll-up starts here (admin/rollup/validate.ts). One writer for the site's page
 * (site/pages/du-lieu-mo/danh-muc.json.ts) and for the demo's other provinces, which publish only their open data
 * (admin/demo/national.ts).
 */
import { LICENSE, snapshotSchemaPath } from './data-package.ts';
import { rulesVersionOf, type StoredSnapshotHeader } from './schema.ts';

export interface CatalogueInput {
  siteUrl: string;
  /** latest revision of every period, oldest first; the last one names the province */
  periods: StoredSnapshotHeader[];
  /** the SHA-256 of a period's revision as published (null when unknown) */
  sha256Of: (period: string, revision: number) => string | null;
  /** the site path of a period's report page ("/bao-cao/2026-03/") */
  reportPath: (period: string) => string;
}

export function openDataCatalogue(input: CatalogueInput) {
  const latest = input.periods[input.periods.length - 1];
  if (!latest) throw new Error('Chưa có kỳ nào được công bố.');
  const url = (path: string) => `${input.siteUrl}${path}`;
  return {
    title: `Dữ liệu mở theo dõi nhiệm vụ UBND tỉnh giao — ${latest.province}`,
    publisher: latest.office,
    license: LICENSE,
    latest: url('/du-lieu-mo/moi-nhat/datapackage.json'),
    periods: input.periods.map((p) => ({
      period: p.period,
      asOf: p.asOf,
      revision: p.revision,
      publishedAt: p.publishedAt,
      schemaVersion: p.schemaVersion,
      rulesVersion: rulesVersionOf(p),
      sha256: input.sha256Of(p.period, p.revision),
      datapackage: url(`/du-lieu-mo/${p.period}/datapackage.json`),
      jsonSchema: url(snapshotSchemaPath(p.schemaVersion)),
      report: url(input.reportPath(p.period)),
    })),
  };
}

/** The catalogue as the file is written: pretty JSON with a final newline. */
export function openDataCatalogueText(input: CatalogueInput): string {
  return `${JSON.stringify(openDataCatalogue(input), null, 2)}\n`;
}
