/**
 * GET /admin/activity — per-agency update activity (definitions in admin/domain/activity.ts, repeated on the page);
 * GET /admin/activity/export.xlsx — the same table in Excel (audited). Agency users see only their own unit's row.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { requirePermission, scopeOf } from '../auth/permissions.ts';
import { writeAudit } from '../audit/audit.ts';
import {
  ACTIVITY_SORTS,
  ACTIVITY_WINDOW_DAYS,
  agencyActivity,
  sortActivity,
  type ActivitySort,
  type AgencyActivity,
} from '../domain/activity.ts';
import { formatDateTimeVi, formatDateVi, today } from '../domain/dates.ts';
import { Layout } from '../views/layout.tsx';
import { Flash } from '../views/components.tsx';
import { formatRate } from '../domain/format.ts';
import { buildXlsx, XLSX_TYPE, type CellValue } from './export-helpers.ts';
import { attachmentDisposition } from '../files/disposition.ts';

const COLUMNS: Array<{ label: string; sort?: ActivitySort }> = [
  { label: 'Mã', sort: 'code' },
  { label: 'Đơn vị', sort: 'name' },
  { label: 'Tài khoản' },
  { label: 'Đăng nhập gần nhất', sort: 'lastLogin' },
  { label: 'Cập nhật gần nhất', sort: 'lastUpdate' },
  { label: 'Nhiệm vụ đang thực hiện', sort: 'open' },
  { label: `Tỷ lệ cập nhật trong ${ACTIVITY_WINDOW_DAYS} ngày`, sort: 'share' },
  { label: 'Ghi chú' },
];

function Definitions() {
  return (
    <details open>
      <summary>Cách tính</summary>
      <ul>
        <li>
          <strong>Đăng nhập gần nhất</strong>: lần đăng nhập gần nhất của bất kỳ tài khoản nào của đơn vị.
        </li>
        <li>
          <strong>Cập nhật gần nhất</strong>: thời điểm ghi gần nhất một thao tác chỉ đơn vị chủ trì thực hiện — tiếp
          nhận, báo cáo tiến độ, báo cáo kết quả, đề nghị gia hạn, giải trình — ghi cho đơn vị (qua tài khoản của đơn
          vị, kết nối API hoặc nhập dữ liệu). Việc Văn phòng đôn đốc, xác nhận hay điều chỉnh nhiệm vụ của đơn vị không
          tính là đơn vị cập nhật.
        </li>
        <li>
          <strong>Nhiệm vụ đang thực hiện</strong>: nhiệm vụ đơn vị đang chủ trì, chưa được xác nhận hoàn thành và chưa
          bị thu hồi.
        </li>
        <li>
          <strong>Tỷ lệ cập nhật trong {ACTIVITY_WINDOW_DAYS} ngày</strong>: số nhiệm vụ đang thực hiện có ít nhất một
          cập nhật của đơn vị trong {ACTIVITY_WINDOW_DAYS} ngày qua ÷ số nhiệm vụ đang thực hiện.
        </li>
        <li>
          <strong>Không sử dụng hệ thống</strong>: trong {ACTIVITY_WINDOW_DAYS} ngày qua không có lần đăng nhập nào và
          không có cập nhật nào.
        </li>
      </ul>
    </details>
  );
}

function parseSort(c: Context<AppEnv>): { sort: ActivitySort; dir: 'asc' | 'desc' } | null {
  const s = c.req.query('sort') ?? 'code';
  const d = c.req.query('dir') ?? 'asc';
  if (!(ACTIVITY_SORTS as readonly string[]).includes(s) || (d !== 'asc' && d !== 'desc')) return null;
  return { sort: s as ActivitySort, dir: d };
}

export function activityRoutes(deps: AppDeps) {
  const { db } = deps;
  const app = new Hono<AppEnv>();

  /** Agency users: their own row only (the matrix scope of stats.read is 'own' for them). */
  const rowsFor = (c: Context<AppEnv>): AgencyActivity[] => {
    const p = c.get('principal')!;
    const own = scopeOf(p.role, 'stats.read') !== 'all';
    return agencyActivity(db, deps.clock(), own ? (p.agencyId ?? -1) : null);
  };

  app.get('/activity', requirePermission('stats.read'), (c) => {
    const user = c.get('user');
    const order = parseSort(c);
    if (!order) {
      return c.html(
        <Layout title="Mức độ cập nhật của đơn vị" user={user} current="activity">
          <Flash kind="error">Cột hoặc chiều sắp xếp không hợp lệ.</Flash>
          <p>
            <a href="/admin/activity">Xem bảng theo thứ tự mặc định</a>
          </p>
        </Layout>,
        400,
      );
    }
    const rows = sortActivity(rowsFor(c), order.sort, order.dir);
    const inactive = rows.filter((r) => r.inactive).length;
    const q = (extra: Record<string, string>) =>
      `?${new URLSearchParams({ sort: order.sort, dir: order.dir, ...extra }).toString()}`;
    return c.html(
      <Layout title="Mức độ cập nhật của đơn vị" user={user} current="activity">
        <p>
          Tính đến {formatDateTimeVi(deps.clock())}. {rows.length} đơn vị
          {inactive > 0
            ? `, trong đó ${inactive} đơn vị không sử dụng hệ thống trong ${ACTIVITY_WINDOW_DAYS} ngày qua`
            : ''}
          . <a href={`/admin/activity/export.xlsx${q({})}`}>Xuất Excel</a>
        </p>
        <Definitions />
        <div class="table-wrap">
          <table>
            <caption>Mức độ cập nhật theo đơn vị</caption>
            <thead>
              <tr>
                {COLUMNS.map((col) => {
                  if (!col.sort) return <th scope="col">{col.label}</th>;
                  const active = order.sort === col.sort;
                  const dir = active && order.dir === 'asc' ? 'desc' : 'asc';
                  return (
                    <th scope="col" aria-sort={active ? (order.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
                      <a href={`?${new URLSearchParams({ sort: col.sort, dir }).toString()}`}>
                        {col.label}
                        {active ? (order.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                      </a>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr data-agency={r.code} class={r.inactive ? 'inactive' : undefined}>
                  <td>{r.code}</td>
                  <td>{r.name}</td>
                  <td>{r.accounts}</td>
                  <td>{r.lastLoginAt ? formatDateTimeVi(r.lastLoginAt) : 'Chưa đăng nhập'}</td>
                  <td>{r.lastUpdateAt ? formatDateTimeVi(r.lastUpdateAt) : 'Chưa cập nhật'}</td>
                  <td>{r.openTasks}</td>
                  <td>
                    {formatRate(r.updatedShare)}
                    {r.openTasks > 0 ? ` (${r.openUpdated}/${r.openTasks})` : ''}
                  </td>
                  <td>
                    {r.inactive ? <strong class="tag">Không sử dụng hệ thống {ACTIVITY_WINDOW_DAYS} ngày</strong> : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Layout>,
    );
  });

  app.get('/activity/export.xlsx', requirePermission('stats.read'), async (c) => {
    const order = parseSort(c) ?? { sort: 'code' as const, dir: 'asc' as const };
    const rows = sortActivity(rowsFor(c), order.sort, order.dir);
    const cells: CellValue[][] = rows.map((r) => [
      r.code,
      r.name,
      r.accounts,
      { instant: r.lastLoginAt },
      { instant: r.lastUpdateAt },
      r.openTasks,
      r.openUpdated,
      r.updatedShare === null ? null : Math.round(r.updatedShare * 1000) / 10,
      r.inactive ? 'Có' : '',
    ]);
    const body = await buildXlsx(
      'Mức độ cập nhật',
      [
        { header: 'Mã đơn vị', width: 12 },
        { header: 'Đơn vị', width: 36 },
        { header: 'Số tài khoản', width: 10 },
        { header: 'Đăng nhập gần nhất', width: 18 },
        { header: 'Cập nhật gần nhất', width: 18 },
        { header: 'Nhiệm vụ đang thực hiện', width: 12 },
        { header: `Có cập nhật trong ${ACTIVITY_WINDOW_DAYS} ngày`, width: 12 },
        { header: 'Tỷ lệ cập nhật (%)', width: 12 },
        { header: `Không sử dụng ${ACTIVITY_WINDOW_DAYS} ngày`, width: 12 },
      ],
      cells,
      [
        ['Tính đến', formatDateTimeVi(deps.clock())],
        [
          'Cập nhật',
          'Tiếp nhận, báo cáo tiến độ, báo cáo kết quả, đề nghị gia hạn, giải trình ghi cho đơn vị; không tính đôn đốc, xác nhận, điều chỉnh của Văn phòng.',
        ],
      ],
    );
    writeAudit(db, {
      at: deps.clock(),
      actor: c.get('principal'),
      action: 'activity.export',
      targetType: 'activity',
      targetId: 'xlsx',
      ip: c.get('clientIp'),
      userAgent: c.req.header('user-agent') ?? '',
      details: { rows: rows.length },
    });
    return c.body(body, 200, {
      'content-type': XLSX_TYPE,
      'content-disposition': attachmentDisposition(
        `Mức độ cập nhật của đơn vị ${formatDateVi(today(deps.clock())).replaceAll('/', '-')}.xlsx`,
      ),
      'cache-control': 'no-store',
    });
  });
  return app;
}
