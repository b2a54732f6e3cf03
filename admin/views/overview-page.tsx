/**
 * The leaders' overview page (admin/routes/overview.tsx): period picker, the three views in brief, per agency and
 * per leader tables (overview-tables.tsx), overdue ageing, the 12-month trend and the confirmers' backlog. Charts
 * are server-drawn SVG (svg-charts.tsx), each beside a table of the same figures. Works without JavaScript.
 */
import type { SessionUser } from '../auth/session.ts';
import type { Counts } from '../domain/counts.ts';
import { formatDateVi, parseDateInput } from '../domain/dates.ts';
import { formatNumber, formatRate } from '../domain/format.ts';
import { ageingHref, figureHref, tasksHref } from '../domain/overview-links.ts';
import { PICKER_KIND_LABELS, PICKER_KINDS, type OverviewPeriod, type PickerValues } from '../domain/overview-period.ts';
import { dayBefore, sortGroupRows, type OverviewData, type SortKey, type ViewKey } from '../domain/overview.ts';
import { ErrorSummary } from './components.tsx';
import { Layout } from './layout.tsx';
import { AgencyTable, LeaderTable, VIEW_LABELS } from './overview-tables.tsx';
import { BarChart, ColumnChart, LineChart, type Bar } from './svg-charts.tsx';

export interface QuickPick {
  label: string;
  href: string;
}

