/**
 * THE role × action × agency matrix (DESIGN.md §2, §7). Access is denied unless a cell below allows it; every
 * route declares the action it needs (requirePermission) or that it is public (publicRoute), and the coverage test
 * (admin/auth/permissions.routes.test.ts) walks app.routes to fail on any undeclared route.
 *
 * Scopes, for roles whose cell is not 'all':
 * - 'own'  — tasks whose current lead agency OR one of whose coordinating agencies is the user's agency. Coordinators
 *            may READ (they must know what they are coordinating on: DESIGN.md §3 "coordinating agencies");
 * - 'lead' — only tasks whose current lead agency is the user's agency. Every WRITE by an agency user is 'lead':
 *            only the unit in charge (chủ trì) acknowledges, reports, asks for an extension or explains.
 * - 'delegated'     — (officers, issue 11) tasks delegated to the user by their unit that the unit still leads or
 *                     coordinates (a live row of task_delegations for the user's current agency);
 * - 'delegatedLead' — the same, and the user's unit leads the task: an officer writes only there.
 * Inside an agency (issue 11): the focal point ('agency') receives, delegates and submits; the head of unit ('head')
 * reads the whole unit like the focal point and writes only approvals (unit.approve) and its own submissions; the
 * officer ('officer') reads what was delegated to them, records progress and drafts the result report.
 * The administrator is IT staff: accounts, agencies, settings, audit — no access to task contents (least privilege);
 * aggregate statistics only, which are published anyway. Leaders read everything and write nothing.
 *
 * To extend (issue 4 and later): add the action to ACTIONS with its cells, then use requirePermission('x.y') on the
 * route; the matrix tests are generated from this table.
 */
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.ts';
import { writeAudit } from '../audit/audit.ts';
import { isAgencyRole, ROLES, UNIT_ROLES, type Principal, type Role, type UnitRole } from './principal.ts';

export { isAgencyRole, ROLES, UNIT_ROLES, type Principal, type Role, type UnitRole };

export const ROLE_LABELS: Record<Role, string> = {
  agency: 'Cán bộ đầu mối đơn vị',
  head: 'Thủ trưởng đơn vị',
  officer: 'Chuyên viên đơn vị',
  specialist: 'Chuyên viên Văn phòng',
  confirmer: 'Tổ công tác / Lãnh đạo Văn phòng',
  leader: 'Lãnh đạo UBND tỉnh',
  admin: 'Quản trị hệ thống',
};

export type Scope = 'all' | 'own' | 'lead' | 'delegated' | 'delegatedLead';
type Cells = Partial<Record<Role, Scope>>;

const ALL_ROLES_ALL: Cells = {
  agency: 'all',
  head: 'all',
  officer: 'all',
  specialist: 'all',
  confirmer: 'all',
  leader: 'all',
  admin: 'all',
};
const READERS: Cells = {
  agency: 'own',
  head: 'own',
  officer: 'delegated',
  specialist: 'all',
  confirmer: 'all',
  leader: 'all',
};

