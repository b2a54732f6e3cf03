/**
 * npm run stats -- --as-of YYYY-MM-DD [--agency CODE] [--format table|json]
 * Counts per agency and in total as of a cutoff date, through the one rules module (admin/domain/status.ts).
 * Exit codes: 0 done, 1 no database, 2 bad arguments (date, agency, format).
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { databasePathFromEnv, openDatabase } from '../admin/db/open.ts';
import { formatStatsTable } from '../admin/demo/summary.ts';
import { formatDateVi, parseDateInput, today } from '../admin/domain/dates.ts';
import { computeStats, statsJson } from '../admin/domain/stats.ts';

const USAGE = 'Cách dùng: npm run stats -- --as-of YYYY-MM-DD [--agency MÃ_ĐƠN_VỊ] [--format table|json]';

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}

let args;
try {
  args = parseArgs({
    options: {
      'as-of': { type: 'string' },
      agency: { type: 'string' },
      format: { type: 'string', default: 'table' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }).values;
} catch (e) {
  fail(`Tham số không hợp lệ: ${(e as Error).message}\n${USAGE}`, 2);
}
if (args.help) {
  console.log(
    `${USAGE}\n  --as-of   ngày chốt số liệu (YYYY-MM-DD hoặc dd/mm/yyyy; mặc định hôm nay)\n  --agency  chỉ một đơn vị (mã, ví dụ STC)\n  --format  table (mặc định) hoặc json`,
  );
  process.exit(0);
}
const asOf = parseDateInput(args['as-of'] ?? today());
if (asOf === null)
  fail(
    `Ngày chốt số liệu "${args['as-of']}" không hợp lệ; nhập dạng YYYY-MM-DD (ví dụ 2026-06-30) hoặc dd/mm/yyyy.`,
    2,
  );
if (args.format !== 'table' && args.format !== 'json')
  fail(`Định dạng "${args.format}" không hỗ trợ; chọn table hoặc json.`, 2);

const path = databasePathFromEnv();
if (!existsSync(path))
  fail(`Chưa có cơ sở dữ liệu ${path}. Tạo dữ liệu mẫu bằng: npm run seed -- --years 10 --seed demo`, 1);
let db;
try {
  db = openDatabase(path);
} catch (e) {
  fail(`Không mở được cơ sở dữ liệu ${path}: ${(e as Error).message}`, 1);
}

let agencyId: number | undefined;
if (args.agency !== undefined) {
  const code = args.agency.trim().toUpperCase();
  const row = db.prepare('SELECT id FROM agencies WHERE code = ?').get(code) as { id: number } | undefined;
  if (!row)
    fail(
      `Không có đơn vị mã "${args.agency}". Các mã hiện có: ${(db.prepare('SELECT code FROM agencies ORDER BY code').all() as Array<{ code: string }>).map((a) => a.code).join(', ')}.`,
      2,
    );
  agencyId = row.id;
}

const stats = computeStats(db, asOf, agencyId === undefined ? {} : { agencyId });
db.close();

if (args.format === 'json') {
  console.log(JSON.stringify(statsJson(stats)));
} else {
  console.log(`Tình hình thực hiện nhiệm vụ UBND tỉnh giao, tính đến ngày ${formatDateVi(asOf)}`);
  console.log(
    '(HT: hoàn thành; TH: thực hiện; QH: quá hạn; tỷ lệ tính trên số nhiệm vụ đã đến hạn hoặc đã hoàn thành)\n',
  );
  console.log(formatStatsTable(stats));
  console.log(`\n${stats.agencies.length} đơn vị, ${stats.totals.total} nhiệm vụ được tính.`);
}
