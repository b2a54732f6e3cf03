/**
 * The right of reply (ý kiến của cơ quan, issue 13): for a published period, a unit's head — or its focal point
 * where the unit has no active head account — submits a short plain-text answer to its figures (≤ 1,000
 * characters, an optional PDF checked by content); the office lead (working group) approves it or declines it with
 * a reason. Approved replies appear on the unit's public page, the period's report, the open data and the feeds;
 * declined ones never leave the admin. A reply never changes a figure. Every step is audited.
 */
import type { DB } from '../db/open.ts';
import type { Principal } from '../auth/principal.ts';
import { writeAudit } from '../audit/audit.ts';
import { DomainError } from './rules.ts';

export const REPLY_MAX_CHARS = 1000;

export interface ReplyRow {
  id: number;
  agency_id: number;
  agency_code: string;
  agency_name: string;
  period: string;
  body: string;
  file_id: number | null;
  file_name: string | null;
  status: 'pending' | 'approved' | 'declined';
  submitted_at: string;
  submitted_by_name: string;
  decided_at: string | null;
  decision_reason: string | null;
}

const SELECT = `SELECT r.id, r.agency_id, a.code AS agency_code, a.name AS agency_name, r.period, r.body, r.file_id,
    f.original_name AS file_name, r.status, r.submitted_at, u.display_name AS submitted_by_name, r.decided_at,
    r.decision_reason
  FROM agency_replies r JOIN agencies a ON a.id = r.agency_id JOIN users u ON u.id = r.submitted_by
  LEFT JOIN files f ON f.id = r.file_id`;

/** Periods a unit may answer: every published one, newest first. */
export function publishedPeriods(db: DB): string[] {
  return db.prepare('SELECT DISTINCT period FROM publications ORDER BY period DESC').pluck().all() as string[];
}

/** Plain text: control characters (but line breaks) removed, NFC, trimmed; refused when empty or too long. */
export function replyText(raw: string): string {
  const text = raw
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f\u2028\u2029]/g, '')
    .trim();
  if (text === '') throw new DomainError('reply_empty', 'Cần nhập nội dung ý kiến.', 422);
  if ([...text].length > REPLY_MAX_CHARS)
    throw new DomainError(
      'reply_too_long',
      `Ý kiến tối đa ${REPLY_MAX_CHARS} ký tự (đã nhập ${[...text].length}).`,
      422,
    );
  return text;
}

/** May this person submit for their unit? A head always; a focal point only where the unit has no active head. */
export function maySubmitReply(db: DB, p: Pick<Principal, 'role' | 'agencyId'>): boolean {
  if (p.agencyId === null) return false;
  if (p.role === 'head') return true;
  if (p.role !== 'agency') return false;
  const heads = db
    .prepare("SELECT count(*) FROM users WHERE agency_id = ? AND unit_role = 'head' AND disabled = 0")
    .pluck()
    .get(p.agencyId) as number;
  return heads === 0;
}

export interface ReplyContext {
  principal: Principal;
  now: Date;
  ip?: string;
  userAgent?: string;
}

