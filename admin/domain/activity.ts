/**
 * Per-agency update activity (issue 4; DESIGN.md §1: units that do not use the system are criticised, so their use
 * is a measured fact). Definitions, shown on the page as written here:
 * - last login: the latest users.last_login_at among the unit's accounts;
 * - unit update: an event only the unit in charge records — acknowledgement, progress, result report, extension
 *   request, explanation (UNIT_EVENT_KINDS) — recorded for that unit (task_events.agency_id), whoever typed it
 *   (its account, an integration client, an import). The Office's urging, confirmations and corrections on the
 *   unit's tasks are not the unit's activity and do not count;
 * - last update: the latest recorded_at of a unit update;
 * - open tasks: tasks the unit leads now that are neither completed (confirmed) nor cancelled;
 * - updated share: open tasks with at least one unit update in the last 30 days ÷ open tasks;
 * - inactive: no login and no unit update in the last 30 days.
 */
import type { Statement } from 'better-sqlite3';
import type { DB } from '../db/open.ts';
import { compareVi } from './collation.ts';

export const UNIT_EVENT_KINDS = [
  'received',
  'progress',
  'reported',
  'extension_requested',
  'explanation_submitted',
] as const;
export const ACTIVITY_WINDOW_DAYS = 30;

export interface AgencyActivity {
  agencyId: number;
  code: string;
  name: string;
  accounts: number;
  lastLoginAt: string | null;
  lastUpdateAt: string | null;
  openTasks: number;
  openUpdated: number;
  /** openUpdated ÷ openTasks, null without open tasks */
  updatedShare: number | null;
  inactive: boolean;
}

export const ACTIVITY_SORTS = ['code', 'name', 'lastLogin', 'lastUpdate', 'share', 'open'] as const;
export type ActivitySort = (typeof ACTIVITY_SORTS)[number];

const cache = new WeakMap<DB, { key: string; rows: AgencyActivity[] }>();
const versionStatements = new WeakMap<DB, Statement<[], unknown>>();

function version(db: DB): string {
  let stmt = versionStatements.get(db);
  if (!stmt) {
    versionStatements.set(
      db,
      (stmt = db.prepare(
        'SELECT (SELECT max(id) FROM task_events) AS e, (SELECT max(id) FROM tasks) AS t, (SELECT max(last_login_at) FROM users) AS l, (SELECT count(*) FROM agencies) AS a',
      )),
    );
  }
  return JSON.stringify(stmt.get());
}

/** Activity of every active agency (or only `agencyId`) as of the instant `now`. Cached per data version and minute. */
export function agencyActivity(db: DB, now: Date, agencyId: number | null = null): AgencyActivity[] {
  const key = `${version(db)}|${now.toISOString().slice(0, 16)}`;
  let all = cache.get(db);
  if (!all || all.key !== key) {
    all = { key, rows: computeActivity(db, now) };
    cache.set(db, all);
  }
  return agencyId === null ? all.rows : all.rows.filter((r) => r.agencyId === agencyId);
}

function computeActivity(db: DB, now: Date): AgencyActivity[] {
  const since = new Date(now.getTime() - ACTIVITY_WINDOW_DAYS * 86_400_000).toISOString();
  const kinds = UNIT_EVENT_KINDS.map(() => '?').join(', ');
  const agencies = db
    .prepare('SELECT id, code, name FROM agencies WHERE merged_on IS NULL AND dissolved_on IS NULL ORDER BY code')
    .all() as Array<{ id: number; code: string; name: string }>;
  const logins = new Map(
    (
      db
        .prepare(
          'SELECT agency_id, count(*) AS n, max(last_login_at) AS last FROM users WHERE agency_id IS NOT NULL AND disabled = 0 GROUP BY agency_id',
        )
        .all() as Array<{
        agency_id: number;
        n: number;
        last: string | null;
      }>
    ).map((r) => [r.agency_id, r]),
  );
  const updates = new Map(
    (
      db
        .prepare(
          `SELECT agency_id, max(recorded_at) AS last FROM task_events WHERE kind IN (${kinds}) AND agency_id IS NOT NULL GROUP BY agency_id`,
        )
        .all(...UNIT_EVENT_KINDS) as Array<{ agency_id: number; last: string }>
    ).map((r) => [r.agency_id, r.last]),
  );
  const open = new Map(
    (
      db
        .prepare(
          `SELECT t.lead_agency_id AS agency_id, count(*) AS n,
                  sum(EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = t.id AND e.agency_id = t.lead_agency_id
                                AND e.kind IN (${kinds}) AND e.recorded_at >= ?)) AS updated
             FROM tasks t
            WHERE t.settled_on IS NULL AND t.confirmed_on IS NULL AND t.cancelled_on IS NULL
            GROUP BY t.lead_agency_id`,
        )
        .all(...UNIT_EVENT_KINDS, since) as Array<{ agency_id: number; n: number; updated: number }>
    ).map((r) => [r.agency_id, r]),
  );
  return agencies.map((a) => {
    const l = logins.get(a.id);
    const o = open.get(a.id);
    const lastUpdateAt = updates.get(a.id) ?? null;
    const lastLoginAt = l?.last ?? null;
    const openTasks = o?.n ?? 0;
    const openUpdated = o?.updated ?? 0;
    return {
      agencyId: a.id,
      code: a.code,
      name: a.name,
      accounts: l?.n ?? 0,
      lastLoginAt,
      lastUpdateAt,
      openTasks,
      openUpdated,
      updatedShare: openTasks === 0 ? null : openUpdated / openTasks,
      inactive: !(lastLoginAt !== null && lastLoginAt >= since) && !(lastUpdateAt !== null && lastUpdateAt >= since),
    };
  });
}

/** Sorted copy; nulls (never logged in, never updated, no open task) last in both directions. */
export function sortActivity(rows: AgencyActivity[], sort: ActivitySort, dir: 'asc' | 'desc'): AgencyActivity[] {
  const d = dir === 'asc' ? 1 : -1;
  const value = (r: AgencyActivity): string | number | null =>
    sort === 'code'
      ? r.code
      : sort === 'name'
        ? r.name
        : sort === 'lastLogin'
          ? r.lastLoginAt
          : sort === 'lastUpdate'
            ? r.lastUpdateAt
            : sort === 'share'
              ? r.updatedShare
              : r.openTasks;
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === y) return a.code.localeCompare(b.code);
    if (x === null) return 1;
    if (y === null) return -1;
    const c = typeof x === 'string' && typeof y === 'string' ? compareVi(x, y) : x < y ? -1 : 1;
    return c * d;
  });
}
