/**
 * Hostile input over every route of the app and the API (issue 9, item 3). The routes are walked from app.routes
 * (as admin/auth/permissions.routes.test.ts does), path parameters get real ids and codes from the fixture or
 * garbage, and each request carries a seeded hostile body or query (admin/test/support/hostile.ts), sent
 * anonymously or as a signed-in user of a role allowed on the route (with the right Origin, so csrf() lets the
 * body through to the parser) or of any role. HOSTILE_RUNS (default 2,400) and HOSTILE_SEED replay or widen it.
 *
 * What must hold for every request:
 *   - never a 5xx, never a stack trace; the API answers errors in its JSON envelope (admin/api/errors.ts);
 *   - a refused request (status ≥ 400) writes nothing: every table's content is unchanged, and so is the upload
 *     folder. Two exceptions that exist to record refusals:
 *       · audit_log rows whose action is in REFUSAL_AUDIT (failed or throttled logins, access denied, csrf
 *         refused, a wrong current password, a refused build, an import file checked and refused, and the
 *         api.call row written for every API request whatever its answer); every other audit row counts;
 *       · login_throttle, which counts failed logins by design (admin/auth/throttle.ts).
 *   - an accepted GET writes nothing either (except the audit row of an export, which records a read);
 *   - an accepted POST is a real action whose form needs no field (logout, receipt, enable/disable …): it may
 *     write. The fixture is rebuilt every REBUILD_EVERY requests so such writes cannot drift it far, and sessions
 *     ended by them are recreated before the next request.
 * Bodies on GET/HEAD cannot be tested here: the Fetch API refuses to build such a request.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { makeTestApp, TEST_ORIGIN, type TestApp } from './support/admin-app.ts';
import { withApiClients, type ApiClients } from './support/api.ts';
import {
  formBody,
  garbageSegment,
  hostileQuery,
  jsonBody,
  prng,
  type HostileBody,
  type Rng,
} from './support/hostile.ts';
import { can, routeTagOf, ROLES, type Action, type Role } from '../auth/permissions.ts';
import { createSession, validateSessionToken } from '../auth/session.ts';
import { MALFORMED_FORM } from '../routes/form-helpers.ts';

const RUNS = Number(process.env.HOSTILE_RUNS ?? 2400);
const SEED = Number(process.env.HOSTILE_SEED ?? 20260309);
const REBUILD_EVERY = 400;

const REFUSAL_AUDIT = [
  'auth.login_failed',
  'auth.login_throttled',
  'access.denied',
  'csrf.refused',
  'account.password_change_failed',
  'site.build_refused',
  'task.import_check',
  'task.import_failed',
  'api.call',
];
const READ_AUDIT = ['task.export', 'activity.export'];
/** columns every authenticated request may refresh: when a token or a session was last used */
const BOOKKEEPING: Record<string, string[]> = { api_tokens: ['last_used_at'], sessions: ['last_seen_at'] };

interface RouteInfo {
  method: string;
  path: string;
  action: Action | null;
}

function routesOf(t: TestApp): RouteInfo[] {
  const groups = new Map<string, RouteInfo>();
  for (const r of t.app.routes) {
    if (r.method === 'ALL') continue;
    const key = `${r.method} ${r.path}`;
    const tag = routeTagOf(r.handler);
    const g = groups.get(key) ?? { method: r.method, path: r.path, action: null };
    if (tag?.kind === 'action') g.action = tag.action;
    groups.set(key, g);
  }
  return [...groups.values()];
}

interface Fixture {
  t: TestApp;
  api: ApiClients;
  ids: Record<string, string[]>;
  cookies: Map<Role, { token: string; cookie: string }>;
}

