/**
 * The small catalogues the Office assigns with: leaders (Chủ tịch, Phó Chủ tịch who sign and assign) and sectors
 * (lĩnh vực). Never deleted (tasks and documents refer to them); deactivated instead, so they are no longer offered
 * for new tasks while old ones keep theirs. Each write is one immediate transaction with its audit row.
 */
import { z } from 'zod';
import type { DB } from '../db/open.ts';
import { writeAudit } from '../audit/audit.ts';
import { DomainError } from './rules.ts';
import { foldVietnamese } from './text.ts';
import type { ChangeContext } from './agencies.ts';

/** Offered in the form (free text is accepted: titles are written as the province writes them). */
export const LEADER_TITLES = [
  'Chủ tịch UBND tỉnh',
  'Phó Chủ tịch Thường trực UBND tỉnh',
  'Phó Chủ tịch UBND tỉnh',
] as const;

/** "Chủ tịch …" but not "Phó Chủ tịch …", with or without diacritics. */
export function isChairmanTitle(title: string): boolean {
  return /^chu tich\b/.test(foldVietnamese(title).trim());
}

export interface LeaderRow {
  id: number;
  name: string;
  title: string;
  active: number;
  tasks: number;
}

export interface SectorRow {
  id: number;
  code: string;
  name: string;
  active: number;
  tasks: number;
}

const noControl = (s: string) => !/[\u0000-\u001f\u007f\u2028\u2029]/.test(s);
const text = (label: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, `Cần nhập ${label}.`)
    .max(max, `${label[0]!.toUpperCase()}${label.slice(1)} tối đa ${max} ký tự.`)
    .refine(noControl, `${label[0]!.toUpperCase()}${label.slice(1)} có ký tự điều khiển không hợp lệ.`)
    .transform((s) => s.normalize('NFC').replace(/\s+/g, ' '));

export const leaderSchema = z.object({
  name: text('họ và tên', 2, 120),
  title: text('chức vụ', 2, 120),
});
export type LeaderInput = z.output<typeof leaderSchema>;

export const sectorSchema = z.object({
  code: z
    .string()
    .trim()
    .min(1, 'Cần nhập mã lĩnh vực.')
    .max(20, 'Mã lĩnh vực tối đa 20 ký tự.')
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'Mã lĩnh vực chỉ gồm chữ cái không dấu, chữ số và các dấu - _ .')
    .transform((s) => s.toUpperCase()),
  name: text('tên lĩnh vực', 2, 200),
});
export type SectorInput = z.output<typeof sectorSchema>;

export function listLeaders(db: DB): LeaderRow[] {
  return db
    .prepare(
      `SELECT l.id, l.name, l.title, l.active, (SELECT count(*) FROM tasks t WHERE t.leader_id = l.id) AS tasks
       FROM leaders l ORDER BY l.active DESC, l.id`,
    )
    .all() as LeaderRow[];
}

export function listSectors(db: DB): SectorRow[] {
  return db
    .prepare(
      `SELECT s.id, s.code, s.name, s.active, (SELECT count(*) FROM tasks t WHERE t.sector_id = s.id) AS tasks
       FROM sectors s ORDER BY s.active DESC, s.name`,
    )
    .all() as SectorRow[];
}

export function getLeader(db: DB, id: number): LeaderRow | undefined {
  return listLeaders(db).find((l) => l.id === id);
}

export function getSector(db: DB, id: number): SectorRow | undefined {
  return listSectors(db).find((s) => s.id === id);
}

function audit(
  db: DB,
  ctx: ChangeContext,
  action: string,
  type: string,
  id: number,
  details: Record<string, unknown>,
): void {
  writeAudit(db, {
    at: ctx.at,
    actor: ctx.actor,
    action,
    targetType: type,
    targetId: id,
    ip: ctx.ip ?? '',
    userAgent: ctx.userAgent ?? '',
    details,
  });
}

