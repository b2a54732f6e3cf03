/**
 * npm run backup [-- --dir DIR] [--keep N]
 * Online backup of DATABASE_PATH (default data/app.db) into BACKUP_DIR (default data/backups), safe while the server
 * runs (SQLite backup API), checked with integrity_check, keeping the newest N (BACKUP_KEEP, default 14).
 * The server also does this every night at 02:30. Restore: stop the server and copy a backup over the database file.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDatabase } from '../admin/db/open.ts';
import { EnvError, loadEnv } from '../admin/env.ts';
import { backupDatabase } from '../admin/jobs/backup.ts';

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}

let args;
try {
  args = parseArgs({ options: { dir: { type: 'string' }, keep: { type: 'string' } }, strict: true }).values;
} catch (e) {
  fail(`Tham số không hợp lệ: ${(e as Error).message}\nCách dùng: npm run backup -- [--dir THƯ_MỤC] [--keep N]`, 2);
}
let env;
try {
  env = loadEnv({
    ...process.env,
    ...(args.keep !== undefined ? { BACKUP_KEEP: args.keep } : {}),
    ...(args.dir ? { BACKUP_DIR: args.dir } : {}),
  });
} catch (e) {
  fail(e instanceof EnvError ? e.message : String(e), 2);
}
if (!env.backupDir) fail('Không sao lưu được cơ sở dữ liệu trong bộ nhớ.', 2);
if (!existsSync(env.databasePath)) fail(`Không có cơ sở dữ liệu ${env.databasePath}.`, 1);
const started = performance.now();
const db = openDatabase(env.databasePath);
try {
  let last = -1;
  const r = await backupDatabase(db, env.backupDir, {
    keep: env.backupKeep,
    onProgress: (p) => {
      if (p >= last + 25 || p === 100) {
        last = p;
        console.log(`  ${p}%`);
      }
    },
  });
  console.log(
    `Đã sao lưu ${env.databasePath} → ${r.path} (${(r.bytes / 1024 / 1024).toFixed(1)} MB, kiểm tra toàn vẹn: ok) trong ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s; xóa ${r.removed.length} bản cũ.`,
  );
} catch (e) {
  fail(`Sao lưu thất bại: ${(e as Error).message}`, 1);
} finally {
  db.close();
}