async function fixture(): Promise<Fixture> {
  const t = makeTestApp();
  const api = withApiClients(t);
  const leader = String(
    t.db.prepare("INSERT INTO leaders (name, title) VALUES ('Trần Văn Chủ', 'Chủ tịch UBND tỉnh')").run()
      .lastInsertRowid,
  );
  const sector = String(
    t.db.prepare("INSERT INTO sectors (code, name) VALUES ('TC', 'Tài chính')").run().lastInsertRowid,
  );
  const doc = await api.call(api.tokens.specialist, 'POST', '/api/v1/documents', {
    number: '1/UBND-KT',
    type: 'Kế hoạch',
    issuedOn: '2026-02-27',
    signerId: Number(leader),
    summary: 'Kế hoạch triển khai',
    tasks: [{ title: 'Nhiệm vụ một', leadAgency: 'STC', leaderId: Number(leader), deadline: '2026-05-01' }],
  });
  const report = await api.call(api.tokens.agency, 'POST', `/api/v1/tasks/${t.tasks.own}/events`, {
    kind: 'reported',
    note: 'Đã hoàn thành',
    files: [
      {
        name: 'bao-cao.pdf',
        contentBase64: Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n%%EOF\n').toString('base64'),
      },
    ],
  });
  const fileIds = (t.db.prepare('SELECT id FROM files').all() as Array<{ id: number }>).map((r) => String(r.id));
  const clients = (t.db.prepare('SELECT id FROM api_clients').all() as Array<{ id: number }>).map((r) => String(r.id));
  const tokenIds = (t.db.prepare('SELECT id FROM api_tokens').all() as Array<{ id: string }>).map((r) => r.id);
  const u = t.users;
  return {
    t,
    api,
    ids: {
      users: [u.leader.id, u.agency.id, u.admin.id].map(String),
      agencies: Object.values(t.agencies).map(String),
      leaders: [leader],
      sectors: [sector],
      'api-clients': clients,
      tokenId: tokenIds,
      files: fileIds.length > 0 ? fileIds : ['1'],
      documents: doc.status === 201 || doc.status === 200 ? [String(doc.json.id ?? 1)] : ['1'],
      code: [t.tasks.own, t.tasks.coordinated, t.tasks.other],
      apiCode: [t.tasks.own, t.tasks.other, 'STC', 'SYT', 'UBND-HX'],
      reported: [String(report.status)],
    },
    cookies: new Map(),
  };
}

/** A valid cookie for the role, recreated when a previous request ended the session. */
function cookieFor(f: Fixture, role: Role): string {
  const now = f.t.clock.now;
  // an accepted hostile POST may have disabled the account (a real action that needs no field): undo it here,
  // before the snapshot, or its session would be removed during the next request
  f.t.db.prepare('UPDATE users SET disabled = 0 WHERE id = ? AND disabled = 1').run(f.t.users[role].id);
  const have = f.cookies.get(role);
  if (have && validateSessionToken(f.t.db, have.token, now)) return have.cookie;
  const { token } = createSession(f.t.db, f.t.users[role].id, now);
  const cookie = `${f.t.env.sessionCookieName}=${token}`;
  f.cookies.set(role, { token, cookie });
  return cookie;
}

function fillPath(f: Fixture, r: Rng, path: string): string {
  return path.replace(/:([A-Za-z_]+)(\{([^}]*)\})?/g, (_m, name: string, _p, pattern: string | undefined) => {
    if (r.chance(0.2)) return garbageSegment(r, pattern);
    const segment =
      path
        .split('/')
        .slice(0, -1)
        .reverse()
        .find((s) => s && !s.startsWith(':')) ?? '';
    const api = path.startsWith('/api/');
    const pool =
      name === 'code'
        ? f.ids[api ? 'apiCode' : 'code']
        : name === 'tokenId'
          ? f.ids.tokenId
          : name === 'file'
            ? ['admin.css', 'nope.js', '..%2f..%2fpackage.json']
            : (f.ids[segment] ?? ['1']);
    return r.pick(pool!);
  });
}