/** action → role → scope. Absent cell = denied. */
export const MATRIX = {
  // every signed-in person
  'dashboard.view': ALL_ROLES_ALL,
  'account.self': ALL_ROLES_ALL,
  // one's own notices (issue 11): the bell and /admin/thong-bao
  'notice.read': ALL_ROLES_ALL,
  // reading tasks, their files, lists and exports
  'task.read': READERS,
  // directive documents: an agency sees those that gave it a task it may read (integration API, issue 4)
  'document.read': READERS,
  // the register of agencies (codes, names, successors) for integration clients of any scope
  'agency.read': ALL_ROLES_ALL,
  'file.read': READERS,
  export: READERS,
  // officers see the tasks delegated to them, not their unit's figures
  'stats.read': { agency: 'own', head: 'own', specialist: 'all', confirmer: 'all', leader: 'all', admin: 'all' },
  // the leaders' overview by period (issue 10): provincial leaders and the office lead / working group
  'overview.view': { confirmer: 'all', leader: 'all' },
  // the Office specialist runs the register
  'document.create': { specialist: 'all' },
  'task.create': { specialist: 'all' },
  'task.edit': { specialist: 'all' },
  'task.urge': { specialist: 'all' },
  'task.cancel': { specialist: 'all' },
  'task.reassign': { specialist: 'all' },
  'task.import': { specialist: 'all' },
  // the unit in charge (agency user, lead agency only); the head may submit itself (no approval of its own needed)
  'task.receive': { agency: 'lead' },
  'task.progress': { agency: 'lead', officer: 'delegatedLead' },
  'task.report': { agency: 'lead', head: 'lead' },
  'extension.request': { agency: 'lead', head: 'lead' },
  'explanation.submit': { agency: 'lead', head: 'lead' },
  // inside the unit (issue 11): the focal point gives a task (led or coordinated) to officers; an officer drafts
  // the result report; the head approves or sends back what the focal point submits, where the unit requires it
  'task.delegate': { agency: 'own' },
  'report.draft': { officer: 'delegatedLead' },
  'unit.approve': { head: 'lead' },
  // the right of reply to a unit's published figures (issue 13): its head (or its focal point where the unit has no
  // head account: admin/domain/replies.ts) submits; the office lead approves or declines
  'reply.submit': { head: 'lead', agency: 'lead' },
  'reply.decide': { confirmer: 'all' },
  // the working group / office lead
  'report.confirm': { confirmer: 'all' },
  // returning a pending result report with a reason: the tracking specialist (incomplete report) or the working group
  'task.return': { specialist: 'all', confirmer: 'all' },
  // the list of written explanations (the Office follows them up; agencies see theirs on their task pages)
  'explanation.read': { specialist: 'all', confirmer: 'all', leader: 'all' },
  // the urging log (manual and automatic urging), for the Office
  'urging.read': { specialist: 'all', confirmer: 'all', leader: 'all' },
  'extension.decide': { confirmer: 'all' },
  'publication.manage': { confirmer: 'all' },
  // the monthly meeting report (DOCX, PDF), public and internal versions: the working group and the leaders
  'report.download': { confirmer: 'all', leader: 'all' },
  // IT administration
  'user.manage': { admin: 'all' },
  'agency.manage': { admin: 'all' },
  'catalog.manage': { admin: 'all' },
  'settings.manage': { admin: 'all' },
  'holiday.manage': { admin: 'all' },
  'audit.read': { admin: 'all' },
  'apiClient.manage': { admin: 'all' },
} as const satisfies Record<string, Cells>;

export type Action = keyof typeof MATRIX;
export const ACTIONS = Object.keys(MATRIX) as Action[];

/** The agency facts of a task (or any agency-owned thing) that scoping looks at. */
export interface AgencyResource {
  leadAgencyId: number | null;
  coordinatorAgencyIds?: readonly number[];
  /** users to whom the task is delegated by their (current) unit (task_delegations, live rows); officers only */
  delegatedUserIds?: readonly number[];
}

/** What scoping reads of a principal; `id` matters only for officers (delegations are per person). */
export type ScopedPrincipal = Pick<Principal, 'role' | 'agencyId'> & { id?: number };

export function scopeOf(role: Role, action: Action): Scope | null {
  return (MATRIX[action] as Cells)[role] ?? null;
}

/**
 * May `principal` do `action` — on `resource` when given, otherwise on at least something (route-level check;
 * the handler must then check the record with can(…, resource) or list through taskScopeSql).
 */
export function can(principal: ScopedPrincipal | null, action: Action, resource?: AgencyResource): boolean {
  if (!principal) return false;
  const scope = scopeOf(principal.role, action);
  if (scope === null) return false;
  if (scope === 'all' || resource === undefined) return scope === 'all' || principal.agencyId !== null;
  const a = principal.agencyId;
  if (a === null) return false;
  const leads = resource.leadAgencyId === a;
  const coordinates = (resource.coordinatorAgencyIds ?? []).includes(a);
  switch (scope) {
    case 'lead':
      return leads;
    case 'own':
      return leads || coordinates;
    case 'delegated':
    case 'delegatedLead': {
      const mine = principal.id !== undefined && (resource.delegatedUserIds ?? []).includes(principal.id);
      return mine && (leads || (scope === 'delegated' && coordinates));
    }
  }
}

/**
 * A WHERE fragment limiting tasks (table alias `alias`) to those `principal` may `action`, for lists, counts and
 * exports, so scoping holds in lists as well as single records. Positional parameters.
 */
