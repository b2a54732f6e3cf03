/**
 * npm run merge-province -- --from OTHER.db [--prefix BD] --on 2025-07-01 [--map FILE] [--from-uploads DIR] [--dry-run]
 * Brings another province's whole database of this product into DATABASE_PATH (admin/domain/province-merge.ts):
 * documents, tasks with every event, files, leaders, agencies (mapped to successors here by the CSV map
 * "other_code,this_code", or kept as historical units), publications kept as the former province's archive.
 * Prints the counts before and after side by side. Exit codes: 0 done (or valid, on a dry run), 1 refused (nothing
 * written), 2 bad arguments.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { databasePathFromEnv, openDatabase } from '../admin/db/open.ts';
import { renderTable } from '../admin/demo/summary.ts';
import { formatDateVi, today } from '../admin/domain/dates.ts';
import { formatNumber } from '../admin/domain/format.ts';
import { mergeProvince, ProvinceMergeError } from '../admin/domain/province-merge.ts';
import { loadEnv } from '../admin/env.ts';

const USAGE =
  'Cách dùng: npm run merge-province -- --from TỈNH_CŨ.db --prefix BD --on 2025-07-01 [--map TỆP.csv] [--from-uploads THƯ_MỤC] [--dry-run]';

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}

let args;
try {
  args = parseArgs({
    options: {
      from: { type: 'string' },
      prefix: { type: 'string' },
      on: { type: 'string' },
      map: { type: 'string' },
      'from-uploads': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }).values;
} catch (e) {
  fail(`Tham số không hợp lệ: ${(e as Error).message}\n${USAGE}`, 2);
}
if (args.help) {
  console.log(
    `${USAGE}\n  --prefix        thêm vào đầu mã nhiệm vụ, mã đơn vị (BD-…) và tên tài khoản (bd.…) của tỉnh cũ` +
      '\n  --map           tệp CSV “mã đơn vị tỉnh cũ,mã đơn vị tỉnh này”: nhiệm vụ đang thực hiện chuyển sang đơn vị kế thừa từ ngày --on' +
      '\n  --from-uploads  thư mục tệp đính kèm của tỉnh cũ (mặc định: uploads/ cạnh tệp --from)' +
      '\n  --dry-run       chỉ kiểm tra và in số liệu dự kiến, không ghi gì',
  );
  process.exit(0);
}
if (!args.from) fail(`Thiếu --from.\n${USAGE}`, 2);
if (!args.on) fail(`Thiếu --on (ngày hợp nhất, yyyy-mm-dd).\n${USAGE}`, 2);
if (args.map && !existsSync(args.map)) fail(`Không tìm thấy tệp ánh xạ ${args.map}.`, 1);

let env;
try {
  env = loadEnv(process.env);
} catch (e) {
  fail((e as Error).message, 2);
}
const dbPath = databasePathFromEnv();
const dryRun = args['dry-run'];
const started = performance.now();
const log = (msg: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${msg}`);
const db = openDatabase(dbPath);
try {
  log(`${dryRun ? 'Chạy thử hợp nhất' : 'Hợp nhất'} ${args.from} vào ${dbPath}…`);
  const result = mergeProvince(
    { db, dbPath, uploadDir: env.uploadDir },
    {
      fromPath: args.from,
      fromUploads: args['from-uploads'],
      prefix: args.prefix ?? null,
      on: args.on,
      mapText: args.map ? readFileSync(args.map, 'utf8') : null,
      mapName: args.map ? `tệp ánh xạ ${args.map}` : undefined,
    },
    { dryRun, today: today(), now: new Date(), onProgress: log },
  );
  const { plan } = result;
  const mapped = plan.agencies.filter((a) => a.successor);
  console.log(
    `\n${plan.provinceName} (đến ${formatDateVi(plan.lastDay)}): ${plan.agencies.length} đơn vị giữ làm đơn vị lịch sử` +
      (plan.prefix ? ` (mã ${plan.prefix}-…)` : '') +
      `, ${mapped.length} đơn vị hợp nhất vào đơn vị kế thừa từ ${formatDateVi(plan.on)}:`,
  );
  if (mapped.length > 0)
    console.log(
      renderTable(
        ['Đơn vị tỉnh cũ', 'Kế thừa ở tỉnh này', 'Nhiệm vụ chuyển'],
        mapped.map((a) => [`${a.newCode} ${a.name}`, `${a.successor!.code} ${a.successor!.name}`, String(a.openTasks)]),
        [false, false, true],
      ),
    );
  const stillOpen = plan.agencies.filter((a) => !a.successor && a.status === 'active' && a.openTasks > 0);
  if (stillOpen.length > 0)
    console.log(
      `Lưu ý: ${stillOpen.length} đơn vị chưa ánh xạ còn nhiệm vụ đang thực hiện, vẫn giữ ở đơn vị cũ: ${stillOpen.map((a) => a.newCode).join(', ')}.`,
    );
  for (const m of plan.ignoredMapLines)
    console.log(`Lưu ý: dòng ${m.line} của tệp ánh xạ (${m.code}) không áp dụng: đơn vị đã ngừng hoạt động ở tỉnh cũ.`);
  if (plan.documentCollisions.length > 0)
    console.log(
      `Lưu ý: ${plan.documentCollisions.length} văn bản trùng số và ngày với văn bản của tỉnh này, được ghi thêm “[${plan.prefix ?? 'tỉnh cũ'}]” sau số (ví dụ ${plan.documentCollisions[0]!.number} ngày ${formatDateVi(plan.documentCollisions[0]!.issuedOn)}).`,
    );
  if (plan.notCarried.length > 0)
    console.log(
      `Không chép (dữ liệu vận hành của hệ thống cũ): ${plan.notCarried.map((t) => `${t.table} (${t.rows})`).join(', ')}.`,
    );
  console.log(
    `\nSố liệu (thống kê tính đến ngày ${formatDateVi(plan.lastDay)}):\n${renderTable(
      ['', 'Tỉnh này trước', 'Tỉnh cũ', dryRun ? 'Sau (dự kiến)' : 'Sau hợp nhất', ''],
      result.rows.map((r) => [
        r.label,
        formatNumber(r.before),
        formatNumber(r.former),
        formatNumber(r.after),
        r.ok ? '' : `≠ ${formatNumber(r.expected)}`,
      ]),
      [false, true, true, true, false],
    )}`,
  );
  if (result.tasksMoved > 0)
    console.log(
      `(Sự kiện sau hợp nhất gồm ${result.tasksMoved} sự kiện chuyển nhiệm vụ ngày ${formatDateVi(plan.on)}.)`,
    );
  for (const w of result.warnings) console.log(`Cảnh báo: ${w}`);
  log(
    dryRun
      ? `Chạy thử xong, chưa ghi gì: sẽ nhập ${plan.rows.tasks} nhiệm vụ, ${plan.rows.task_events} sự kiện, ${plan.rows.files} tệp, ${plan.rows.publications} kỳ công bố lưu trữ.`
      : `Đã hợp nhất ${plan.provinceName}: ${plan.rows.tasks} nhiệm vụ, ${plan.rows.task_events} sự kiện, ${result.filesCopied} tệp, ${plan.rows.publications} kỳ công bố lưu trữ; ${result.tasksMoved} nhiệm vụ chuyển sang đơn vị kế thừa.`,
  );
} catch (e) {
  db.close();
  if (e instanceof ProvinceMergeError) fail(`Không hợp nhất, không ghi gì: ${e.message}`, 1);
  throw e;
}
db.close();
