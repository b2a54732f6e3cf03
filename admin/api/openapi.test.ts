/**
 * The OpenAPI document describes exactly the routes mounted under /api/v1, its references resolve, and real
 * responses (successes and errors) have the shape its schemas give. The matrix through the API routes (every route
 * × every client scope) is generated from MATRIX, like admin/auth/permissions.routes.test.ts for the pages.
 */
import { describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../test/support/admin-app.ts';
import { withApiClients, type ApiRole } from '../test/support/api.ts';
import { can, routeTagOf, type Action } from '../auth/permissions.ts';
import { API_CLIENT_ROLES } from '../auth/api-tokens.ts';
import { API_OPERATIONS, openApiPath } from './openapi.ts';
import { samplePdf } from '../test/fixtures/files.ts';

type Json = any;

function apiRoutes(t: TestApp): Array<{ method: string; path: string; action: Action | null }> {
  const seen = new Map<string, { method: string; path: string; action: Action | null }>();
  for (const r of t.app.routes) {
    if (r.method === 'ALL' || !r.path.startsWith('/api/v1')) continue;
    const tag = routeTagOf(r.handler);
    const key = `${r.method} ${r.path}`;
    const prev = seen.get(key);
    if (tag) seen.set(key, { method: r.method, path: r.path, action: tag.kind === 'action' ? tag.action : null });
    else if (!prev) seen.set(key, { method: r.method, path: r.path, action: null });
  }
  return [...seen.values()];
}

/** A small structural JSON-Schema check: types, required keys, no undeclared keys, enums/consts, $ref, anyOf/oneOf. */
function shapeErrors(schema: Json, value: unknown, components: Record<string, Json>, at = '$'): string[] {
  if (schema === true || schema === undefined || (typeof schema === 'object' && Object.keys(schema).length === 0))
    return [];
  if (schema.$ref) {
    const id = String(schema.$ref).replace('#/components/schemas/', '');
    if (!components[id]) return [`${at}: unresolved ${schema.$ref}`];
    return shapeErrors(components[id], value, components, at);
  }
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    const results = (alternatives as Json[]).map((s) => shapeErrors(s, value, components, at));
    return results.some((r) => r.length === 0)
      ? []
      : [`${at}: matches no alternative (${results.map((r) => r[0]).join(' | ')})`];
  }
  if ('const' in schema && value !== schema.const) return [`${at}: expected ${JSON.stringify(schema.const)}`];
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in enum`];
  const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  if (Array.isArray(schema.type)) {
    const results = (schema.type as string[]).map((ty) => shapeErrors({ ...schema, type: ty }, value, components, at));
    return results.some((r) => r.length === 0)
      ? []
      : [`${at}: expected one of ${schema.type.join(', ')}, got ${actual}`];
  }
  const type = schema.type as string | undefined;
  if (type === 'integer') return Number.isInteger(value) ? [] : [`${at}: expected integer`];
  if (type === 'number' && actual !== 'number') return [`${at}: expected number`];
  if (type && type !== 'integer' && type !== actual) return [`${at}: expected ${type}, got ${actual}`];
  const errors: string[] = [];
  if (actual === 'object' && type === 'object') {
    const obj = value as Record<string, unknown>;
    for (const k of schema.required ?? []) if (!(k in obj)) errors.push(`${at}.${k}: required`);
    for (const [k, v] of Object.entries(obj)) {
      const prop = schema.properties?.[k];
      if (prop) errors.push(...shapeErrors(prop, v, components, `${at}.${k}`));
      else if (schema.additionalProperties === false) errors.push(`${at}.${k}: not declared`);
    }
  }
  if (actual === 'array' && schema.items)
    (value as unknown[]).forEach((v, i) => errors.push(...shapeErrors(schema.items, v, components, `${at}[${i}]`)));
  return errors;
}

describe('GET /api/v1/openapi.json', () => {
  it('is public, valid JSON, OpenAPI 3.1 with a bearer scheme, and lists exactly the mounted routes', async () => {
    const t = makeTestApp();
    const res = await t.app.request('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = JSON.parse(await res.text()) as Json;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearer: [] }]);

    const mounted = apiRoutes(t)
      .map((r) => `${r.method.toLowerCase()} ${openApiPath(r.path)}`)
      .sort();
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`))
      .sort();
    expect(documented).toEqual(mounted);
    expect(mounted.length).toBe(API_OPERATIONS.length);

    // every declared permission is stated, public operations say so, every $ref resolves
    for (const r of apiRoutes(t)) {
      const op = doc.paths[openApiPath(r.path)][r.method.toLowerCase()];
      if (r.action) {
        expect(op.description).toContain(`\`${r.action}\``);
        expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '403', '500']));
      } else expect(op.security).toEqual([]);
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect(doc.components.schemas[ref.replace('#/components/schemas/', '')], ref).toBeDefined();

    // request bodies come from the same strict zod schemas: unknown fields are refused in the description too
    const createTask = doc.paths['/api/v1/tasks'].post.requestBody.content['application/json'].schema;
    expect(createTask.additionalProperties).toBe(false);
    expect(createTask.required).toEqual(expect.arrayContaining(['title', 'leadAgency', 'assignedOn', 'deadline']));
    const event = doc.paths['/api/v1/tasks/{code}/events'].post.requestBody.content['application/json'].schema;
    expect(event.oneOf.map((s: Json) => s.properties.kind.const).sort()).toEqual(
      [
        'cancelled',
        'confirmed',
        'explanation_submitted',
        'extension_approved',
        'extension_rejected',
        'extension_requested',
        'progress',
        'received',
        'reassigned',
        'reported',
        'returned',
        'urged',
      ].sort(),
    );
    const listParams = doc.paths['/api/v1/tasks'].get.parameters.map((p: Json) => p.name);
    expect(listParams).toEqual(expect.arrayContaining(['q', 'agency', 'status', 'asOf', 'page', 'pageSize']));
  });

  it('its schemas describe real responses, successes and errors alike', async () => {
    const t = makeTestApp();
    const api = withApiClients(t);
    const tk = api.tokens;
    const leaderId = Number(
      t.db.prepare("INSERT INTO leaders (name, title) VALUES ('Trần Văn Chủ', 'Chủ tịch UBND tỉnh')").run()
        .lastInsertRowid,
    );
    const doc = (await api.call(null, 'GET', '/api/v1/openapi.json')).json as Json;
    const components = doc.components.schemas as Record<string, Json>;
    const check = (method: string, path: string, status: number, body: unknown) => {
      const op = doc.paths[path][method];
      const response = op.responses[String(status)];
      expect(response, `${method} ${path} ${status} is documented`).toBeDefined();
      expect(
        shapeErrors(response.content['application/json'].schema, body, components),
        `${method} ${path} ${status}`,
      ).toEqual([]);
    };
    const calls: Array<[string, string, string, string | null, unknown?]> = [
      ['get', '/api/v1/agencies', '/api/v1/agencies', tk.leader],
      ['get', '/api/v1/agencies/{code}', '/api/v1/agencies/STC', tk.agency],
      ['get', '/api/v1/agencies/{code}', '/api/v1/agencies/NOPE', tk.agency],
      [
        'post',
        '/api/v1/documents',
        '/api/v1/documents',
        tk.specialist,
        {
          number: '1147/UBND-KSTT',
          type: 'Công văn',
          issuedOn: '2026-02-27',
          signerId: leaderId,
          summary: 'Triển khai',
          tasks: [
            { title: 'Nhiệm vụ một', leadAgency: 'STC', leaderId, deadline: null, noDeadlineReason: 'Theo tiến độ' },
          ],
        },
      ],
      ['post', '/api/v1/documents', '/api/v1/documents', tk.specialist, { number: '' }],
      ['get', '/api/v1/documents', '/api/v1/documents', tk.agency],
      ['get', '/api/v1/documents/{id}', '/api/v1/documents/1', tk.leader],
      ['get', '/api/v1/tasks', '/api/v1/tasks?asOf=2026-07-01', tk.agency],
      ['get', '/api/v1/tasks', '/api/v1/tasks?status=x', tk.agency],
      ['get', '/api/v1/tasks/{code}', `/api/v1/tasks/${t.tasks.own}`, tk.agency],
      ['get', '/api/v1/tasks/{code}', `/api/v1/tasks/${t.tasks.other}`, tk.agency],
      [
        'post',
        '/api/v1/tasks',
        '/api/v1/tasks',
        tk.specialist,
        { title: 'Mới', leadAgency: 'SYT', assignedOn: '2026-03-01', deadline: '2026-05-01', sector: null },
      ],
      ['post', '/api/v1/tasks/{code}/events', `/api/v1/tasks/${t.tasks.own}/events`, tk.agency, { kind: 'received' }],
      [
        'post',
        '/api/v1/tasks/{code}/events',
        `/api/v1/tasks/${t.tasks.own}/events`,
        tk.agency,
        {
          kind: 'reported',
          note: 'Xong',
          files: [{ name: 'kết quả.pdf', contentBase64: Buffer.from(samplePdf()).toString('base64') }],
        },
      ],
      [
        'post',
        '/api/v1/tasks/{code}/events',
        `/api/v1/tasks/${t.tasks.own}/events`,
        tk.confirmer,
        { kind: 'confirmed' },
      ],
      [
        'post',
        '/api/v1/tasks/{code}/events',
        `/api/v1/tasks/${t.tasks.own}/events`,
        tk.confirmer,
        { kind: 'confirmed' },
      ],
      ['get', '/api/v1/stats', '/api/v1/stats?asOf=2026-07-01', tk.leader],
      ['get', '/api/v1/stats', '/api/v1/stats?from=2026-01-01&to=2026-01-31', tk.leader],
      ['get', '/api/v1/stats', '/api/v1/stats', null],
      ['get', '/api/v1/openapi.json', '/api/v1/openapi.json', null],
    ];
    const statuses: number[] = [];
    for (const [method, docPath, url, token, body] of calls) {
      const r = await api.call(token, method.toUpperCase(), url, body);
      statuses.push(r.status);
      check(method, docPath, r.status, r.json);
    }
    expect(statuses).toEqual([
      200, 200, 404, 201, 422, 200, 200, 200, 400, 200, 403, 201, 201, 201, 201, 409, 200, 200, 401, 200,
    ]);
    // the check itself can fail: a missing key, an undeclared key, a wrong type, a value outside an enum
    const task = (await api.call(tk.leader, 'GET', `/api/v1/tasks/${t.tasks.own}`)).json;
    const schema = { $ref: '#/components/schemas/TaskWithEvents' };
    expect(shapeErrors(schema, task, components)).toEqual([]);
    const { title: _t, ...noTitle } = task;
    expect(shapeErrors(schema, noTitle, components)).toEqual(['$.title: required']);
    expect(shapeErrors(schema, { ...task, secret: 1 }, components)).toEqual(['$.secret: not declared']);
    expect(shapeErrors(schema, { ...task, deadline: 5 }, components)).toHaveLength(1);
    expect(shapeErrors(schema, { ...task, status: { ...task.status, category: 'late' } }, components)).toHaveLength(1);
  });
});

