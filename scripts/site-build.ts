/**
 * npm run site:build — builds every published period into data/site/releases/<id>/, checks it and switches
 * data/site/current. Safe under cron or a systemd timer: one build at a time, a failed build changes nothing.
 * --keep N keeps N successful releases as rollback targets (default 5). Only pages whose inputs changed are
 * rendered (the others are hard-linked from the live release); --full renders every page.
 */
import { parseArgs } from 'node:util';
import { databasePathFromEnv, openDatabase } from '../admin/db/open.ts';
import { buildSite, BuildError } from '../admin/publication/site-build.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    'site-dir': { type: 'string' },
    'site-url': { type: 'string' },
    keep: { type: 'string' },
    full: { type: 'boolean', default: false },
  },
  strict: true,
});
const keep = values.keep === undefined ? undefined : Number(values.keep);
if (keep !== undefined && (!Number.isInteger(keep) || keep < 1 || keep > 100)) {
  console.error(`Lỗi: --keep phải là số nguyên từ 1 đến 100 (nhận được "${values.keep}").`);
  process.exit(1);
}
const db = openDatabase(values.db ?? databasePathFromEnv());
try {
  const r = await buildSite({
    db,
    siteDir: values['site-dir'],
    siteUrl: values['site-url'],
    trigger: 'cli',
    keepReleases: keep,
    full: values.full,
    onProgress: (p) => console.log(p.message),
  });
  console.log(
    `Xong: ${r.pages} trang, ${r.files} tệp, ${(r.durationMs / 1000).toFixed(1)} s (Astro ${(r.astroMs / 1000).toFixed(1)} s, ` +
      `${r.astroMs > 0 ? Math.round(r.pages / (r.astroMs / 1000)) : 0} trang/s), ${r.carried} tệp dùng lại, ảnh chia sẻ ${r.images.rendered} mới/${r.images.reused} dùng lại; bản ${r.releaseId} đang phục vụ.`,
  );
} catch (err) {
  if (err instanceof BuildError) {
    console.error(`Lỗi: ${err.message}`);
    process.exitCode = 1;
  } else throw err;
} finally {
  db.close();
}
