/**
 * Sessions after Lucia's design (https://lucia-auth.com/sessions/basic), written here because the `lucia` package
 * is deprecated: the token is "<id>.<secret>", id 80 random bits (lookup key), secret 160 random bits; only
 * SHA-256(secret) is stored and compared in constant time. A new session (new token) is made at every login.
 * Idle expiry 30 min (sliding; last_seen_at is written at most once a minute to keep reads cheap) and absolute
 * expiry 12 h (OWASP ASVS v4 §3.3). Sessions are deleted on logout, password change, role/agency change and
 * when the account is disabled (invalidateUserSessions); the user can end all their other sessions from the
 * account page (invalidateOtherSessions).
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { keptUntilChange } from '../db/change-stamp.ts';
import type { DB } from '../db/open.ts';
import type { Role } from './principal.ts';

export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;
/** last_seen_at is refreshed only when older than this: idle expiry has one-minute granularity */
export const SESSION_TOUCH_MS = 60_000;

export interface Session {
  id: string;
  userId: number;
  createdAt: number;
  lastSeenAt: number;
}

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  agencyId: number | null;
  agencyName: string | null;
  mustChangePassword: boolean;
}

function randomString(bytes: number): string {
  const b = new Uint8Array(bytes);
  crypto.getRandomValues(b);
  return encodeBase32LowerCaseNoPadding(b);
}

function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

interface Row {
  id: string;
  secret_hash: Uint8Array;
  user_id: number;
  created_at: number;
  last_seen_at: number;
  username: string;
  display_name: string;
  role: Role;
  agency_id: number | null;
  agency_name: string | null;
  must_change_password: number;
  disabled: number;
}

const statements = new WeakMap<DB, ReturnType<typeof prepare>>();
function prepare(db: DB) {
  return {
    insert: db.prepare(
      'INSERT INTO sessions (id, secret_hash, user_id, created_at, last_seen_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    select: db.prepare(
      // a head or officer is stored as role 'agency' with a unit role (migration 0009): the principal's role is that
      `SELECT s.id, s.secret_hash, s.user_id, s.created_at, s.last_seen_at, u.username, u.display_name,
              COALESCE(u.unit_role, u.role) AS role,
              u.agency_id, a.name AS agency_name, u.must_change_password, u.disabled
         FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN agencies a ON a.id = u.agency_id
        WHERE s.id = ?`,
    ),
    touch: db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ?'),
    remove: db.prepare('DELETE FROM sessions WHERE id = ?'),
    removeUser: db.prepare('DELETE FROM sessions WHERE user_id = ?'),
    removeOthers: db.prepare('DELETE FROM sessions WHERE user_id = ? AND id <> ?'),
    countOthers: db.prepare('SELECT count(*) AS n FROM sessions WHERE user_id = ? AND id <> ?'),
    removeExpired: db.prepare('DELETE FROM sessions WHERE last_seen_at <= ? OR created_at <= ?'),
  };
}
function stmts(db: DB) {
  let s = statements.get(db);
  if (!s) statements.set(db, (s = prepare(db)));
  return s;
}

/**
 * The session's row, read again only when the database changed since it was last read (change-stamp.ts): every
 * request of a signed-in user asks, and between two changes the answer is the same row. Every check below (the
 * secret, the account, both expiries, the touch) still runs on it each time.
 */
const rows = new WeakMap<DB, { stamp: string; value: Map<string, Row | undefined> }>();
const ROWS_KEPT = 2_000;
function sessionRow(db: DB, s: ReturnType<typeof prepare>, id: string): Row | undefined {
  const byId = keptUntilChange(rows, db, () => new Map<string, Row | undefined>());
  if (byId.has(id)) return byId.get(id);
  if (byId.size >= ROWS_KEPT) byId.clear();
  const row = s.select.get(id) as Row | undefined;
  byId.set(id, row);
  return row;
}

/** Creates a session and returns its token (to put in the cookie; never stored). */
export function createSession(
  db: DB,
  userId: number,
  now: Date,
  meta: { ip?: string; userAgent?: string } = {},
): { token: string; session: Session } {
  const id = randomString(10);
  const secret = randomString(20);
  const t = now.getTime();
  stmts(db).insert.run(id, hashSecret(secret), userId, t, t, meta.ip ?? '', (meta.userAgent ?? '').slice(0, 300));
  return { token: `${id}.${secret}`, session: { id, userId, createdAt: t, lastSeenAt: t } };
}

/** The session and user for a cookie token, or null (expired sessions are deleted on the way). */
export function validateSessionToken(db: DB, token: string, now: Date): { session: Session; user: SessionUser } | null {
  const parts = token.split('.');
  if (parts.length !== 2 || !/^[a-z2-7]{16}$/.test(parts[0]!) || !/^[a-z2-7]{32}$/.test(parts[1]!)) return null;
  const [id, secret] = parts as [string, string];
  const s = stmts(db);
  const row = sessionRow(db, s, id);
  if (!row) return null;
  if (!constantTimeEqual(hashSecret(secret), new Uint8Array(row.secret_hash))) return null;
  const t = now.getTime();
  if (row.disabled === 1 || t - row.last_seen_at >= SESSION_IDLE_MS || t - row.created_at >= SESSION_ABSOLUTE_MS) {
    s.remove.run(id);
    return null;
  }
  let lastSeenAt = row.last_seen_at;
  if (t - lastSeenAt >= SESSION_TOUCH_MS) {
    s.touch.run(t, id);
    lastSeenAt = t;
  }
  return {
    session: { id, userId: row.user_id, createdAt: row.created_at, lastSeenAt },
    user: {
      id: row.user_id,
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      agencyId: row.agency_id,
      agencyName: row.agency_name,
      mustChangePassword: row.must_change_password === 1,
    },
  };
}

export function invalidateSession(db: DB, sessionId: string): void {
  stmts(db).remove.run(sessionId);
}

/** Logs the user out everywhere: password change, role/agency change, disabling. */
export function invalidateUserSessions(db: DB, userId: number): number {
  return stmts(db).removeUser.run(userId).changes;
}

/** "Đăng xuất khỏi mọi thiết bị": ends every session of the user except `keepSessionId`; returns how many ended. */
export function invalidateOtherSessions(db: DB, userId: number, keepSessionId: string): number {
  return stmts(db).removeOthers.run(userId, keepSessionId).changes;
}

/** The user's other sessions (expired ones not yet swept included: they end with the action all the same). */
export function countOtherSessions(db: DB, userId: number, keepSessionId: string): number {
  return (stmts(db).countOthers.get(userId, keepSessionId) as { n: number }).n;
}

export function deleteExpiredSessions(db: DB, now: Date): number {
  const t = now.getTime();
  return stmts(db).removeExpired.run(t - SESSION_IDLE_MS, t - SESSION_ABSOLUTE_MS).changes;
}