describe('matrix through the API routes', () => {
  const probe = makeTestApp();
  const routes = apiRoutes(probe).filter((r) => r.action !== null);
  const sample = (_t: TestApp, path: string, task: string) =>
    path.replace(/:([A-Za-z_]+)(\{[^}]*\})?/g, (_m, n: string) => {
      const v: Record<string, string> = { code: path.startsWith('/api/v1/agencies') ? 'STC' : task, id: '1' };
      if (v[n] === undefined) throw new Error(`no sample for :${n} in ${path}`);
      return v[n]!;
    });

  for (const role of API_CLIENT_ROLES) {
    it(`${role} client: each route answers as MATRIX says, records outside its agency are refused`, async () => {
      const t = makeTestApp();
      const api = withApiClients(t);
      const token = api.tokens[role as ApiRole];
      const principal = { role, agencyId: role === 'agency' ? t.agencies.a : null };
      const send = (r: (typeof routes)[number], task: string) =>
        api.call(token, r.method, sample(t, r.path, task), r.method === 'POST' ? {} : undefined);
      for (const r of routes) {
        const label = `${role} ${r.method} ${r.path} (${r.action})`;
        const res = await send(r, t.tasks.own);
        if (can(principal, r.action!)) expect([401, 403], label).not.toContain(res.status);
        else expect(res.status, label).toBe(403);
        expect(res.status, label).not.toBe(500);
        if (role === 'agency' && r.method === 'GET' && r.path.startsWith('/api/v1/tasks/:code')) {
          expect((await send(r, t.tasks.other)).status, `${label} on another agency's task`).toBe(403);
          expect((await send(r, t.tasks.coordinated)).status, `${label} on a coordinated task`).toBe(200);
        }
      }
    });
  }

  it('every API route is declared (requirePermission or publicRoute)', () => {
    for (const r of apiRoutes(probe)) {
      const declared = probe.app.routes
        .filter((x) => x.method === r.method && x.path === r.path)
        .map((x) => routeTagOf(x.handler))
        .filter(Boolean);
      expect(declared, `${r.method} ${r.path}`).toHaveLength(1);
    }
  });
});