function tableDigest(f: Fixture): Record<string, string> {
  const db = f.t.db;
  const out: Record<string, string> = {};
  const tables = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{
      name: string;
    }>
  ).map((x) => x.name);
  for (const name of tables) {
    if (name === 'login_throttle') continue;
    if (name === 'audit_log') {
      const marks = REFUSAL_AUDIT.map(() => '?').join(', ');
      out[name] = String(
        (
          db.prepare(`SELECT count(*) AS n FROM audit_log WHERE action NOT IN (${marks})`).get(...REFUSAL_AUDIT) as {
            n: number;
          }
        ).n,
      );
      continue;
    }
    const rows = db.prepare(`SELECT * FROM "${name}"`).all() as Array<Record<string, unknown>>;
    for (const row of rows) for (const col of BOOKKEEPING[name] ?? []) delete row[col];
    out[name] = createHash('sha1')
      .update(JSON.stringify(rows, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)))
      .digest('hex');
  }
  return out;
}

function uploads(f: Fixture): string[] {
  return (readdirSync(f.t.env.uploadDir, { recursive: true }) as string[]).sort();
}

function readAudits(f: Fixture): number {
  const marks = READ_AUDIT.map(() => '?').join(', ');
  return (
    f.t.db.prepare(`SELECT count(*) AS n FROM audit_log WHERE action IN (${marks})`).get(...READ_AUDIT) as { n: number }
  ).n;
}

type Who = 'anonymous' | Role;

function chooseWho(r: Rng, route: RouteInfo, f: Fixture): Who {
  if (r.chance(0.15)) return 'anonymous';
  const able = ROLES.filter(
    (role) => route.action === null || can({ role, agencyId: f.t.users[role].agencyId }, route.action!),
  );
  if (able.length > 0 && r.chance(0.85)) return r.pick(able);
  return r.pick(ROLES);
}

interface Planned {
  label: string;
  path: string;
  init: RequestInit;
  body: HostileBody | null;
}

/** The request, with its session made beforehand (so making it is not counted as the request's write). */
function plan(f: Fixture, r: Rng, route: RouteInfo): Planned {
  const api = route.path.startsWith('/api/');
  let path =
    route.path === '/*'
      ? `/${r.pick(['', 'du-lieu-mo/', '..%2f..%2fetc/passwd', '%2e%2e/', 'a'.repeat(2000), 'x?y'])}`
      : fillPath(f, r, route.path);
  if (r.chance(api || route.method !== 'POST' ? 0.6 : 0.2))
    path += `${path.includes('?') ? '&' : '?'}${hostileQuery(r)}`;
  const who = chooseWho(r, route, f);
  const headers: Record<string, string> = {};
  if (api) {
    if (who !== 'anonymous' && who in f.api.tokens)
      headers.authorization = `Bearer ${f.api.tokens[who as keyof typeof f.api.tokens]}`;
    else if (r.chance(0.3))
      headers.authorization = r.pick(['Bearer x', 'Bearer ', 'Basic YTpi', `Bearer ${'a'.repeat(5000)}`]);
  } else {
    if (who !== 'anonymous') headers.cookie = cookieFor(f, who);
    headers.origin = r.chance(0.93) ? TEST_ORIGIN : r.pick(['https://evil.example', 'null', 'http://127.0.0.1:3000']);
  }
  let body: HostileBody | null = null;
  if (route.method === 'POST') {
    body = api ? jsonBody(r) : formBody(r);
    if (body.contentType) headers['content-type'] = body.contentType;
  }
  const label = `${route.method} ${path.slice(0, 200)} as ${who}${body ? ` [${body.kind}] ${String(body.body).slice(0, 120)}` : ''}`;
  const init: RequestInit = {
    method: route.method,
    headers,
    ...(body?.body != null ? { body: body.body as BodyInit } : {}),
  };
  return { label, path, init, body };
}

