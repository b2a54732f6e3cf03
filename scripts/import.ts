/**
 * npm run import -- --file F [--dry-run]
 * Imports tasks with their history from a .csv, .xlsx or .json file (format: README, example data/demo/import-example.csv)
 * into DATABASE_PATH. A file with any bad row imports nothing; every bad row is listed with its row number. The
 * import is recorded (file name, SHA-256, time; importer "dòng lệnh") and shown on every imported event.
 * Exit codes: 0 imported (or valid, on a dry run), 1 bad rows (nothing imported), 2 bad arguments or unreadable file.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { databasePathFromEnv, openDatabase } from '../admin/db/open.ts';
import { renderTable } from '../admin/demo/summary.ts';
import { importFile } from '../admin/import/import-tasks.ts';

const USAGE = 'Cách dùng: npm run import -- --file TỆP(.csv|.xlsx|.json) [--dry-run]';

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}

let args;
try {
  args = parseArgs({
    options: {
      file: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }).values;
} catch (e) {
  fail(`Tham số không hợp lệ: ${(e as Error).message}\n${USAGE}`, 2);
}
if (args.help) {
  console.log(`${USAGE}\n  --dry-run  chỉ kiểm tra, không ghi gì vào cơ sở dữ liệu`);
  process.exit(0);
}
if (!args.file) fail(`Thiếu --file.\n${USAGE}`, 2);
if (!existsSync(args.file)) fail(`Không tìm thấy tệp ${args.file}.`, 2);
if (!/\.(csv|xlsx|json)$/i.test(args.file)) fail('Chỉ nhận tệp .csv, .xlsx hoặc .json.', 2);

const dryRun = args['dry-run'];
let db;
try {
  db = openDatabase(databasePathFromEnv());
} catch (e) {
  fail(`Không mở được cơ sở dữ liệu ${databasePathFromEnv()}: ${(e as Error).message}`, 1);
}
console.log(`${dryRun ? 'Kiểm tra' : 'Nhập'} tệp ${args.file}…`);
const result = await importFile(db, args.file, undefined, { dryRun });
db.close();

if (result.errors.length > 0) {
  console.error(
    renderTable(
      ['Dòng', 'Lỗi'],
      result.errors.map((e) => [String(e.row), e.message]),
      [true, false],
    ),
  );
  const rows = new Set(result.errors.map((e) => e.row)).size;
  fail(
    `\nKhông nhập gì: ${result.errors.length} lỗi ở ${rows} dòng. Sửa tệp rồi nhập lại (tệp có dòng lỗi thì không dòng nào được nhập).`,
    1,
  );
}
console.log(
  dryRun
    ? `Tệp hợp lệ: ${result.valid} nhiệm vụ, ${result.documentsCreated} văn bản mới sẽ được tạo (chạy thử, chưa ghi gì).`
    : `Đã nhập ${result.imported} nhiệm vụ, tạo ${result.documentsCreated} văn bản mới (lần nhập số ${result.importId}; diễn biến ghi "Nhập từ tệp ${basename(args.file)}").`,
);
