/**
 * Integration API clients and their bearer tokens (issue 4's /api/v1). A client is scoped like a role (and an
 * agency for the 'agency' role), so the same matrix and taskScopeSql apply. Tokens follow the session design:
 * "tnv_<id>.<secret>", only SHA-256(secret) stored, constant-time comparison, revocable one by one, optional expiry.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { DB } from '../db/open.ts';
import { statement } from '../db/statements.ts';
import type { Principal, Role } from './permissions.ts';
import { DomainError } from '../domain/rules.ts';

export const API_CLIENT_ROLES = ['agency', 'specialist', 'confirmer', 'leader'] as const satisfies readonly Role[];

function random(bytes: number): string {
  const b = new Uint8Array(bytes);
  crypto.getRandomValues(b);
  return encodeBase32LowerCaseNoPadding(b);
}
const hashSecret = (s: string) => sha256(new TextEncoder().encode(s));

export interface ApiClientRow {
  id: number;
  name: string;
  role: Role;
  agency_id: number | null;
  agency_name: string | null;
  created_at: string;
  disabled: number;
}

export interface ApiTokenRow {
  id: string;
  client_id: number;
  label: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

export function createApiClient(
  db: DB,
  input: { name: string; role: string; agencyId: number | null; createdBy: number | null },
): number {
  const name = input.name.trim();
  if (name.length < 3 || name.length > 100)
    throw new DomainError('bad_name', 'Tên hệ thống kết nối từ 3 đến 100 ký tự.', 422);
  if (!(API_CLIENT_ROLES as readonly string[]).includes(input.role))
    throw new DomainError('bad_role', 'Cần chọn phạm vi quyền hợp lệ cho hệ thống kết nối.', 422);
  if ((input.role === 'agency') !== (input.agencyId !== null)) {
    throw new DomainError(
      'bad_agency',
      'Chỉ phạm vi "cán bộ đầu mối đơn vị" mới gắn với một đơn vị, và bắt buộc phải gắn.',
      422,
    );
  }
  if (db.prepare('SELECT 1 FROM api_clients WHERE name = ?').get(name))
    throw new DomainError('duplicate', 'Tên hệ thống kết nối đã tồn tại.', 422);
  return Number(
    db
      .prepare('INSERT INTO api_clients (name, role, agency_id, created_by) VALUES (?, ?, ?, ?)')
      .run(name, input.role, input.agencyId, input.createdBy).lastInsertRowid,
  );
}

/** Issues a token; the returned string is shown once and never stored. */
export function issueApiToken(
  db: DB,
  clientId: number,
  now: Date,
  options: { label?: string; expiresAt?: Date | null } = {},
): { token: string; id: string } {
  const id = random(10);
  const secret = random(20);
  db.prepare(
    'INSERT INTO api_tokens (id, client_id, secret_hash, label, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(
    id,
    clientId,
    hashSecret(secret),
    (options.label ?? '').slice(0, 100),
    now.toISOString(),
    options.expiresAt ? options.expiresAt.toISOString() : null,
  );
  return { token: `tnv_${id}.${secret}`, id };
}

export function revokeApiToken(db: DB, tokenId: string, now: Date): boolean {
  return (
    db
      .prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
      .run(now.toISOString(), tokenId).changes === 1
  );
}

/** The principal for an Authorization header value, or null. last_used_at is written at most once a minute. */
export function validateApiToken(db: DB, header: string | undefined, now: Date): Principal | null {
  const m = /^Bearer tnv_([a-z2-7]{16})\.([a-z2-7]{32})$/.exec(header ?? '');
  if (!m) return null;
  // on every API call: the statement is kept (db/statements.ts)
  const row = statement(
    db,
    `SELECT t.id, t.secret_hash, t.expires_at, t.revoked_at, t.last_used_at, c.id AS client_id, c.name, c.role, c.agency_id, c.disabled
         FROM api_tokens t JOIN api_clients c ON c.id = t.client_id WHERE t.id = ?`,
  ).get(m[1]) as
    | {
        id: string;
        secret_hash: Uint8Array;
        expires_at: string | null;
        revoked_at: string | null;
        last_used_at: string | null;
        client_id: number;
        name: string;
        role: Role;
        agency_id: number | null;
        disabled: number;
      }
    | undefined;
  if (!row || !constantTimeEqual(hashSecret(m[2]!), new Uint8Array(row.secret_hash))) return null;
  const iso = now.toISOString();
  if (row.revoked_at !== null || row.disabled === 1 || (row.expires_at !== null && row.expires_at <= iso)) return null;
  if (row.last_used_at === null || now.getTime() - Date.parse(row.last_used_at) >= 60_000) {
    db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(iso, row.id);
  }
  return { kind: 'api', id: row.client_id, name: row.name, role: row.role, agencyId: row.agency_id };
}

export function listApiClients(db: DB): ApiClientRow[] {
  return db
    .prepare(
      'SELECT c.id, c.name, c.role, c.agency_id, a.name AS agency_name, c.created_at, c.disabled FROM api_clients c LEFT JOIN agencies a ON a.id = c.agency_id ORDER BY c.name',
    )
    .all() as ApiClientRow[];
}

export function listApiTokens(db: DB, clientId: number): ApiTokenRow[] {
  return db
    .prepare(
      'SELECT id, client_id, label, created_at, expires_at, revoked_at, last_used_at FROM api_tokens WHERE client_id = ? ORDER BY created_at DESC',
    )
    .all(clientId) as ApiTokenRow[];
}

/** Whether the token belongs to the client (revoked or not). */
export function isTokenOfClient(db: DB, tokenId: string, clientId: number): boolean {
  return db.prepare('SELECT 1 FROM api_tokens WHERE id = ? AND client_id = ?').get(tokenId, clientId) !== undefined;
}

/** Disables (true) or re-enables an integration client; its tokens stop or resume working at once. */
export function setApiClientDisabled(db: DB, id: number, disabled: boolean): void {
  db.prepare('UPDATE api_clients SET disabled = ? WHERE id = ?').run(disabled ? 1 : 0, id);
}
