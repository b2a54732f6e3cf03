/**
 * The secret behind each user's calendar feed (issue 11): a random token in the feed's URL, of which only the
 * SHA-256 hash is stored. A request is looked up by the hash of what it presents (one unique-index probe), so a
 * wrong token costs the same as a right one up to the answer, and nothing about a stored token can be learnt by
 * timing a comparison: none is made on the secret itself. The token is shown once, when created; creating a new
 * one revokes the old. Both writes are audited in their transaction (DESIGN.md §7).
 *
 * The feed answers for the user as they are NOW (role, unit, disabled): the principal is read from users on every
 * request, so a disabled account or one moved to another unit sees the change at once.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { DB } from '../db/open.ts';
import type { Principal, Role } from '../auth/principal.ts';
import { writeAudit, type AuditEntry } from '../audit/audit.ts';

/** 32 random bytes in base32 (lower case, no padding): 52 characters. */
const TOKEN_RE = /^[a-z2-7]{52}$/;

/** Where a feed is served; FEED_PATH_RE recognises it so loggers can hide the token. */
export const FEED_PREFIX = '/admin/lich/';
const FEED_PATH_RE = /\/admin\/lich\/[^/?#]+\.ics/g;

/** A path or URL with any calendar feed token replaced, for anything that logs or audits request paths. */
export function redactFeedToken(pathOrUrl: string): string {
  return pathOrUrl.replace(FEED_PATH_RE, `${FEED_PREFIX}[đã ẩn].ics`);
}

export function feedPath(token: string): string {
  return `${FEED_PREFIX}${token}.ics`;
}

function hashToken(token: string): Uint8Array {
  return sha256(new TextEncoder().encode(token));
}

export interface FeedStatus {
  createdAt: string;
}

/** The user's live feed (never its token: that is not stored), or null. */
export function liveFeed(db: DB, userId: number): FeedStatus | null {
  const row = db
    .prepare('SELECT created_at FROM calendar_feeds WHERE user_id = ? AND revoked_at IS NULL')
    .get(userId) as { created_at: string } | undefined;
  return row ? { createdAt: row.created_at } : null;
}

type AuditMeta = Pick<AuditEntry, 'ip' | 'userAgent'>;

/** Turns the feed on (or renews it: the old token stops working) and returns the new token, to show once. */
export function createFeed(db: DB, actor: Principal, now: Date, meta: AuditMeta): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  const token = encodeBase32LowerCaseNoPadding(bytes);
  db.transaction(() => {
    const revoked = db
      .prepare('UPDATE calendar_feeds SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL')
      .run(now.toISOString(), actor.id).changes;
    const id = Number(
      db
        .prepare('INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES (?, ?, ?)')
        .run(actor.id, hashToken(token), now.toISOString()).lastInsertRowid,
    );
    writeAudit(db, {
      at: now,
      actor,
      action: 'calendar_feed.create',
      targetType: 'calendar_feed',
      targetId: id,
      ...meta,
      details: { userId: actor.id, replacedPrevious: revoked > 0 },
    });
  }).immediate();
  return token;
}

/** Turns the feed off; false when there was none. */
export function revokeFeed(db: DB, actor: Principal, now: Date, meta: AuditMeta): boolean {
  return db
    .transaction(() => {
      const row = db.prepare('SELECT id FROM calendar_feeds WHERE user_id = ? AND revoked_at IS NULL').get(actor.id) as
        | { id: number }
        | undefined;
      if (!row) return false;
      db.prepare('UPDATE calendar_feeds SET revoked_at = ? WHERE id = ?').run(now.toISOString(), row.id);
      writeAudit(db, {
        at: now,
        actor,
        action: 'calendar_feed.revoke',
        targetType: 'calendar_feed',
        targetId: row.id,
        ...meta,
        details: { userId: actor.id },
      });
      return true;
    })
    .immediate();
}

interface FeedUserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  agency_id: number | null;
  /** the unit role of migration 0009 (head / officer), when present */
  unit_role?: string | null;
}

/**
 * The principal a presented token stands for: a live feed of an active user, read as the user is now; null for
 * anything else (malformed, unknown, revoked, disabled), which the route answers with the same 404.
 */
export function principalForFeedToken(db: DB, token: string): { principal: Principal; displayName: string } | null {
  if (!TOKEN_RE.test(token)) return null;
  const row = db
    .prepare(
      `SELECT u.* FROM calendar_feeds f JOIN users u ON u.id = f.user_id
        WHERE f.token_hash = ? AND f.revoked_at IS NULL AND u.disabled = 0`,
    )
    .get(hashToken(token)) as FeedUserRow | undefined;
  if (!row) return null;
  // the session loads the principal the same way (admin/auth/session.ts): the unit role, where set, is the role
  const role = (row.unit_role ?? row.role) as Role;
  return {
    principal: { kind: 'user', id: row.id, name: row.username, role, agencyId: row.agency_id },
    displayName: row.display_name,
  };
}
