/**
 * The matrix through the real routes: every route is declared (coverage), and every declared route is tried by
 * every role, with the expected answer generated from MATRIX — including agency scoping on task pages.
 */
import { describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../test/support/admin-app.ts';
import { can, MATRIX, ROLES, routeTagOf, scopeOf, type Action, type Role } from './permissions.ts';

const PUBLIC_ROUTES = new Set([
  'GET /admin/static/:file',
  'GET /admin/login',
  'POST /admin/login',
  'POST /admin/logout',
  'GET /*',
  'HEAD /*',
  // the national roll-up beside the public release (admin/rollup/served.ts)
  'GET /toan-quoc',
  'GET /toan-quoc/*',
  'HEAD /toan-quoc',
  'HEAD /toan-quoc/*',
  'GET /api/v1/openapi.json',
  'GET /admin/settings/logo',
  // the private calendar feed: its secret token is the credential (admin/routes/calendar-feed.tsx)
  'GET /admin/lich/:file{[^/]+\\.ics}',
]);

interface DeclaredRoute {
  method: string;
  path: string;
  action: Action | null;
}

function declaredRoutes(t: TestApp): DeclaredRoute[] {
  const groups = new Map<string, { method: string; path: string; handlers: unknown[] }>();
  for (const r of t.app.routes) {
    if (r.method === 'ALL') continue; // app.use middleware
    const key = `${r.method} ${r.path}`;
    const g = groups.get(key) ?? { method: r.method, path: r.path, handlers: [] };
    g.handlers.push(r.handler);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => {
    const tags = g.handlers.map(routeTagOf).filter((x) => x !== undefined);
    if (tags.length !== 1)
      throw new Error(`${g.method} ${g.path}: expected exactly one permission declaration, found ${tags.length}`);
    const tag = tags[0]!;
    return { method: g.method, path: g.path, action: tag.kind === 'action' ? tag.action : null };
  });
}

/** Sample values for path parameters. A new parameter name in a route needs a value here. */
function fillPath(path: string, t: TestApp, task: string): string {
  const samples: Record<string, string> = {
    id: String(t.users.leader.id),
    code: task,
    file: 'admin.css',
    tokenId: 'aaaaaaaaaaaaaaaa',
  };
  return path.replace(/:([A-Za-z_]+)(\{[^}]*\})?/g, (_m, name: string) => {
    const v = samples[name];
    if (v === undefined)
      throw new Error(`no sample value for :${name} in ${path}; add one in permissions.routes.test.ts`);
    return v;
  });
}

async function call(t: TestApp, r: DeclaredRoute, cookie: string, task: string): Promise<Response> {
  const url = fillPath(r.path, t, task);
  if (r.method === 'GET' || r.method === 'HEAD') return t.app.request(url, { method: r.method, headers: { cookie } });
  return t.post(url, {}, cookie);
}

describe('route coverage', () => {
  it('every route is either in the matrix or explicitly public', () => {
    const t = makeTestApp();
    const routes = declaredRoutes(t);
    expect(routes.length).toBeGreaterThan(10);
    const publicOnes = routes.filter((r) => r.action === null).map((r) => `${r.method} ${r.path}`);
    expect(new Set(publicOnes)).toEqual(PUBLIC_ROUTES);
    for (const r of routes) if (r.action) expect(Object.keys(MATRIX)).toContain(r.action);
  });

  it('finds an undeclared route', async () => {
    const t = makeTestApp();
    t.app.get('/admin/undeclared', (c) => c.text('x'));
    expect(() => declaredRoutes(t)).toThrow(/undeclared/);
  });
});

describe('matrix through the routes', () => {
  const probe = makeTestApp();
  // /api/v1 authenticates by bearer token, not by the session cookie: its matrix is tried in admin/api/api.test.ts
  const protectedRoutes = declaredRoutes(probe).filter((r) => r.action !== null && !r.path.startsWith('/api/'));

  for (const role of ROLES) {
    it(`${role}: each route answers as the matrix says`, async () => {
      const t = makeTestApp();
      const cookie = await t.cookieFor(role);
      const principal = { role, agencyId: t.users[role].agencyId };
      for (const r of protectedRoutes) {
        const action = r.action!;
        const res = await call(t, r, cookie, t.tasks.own);
        const label = `${role} ${r.method} ${r.path} (${action})`;
        if (can(principal, action)) {
          expect([401, 403], label).not.toContain(res.status);
          expect(res.headers.get('location') ?? '', label).not.toContain('/admin/login');
        } else {
          expect(res.status, label).toBe(403);
        }
        // agency scoping on records: another agency's task is refused, a coordinated one only for 'own' and
        // 'delegated' (the officer of the test app has the coordinated task delegated to them)
        const scope = scopeOf(role, action);
        if (r.path.includes(':code') && scope !== null && scope !== 'all') {
          const other = await call(t, r, cookie, t.tasks.other);
          expect(other.status, `${label} on another agency's task`).toBe(403);
          const coord = await call(t, r, cookie, t.tasks.coordinated);
          if (scope === 'own' || scope === 'delegated') {
            // a GET shows the page; an empty POST reaches the handler (and is refused for what it lacks)
            if (r.method === 'GET') expect(coord.status, `${label} coordinated`).toBe(200);
            else expect(coord.status, `${label} coordinated`).not.toBe(403);
          } else expect(coord.status, `${label} coordinated`).toBe(403);
        }
      }
    });
  }

  it('anonymous requests to protected pages go to the login page', async () => {
    const t = makeTestApp();
    for (const r of protectedRoutes) {
      const res = await call(t, r, '', t.tasks.own);
      expect(res.status, `${r.method} ${r.path}`).toBe(302);
      expect(res.headers.get('location')).toMatch(/^\/admin\/login/);
    }
  });

  it('refusals are written to the audit log', async () => {
    const t = makeTestApp();
    const cookie = await t.cookieFor('agency');
    expect((await t.get(`/admin/tasks/${t.tasks.other}`, cookie)).status).toBe(403);
    expect((await t.get('/admin/users', cookie)).status).toBe(403);
    const rows = t.db
      .prepare(
        "SELECT actor_name, target_type, target_id, details FROM audit_log WHERE action = 'access.denied' ORDER BY id",
      )
      .all() as Array<{
      actor_name: string;
      target_type: string;
      target_id: string;
      details: string;
    }>;
    expect(rows.map((r) => [r.actor_name, r.target_type, r.target_id])).toEqual([
      ['donvi-a', 'task', t.tasks.other],
      ['donvi-a', 'route', 'GET /admin/users'],
    ]);
    expect(JSON.parse(rows[0]!.details).permission).toBe('task.read');
  });
});

describe('every role can be evaluated for every action', () => {
  it('agency scopes only for the roles inside an agency; delegation scopes only for officers', () => {
    for (const action of Object.keys(MATRIX) as Action[]) {
      for (const role of ROLES as readonly Role[]) {
        const s = scopeOf(role, action);
        if (s === 'own' || s === 'lead') expect(['agency', 'head'], `${action}`).toContain(role);
        if (s === 'delegated' || s === 'delegatedLead') expect(role, `${action}`).toBe('officer');
        if (role === 'officer') expect(s === 'own' || s === 'lead', `${action}`).toBe(false);
      }
    }
  });
});