export function taskScopeSql(
  principal: ScopedPrincipal,
  action: Action = 'task.read',
  alias = 't',
): { sql: string; params: number[] } {
  if (!/^[a-z_][a-z0-9_]*$/i.test(alias)) throw new Error(`bad alias ${alias}`);
  const scope = scopeOf(principal.role, action);
  if (scope === null || (scope !== 'all' && principal.agencyId === null)) return { sql: '0', params: [] };
  if (scope === 'all') return { sql: '1', params: [] };
  const a = principal.agencyId!;
  const lead = { sql: `${alias}.lead_agency_id = ?`, params: [a] };
  const own = {
    sql: `(${alias}.lead_agency_id = ? OR EXISTS (SELECT 1 FROM task_coordinators tc_scope WHERE tc_scope.task_id = ${alias}.id AND tc_scope.agency_id = ?))`,
    params: [a, a],
  };
  switch (scope) {
    case 'lead':
      return lead;
    case 'own':
      return own;
    case 'delegated':
    case 'delegatedLead': {
      if (principal.id === undefined) return { sql: '0', params: [] };
      // the live delegation made by the officer's current unit (a user moved to another unit loses it at once)
      const base = scope === 'delegated' ? own : lead;
      return {
        // IN (…) lets SQLite start from the officer's few delegations instead of testing every task (ten-year
        // province, 40 delegations: the officer's list 7.2 → 0.5 ms)
        sql: `(${alias}.id IN (SELECT d_scope.task_id FROM task_delegations d_scope WHERE d_scope.user_id = ? AND d_scope.agency_id = ? AND d_scope.revoked_at IS NULL) AND ${base.sql})`,
        params: [principal.id, a, ...base.params],
      };
    }
  }
}

// ---- route declarations -------------------------------------------------------------------------------------

export type RouteTag = { kind: 'action'; action: Action } | { kind: 'public'; reason: string };
const routeTags = new WeakMap<object, RouteTag>();

/** The declaration attached to a handler by requirePermission/publicRoute (read by the coverage test). */
export function routeTagOf(handler: unknown): RouteTag | undefined {
  return typeof handler === 'function' ? routeTags.get(handler) : undefined;
}

const DENIED_MESSAGE = 'Bạn không có quyền thực hiện thao tác này.';

function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

/** Refuses (403, audited) unless the principal may do `action` on something; sends anonymous people to login. */
export function requirePermission(action: Action): MiddlewareHandler<AppEnv> {
  const mw = createMiddleware<AppEnv>(async (c, next) => {
    const principal = c.get('principal');
    if (!principal) {
      if (isApiPath(c.req.path)) throw new HTTPException(401, { message: 'Cần xác thực (Bearer token).' });
      const next_ = c.req.method === 'GET' ? `?next=${encodeURIComponent(c.req.path)}` : '';
      return c.redirect(`/admin/login${next_}`, 302);
    }
    if (!can(principal, action)) denyAccess(c, action);
    await next();
  });
  routeTags.set(mw, { kind: 'action', action });
  return mw;
}

/** Marks a route as reachable without any permission (login page, public release). */
export function publicRoute(reason: string): MiddlewareHandler<AppEnv> {
  const mw = createMiddleware<AppEnv>(async (_c, next) => {
    await next();
  });
  routeTags.set(mw, { kind: 'public', reason });
  return mw;
}

type Ctx = Parameters<MiddlewareHandler<AppEnv>>[0];

/** Writes the refusal to the audit log and throws 403 with a Vietnamese message. */
export function denyAccess(c: Ctx, action: Action, target?: { type: string; id: string | number }): never {
  const p = c.get('principal');
  const deps = c.get('deps');
  writeAudit(deps.db, {
    at: deps.clock(),
    actor: p,
    action: 'access.denied',
    targetType: target?.type ?? 'route',
    targetId: String(target?.id ?? `${c.req.method} ${c.req.path}`),
    ip: c.get('clientIp'),
    userAgent: c.req.header('user-agent') ?? '',
    details: { permission: action, path: c.req.path, method: c.req.method },
  });
  throw new HTTPException(403, { message: DENIED_MESSAGE });
}

/** Record-level check inside a handler: allowed, or audited 403. */
export function assertCan(
  c: Ctx,
  action: Action,
  resource: AgencyResource,
  target?: { type: string; id: string | number },
): void {
  if (!can(c.get('principal'), action, resource)) denyAccess(c, action, target);
}
