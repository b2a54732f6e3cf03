/**
 * Hostile input, property-based (fast-check): random JSON, valid bodies with one field replaced by random JSON,
 * and random query strings never give a 500, always answer with the JSON error envelope, and a refusal writes
 * nothing (row counts of every table an API write could touch are unchanged). The walk over every route of the
 * admin and the API with malformed bodies (truncated JSON, wrong types …) is admin/test/hostile-routes.test.ts.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeTestApp } from '../test/support/admin-app.ts';
import { rowCounts, withApiClients } from '../test/support/api.ts';

function setup() {
  const t = makeTestApp();
  const api = withApiClients(t);
  const leaderId = Number(
    t.db.prepare("INSERT INTO leaders (name, title) VALUES ('Trần Văn Chủ', 'Chủ tịch UBND tỉnh')").run()
      .lastInsertRowid,
  );
  return { t, api, leaderId };
}

function expectEnvelope(status: number, json: any, label: string): void {
  expect(status, label).not.toBe(500);
  if (status >= 400) {
    expect(typeof json?.error?.code, label).toBe('string');
    expect(typeof json?.error?.message, label).toBe('string');
    expect(JSON.stringify(json), label).not.toMatch(/\.ts:\d+|at [A-Za-z]+ \(|SyntaxError|TypeError|ZodError/);
  }
}

/** Every path of a JSON value, as arrays of keys/indices. */
function pathsOf(v: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [prefix];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...pathsOf(x, [...prefix, i])));
  else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) out.push(...pathsOf(x, [...prefix, k]));
  return out;
}

function replaceAt(v: unknown, path: Array<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy: any = Array.isArray(v) ? [...v] : { ...(v as object) };
  copy[path[0]!] = replaceAt(copy[path[0]!], path.slice(1), value);
  return copy;
}

describe('hostile JSON bodies', () => {
  it('random JSON to every write endpoint: never a 500, never a write', async () => {
    const { t, api } = setup();
    const tk = api.tokens;
    const targets: Array<[string, string]> = [
      ['/api/v1/tasks', tk.specialist],
      ['/api/v1/documents', tk.specialist],
      [`/api/v1/tasks/${t.tasks.own}/events`, tk.agency],
      [`/api/v1/tasks/${t.tasks.own}/events`, tk.confirmer],
      [`/api/v1/tasks/${t.tasks.other}/events`, tk.specialist],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...targets),
        fc.oneof(
          fc.json(),
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify({ kind: 'received', extra: v })),
        ),
        async ([path, token], body) => {
          const before = rowCounts(t);
          const r = await api.call(token, 'POST', path, body, { 'content-type': 'application/json' });
          expectEnvelope(r.status, r.json, `${path} ${body.slice(0, 200)}`);
          if (r.status >= 300) expect(rowCounts(t), `${path} ${body.slice(0, 200)}`).toEqual(before);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('valid bodies with one field replaced by random JSON: never a 500; refused ones write nothing', async () => {
    const { t, api, leaderId } = setup();
    const tk = api.tokens;
    let n = 0;
    const documentBody = () => ({
      number: `${++n}/UBND-KT`,
      type: 'Kế hoạch',
      issuedOn: '2026-02-27',
      signerId: leaderId,
      summary: 'Kế hoạch triển khai',
      tasks: [
        { title: 'Nhiệm vụ một', leadAgency: 'STC', coordinatingAgencies: ['SYT'], leaderId, deadline: '2026-05-01' },
        {
          title: 'Nhiệm vụ hai',
          leadAgency: 'SYT',
          leaderId,
          deadline: null,
          noDeadlineReason: 'Theo tiến độ',
          starred: true,
        },
      ],
    });
    const taskBody = () => ({
      title: 'Nhiệm vụ',
      content: 'Nội dung',
      leadAgency: 'STC',
      coordinatingAgencies: ['SYT'],
      assignedOn: '2026-03-01',
      deadline: '2026-04-01',
      starred: false,
    });
    const bodies: Array<[string, string, () => unknown]> = [
      ['/api/v1/documents', tk.specialist, documentBody],
      ['/api/v1/tasks', tk.specialist, taskBody],
      [
        `/api/v1/tasks/${t.tasks.own}/events`,
        tk.agency,
        () => ({ kind: 'extension_requested', newDeadline: '2026-08-01', note: 'Chờ số liệu' }),
      ],
    ];
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...bodies),
        fc.nat(),
        fc.jsonValue(),
        async ([path, token, make], pick, value) => {
          const base = make();
          const paths = pathsOf(base);
          const target = paths[pick % paths.length]!;
          const body = replaceAt(base, target, value);
          const before = rowCounts(t);
          const r = await api.call(token, 'POST', path, body);
          const label = `${path} ${target.join('.')} = ${JSON.stringify(value).slice(0, 100)}`;
          expectEnvelope(r.status, r.json, label);
          if (r.status >= 300) expect(rowCounts(t), label).toEqual(before);
          else accepted++;
          if (r.status === 422 && r.json.error.code === 'validation') {
            for (const issue of r.json.error.issues)
              expect(typeof issue.path === 'string' && typeof issue.message === 'string', label).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
    // the property also exercised the accepting path (a replaced value that happens to be fine, e.g. a summary)
    expect(accepted).toBeGreaterThan(0);
  });

  it('random query strings on the lists: never a 500', async () => {
    const { api } = setup();
    const tk = api.tokens;
    const keys = fc.oneof(
      fc.constantFrom(
        'q',
        'agency',
        'role',
        'status',
        'asOf',
        'page',
        'pageSize',
        'sort',
        'dir',
        'number',
        'from',
        'to',
        'leader',
        'starred',
      ),
      fc.string({ maxLength: 10 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/api/v1/tasks', '/api/v1/documents', '/api/v1/stats', '/api/v1/agencies'),
        fc.constantFrom(tk.agency, tk.leader),
        fc.dictionary(keys, fc.string({ maxLength: 30 }), { maxKeys: 4 }),
        async (path, token, query) => {
          const qs = new URLSearchParams(query).toString();
          const r = await api.call(token, 'GET', `${path}?${qs}`);
          expectEnvelope(r.status, r.json, `${path}?${qs}`);
          expect([200, 400, 403], `${path}?${qs}`).toContain(r.status);
        },
      ),
      { numRuns: 300 },
    );
  });
});
