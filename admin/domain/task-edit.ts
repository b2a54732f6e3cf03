/**
 * A correction of a task by the Office ("edit with a reason"): which fields may change, their checks, and the diff
 * the 'corrected' event records (admin/views/task-timeline.tsx shows it). Called by recordTaskAction inside its
 * transaction; the deadline follows the rule of status.ts (a history that counts from the day of the correction).
 */
import type { DB } from '../db/open.ts';
import { DomainError } from './rules.ts';
import { taskSearchText, type TaskRow } from './tasks.ts';
import { isIsoDate, type IsoDate } from './dates.ts';

/** Fields of a task the Office may correct, with a recorded reason (a 'corrected' event holding the diff). */
export interface TaskEdit {
  title?: string;
  content?: string;
  leaderId?: number | null;
  sectorId?: number | null;
  starred?: boolean;
  confidential?: boolean;
  coordinatorIds?: number[];
  deadline?: IsoDate | null;
  noDeadlineReason?: string | null;
}

/** Vietnamese labels of the fields a correction may change (shown in the timeline). */
export const EDIT_FIELD_LABELS: Record<keyof TaskEdit, string> = {
  title: 'Tên nhiệm vụ',
  content: 'Nội dung',
  leaderId: 'Lãnh đạo giao',
  sectorId: 'Lĩnh vực',
  starred: 'Ưu tiên',
  confidential: 'Mật',
  coordinatorIds: 'Đơn vị phối hợp',
  deadline: 'Thời hạn',
  noDeadlineReason: 'Lý do không thời hạn',
};

/** Active = can receive work: not merged into a successor and not dissolved. */
export function isActiveAgency(db: DB, id: number): boolean {
  return !!db.prepare('SELECT 1 FROM agencies WHERE id = ? AND successor_id IS NULL AND dissolved_on IS NULL').get(id);
}

/**
 * Applies a correction to the task row and returns the diff {field: {from, to}} for the 'corrected' event.
 * The deadline is not written here: it is a history the statistics read for every past date, so the event itself
 * carries it (changes.deadline), rules.ts checkDeadlineCorrection decides whether it is allowed, and refreshFacts
 * puts the deadline in force on the row (status.ts deadlineHistory: it counts from the day of the correction).
 */
export function applyEdit(db: DB, task: TaskRow, ch: TaskEdit): Record<string, { from: unknown; to: unknown }> {
  const diff: Record<string, { from: unknown; to: unknown }> = {};
  const set: Record<string, unknown> = {};
  if (ch.title !== undefined) {
    const t = ch.title.trim();
    if (!t) throw new DomainError('title_required', 'Cần nhập tên nhiệm vụ.', 422);
    if (t.length > 500) throw new DomainError('too_long', 'Tên nhiệm vụ dài quá 500 ký tự.', 422);
    if (t !== task.title) set.title = t;
  }
  if (ch.content !== undefined) {
    const t = ch.content.trim();
    if (t.length > 10_000) throw new DomainError('too_long', 'Nội dung dài quá 10.000 ký tự.', 422);
    if (t !== task.content) set.content = t;
  }
  if (ch.leaderId !== undefined && ch.leaderId !== task.leader_id) {
    if (ch.leaderId !== null && !db.prepare('SELECT 1 FROM leaders WHERE id = ? AND active = 1').get(ch.leaderId)) {
      throw new DomainError('leader_not_found', 'Lãnh đạo giao nhiệm vụ không hợp lệ.', 422);
    }
    set.leader_id = ch.leaderId;
  }
  if (ch.sectorId !== undefined && ch.sectorId !== task.sector_id) {
    if (ch.sectorId !== null && !db.prepare('SELECT 1 FROM sectors WHERE id = ?').get(ch.sectorId)) {
      throw new DomainError('sector_not_found', 'Lĩnh vực không hợp lệ.', 422);
    }
    set.sector_id = ch.sectorId;
  }
  if (ch.starred !== undefined && (ch.starred ? 1 : 0) !== task.starred) set.starred = ch.starred ? 1 : 0;
  if (ch.confidential !== undefined && (ch.confidential ? 1 : 0) !== task.confidential)
    set.confidential = ch.confidential ? 1 : 0;

  const deadlineChanged = ch.deadline !== undefined && ch.deadline !== task.deadline;
  if (deadlineChanged) {
    const d = ch.deadline!;
    if (d !== null && !isIsoDate(d)) throw new DomainError('bad_date', 'Thời hạn không hợp lệ.', 422);
    if (d !== null && d < task.assigned_on)
      throw new DomainError('bad_deadline', 'Thời hạn không được trước ngày giao.', 422);
    diff.deadline = { from: task.deadline, to: d };
  }
  const newDeadline = deadlineChanged ? ch.deadline! : task.deadline;
  if (newDeadline === null) {
    const reason = (ch.noDeadlineReason ?? task.no_deadline_reason ?? '').trim();
    if (!reason) {
      throw new DomainError(
        'no_deadline_reason',
        'Nhiệm vụ không có thời hạn cần ghi rõ lý do (Chủ tịch UBND tỉnh yêu cầu hạn chế giao nhiệm vụ không thời hạn).',
        422,
      );
    }
    if (reason !== (task.no_deadline_reason ?? '')) set.no_deadline_reason = reason;
  } else if (task.no_deadline_reason !== null) {
    set.no_deadline_reason = null;
  }

  const fieldOf: Record<string, keyof TaskEdit> = {
    title: 'title',
    content: 'content',
    leader_id: 'leaderId',
    sector_id: 'sectorId',
    starred: 'starred',
    confidential: 'confidential',
    no_deadline_reason: 'noDeadlineReason',
  };
  for (const [col, value] of Object.entries(set)) {
    diff[fieldOf[col]!] = { from: task[col as keyof TaskRow], to: value };
    db.prepare(`UPDATE tasks SET ${col} = ? WHERE id = ?`).run(value as string | number | null, task.id);
  }

  if (ch.coordinatorIds !== undefined) {
    const before = db
      .prepare('SELECT agency_id FROM task_coordinators WHERE task_id = ? ORDER BY agency_id')
      .pluck()
      .all(task.id) as number[];
    const after = [...new Set(ch.coordinatorIds)].filter((a) => a !== task.lead_agency_id).sort((a, b) => a - b);
    const added = after.filter((a) => !before.includes(a));
    for (const a of added) {
      if (!isActiveAgency(db, a))
        throw new DomainError('agency_inactive', 'Đơn vị phối hợp không tồn tại hoặc đã sáp nhập/giải thể.', 422);
    }
    if (before.join(',') !== after.join(',')) {
      db.prepare('DELETE FROM task_coordinators WHERE task_id = ?').run(task.id);
      for (const a of after)
        db.prepare('INSERT INTO task_coordinators (task_id, agency_id) VALUES (?, ?)').run(task.id, a);
      diff.coordinatorIds = { from: before, to: after };
    }
  }
  if (Object.keys(diff).length === 0) throw new DomainError('no_change', 'Không có thay đổi nào để lưu.', 422);
  if (set.title !== undefined || set.content !== undefined) {
    const docNumber = task.document_id
      ? ((db.prepare('SELECT number FROM documents WHERE id = ?').pluck().get(task.document_id) as
          | string
          | undefined) ?? '')
      : '';
    db.prepare('UPDATE tasks SET search_text = ? WHERE id = ?').run(
      taskSearchText(
        task.code,
        (set.title as string | undefined) ?? task.title,
        (set.content as string | undefined) ?? task.content,
        docNumber,
      ),
      task.id,
    );
  }
  return diff;
}
