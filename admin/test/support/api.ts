/** Test support for the integration API: clients with tokens per scope, and a JSON caller. Tests only. */
import { type API_CLIENT_ROLES, createApiClient, issueApiToken } from '../../auth/api-tokens.ts';
import type { TestApp } from './admin-app.ts';

export type ApiRole = (typeof API_CLIENT_ROLES)[number];

export interface ApiClients {
  /** scope → token; `agency` belongs to agency A, `agencyB` to B, `agencyC` to C */
  tokens: Record<ApiRole | 'agencyB' | 'agencyC', string>;
  call(
    token: string | null,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; json: any; res: Response }>;
}

export function withApiClients(t: TestApp): ApiClients {
  const mk = (name: string, role: ApiRole, agencyId: number | null) =>
    issueApiToken(t.db, createApiClient(t.db, { name, role, agencyId, createdBy: null }), t.clock.now).token;
  const tokens = {
    agency: mk('QLVB Sở Tài chính', 'agency', t.agencies.a),
    agencyB: mk('QLVB Sở Y tế', 'agency', t.agencies.b),
    agencyC: mk('QLVB UBND huyện X', 'agency', t.agencies.c),
    specialist: mk('QLVB Văn phòng UBND tỉnh', 'specialist', null),
    confirmer: mk('Phần mềm Tổ công tác', 'confirmer', null),
    leader: mk('Hệ thống báo cáo quốc gia', 'leader', null),
  };
  return {
    tokens,
    async call(token, method, path, body, headers = {}) {
      const h: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}) };
      if (body !== undefined) h['content-type'] = 'application/json';
      const res = await t.app.request(path, {
        method,
        headers: { ...h, ...headers },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        json = { notJson: text.slice(0, 200) };
      }
      return { status: res.status, json, res };
    },
  };
}

/** Row counts of every table an API write could touch. */
export function rowCounts(t: TestApp): Record<string, number> {
  const out: Record<string, number> = {};
  for (const table of ['tasks', 'task_events', 'task_coordinators', 'documents', 'event_files']) {
    out[table] = (t.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  }
  out.audit_writes = (
    t.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action NOT IN ('api.call', 'access.denied')").get() as {
      n: number;
    }
  ).n;
  return out;
}
