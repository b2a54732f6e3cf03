/**
 * The period statistics as plain text for `npm run stats -- --from … --to …`: the three views side by side, the
 * backlog's fate, then per agency and per leader. Same figures as the JSON (computePeriodStats).
 */
import { RULES_TEXT } from '../domain/counts.ts';
import { formatDateVi } from '../domain/dates.ts';
import { formatNumber, formatRate } from '../domain/format.ts';
import type { GroupCounts, PeriodStats } from '../domain/period-stats.ts';
import type { Counts } from '../domain/status.ts';
import { renderTable } from './summary.ts';

const COLUMNS = [
  'Tổng',
  'HT đúng hạn',
  'HT quá hạn',
  'Đang TH trong hạn',
  'Đang TH quá hạn',
  'Không thời hạn',
  'Chờ xác nhận',
  'Đến hạn',
  'Tỷ lệ HT',
  'Tỷ lệ đúng hạn',
  'Tỷ lệ quá hạn',
];

function figures(c: Counts): string[] {
  return [
    ...[
      c.total,
      c.completedOnTime,
      c.completedLate,
      c.inProgress,
      c.overdue,
      c.noDeadline,
      c.awaitingConfirmation,
      c.due,
    ].map(formatNumber),
    formatRate(c.completionRate),
    formatRate(c.onTimeRate),
    formatRate(c.overdueRate),
  ];
}

const short = (name: string) => {
  const chars = [...name.normalize('NFC')];
  return chars.length > 44 ? `${chars.slice(0, 43).join('')}…` : name;
};

function groupTable(first: string, groups: GroupCounts[], label: (g: GroupCounts) => string): string {
  return renderTable(
    [first, ...COLUMNS],
    groups.map((g) => [short(label(g)), ...figures(g)]),
    [false, ...COLUMNS.map(() => true)],
  );
}

export function formatPeriodTables(p: PeriodStats, label: string): string {
  const out: string[] = [];
  out.push(
    `Tình hình thực hiện nhiệm vụ UBND tỉnh giao — ${label} (${formatDateVi(p.from)} – ${formatDateVi(p.to)}), ` +
      `tính đến ngày ${formatDateVi(p.asOf)}; cách tính phiên bản ${p.rulesVersion}.`,
  );
  out.push(`(${RULES_TEXT.due} HT: hoàn thành; TH: thực hiện.)\n`);
  out.push(
    renderTable(
      ['Số liệu', ...COLUMNS],
      [
        ['Giao trong kỳ', ...figures(p.assigned.totals)],
        ['Tồn đọng từ kỳ trước', ...figures(p.backlog.totals)],
        ['Lũy kế', ...figures(p.cumulative.totals)],
      ],
      [false, ...COLUMNS.map(() => true)],
    ),
  );
  const b = p.backlog;
  out.push(
    `\nTồn đọng đầu kỳ: ${formatNumber(b.openAtStart)} nhiệm vụ; trong kỳ đã hoàn thành ` +
      `${formatNumber(b.totals.completedOnTime + b.totals.completedLate)} (đúng hạn ${formatNumber(b.totals.completedOnTime)}, ` +
      `quá hạn ${formatNumber(b.totals.completedLate)}), thu hồi ${formatNumber(b.cancelledInPeriod)}; còn trong hạn ` +
      `${formatNumber(b.totals.inProgress)}, còn quá hạn ${formatNumber(b.totals.overdue)} (trên 30 ngày ` +
      `${formatNumber(b.totals.overdueOver30)}, trên 60 ngày ${formatNumber(b.totals.overdueOver60)}, trên 120 ngày ` +
      `${formatNumber(b.totals.overdueOver120)}), không thời hạn ${formatNumber(b.totals.noDeadline)}.`,
  );
  out.push(
    `Đã hoàn thành trước kỳ: ${formatNumber(p.completedBeforePeriod)} (lũy kế = giao trong kỳ + tồn đọng + hoàn thành trước kỳ).\n`,
  );
  out.push('Giao trong kỳ, theo đơn vị chủ trì:');
  out.push(groupTable('Đơn vị', p.assigned.agencies, (g) => `${g.code ?? ''} ${g.name}`.trim()));
  out.push('\nTồn đọng từ kỳ trước, theo đơn vị chủ trì:');
  out.push(groupTable('Đơn vị', p.backlog.agencies, (g) => `${g.code ?? ''} ${g.name}`.trim()));
  out.push('\nGiao trong kỳ, theo lãnh đạo giao nhiệm vụ:');
  out.push(groupTable('Lãnh đạo', p.assigned.leaders, (g) => (g.title ? `${g.title} ${g.name}` : g.name)));
  return out.join('\n');
}
