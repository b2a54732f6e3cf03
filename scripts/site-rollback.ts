/**
 * npm run site:rollback — switches data/site/current back to the newest older release that still matches its
 * manifest; releases found damaged (half-deleted, edited) are marked broken, named, and skipped.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { databasePathFromEnv, openDatabase } from '../admin/db/open.ts';
import { BuildError, rollbackSite, siteDirFromEnv } from '../admin/publication/site-build.ts';

const { values } = parseArgs({ options: { db: { type: 'string' }, 'site-dir': { type: 'string' } }, strict: true });
const dbPath = values.db ?? databasePathFromEnv();
const db = existsSync(dbPath) ? openDatabase(dbPath) : null;
try {
  const r = rollbackSite(values['site-dir'] ?? siteDirFromEnv(), db);
  for (const s of r.skipped) console.log(`Bỏ qua bản ${s.id} (hỏng: ${s.problem}).`);
  console.log(`Đã quay lại bản ${r.to} (trước đó: ${r.from}); trang công khai đang phục vụ bản ${r.to}.`);
} catch (err) {
  if (err instanceof BuildError) {
    console.error(`Lỗi: ${err.message}`);
    process.exitCode = 1;
  } else throw err;
} finally {
  db?.close();
}
