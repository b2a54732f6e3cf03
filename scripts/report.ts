/**
 * npm run report -- --period YYYY-MM [--internal] [--format docx|pdf|both] [--out DIR]
 * The monthly meeting report (admin/report): the public version is the period's published snapshot, figure for
 * figure; --internal computes from the database as of the same cutoff and counts confidential tasks (run on the
 * server by the Office, so their titles are shown, as on the publish page for the Office). Files are written to
 * DIR (default: the current folder) only once everything is built. Exit codes: 0 done, 1 bad input or no database
 * (a Vietnamese message; nothing written).
 */
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { databasePathFromEnv, openDatabase } from '../admin/db/open.ts';
import { formatNumber } from '../admin/domain/format.ts';
import {
  buildMeetingReport,
  describeReport,
  type ReportFormat,
  ReportError,
  renderMeetingReport,
} from '../admin/report/index.ts';

const USAGE = 'Cách dùng: npm run report -- --period YYYY-MM [--internal] [--format docx|pdf|both] [--out THƯ_MỤC]';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let args;
try {
  args = parseArgs({
    options: {
      period: { type: 'string' },
      internal: { type: 'boolean', default: false },
      format: { type: 'string', default: 'both' },
      out: { type: 'string', default: '.' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  }).values;
} catch (e) {
  fail(`Tham số không hợp lệ: ${(e as Error).message}\n${USAGE}`);
}
if (args.help) {
  console.log(
    `${USAGE}\n  --period    kỳ báo cáo (tháng), ví dụ 2026-03\n` +
      '  --internal  bản nội bộ phục vụ phiên họp (tính cả nhiệm vụ mật); mặc định: bản công khai theo số liệu đã công bố\n' +
      '  --format    docx, pdf hoặc both (mặc định)\n  --out       thư mục ghi tệp (mặc định: thư mục hiện tại)',
  );
  process.exit(0);
}
if (args.period === undefined) fail(`Thiếu kỳ báo cáo (--period YYYY-MM).\n${USAGE}`);
const formats: ReportFormat[] =
  args.format === 'both' ? ['docx', 'pdf'] : args.format === 'docx' || args.format === 'pdf' ? [args.format] : [];
if (formats.length === 0) fail(`Định dạng "${args.format}" không hỗ trợ; chọn docx, pdf hoặc both.`);
const outDir = resolve(args.out);
if (existsSync(outDir) && !statSync(outDir).isDirectory()) fail(`"${args.out}" không phải là thư mục.`);

const path = databasePathFromEnv();
if (!existsSync(path))
  fail(`Chưa có cơ sở dữ liệu ${path}. Tạo dữ liệu mẫu bằng: npm run seed -- --years 10 --seed demo`);
let db;
try {
  db = openDatabase(path);
} catch (e) {
  fail(`Không mở được cơ sở dữ liệu ${path}: ${(e as Error).message}`);
}

const version = args.internal ? 'internal' : 'public';
const started = performance.now();
console.log(`Đang tính số liệu ${version === 'public' ? 'công khai (theo bản đã công bố)' : 'nội bộ'}…`);
let report;
try {
  report = buildMeetingReport(db, {
    period: args.period.trim(),
    version,
    reader: { role: 'confirmer', agencyId: null },
  });
} catch (e) {
  if (e instanceof ReportError) fail(e.message);
  throw e;
} finally {
  db.close();
}
console.log(`Đang dựng ${formats.map((f) => f.toUpperCase()).join(' và ')}…`);
const files = await renderMeetingReport(report, formats);
mkdirSync(outDir, { recursive: true });
const written: string[] = [];
for (const f of files) {
  // written beside the target and renamed, so a reader never opens half a file
  const target = join(outDir, f.fileName);
  writeFileSync(`${target}.tmp`, f.bytes);
  renameSync(`${target}.tmp`, target);
  written.push(`${target} (${formatNumber(Math.round(f.bytes.length / 1024))} KB)`);
}
for (const w of written) console.log(`  ${w}`);
const overdue = report.overdue.reduce((n, g) => n + g.tasks.length, 0);
console.log(
  `Xong: báo cáo ${version === 'public' ? 'công khai' : 'nội bộ'} ${describeReport(report)}: giao trong tháng ` +
    `${formatNumber(report.month.assigned.total)}, quá hạn ${formatNumber(overdue)}, ${files.length} tệp trong ` +
    `${((performance.now() - started) / 1000).toFixed(1).replace('.', ',')} s.`,
);
