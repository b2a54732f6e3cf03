/**
 * Plain-text summaries for the command line: the short province summary `npm run demo` prints and the per-agency
 * statistics table of `npm run stats`. Vietnamese labels, dd/mm/yyyy dates, numbers grouped the Vietnamese way.
 */
import type { DB } from '../db/open.ts';
import { formatDateVi, type IsoDate } from '../domain/dates.ts';
import { computeStats, type Stats } from '../domain/stats.ts';
import { CATEGORY_LABELS, type Category, type Counts } from '../domain/status.ts';
import { formatNumber, formatRate } from '../domain/format.ts';
import { sortByNameVi } from '../domain/collation.ts';

const CATEGORIES: Category[] = ['completedOnTime', 'completedLate', 'inProgress', 'overdue', 'noDeadline'];

/** Text width as a terminal shows it (Vietnamese letters composed: NFC). */
function width(s: string): number {
  return [...s.normalize('NFC')].length;
}
function padEnd(s: string, w: number): string {
  return s + ' '.repeat(Math.max(0, w - width(s)));
}
function padStart(s: string, w: number): string {
  return ' '.repeat(Math.max(0, w - width(s))) + s;
}

/** Renders rows as aligned columns; `right` marks the columns aligned to the right (numbers). */
export function renderTable(header: string[], rows: string[][], right: boolean[]): string {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right[i] ? padStart(c, widths[i]!) : padEnd(c, widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The four published categories plus "no deadline", with their shares, as an aligned table. */
export function formatStatusTable(c: Counts): string {
  const rows = CATEGORIES.map((k) => [
    CATEGORY_LABELS[k],
    formatNumber(c[k]),
    formatRate(c.total === 0 ? null : c[k] / c.total),
  ]);
  rows.push(['Tổng số nhiệm vụ đang theo dõi', formatNumber(c.total), '']);
  return renderTable(['Tình trạng', 'Số nhiệm vụ', 'Tỷ lệ'], rows, [false, true, true]);
}

/** Per-agency statistics (and the total) as one aligned table, as `npm run stats` prints it. */
export function formatStatsTable(stats: Stats): string {
  const header = [
    'Mã',
    'Đơn vị',
    'Tổng',
    'HT đúng hạn',
    'HT quá hạn',
    'Đang TH trong hạn',
    'Đang TH quá hạn',
    'Không thời hạn',
    'Chờ xác nhận',
    'Sắp đến hạn',
    'QH >30 ngày',
    'QH >60 ngày',
    'QH >120 ngày',
    'Đến hạn',
    'Tỷ lệ HT',
    'Tỷ lệ đúng hạn',
    'Tỷ lệ quá hạn',
  ];
  const cells = (code: string, name: string, c: Counts) => [
    code,
    name,
    ...[
      c.total,
      c.completedOnTime,
      c.completedLate,
      c.inProgress,
      c.overdue,
      c.noDeadline,
      c.awaitingConfirmation,
      c.dueSoon,
      c.overdueOver30,
      c.overdueOver60,
      c.overdueOver120,
      c.due,
    ].map(formatNumber),
    formatRate(c.completionRate),
    formatRate(c.onTimeRate),
    formatRate(c.overdueRate),
  ];
  const short = (name: string) => (width(name) > 48 ? `${[...name.normalize('NFC')].slice(0, 47).join('')}…` : name);
  const rows = sortByNameVi(stats.agencies).map((a) => cells(a.code, short(a.name), a));
  rows.push(cells('', 'TỔNG CỘNG', stats.totals));
  return renderTable(
    header,
    rows,
    header.map((_, i) => i >= 2),
  );
}

/** One line per merger day; a day with many (a province merger, the 2025 communes) names four and counts the rest. */
function mergerLines(merged: Array<{ name: string; successor: string; merged_on: string }>): string[] {
  const byDay = new Map<string, typeof merged>();
  for (const m of merged) byDay.set(m.merged_on, [...(byDay.get(m.merged_on) ?? []), m]);
  return [...byDay].map(([day, ms]) => {
    const named = ms.slice(0, 4).map((m) => `${m.name} vào ${m.successor}`);
    const rest = ms.length > 4 ? ` và ${formatNumber(ms.length - 4)} đơn vị khác` : '';
    return `Sáp nhập từ ngày ${formatDateVi(day)}: ${named.join('; ')}${rest}.`;
  });
}

/** Short summary of the database: agencies, tasks, period covered and the four-status table as of `asOf`. */
export function summarizeProvince(db: DB, asOf: IsoDate): string {
  const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const agencies = n('SELECT count(*) AS n FROM agencies');
  const leaders = n('SELECT count(*) AS n FROM leaders WHERE active = 1');
  const formerLeaders = n('SELECT count(*) AS n FROM leaders WHERE active = 0');
  const sectors = n('SELECT count(*) AS n FROM sectors');
  const documents = n('SELECT count(*) AS n FROM documents');
  const tasks = n('SELECT count(*) AS n FROM tasks');
  const events = n('SELECT count(*) AS n FROM task_events');
  const period = db
    .prepare('SELECT min(assigned_on) AS first, (SELECT max(occurred_on) FROM task_events) AS last FROM tasks')
    .get() as {
    first: string | null;
    last: string | null;
  };
  const merged = db
    .prepare(
      'SELECT a.name, s.name AS successor, a.merged_on FROM agencies a JOIN agencies s ON s.id = a.successor_id ORDER BY a.merged_on',
    )
    .all() as Array<{ name: string; successor: string; merged_on: string }>;
  const former = db
    .prepare('SELECT name, prefix, last_day FROM former_provinces ORDER BY joined_on, id')
    .all() as Array<{ name: string; prefix: string | null; last_day: string }>;
  const ended = db
    .prepare(
      "SELECT dissolved_on AS day, count(*) AS n, sum(kind = 'district') AS districts FROM agencies WHERE dissolved_on IS NOT NULL GROUP BY dissolved_on ORDER BY dissolved_on",
    )
    .all() as Array<{ day: string; n: number; districts: number }>;
  const stats = computeStats(db, asOf);
  const lines = [
    `Dữ liệu: ${formatNumber(agencies)} đơn vị, ${formatNumber(leaders)} lãnh đạo UBND tỉnh${formerLeaders > 0 ? ` (và ${formatNumber(formerLeaders)} lãnh đạo trước đây)` : ''}, ${formatNumber(sectors)} lĩnh vực, ` +
      `${formatNumber(documents)} văn bản chỉ đạo, ${formatNumber(tasks)} nhiệm vụ, ${formatNumber(events)} sự kiện.`,
    period.first
      ? `Giai đoạn: ${formatDateVi(period.first)} – ${formatDateVi(period.last ?? period.first)}.`
      : 'Chưa có nhiệm vụ nào.',
    ...former.map(
      (f) =>
        `Hợp nhất tỉnh: ${f.name} (đến ${formatDateVi(f.last_day)})${f.prefix ? `, mã nhiệm vụ và đơn vị có tiền tố ${f.prefix}-` : ''}.`,
    ),
    ...mergerLines(merged),
    ...ended.map(
      (e) =>
        `Giải thể, chia tách từ ngày ${formatDateVi(e.day)}: ${formatNumber(e.n)} đơn vị${e.districts > 0 ? ` (${formatNumber(e.districts)} UBND cấp huyện: không tổ chức cấp huyện)` : ''}.`,
    ),
    '',
    `Tình hình thực hiện nhiệm vụ tính đến ngày ${formatDateVi(asOf)}:`,
    formatStatusTable(stats.totals),
    '',
    `Tỷ lệ hoàn thành: ${formatRate(stats.totals.completionRate)}; đúng hạn: ${formatRate(stats.totals.onTimeRate)}; tỷ lệ quá hạn: ${formatRate(stats.totals.overdueRate)} ` +
      `(trên ${formatNumber(stats.totals.due)} nhiệm vụ đến hạn: đã hoàn thành hoặc đang quá hạn). Chờ xác nhận: ${formatNumber(stats.totals.awaitingConfirmation)}.`,
  ];
  return lines.join('\n');
}