describe('malformed bodies are a 400 with a Vietnamese message', () => {
  const cases: Array<[string, string]> = [
    ['multipart/form-data; boundary=XYZ', '--XYZ\r\nContent-Disposition: form-data; name="username"\r\n\r\nabc'],
    ['multipart/form-data', '--XYZ\r\nContent-Disposition: form-data; name="username"\r\n\r\nabc\r\n--XYZ--\r\n'],
    ['multipart/form-data; boundary=', 'x'],
    ['multipart/form-data; boundary="unclosed', 'x'],
  ];
  it('on the login page, without signing in; nothing is counted against the throttle', async () => {
    const t = makeTestApp();
    for (const [type, body] of cases) {
      const res = await t.app.request('/admin/login', {
        method: 'POST',
        headers: { origin: TEST_ORIGIN, 'content-type': type },
        body,
      });
      expect(res.status, type).toBe(400);
      const html = await res.text();
      expect(html, type).toContain(MALFORMED_FORM);
      expect(html, type).toContain('<html lang="vi"');
    }
    expect(t.db.prepare('SELECT count(*) AS n FROM login_throttle').get()).toEqual({ n: 0 });
    expect(t.db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 0 });
  });

  it('on a signed-in form and an upload form; nothing is written', async () => {
    const t = makeTestApp();
    const cookie = await t.cookieFor('agency');
    const events = () => (t.db.prepare('SELECT count(*) AS n FROM task_events').get() as { n: number }).n;
    const before = events();
    for (const path of [`/admin/tasks/${t.tasks.own}/progress`, `/admin/tasks/${t.tasks.own}/report`]) {
      for (const [type, body] of cases) {
        const res = await t.app.request(path, {
          method: 'POST',
          headers: { origin: TEST_ORIGIN, 'content-type': type, cookie },
          body,
        });
        expect(res.status, `${path} ${type}`).toBe(400);
        expect(await res.text()).toContain(MALFORMED_FORM);
      }
    }
    expect(events()).toBe(before);
  });
});

describe('hostile requests over every route', () => {
  it(
    `${RUNS} seeded hostile requests (seed ${SEED}): no 5xx, refusals write nothing`,
    async () => {
      const r = prng(SEED);
      let f = await fixture();
      const routes = routesOf(f.t);
      expect(routes.length).toBeGreaterThan(80);
      const tally = { refused: 0, accepted: 0, malformedRefused: 0, malformedMessage: 0 };
      const reached = new Set<string>();
      for (let i = 0; i < RUNS; i++) {
        if (i > 0 && i % REBUILD_EVERY === 0) f = await fixture();
        const route = routes[i % routes.length]!; // every route in turn, so each gets RUNS / routes requests
        const { label, path, init, body } = plan(f, r, route);
        const before = tableDigest(f);
        const filesBefore = uploads(f);
        const readsBefore = readAudits(f);
        const res = await f.t.app.request(path, init);
        const text = route.method === 'HEAD' ? '' : await res.text();
        const where = `#${i} (seed ${SEED}) ${label}`;
        expect(res.status, where).toBeLessThan(500);
        expect(text, where).not.toMatch(/\.tsx?:\d+|\bat [A-Za-z.<>]+ \(|SyntaxError|TypeError|RangeError|ZodError/);
        if (route.path.startsWith('/api/') && res.status >= 400) {
          const json = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
          expect(typeof json.error?.code, where).toBe('string');
          expect(typeof json.error?.message, where).toBe('string');
        }
        const after = tableDigest(f);
        if (res.status >= 400 || route.method !== 'POST') {
          // an accepted read may record an export, nothing else
          if (res.status < 400) after.audit_log = String(Number(after.audit_log) - (readAudits(f) - readsBefore));
          expect(after, where).toEqual(before);
          expect(uploads(f), where).toEqual(filesBefore);
        }
        if (res.status >= 400) tally.refused++;
        else tally.accepted++;
        if (body?.malformed && res.status >= 400) tally.malformedRefused++;
        if (res.status === 400 && text.includes(MALFORMED_FORM)) {
          tally.malformedMessage++;
          reached.add(`${route.method} ${route.path}`);
        }
      }
      if (process.env.HOSTILE_RUNS) console.info({ seed: SEED, ...tally, routesReachingTheParser: reached.size });
      // the walk reached the body parser of many routes (otherwise it proves little)
      expect(tally.malformedMessage).toBeGreaterThan(RUNS / 40);
      expect(reached.size).toBeGreaterThan(10);
    },
    Math.max(120_000, RUNS * 10),
  );
});
