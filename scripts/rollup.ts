/**
 * npm run rollup -- --source DIR_OR_URL [--source …] --out DIR
 * The national roll-up (admin/rollup/): reads each province's published open data (a folder copied from its
 * public site, or its http(s) origin), checks every file's size and SHA-256 and every snapshot against the
 * published schema, and writes a static national site comparing the provinces on the periods all of them publish.
 * A refused source is listed on the national page with its reason and the rest is built. Exit codes: 0 built,
 * 1 bad arguments or no usable source (nothing written).
 */
import { parseArgs } from 'node:util';
import { formatNumber } from '../admin/domain/format.ts';
import { openSource, runRollup, type Source } from '../admin/rollup/index.ts';

const USAGE = 'Cách dùng: npm run rollup -- --source THƯ_MỤC_HOẶC_ĐỊA_CHỈ [--source …] --out THƯ_MỤC';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let args;
try {
  args = parseArgs({
    options: {
      source: { type: 'string', multiple: true },
      out: { type: 'string' },
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
    `${USAGE}\n  --source  thư mục sao chép từ trang công khai của một tỉnh (thư mục bản dựng) hoặc địa chỉ http(s) của trang; lặp lại cho mỗi tỉnh` +
      '\n  --out     thư mục ghi trang tổng hợp toàn quốc (nội dung cũ được thay thế)',
  );
  process.exit(0);
}
if (!args.source || args.source.length === 0) fail(`Thiếu --source (ít nhất một tỉnh).\n${USAGE}`);
if (!args.out || args.out.trim() === '') fail(`Thiếu --out (thư mục ghi trang tổng hợp).\n${USAGE}`);

const sources: Source[] = [];
for (const arg of args.source) {
  const r = await openSource(arg);
  if (!r.ok) fail(`${r.message}\n${USAGE}`);
  sources.push(r.source);
}

const t0 = performance.now();
const result = await runRollup(sources, args.out, (m) => console.log(m));
const { rollup } = result;
if (rollup.provinces.length === 0) {
  fail(
    `Không nguồn nào đạt kiểm tra (${formatNumber(rollup.refused.length)} nguồn bị từ chối); không ghi gì vào ${result.out}.`,
  );
}
console.log(
  `Xong: ${formatNumber(rollup.provinces.length)} tỉnh đạt kiểm tra, ${formatNumber(rollup.refused.length)} nguồn không đạt, ` +
    `${formatNumber(rollup.commonPeriods.length)} kỳ chung, ${formatNumber(result.pages)} trang trong ${result.out} ` +
    `(${((performance.now() - t0) / 1000).toFixed(1).replace('.', ',')} giây).`,
);
