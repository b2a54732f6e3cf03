/** npm run site:rollback — switches data/site/current back to the previous kept release. */
import { BuildError, rollbackSite, siteDirFromEnv } from '../admin/publication/site-build.ts';

try {
  const r = rollbackSite(siteDirFromEnv());
  console.log(`Đã quay lại bản ${r.to} (trước đó: ${r.from}).`);
} catch (err) {
  if (err instanceof BuildError) {
    console.error(`Lỗi: ${err.message}`);
    process.exitCode = 1;
  } else throw err;
}
