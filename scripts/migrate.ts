/**
 * npm run migrate — applies the pending numbered migrations (admin/db/migrations) to DATABASE_PATH
 * (default data/app.db) in one transaction and prints the versions.
 */
import { databasePathFromEnv, openDatabase } from '../admin/db/open.ts';
import { loadMigrations, migrate } from '../admin/db/migrate.ts';

const path = databasePathFromEnv();
try {
  const db = openDatabase(path, { migrate: false });
  const migrations = loadMigrations();
  const { from, to } = migrate(db, migrations);
  db.close();
  if (from === to) {
    console.log(
      `${path}: đã ở phiên bản mới nhất ${to} (${migrations[to - 1]?.name ?? 'chưa có migration'}); không có gì để áp dụng.`,
    );
  } else {
    for (const m of migrations.slice(from, to)) console.log(`  áp dụng ${m.name}`);
    console.log(`${path}: phiên bản ${from} → ${to} (${to - from} migration).`);
  }
} catch (e) {
  console.error(`Không thể cập nhật cơ sở dữ liệu ${path}: ${(e as Error).message}`);
  process.exit(1);
}
