/**
 * The leaders' overview page (admin/routes/overview.tsx): period picker, the three views in brief, per agency and
 * per leader tables (overview-tables.tsx), overdue ageing, the 12-month trend and the confirmers' backlog. Charts
 * are server-drawn SVG (svg-charts.tsx), each beside a table of the same figures. Works without JavaScript.
 */
import type { SessionUser } from '../auth/session.ts';
import type { Counts } from '../domain/counts.ts';
import { formatDateVi } from '../domain/dates.ts';
import { formatNumber, formatRate } from '../domain/format.ts';
import { figureHref } from '../domain/overview-links.ts';
import type { OverviewPeriod, PickerValues } from '../domain/overview-period.ts';
import { dayBefore, sortGroupRows, type OverviewData, type SortKey, type ViewKey } from '../domain/overview.ts';
import { PeriodPicker, type QuickPick } from './period-picker.tsx';
import { Ageing, Confirmation, Trend } from './overview-sections.tsx';
import { Layout } from './layout.tsx';
import { AgencyTable, LeaderTable, VIEW_LABELS } from './overview-tables.tsx';
import { BarChart } from './svg-charts.tsx';

type Row = [string, (c: Counts) => number | null, keyof Counts | null, boolean?];

const SUMMARY_ROWS: Row[] = [
  ['Tổng số nhiệm vụ', (c) => c.total, 'total'],
  ['Hoàn thành đúng hạn', (c) => c.completedOnTime, 'completedOnTime'],
  ['Hoàn thành quá hạn', (c) => c.completedLate, 'completedLate'],
  ['Đang thực hiện trong hạn', (c) => c.inProgress, 'inProgress'],
  ['— trong đó đã báo cáo, chờ xác nhận', (c) => c.awaitingConfirmation, 'awaitingConfirmation'],
  ['Đang thực hiện quá hạn', (c) => c.overdue, 'overdue'],
  ['Không thời hạn', (c) => c.noDeadline, 'noDeadline'],
  ['Đến hạn (đã hoàn thành + đang quá hạn)', (c) => c.due, null],
  ['Tỷ lệ hoàn thành', (c) => c.completionRate, null, true],
  ['Tỷ lệ hoàn thành đúng hạn', (c) => c.onTimeRate, null, true],
  ['Tỷ lệ quá hạn', (c) => c.overdueRate, null, true],
];

const VIEWS: ViewKey[] = ['assigned', 'backlog', 'cumulative'];

