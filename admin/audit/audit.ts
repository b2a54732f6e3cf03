/**
 * The append-only audit log (DESIGN.md §7): who, what, when, from where, on what, with details. Call writeAudit
 * inside the same transaction as the change it records, so both commit or neither does. The table refuses UPDATE
 * and DELETE (triggers in 0002_auth.sql).
 */
import type { DB } from '../db/open.ts';
import { statement } from '../db/statements.ts';
import type { Principal } from '../auth/principal.ts';

export interface AuditEntry {
  at: Date;
  /** null = anonymous (e.g. a failed login); 'system' for command-line tools */
  actor: Pick<Principal, 'kind' | 'id' | 'name'> | null | 'system';
  /** anonymous actor's claimed name (failed login) */
  actorName?: string;
  action: string;
  targetType?: string | null;
  targetId?: string | number | null;
  ip?: string;
  userAgent?: string;
  details?: Record<string, unknown>;
}

export interface AuditRow {
  id: number;
  at: string;
  actor_kind: 'user' | 'anonymous' | 'api' | 'system';
  actor_user_id: number | null;
  actor_name: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string;
  user_agent: string;
  details: string;
}

export function writeAudit(db: DB, e: AuditEntry): number {
  const actor = e.actor;
  const kind = actor === null ? 'anonymous' : actor === 'system' ? 'system' : actor.kind;
  const userId = actor !== null && actor !== 'system' && actor.kind === 'user' ? actor.id : null;
  const name =
    actor === null || actor === 'system' ? (e.actorName ?? (actor === 'system' ? 'system' : '')) : actor.name;
  const details =
    actor !== null && actor !== 'system' && actor.kind === 'api'
      ? { apiClientId: actor.id, ...e.details }
      : (e.details ?? {});
  // on every API call and every write: the statement is kept (db/statements.ts)
  const info = statement(
    db,
    `INSERT INTO audit_log (at, actor_kind, actor_user_id, actor_name, action, target_type, target_id, ip, user_agent, details)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    e.at.toISOString(),
    kind,
    userId,
    name.slice(0, 200),
    e.action,
    e.targetType ?? null,
    e.targetId === undefined || e.targetId === null ? null : String(e.targetId),
    e.ip ?? '',
    (e.userAgent ?? '').slice(0, 300),
    JSON.stringify(details),
  );
  return Number(info.lastInsertRowid);
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  target?: string;
  /** UTC ISO bounds (inclusive from, exclusive to) */
  from?: string;
  to?: string;
}

/** One page of the log, newest first, with the total for paging. */
export function listAudit(
  db: DB,
  filter: AuditFilter,
  page: number,
  pageSize = 50,
): { rows: AuditRow[]; total: number } {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  if (filter.actor) {
    where.push('actor_name = @actor COLLATE NOCASE');
    params.actor = filter.actor;
  }
  if (filter.action) {
    where.push('action = @action');
    params.action = filter.action;
  }
  if (filter.target) {
    where.push('(target_id = @target OR target_type = @target)');
    params.target = filter.target;
  }
  if (filter.from) {
    where.push('at >= @from');
    params.from = filter.from;
  }
  if (filter.to) {
    where.push('at < @to');
    params.to = filter.to;
  }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = (db.prepare(`SELECT count(*) AS n FROM audit_log ${w}`).get(params) as { n: number }).n;
  const rows = db
    .prepare(`SELECT * FROM audit_log ${w} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: pageSize, offset: (Math.max(1, page) - 1) * pageSize }) as AuditRow[];
  return { rows, total };
}

export function listAuditActions(db: DB): string[] {
  return (db.prepare('SELECT DISTINCT action FROM audit_log ORDER BY action').all() as Array<{ action: string }>).map(
    (r) => r.action,
  );
}