/** A single chairman at a time: a second active "Chủ tịch" is refused. */
function checkChairman(db: DB, input: LeaderInput, exceptId: number | null): void {
  if (!isChairmanTitle(input.title)) return;
  const other = (
    db.prepare('SELECT id, name, title FROM leaders WHERE active = 1 AND id IS NOT ?').all(exceptId) as Array<{
      id: number;
      name: string;
      title: string;
    }>
  ).find((l) => isChairmanTitle(l.title));
  if (other) {
    throw new DomainError(
      'chairman_exists',
      `Đã có Chủ tịch đang hoạt động (${other.name}); hãy ngừng sử dụng người đó trước khi thêm Chủ tịch mới.`,
      422,
    );
  }
}

export function saveLeader(db: DB, id: number | null, input: LeaderInput, ctx: ChangeContext): number {
  return db
    .transaction(() => {
      if (id === null) {
        checkChairman(db, input, null);
        const newId = Number(
          db.prepare('INSERT INTO leaders (name, title) VALUES (?, ?)').run(input.name, input.title).lastInsertRowid,
        );
        audit(db, ctx, 'leader.create', 'leader', newId, input);
        return newId;
      }
      const before = db.prepare('SELECT name, title, active FROM leaders WHERE id = ?').get(id) as
        | { name: string; title: string; active: number }
        | undefined;
      if (!before) throw new DomainError('leader_not_found', 'Không tìm thấy lãnh đạo.', 404);
      if (before.active) checkChairman(db, input, id);
      db.prepare('UPDATE leaders SET name = ?, title = ? WHERE id = ?').run(input.name, input.title, id);
      audit(db, ctx, 'leader.update', 'leader', id, {
        before: { name: before.name, title: before.title },
        after: input,
      });
      return id;
    })
    .immediate();
}

export function setLeaderActive(db: DB, id: number, active: boolean, ctx: ChangeContext): void {
  db.transaction(() => {
    const l = db.prepare('SELECT name, title, active FROM leaders WHERE id = ?').get(id) as
      | { name: string; title: string; active: number }
      | undefined;
    if (!l) throw new DomainError('leader_not_found', 'Không tìm thấy lãnh đạo.', 404);
    if (active && !l.active) checkChairman(db, { name: l.name, title: l.title }, id);
    db.prepare('UPDATE leaders SET active = ? WHERE id = ?').run(active ? 1 : 0, id);
    audit(db, ctx, active ? 'leader.activate' : 'leader.deactivate', 'leader', id, { name: l.name });
  }).immediate();
}

export function saveSector(db: DB, id: number | null, input: SectorInput, ctx: ChangeContext): number {
  return db
    .transaction(() => {
      const dup = db.prepare('SELECT id FROM sectors WHERE upper(code) = upper(?)').get(input.code) as
        | { id: number }
        | undefined;
      if (dup && dup.id !== id) throw new DomainError('duplicate_code', `Mã lĩnh vực ${input.code} đã được dùng.`, 422);
      if (id === null) {
        const newId = Number(
          db.prepare('INSERT INTO sectors (code, name) VALUES (?, ?)').run(input.code, input.name).lastInsertRowid,
        );
        audit(db, ctx, 'sector.create', 'sector', newId, input);
        return newId;
      }
      const before = db.prepare('SELECT code, name FROM sectors WHERE id = ?').get(id) as
        | { code: string; name: string }
        | undefined;
      if (!before) throw new DomainError('sector_not_found', 'Không tìm thấy lĩnh vực.', 404);
      db.prepare('UPDATE sectors SET code = ?, name = ? WHERE id = ?').run(input.code, input.name, id);
      audit(db, ctx, 'sector.update', 'sector', id, { before, after: input });
      return id;
    })
    .immediate();
}

export function setSectorActive(db: DB, id: number, active: boolean, ctx: ChangeContext): void {
  db.transaction(() => {
    const s = db.prepare('SELECT code, name FROM sectors WHERE id = ?').get(id) as
      | { code: string; name: string }
      | undefined;
    if (!s) throw new DomainError('sector_not_found', 'Không tìm thấy lĩnh vực.', 404);
    db.prepare('UPDATE sectors SET active = ? WHERE id = ?').run(active ? 1 : 0, id);
    audit(db, ctx, active ? 'sector.activate' : 'sector.deactivate', 'sector', id, s);
  }).immediate();
}
