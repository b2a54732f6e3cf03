/**
 * The dashboard: counts as of today for the user's scope (the agency's own tasks for an agency user, every task
 * for the Office, the working group and leaders; aggregate counts for the administrator), through computeStats —
 * the same rules as the published numbers. Issue 4 extends it (my new tasks, recently changed …).
 *
 * computeStats reads every task row (~30 ms on ten years), so results are cached per (as-of day, agency scope).
 * Every change to a task appends an event (task_events is append-only) or creates a task, so the pair
 * (max event id, max task id) changes on every write that can change a count: it is the cache's version, read
 * with two index lookups per request. Agency renames do not change counts; names are read fresh.
 */
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import type { DB } from '../db/open.ts';
import type { Statement } from 'better-sqlite3';
import { can, requirePermission, ROLE_LABELS } from '../auth/permissions.ts';
import { computeStats } from '../domain/stats.ts';
import { CATEGORY_LABELS, type Counts } from '../domain/status.ts';
import { formatDateVi, today } from '../domain/dates.ts';
import { Layout } from '../views/layout.tsx';
import { Flash, Table } from '../views/components.tsx';
import { flashFromQuery } from './form-helpers.ts';

export interface DashboardCounts {
  asOf: string;
  /** assigned, not yet acknowledged (received), still open */
  unreceived: number;
  totals: Counts;
}

const CACHE_MAX = 256;
const cache = new Map<string, { version: string; value: DashboardCounts }>();

const versionStatements = new WeakMap<DB, Statement<[], unknown>>();

function dataVersion(db: DB): string {
  let stmt = versionStatements.get(db);
  if (!stmt) versionStatements.set(db, (stmt = db.prepare('SELECT (SELECT max(id) FROM task_events) AS e, (SELECT max(id) FROM tasks) AS t')));
  const r = stmt.get() as {
    e: number | null;
    t: number | null;
  };
  return `${r.e ?? 0}:${r.t ?? 0}`;
}

/** Counts as of `asOf` for one agency (its led tasks) or all (agencyId null); cached until the data changes. */
export function dashboardCounts(db: DB, asOf: string, agencyId: number | null): DashboardCounts {
  const key = `${asOf}|${agencyId ?? 'all'}`;
  const version = dataVersion(db);
  const hit = cache.get(key);
  if (hit && hit.version === version) return hit.value;
  const stats = computeStats(db, asOf, agencyId === null ? {} : { agencyId });
  const unreceived = (
    db
      .prepare(
        `SELECT count(*) AS n FROM tasks WHERE received_on IS NULL AND cancelled_on IS NULL AND confirmed_on IS NULL
           AND assigned_on <= ? ${agencyId === null ? '' : 'AND lead_agency_id = ?'}`,
      )
      .get(...(agencyId === null ? [asOf] : [asOf, agencyId])) as { n: number }
  ).n;
  const value = { asOf, unreceived, totals: stats.totals };
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, { version, value });
  return value;
}

export function clearDashboardCache(): void {
  cache.clear();
}

function pct(r: number | null): string {
  return r === null ? '—' : `${(r * 100).toFixed(1).replace('.', ',')}%`;
}

export function dashboardRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/', requirePermission('dashboard.view'), (c) => {
    const user = c.get('user')!;
    const asOf = today(deps.clock());
    const scoped = user.role === 'agency';
    const showStats = can(user, 'stats.read');
    const d = showStats ? dashboardCounts(deps.db, asOf, scoped ? user.agencyId : null) : null;
    const t = d?.totals;
    return c.html(
      <Layout title="Tổng quan" user={user} current="dashboard">
        {flashFromQuery(c) && <Flash kind="ok">{flashFromQuery(c)}</Flash>}
        <p>
          Xin chào {user.displayName} — {ROLE_LABELS[user.role]}
          {user.agencyName ? `, ${user.agencyName}` : ''}. Số liệu tính đến ngày {formatDateVi(asOf)}
          {scoped ? ' (các nhiệm vụ đơn vị bạn chủ trì)' : ' (toàn tỉnh)'}.
        </p>
        {d && t && (
          <>
            <ul class="cards" aria-label="Việc cần chú ý">
              <li class="card">
                <span class="n">{d.unreceived}</span> Nhiệm vụ mới, chưa tiếp nhận
              </li>
              <li class="card">
                <span class="n">{t.dueSoon}</span> Sắp đến hạn (trong 3 ngày)
              </li>
              <li class={`card${t.overdue > 0 ? ' warn' : ''}`}>
                <span class="n">{t.overdue}</span> Đang quá hạn
              </li>
              <li class="card">
                <span class="n">{t.awaitingConfirmation}</span> Đã báo cáo, chờ xác nhận
              </li>
            </ul>
            <Table
              caption={`Tình hình thực hiện tính đến ngày ${formatDateVi(asOf)}`}
              head={['Phân loại', 'Số nhiệm vụ']}
              rows={[
                ['Tổng số nhiệm vụ đang theo dõi', t.total],
                [CATEGORY_LABELS.completedOnTime, t.completedOnTime],
                [CATEGORY_LABELS.completedLate, t.completedLate],
                [CATEGORY_LABELS.inProgress, t.inProgress],
                [CATEGORY_LABELS.overdue, t.overdue],
                [CATEGORY_LABELS.noDeadline, t.noDeadline],
                ['Tỷ lệ hoàn thành đúng hạn', `${pct(t.onTimeRate)} (trên ${t.due} nhiệm vụ đã đến hạn)`],
                ['Tỷ lệ quá hạn', pct(t.overdueRate)],
              ]}
            />
          </>
        )}
      </Layout>,
    );
  });
  return app;
}