function PeriodPicker(p: { values: PickerValues; errors: Record<string, string>; quick: QuickPick[] }) {
  const v = p.values;
  const shown = (raw: string, field: string) => {
    if (raw === '' || p.errors[field]) return raw;
    const iso = parseDateInput(raw);
    return iso ? formatDateVi(iso) : raw;
  };
  const input = (name: 'ref' | 'from' | 'to', label: string, hint: string) => (
    <div class={`field${p.errors[name] ? ' has-error' : ''}`}>
      <label for={name}>{label}</label>
      <p class="hint">{hint}</p>
      {p.errors[name] && <p class="error-text">{p.errors[name]}</p>}
      <input
        id={name}
        name={name}
        value={shown(v[name], name)}
        size={11}
        inputmode="numeric"
        aria-invalid={p.errors[name] ? 'true' : undefined}
      />
    </div>
  );
  return (
    <section aria-labelledby="ky-bao-cao">
      <h2 id="ky-bao-cao">Kỳ báo cáo</h2>
      <ErrorSummary errors={p.errors} />
      <form method="get" action="/admin/overview" class="filters period-picker">
        <div class={`field${p.errors.period ? ' has-error' : ''}`}>
          <label for="period">Loại kỳ</label>
          {p.errors.period && <p class="error-text">{p.errors.period}</p>}
          <select id="period" name="period">
            {PICKER_KINDS.map((k) => (
              <option value={k} selected={k === v.period}>
                {PICKER_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        {input('ref', 'Ngày trong kỳ', 'dd/mm/yyyy; để trống: hôm nay')}
        {input('from', 'Từ ngày', 'khoảng tùy chọn, dd/mm/yyyy')}
        {input('to', 'Đến ngày', 'khoảng tùy chọn, dd/mm/yyyy')}
        <div class="field">
          <button type="submit">Xem số liệu</button>
        </div>
      </form>
      <p class="quick-picks">
        Chọn nhanh:{' '}
        {p.quick.map((q, i) => (
          <>
            {i > 0 ? ' · ' : ''}
            <a href={q.href}>{q.label}</a>
          </>
        ))}
      </p>
    </section>
  );
}

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
      <div class="table-wrap">
        <table class="overview-table" id="bang-tong-hop">
          <caption>
            {period.label}: giao trong kỳ {formatDateVi(period.from)} – {formatDateVi(period.asOf)}; tồn đọng là nhiệm
            vụ giao trước kỳ, chưa hoàn thành ngày {formatDateVi(dayBefore(period))}; lũy kế là mọi nhiệm vụ giao đến
            ngày chốt.
          </caption>
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
                  if (rate) return <td class="num">{formatRate(value)}</td>;
                  const href =
                    metric === null
                      ? null
                      : v === 'backlog' && metric === 'total'
                        ? start
                        : figureHref(period, v, metric as never);
                  const text = formatNumber(value ?? 0);
                  return <td class="num">{href ? <a href={href}>{text}</a> : text}</td>;
                })}
              </tr>
            ))}
            <tr>
              <th scope="row">Tồn đọng đầu kỳ / thu hồi trong kỳ</th>
              <td class="num">—</td>
              <td class="num">
                {start ? <a href={start}>{formatNumber(stats.backlog.openAtStart)}</a> : null} /{' '}
                {formatNumber(stats.backlog.cancelledInPeriod)}
              </td>
              <td class="num">—</td>
            </tr>
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Ageing(p: { data: OverviewData }) {
  const { stats, period } = p.data;
  const c = stats.cumulative.totals;
  const bars: Bar[] = [
    { label: 'Đang quá hạn', value: c.overdue, text: formatNumber(c.overdue) },
    { label: 'Quá hạn trên 30 ngày', value: c.overdueOver30, text: formatNumber(c.overdueOver30) },
    { label: 'Quá hạn trên 60 ngày', value: c.overdueOver60, text: formatNumber(c.overdueOver60), warn: true },
    { label: 'Quá hạn trên 120 ngày', value: c.overdueOver120, text: formatNumber(c.overdueOver120), warn: true },
  ].map((b) => ({ ...b, href: ageingHref(period, 'cumulative') }));
  const cell = (v: ViewKey, n: number) => {
    const href = ageingHref(period, v);
    return <td class="num">{href ? <a href={href}>{formatNumber(n)}</a> : formatNumber(n)}</td>;
  };
  return (
    <section aria-labelledby="tuoi-qua-han">
      <h2 id="tuoi-qua-han">Thời gian quá hạn</h2>
      <BarChart
        id="chart-ageing"
        title={`Nhiệm vụ đang quá hạn theo thời gian quá hạn, tính đến ${formatDateVi(period.asOf)} (lũy kế)`}
        desc={bars.map((b) => `${b.label}: ${b.text}`).join('; ')}
        bars={bars}
      />
      <div class="table-wrap">
        <table class="overview-table" id="bang-qua-han">
          <caption>
            Số nhiệm vụ đang quá hạn (nhóm sau nằm trong nhóm trước); liên kết mở danh sách, quá hạn lâu nhất trước
          </caption>
          <thead>
            <tr>
              <th scope="col">Nhóm</th>
              <th scope="col">Đang quá hạn</th>
              <th scope="col">Trên 30 ngày</th>
              <th scope="col">Trên 60 ngày</th>
              <th scope="col">Trên 120 ngày</th>
            </tr>
          </thead>
          <tbody>
            {VIEWS.map((v) => {
              const t = stats[v].totals;
              return (
                <tr>
                  <th scope="row">{VIEW_LABELS[v]}</th>
                  {cell(v, t.overdue)}
                  {cell(v, t.overdueOver30)}
                  {cell(v, t.overdueOver60)}
                  {cell(v, t.overdueOver120)}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const monthLabel = (m: string) => `${Number(m.slice(5, 7))}/${m.slice(2, 4)}`;

function Trend(p: { data: OverviewData }) {
  const { trend } = p.data;
  const overdueHref = (to: string) => tasksHref({ asOf: to, assignedTo: to, status: 'overdue' });
  return (
    <section aria-labelledby="xu-huong">
      <h2 id="xu-huong">Diễn biến 12 tháng</h2>
      <div class="chart-pair">
        <LineChart
          id="chart-rate"
          title="Tỷ lệ hoàn thành (lũy kế) tại ngày cuối mỗi tháng"
          desc={trend.map((t) => `${monthLabel(t.month)}: ${formatRate(t.completionRate)}`).join('; ')}
          points={trend.map((t) => ({
            label: monthLabel(t.month),
            value: t.completionRate,
            text: formatRate(t.completionRate),
          }))}
        />
        <ColumnChart
          id="chart-overdue"
          title="Số nhiệm vụ đang quá hạn tại ngày cuối mỗi tháng"
          desc={trend.map((t) => `${monthLabel(t.month)}: ${formatNumber(t.overdue)}`).join('; ')}
          warn
          tickText={(v) => formatNumber(Math.round(v))}
          points={trend.map((t) => ({
            label: monthLabel(t.month),
            value: t.overdue,
            text: formatNumber(t.overdue),
            href: overdueHref(t.to),
          }))}
        />
      </div>
      <div class="table-wrap">
        <table class="overview-table" id="bang-xu-huong">
          <caption>Số liệu từng tháng (tháng đang diễn ra tính đến ngày chốt)</caption>
          <thead>
            <tr>
              <th scope="col">Tháng</th>
              <th scope="col">Giao trong tháng</th>
              <th scope="col">Đến hạn (lũy kế)</th>
              <th scope="col">Tỷ lệ hoàn thành</th>
              <th scope="col">Đang quá hạn</th>
            </tr>
          </thead>
          <tbody>
            {trend.map((t) => (
              <tr>
                <th scope="row">
                  Tháng {Number(t.month.slice(5, 7))}/{t.month.slice(0, 4)}
                </th>
                <td class="num">
                  <a href={tasksHref({ asOf: t.to, assignedFrom: t.from, assignedTo: t.to })}>
                    {formatNumber(t.assigned)}
                  </a>
                </td>
                <td class="num">{formatNumber(t.due)}</td>
                <td class="num">{formatRate(t.completionRate)}</td>
                <td class="num">
                  <a href={overdueHref(t.to)}>{formatNumber(t.overdue)}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Confirmation(p: { data: OverviewData }) {
  const { confirmation: q } = p.data;
  const all = tasksHref({ status: 'awaitingConfirmation', sort: 'last_update', dir: 'asc' });
  return (
    <section aria-labelledby="cho-xac-nhan">
      <h2 id="cho-xac-nhan">Báo cáo chờ Tổ công tác xác nhận (hôm nay)</h2>
      <p>
        Đơn vị đã gửi báo cáo kết quả; nhiệm vụ gửi báo cáo trong hạn không bị tính quá hạn trong thời gian chờ.{' '}
        <a href={all}>{formatNumber(q.total)} báo cáo đang chờ</a>: {formatNumber(q.byAge.upTo7)} chờ đến 7 ngày,{' '}
        {formatNumber(q.byAge.upTo30)} chờ 8–30 ngày, <strong>{formatNumber(q.byAge.over30)} chờ trên 30 ngày</strong>.
      </p>
      {q.oldest.length > 0 && (
        <div class="table-wrap">
          <table class="overview-table" id="bang-cho-xac-nhan">
            <caption>Chờ lâu nhất trước</caption>
            <thead>
              <tr>
                <th scope="col">Mã</th>
                <th scope="col">Nhiệm vụ</th>
                <th scope="col">Đơn vị chủ trì</th>
                <th scope="col">Ngày gửi báo cáo</th>
                <th scope="col">Số ngày chờ</th>
              </tr>
            </thead>
            <tbody>
              {q.oldest.map((r) => (
                <tr>
                  <td>
                    <a href={`/admin/tasks/${r.code}`}>{r.code}</a>
                  </td>
                  <td>{r.title}</td>
                  <td>{r.agencyName}</td>
                  <td>{formatDateVi(r.reportedOn)}</td>
                  <td class="num">{formatNumber(r.daysWaiting)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
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
    <Layout title="Tổng hợp cho lãnh đạo" user={p.user} current="overview">
      <h1>Tổng hợp tình hình thực hiện nhiệm vụ</h1>
      {period && (
        <p class="lead">
          <strong>{period.label}</strong> ({formatDateVi(period.from)} – {formatDateVi(period.to)}), số liệu tính đến
          ngày {formatDateVi(period.asOf)}, toàn tỉnh, kể cả nhiệm vụ mật.
        </p>
      )}
      <PeriodPicker values={p.values} errors={p.errors} quick={p.quick} />
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
