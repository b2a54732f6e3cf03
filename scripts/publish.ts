/**
 * npm run publish -- --period YYYY-MM --as-of YYYY-MM-DD [--note TEXT]
 * Freezes the public snapshot of a period (DESIGN.md §4). Bad input: a Vietnamese message, exit 1, nothing written.
 */
import { parseArgs } from 'node:util';
import { databasePathFromEnv, openDatabase } from '../admin/db/open.ts';
import { publishPeriod, PublishError } from '../admin/publication/publish.ts';
import { formatDateVi } from '../admin/domain/dates.ts';

function fail(message: string): never {
  console.error(`Lỗi: ${message}`);
  process.exit(1);
}

let args;
try {
  args = parseArgs({
    options: {
      period: { type: 'string' },
      'as-of': { type: 'string' },
      note: { type: 'string' },
      db: { type: 'string' },
    },
    strict: true,
  }).values;
} catch (err) {
  fail(
    `tham số không hợp lệ (${(err as Error).message}). Cách dùng: npm run publish -- --period 2026-03 --as-of 2026-03-31 [--note "…"]`,
  );
}
if (!args.period || !args['as-of']) {
  fail('cần --period YYYY-MM và --as-of YYYY-MM-DD. Ví dụ: npm run publish -- --period 2026-03 --as-of 2026-03-31');
}

const db = openDatabase(args.db ?? databasePathFromEnv());
const started = Date.now();
try {
  console.log(`Đang tính số liệu kỳ ${args.period}, chốt đến ngày ${formatDateVi(args['as-of'])}…`);
  const r = publishPeriod(db, { period: args.period, asOf: args['as-of'], note: args.note ?? null });
  console.log(
    `Đã công bố kỳ ${r.period} bản ${r.revision} (chốt ${formatDateVi(r.asOf)}): ${r.taskCount} nhiệm vụ công khai, ` +
      `${(r.bytes / 1024).toFixed(0)} KB, SHA-256 ${r.sha256} — ${Date.now() - started} ms. ` +
      'Chạy "npm run site:build" để cập nhật trang công khai.',
  );
} catch (err) {
  if (err instanceof PublishError) fail(err.message);
  throw err;
} finally {
  db.close();
}