function Summary(p: { data: OverviewData }) {
  const { stats, period } = p.data;
  const start = figureHref(period, 'backlog', 'openAtStart');
  return (
    <section aria-labelledby="tong-hop">
      <h2 id="tong-hop">Tổng hợp theo ba cách tính</h2>
      <ul class="cards" aria-label="Số liệu chính">
        <li class="card">
          <a href={figureHref(period, 'assigned', 'total') ?? undefined}>
            <span class="n">{formatNumber(stats.assigned.totals.total)}</span> nhiệm vụ giao trong kỳ
          </a>
          <p class="hint">Tỷ lệ hoàn thành {formatRate(stats.assigned.totals.completionRate)}</p>
        </li>
        <li class="card">
          <a href={start ?? undefined}>
            <span class="n">{formatNumber(stats.backlog.openAtStart)}</span> nhiệm vụ tồn đọng đầu kỳ
          </a>
          <p class="hint">
            Đã hoàn thành trong kỳ{' '}
            {formatNumber(stats.backlog.totals.completedOnTime + stats.backlog.totals.completedLate)}
          </p>
        </li>
        <li class={`card${stats.cumulative.totals.overdue > 0 ? ' warn' : ''}`}>
          <a href={figureHref(period, 'cumulative', 'overdue') ?? undefined}>
            <span class="n">{formatNumber(stats.cumulative.totals.overdue)}</span> đang quá hạn (lũy kế)
          </a>
          <p class="hint">Tỷ lệ quá hạn {formatRate(stats.cumulative.totals.overdueRate)}</p>
        </li>
        <li class="card">
          <a href={figureHref(period, 'cumulative', 'awaitingConfirmation') ?? undefined}>
            <span class="n">{formatNumber(stats.cumulative.totals.awaitingConfirmation)}</span> đã báo cáo, chờ xác nhận
          </a>
        </li>
      </ul>
      <p>
        Giao trong kỳ: nhiệm vụ giao từ {formatDateVi(period.from)} đến {formatDateVi(period.asOf)}; tồn đọng: nhiệm vụ
        giao trước kỳ, chưa hoàn thành ngày {formatDateVi(dayBefore(period))}; lũy kế: mọi nhiệm vụ giao đến ngày chốt.
        Nhiệm vụ đã thu hồi không được tính.
      </p>
      <div class="table-wrap">
        <table class="overview-table" id="bang-tong-hop">
          <caption>{period.label}: ba cách tính</caption>
          <thead>
            <tr>
              <th scope="col">Chỉ tiêu</th>
              {VIEWS.map((v) => (
                <th scope="col">{VIEW_LABELS[v]}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {SUMMARY_ROWS.map(([label, get, metric, rate]) => (
              <tr>
                <th scope="row">{label}</th>
                {VIEWS.map((v) => {
                  const value = get(stats[v].totals);
                  if (rate) return <td>{formatRate(value)}</td>;
                  const href =
                    metric === null
                      ? null
                      : v === 'backlog' && metric === 'total'
                        ? start
                        : figureHref(period, v, metric as never);
                  const text = formatNumber(value ?? 0);
                  return <td>{href && value !== 0 ? <a href={href}>{text}</a> : text}</td>;
                })}
              </tr>
            ))}
            <tr>
              <th scope="row">Tồn đọng đầu kỳ / thu hồi trong kỳ</th>
              <td>—</td>
              <td>
                {start ? <a href={start}>{formatNumber(stats.backlog.openAtStart)}</a> : null} /{' '}
                {formatNumber(stats.backlog.cancelledInPeriod)}
              </td>
              <td>—</td>
            </tr>
          </tbody>
        </table>
      </div>
    </section>
  );
}

const TOP_AGENCIES = 10;

function AgencySection(p: { data: OverviewData; sort: SortKey; dir: 'asc' | 'desc' }) {
  const { data } = p;
  const { period, stats } = data;
  const rows = sortGroupRows(data.agencies, p.sort, p.dir);
  const top = sortGroupRows(data.agencies, 'cumulative.overdue', 'desc')
    .filter((r) => (r.cumulative?.overdue ?? 0) > 0)
    .slice(0, TOP_AGENCIES);
  const totals = {
    assigned: stats.assigned.totals,
    backlog: stats.backlog.totals,
    cumulative: stats.cumulative.totals,
  };
  return (
    <section aria-labelledby="don-vi">
      <h2 id="don-vi">Theo đơn vị</h2>
      {top.length > 0 && (
        <BarChart
          id="chart-agencies"
          title={`${top.length} đơn vị có nhiều nhiệm vụ đang quá hạn nhất, tính đến ${formatDateVi(period.asOf)}`}
          desc={top.map((r) => `${r.name}: ${formatNumber(r.cumulative?.overdue ?? 0)}`).join('; ')}
          bars={top.map((r) => ({
            label: r.name,
            value: r.cumulative?.overdue ?? 0,
            text: formatNumber(r.cumulative?.overdue ?? 0),
            href: r.code ? figureHref(period, 'cumulative', 'overdue', { agency: r.code }) : null,
            warn: true,
          }))}
        />
      )}
      <AgencyTable period={period} rows={rows} totals={totals} sort={p.sort} dir={p.dir} />
    </section>
  );
}

export function OverviewPage(p: {
  user: SessionUser;
  values: PickerValues;
  errors: Record<string, string>;
  quick: QuickPick[];
  data: OverviewData | null;
  sort: SortKey;
  dir: 'asc' | 'desc';
}) {
  const d = p.data;
  const period: OverviewPeriod | null = d?.period ?? null;
  const totals = d
    ? { assigned: d.stats.assigned.totals, backlog: d.stats.backlog.totals, cumulative: d.stats.cumulative.totals }
    : null;
  return (
    <Layout title="Tổng hợp tình hình thực hiện nhiệm vụ" user={p.user} current="overview">
      {period && (
        <p class="lead">
          <strong>{period.label}</strong> ({formatDateVi(period.from)} – {formatDateVi(period.to)}), số liệu tính đến
          ngày {formatDateVi(period.asOf)}, toàn tỉnh, kể cả nhiệm vụ mật.
        </p>
      )}
      <PeriodPicker
        values={p.values}
        errors={p.errors}
        quick={p.quick}
        keep={p.sort === 'name' && p.dir === 'asc' ? {} : { sort: p.sort, dir: p.dir }}
      />
      {d && period && totals && (
        <>
          <Summary data={d} />
          <AgencySection data={d} sort={p.sort} dir={p.dir} />
          <section aria-labelledby="lanh-dao">
            <h2 id="lanh-dao">Theo lãnh đạo giao nhiệm vụ</h2>
            <LeaderTable period={period} rows={d.leaders} totals={totals} />
          </section>
          <Ageing data={d} />
          <Trend data={d} />
          <Confirmation data={d} />
        </>
      )}
    </Layout>
  );
}
