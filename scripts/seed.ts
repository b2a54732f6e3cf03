/**
 * npm run seed -- --years N --seed S [--end YYYY-MM-DD] [--province NAME] [--reset]
 * Fills the database at DATABASE_PATH (default data/app.db) with the deterministic demo province
 * (admin/demo/generate.ts), named NAME when given (admin/demo/province-name.ts: the settings, the units named after
 * it and the code the national roll-up derives follow from it). Refuses a database that already holds data unless
 * --reset, which deletes the file first. Every argument is checked before anything is written.
 */
import { existsSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { databasePathFromEnv, openDatabase } from '../admin/db/open.ts';
import { generateProvince } from '../admin/demo/generate.ts';
import { parseProvinceName } from '../admin/demo/province-name.ts';
import { formatNumber } from '../admin/domain/format.ts';
import { readSettings } from '../admin/domain/settings.ts';
import { provinceCode } from '../admin/rollup/validate.ts';
import { formatDateVi, isIsoDate, today } from '../admin/domain/dates.ts';

const USAGE = 'Cách dùng: npm run seed -- --years N --seed S [--end YYYY-MM-DD] [--province TÊN] [--reset]';

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}

let args;
try {
  args = parseArgs({
    options: {
      years: { type: 'string', default: '10' },
      seed: { type: 'string', default: 'demo' },
      end: { type: 'string' },
      province: { type: 'string' },
      reset: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }).values;
} catch (e) {
  fail(`Tham số không hợp lệ: ${(e as Error).message}\n${USAGE}`, 2);
}
if (args.help) {
  console.log(
    `${USAGE}\n` +
      '  --years  số năm dữ liệu (1–30, mặc định 10)\n  --seed   hạt giống ngẫu nhiên (cùng hạt giống ⇒ cùng dữ liệu)\n' +
      '  --end    ngày cuối của dữ liệu (mặc định: hôm nay theo giờ Việt Nam)\n' +
      '  --province  tên tỉnh, ví dụ "Hà Sơn" (mặc định: Lam Sơn); tên cơ quan, mã đơn vị và mã tổng hợp toàn quốc theo tên này\n' +
      '  --reset  xóa cơ sở dữ liệu hiện có rồi tạo lại',
  );
  process.exit(0);
}
const years = Number(args.years);
if (!Number.isInteger(years) || years < 1 || years > 30)
  fail(`--years phải là số nguyên từ 1 đến 30 (nhận được "${args.years}").`, 2);
const endDate = args.end ?? today();
if (!isIsoDate(endDate)) fail(`--end phải là ngày hợp lệ dạng YYYY-MM-DD (nhận được "${args.end}").`, 2);
let naming = null;
if (args.province !== undefined) {
  const r = parseProvinceName(args.province);
  if (!r.ok) fail(`--province: ${r.message}`, 2);
  naming = r.naming;
}

const path = databasePathFromEnv();
if (args.reset) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
} else if (existsSync(path)) {
  let probe;
  try {
    probe = openDatabase(path);
  } catch (e) {
    fail(`Không mở được cơ sở dữ liệu ${path}: ${(e as Error).message}`, 1);
  }
  const n = (
    probe.prepare('SELECT (SELECT count(*) FROM agencies) + (SELECT count(*) FROM tasks) AS n').get() as { n: number }
  ).n;
  probe.close();
  if (n > 0) fail(`Cơ sở dữ liệu ${path} đã có dữ liệu; không ghi đè. Dùng --reset để xóa và tạo lại.`, 1);
}

process.on('uncaughtException', (e) => fail(`Không tạo được dữ liệu mẫu trong ${path}: ${e.message}`, 1));

const started = performance.now();
console.log(
  `Tạo tỉnh mẫu${naming ? ` ${naming.name}` : ''}: ${years} năm đến ngày ${formatDateVi(endDate)}, hạt giống "${args.seed}" → ${path}`,
);
const db = openDatabase(path);
const summary = generateProvince(db, {
  years,
  seed: args.seed,
  endDate,
  ...(naming ? { province: { name: naming.name, code: naming.shortCode } } : {}),
  onProgress: (p) =>
    console.log(`  năm ${p.year}: ${formatNumber(p.tasks)} nhiệm vụ, ${formatNumber(p.events)} sự kiện`),
});
const { provinceName, officeName } = readSettings(db);
db.exec('ANALYZE');
db.pragma('wal_checkpoint(TRUNCATE)');
db.close();
const seconds = (performance.now() - started) / 1000;
console.log(
  `Xong: ${summary.agencies} đơn vị, ${formatNumber(summary.documents)} văn bản, ${formatNumber(summary.tasks)} nhiệm vụ, ` +
    `${formatNumber(summary.events)} sự kiện (${formatDateVi(summary.from)} – ${formatDateVi(summary.to)}) trong ` +
    `${seconds.toFixed(1).replace('.', ',')} giây.`,
);
console.log(`Tỉnh: ${provinceName} (${officeName}); mã trong tổng hợp toàn quốc: ${provinceCode(provinceName)}.`);