/** Records a reply (the caller stores its file first, inside the same transaction). Returns its id. */
export function submitReply(
  db: DB,
  ctx: ReplyContext,
  input: { period: string; body: string; fileId: number | null },
): number {
  const p = ctx.principal;
  if (!maySubmitReply(db, p))
    throw new DomainError(
      'reply_not_allowed',
      'Chỉ thủ trưởng đơn vị (hoặc cán bộ đầu mối khi đơn vị chưa có tài khoản thủ trưởng) gửi ý kiến về số liệu.',
      // the matrix lets focal points in; the unit's state (it has a head) is what refuses: a conflict, not a role
      409,
    );
  if (!publishedPeriods(db).includes(input.period))
    throw new DomainError('reply_period', 'Kỳ số liệu chưa được công bố; chỉ gửi ý kiến cho kỳ đã công bố.', 422);
  const body = replyText(input.body);
  const waiting = db
    .prepare("SELECT id FROM agency_replies WHERE agency_id = ? AND period = ? AND status = 'pending'")
    .get(p.agencyId, input.period);
  if (waiting)
    throw new DomainError('reply_pending', 'Đơn vị đã có một ý kiến cho kỳ này đang chờ Văn phòng xem xét.', 409);
  const id = Number(
    db
      .prepare(
        'INSERT INTO agency_replies (agency_id, period, body, file_id, submitted_by, submitted_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(p.agencyId, input.period, body, input.fileId, p.id, ctx.now.toISOString()).lastInsertRowid,
  );
  writeAudit(db, {
    at: ctx.now,
    actor: p,
    action: 'reply.submit',
    targetType: 'reply',
    targetId: String(id),
    ip: ctx.ip ?? '',
    userAgent: ctx.userAgent ?? '',
    details: { period: input.period, agencyId: p.agencyId, chars: [...body].length, fileId: input.fileId },
  });
  return id;
}

/** The office lead's decision; declining needs a reason. Inside one immediate transaction. */
export function decideReply(db: DB, ctx: ReplyContext, input: { id: number; approve: boolean; reason: string }): void {
  db.transaction(() => {
    const r = db.prepare('SELECT id, status FROM agency_replies WHERE id = ?').get(input.id) as
      | { id: number; status: string }
      | undefined;
    if (!r) throw new DomainError('not_found', 'Không tìm thấy ý kiến.', 404);
    if (r.status !== 'pending') throw new DomainError('reply_decided', 'Ý kiến này đã được xử lý.', 409);
    const reason = input.reason.normalize('NFC').trim().slice(0, 500);
    if (!input.approve && reason === '')
      throw new DomainError('reason_required', 'Cần ghi rõ lý do không đồng ý công khai ý kiến.', 422);
    db.prepare(
      'UPDATE agency_replies SET status = ?, decided_by = ?, decided_at = ?, decision_reason = ? WHERE id = ?',
    ).run(input.approve ? 'approved' : 'declined', ctx.principal.id, ctx.now.toISOString(), reason || null, r.id);
    writeAudit(db, {
      at: ctx.now,
      actor: ctx.principal,
      action: input.approve ? 'reply.approve' : 'reply.decline',
      targetType: 'reply',
      targetId: String(r.id),
      ip: ctx.ip ?? '',
      userAgent: ctx.userAgent ?? '',
      details: reason ? { reason } : {},
    });
  }).immediate();
}

/** A unit's replies, newest first (its own page). */
export function repliesOfAgency(db: DB, agencyId: number): ReplyRow[] {
  return db
    .prepare(`${SELECT} WHERE r.agency_id = ? ORDER BY r.submitted_at DESC, r.id DESC`)
    .all(agencyId) as ReplyRow[];
}

/** Every reply for the office lead: the waiting ones first (oldest first), then the last decided. */
export function repliesForOffice(db: DB): { pending: ReplyRow[]; decided: ReplyRow[] } {
  return {
    pending: db.prepare(`${SELECT} WHERE r.status = 'pending' ORDER BY r.submitted_at, r.id`).all() as ReplyRow[],
    decided: db
      .prepare(`${SELECT} WHERE r.status <> 'pending' ORDER BY r.decided_at DESC, r.id DESC LIMIT 50`)
      .all() as ReplyRow[],
  };
}

/** What the public site shows: approved replies only, with their file's storage name when they have one. */
export interface PublicReply {
  id: number;
  agencyCode: string;
  agencyName: string;
  period: string;
  body: string;
  submittedOn: string;
  approvedOn: string;
  file: { storageName: string; name: string } | null;
}

export function approvedReplies(db: DB): PublicReply[] {
  const rows = db
    .prepare(
      `SELECT r.id, a.code, a.name, r.period, r.body, r.submitted_at, r.decided_at, f.storage_name, f.original_name
         FROM agency_replies r JOIN agencies a ON a.id = r.agency_id LEFT JOIN files f ON f.id = r.file_id
        WHERE r.status = 'approved' ORDER BY r.period, a.code, r.id`,
    )
    .all() as Array<{
    id: number;
    code: string;
    name: string;
    period: string;
    body: string;
    submitted_at: string;
    decided_at: string;
    storage_name: string | null;
    original_name: string | null;
  }>;
  return rows.map((r) => ({
    id: r.id,
    agencyCode: r.code,
    agencyName: r.name,
    period: r.period,
    body: r.body,
    submittedOn: r.submitted_at,
    approvedOn: r.decided_at,
    file: r.storage_name ? { storageName: r.storage_name, name: r.original_name ?? 'y-kien.pdf' } : null,
  }));
}
