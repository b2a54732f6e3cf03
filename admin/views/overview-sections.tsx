/**
 * Sections of the leaders' overview below the tables: overdue ageing, the 12-month trend and the confirmers'
 * backlog, each chart (svg-charts.tsx) beside a table of the same figures.
 */
import { formatDateVi } from '../domain/dates.ts';
import { formatNumber, formatRate } from '../domain/format.ts';
import { ageingHref, tasksHref } from '../domain/overview-links.ts';
import type { OverviewData, ViewKey } from '../domain/overview.ts';
import { VIEW_LABELS } from './overview-tables.tsx';
import { BarChart, ColumnChart, LineChart, type Bar } from './svg-charts.tsx';

const VIEWS: ViewKey[] = ['assigned', 'backlog', 'cumulative'];

export function Ageing(p: { data: OverviewData }) {
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
    return <td>{href && n !== 0 ? <a href={href}>{formatNumber(n)}</a> : formatNumber(n)}</td>;
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
      <p>Nhóm sau nằm trong nhóm trước; mỗi số mở danh sách nhiệm vụ quá hạn, quá hạn lâu nhất trước.</p>
      <div class="table-wrap">
        <table class="overview-table" id="bang-qua-han">
          <caption>Số nhiệm vụ đang quá hạn theo thời gian quá hạn</caption>
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

export function Trend(p: { data: OverviewData }) {
  const { trend } = p.data;
  const overdueHref = (to: string) => tasksHref({ asOf: to, status: 'overdue' });
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
          tickText={(v) => formatRate(v)}
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
                <td>
                  {t.assigned === 0 ? (
                    '0'
                  ) : (
                    <a href={tasksHref({ asOf: t.to, assignedFrom: t.from, status: 'counted' })}>
                      {formatNumber(t.assigned)}
                    </a>
                  )}
                </td>
                <td>{formatNumber(t.due)}</td>
                <td>{formatRate(t.completionRate)}</td>
                <td>{t.overdue === 0 ? '0' : <a href={overdueHref(t.to)}>{formatNumber(t.overdue)}</a>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function Confirmation(p: { data: OverviewData }) {
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
          <table class="overview-table list" id="bang-cho-xac-nhan">
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
                  <td class="n">{formatNumber(r.daysWaiting)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
