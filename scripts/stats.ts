/**
 * npm run stats -- --from YYYY-MM-DD --to YYYY-MM-DD [--as-of D] [--agency CODE] [--leader ID] [--format table|json]
 * npm run stats -- --as-of YYYY-MM-DD [--agency CODE] [--format table|json]
 * With a period: the three views (assigned in the period, backlog, cumulative) through computePeriodStats, the same
 * JSON as GET /api/v1/stats?from=&to=. With --as-of alone: counts as of that day (computeStats), as before.
 * Exit codes: 0 done, 1 bad input (dates, period, agency, leader, format) or no database; nothing is written.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { databasePathFromEnv, openDatabase } from '../admin/db/open.ts';
import { formatPeriodTables } from '../admin/demo/period-table.ts';
import { formatStatsTable } from '../admin/demo/summary.ts';
import { formatDateVi, parseDateInput, today } from '../admin/domain/dates.ts';
import { checkPeriodRequest, listLeaderChoices } from '../admin/domain/period-input.ts';
import { computePeriodStats, periodStatsJson } from '../admin/domain/period-stats.ts';
import { periodLabel } from '../admin/domain/periods.ts';
import { findAgencyByCode, listAgencyRecords } from '../admin/domain/references.ts';
import { computeStats, statsJson } from '../admin/domain/stats.ts';

const USAGE =
  'Cách dùng: npm run stats -- --from YYYY-MM-DD --to YYYY-MM-DD [--as-of YYYY-MM-DD] [--agency MÃ_ĐƠN_VỊ] [--leader MÃ_SỐ] [--format table|json]\n' +
  '       hoặc npm run stats -- --as-of YYYY-MM-DD [--agency MÃ_ĐƠN_VỊ] [--format table|json]';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let args;
try {
  args = parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      'as-of': { type: 'string' },
      agency: { type: 'string' },
      leader: { type: 'string' },
      format: { type: 'string', default: 'table' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }).values;
} catch (e) {
  fail(`Tham số không hợp lệ: ${(e as Error).message}\n${USAGE}`);
}
if (args.help) {
  console.log(
    `${USAGE}\n  --from, --to  kỳ báo cáo (YYYY-MM-DD hoặc dd/mm/yyyy): giao trong kỳ, tồn đọng từ kỳ trước, lũy kế\n` +
      '  --as-of       ngày chốt số liệu (trong kỳ; mặc định: ngày cuối kỳ, hoặc hôm nay khi không có kỳ)\n' +
      '  --agency      chỉ một đơn vị (mã, ví dụ STC)\n  --leader      chỉ nhiệm vụ do một lãnh đạo giao (mã số)\n' +
      '  --format      table (mặc định) hoặc json',
  );
  process.exit(0);
}
if (args.format !== 'table' && args.format !== 'json')
  fail(`Định dạng "${args.format}" không hỗ trợ; chọn table hoặc json.`);
const period = args.from !== undefined || args.to !== undefined;
if (!period && args.leader !== undefined) fail(`--leader chỉ dùng cùng kỳ báo cáo (--from, --to).\n${USAGE}`);
const asOfOnly = period ? null : parseDateInput(args['as-of'] ?? today());
if (!period && asOfOnly === null)
  fail(`Ngày chốt số liệu "${args['as-of']}" không hợp lệ; nhập dạng YYYY-MM-DD (ví dụ 2026-06-30) hoặc dd/mm/yyyy.`);

const path = databasePathFromEnv();
if (!existsSync(path))
  fail(`Chưa có cơ sở dữ liệu ${path}. Tạo dữ liệu mẫu bằng: npm run seed -- --years 10 --seed demo`);
let db;
try {
  db = openDatabase(path);
} catch (e) {
  fail(`Không mở được cơ sở dữ liệu ${path}: ${(e as Error).message}`);
}

const agencyCodes = (d: typeof db) =>
  listAgencyRecords(d)
    .map((a) => a.code)
    .sort()
    .join(', ');

const FLAGS = { from: '--from', to: '--to', asOf: '--as-of', agency: '--agency', leader: '--leader' } as const;

if (period) {
  const check = checkPeriodRequest(
    db,
    { from: args.from, to: args.to, asOf: args['as-of'], agency: args.agency, leader: args.leader },
    today(),
  );
  if (!check.ok) {
    const lines = check.issues.map((i) => `${FLAGS[i.path]}: ${i.message}`);
    if (check.issues.some((i) => i.path === 'agency')) lines.push(`Các mã đơn vị hiện có: ${agencyCodes(db)}.`);
    if (check.issues.some((i) => i.path === 'leader'))
      lines.push(
        `Các lãnh đạo: ${listLeaderChoices(db)
          .map((l) => `${l.id} (${l.title} ${l.name})`)
          .join(', ')}.`,
      );
    db.close();
    fail(lines.join('\n'));
  }
  const stats = computePeriodStats(db, check.query);
  db.close();
  const label = periodLabel(stats.from, stats.to);
  if (args.format === 'json') console.log(JSON.stringify(periodStatsJson(stats, label)));
  else {
    console.log(formatPeriodTables(stats, label));
    console.log(
      `\n${label}: giao trong kỳ ${stats.assigned.totals.total}, tồn đọng ${stats.backlog.openAtStart}, lũy kế ${stats.cumulative.totals.total} nhiệm vụ.`,
    );
  }
} else {
  const asOf = asOfOnly!;
  let agencyId: number | undefined;
  if (args.agency !== undefined) {
    const row = findAgencyByCode(db, args.agency.trim());
    if (!row) fail(`Không có đơn vị mã "${args.agency}". Các mã hiện có: ${agencyCodes(db)}.`);
    agencyId = row.id;
  }
  const stats = computeStats(db, asOf, agencyId === undefined ? {} : { agencyId });
  db.close();
  if (args.format === 'json') {
    console.log(JSON.stringify(statsJson(stats)));
  } else {
    console.log(`Tình hình thực hiện nhiệm vụ UBND tỉnh giao, tính đến ngày ${formatDateVi(asOf)}`);
    console.log('(HT: hoàn thành; TH: thực hiện; QH: quá hạn; đến hạn = đã hoàn thành + đang quá hạn)\n');
    console.log(formatStatsTable(stats));
    console.log(`\n${stats.agencies.length} đơn vị, ${stats.totals.total} nhiệm vụ được tính.`);
  }
}
