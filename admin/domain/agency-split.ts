/**
 * Splitting an agency among several successors on day D (issue 12, "Split"; DESIGN.md §1: open tasks move to
 * successors without rewriting history). Like a merger (agency-reorganisation.ts), each OPEN task moves with a
 * 'reassigned' event dated D through appendEvent, so statistics as of any day before D still attribute it to the
 * split agency (status.ts agencyAsOf) and nothing is counted twice after D; completed and cancelled tasks stay with
 * the agency that did them. The agency ends on D (dissolved_on = D: there is no single successor).
 *
 *   mapping (agency-split-mapping.ts) ──proposeSuccessor──▶ preview rows ──administrator adjusts──▶ splitAgency
 *
 * splitAgency re-checks everything inside one immediate transaction, so a refusal writes nothing.
 */
import type { DB } from '../db/open.ts';
import { invalidateUserSessions } from '../auth/session.ts';
import { appendEvent } from './tasks.ts';
import { DomainError } from './rules.ts';
import { formatDateVi, isIsoDate, type IsoDate } from './dates.ts';
import { agencyStatus, auditAgency, getAgency, type AgencyRow, type ChangeContext } from './agencies.ts';
import type { ResolvedMapping } from './agency-split-mapping.ts';
import type { UsersPolicy } from './agency-reorganisation.ts';
import { recordReorganisationNote } from './reorganisation-notes.ts';

export interface SplitTask {
  id: number;
  code: string;
  title: string;
  sectorId: number | null;
  sectorCode: string | null;
  sectorName: string | null;
  lastEventOn: IsoDate;
}

/** The open tasks the split agency leads (neither confirmed nor cancelled: those stay where they were done), in code order. */
export function listSplitTasks(db: DB, agencyId: number): SplitTask[] {
  return db
    .prepare(
      `SELECT t.id, t.code, t.title, t.sector_id AS sectorId, s.code AS sectorCode, s.name AS sectorName,
         t.last_event_on AS lastEventOn
       FROM tasks t LEFT JOIN sectors s ON s.id = t.sector_id
       WHERE t.lead_agency_id = ? AND t.settled_on IS NULL AND t.confirmed_on IS NULL AND t.cancelled_on IS NULL
       ORDER BY t.code`,
    )
    .all(agencyId) as SplitTask[];
}

/** The successor the mapping proposes for a task: its sector's, else the default, else none. */
export function proposeSuccessor(
  sectorId: number | null,
  mapping: ResolvedMapping,
  defaultId: number | null,
): number | null {
  return (sectorId !== null ? mapping.bySector.get(sectorId) : undefined) ?? defaultId;
}

/** The task whose last event bounds the split day from below (every task the agency leads: the journal only moves forward). */
export function blockingTask(db: DB, agencyId: number): { code: string; lastEventOn: IsoDate } | null {
  return (
    (db
      .prepare(
        `SELECT code, last_event_on AS lastEventOn FROM tasks WHERE lead_agency_id = ? AND last_event_on IS NOT NULL
         ORDER BY last_event_on DESC, code LIMIT 1`,
      )
      .get(agencyId) as { code: string; lastEventOn: IsoDate } | undefined) ?? null
  );
}

function checkSplitDate(db: DB, a: AgencyRow, on: string, today: IsoDate): asserts on is IsoDate {
  if (!isIsoDate(on))
    throw new DomainError('bad_date', 'Ngày chia tách không hợp lệ (nhập theo dạng dd/mm/yyyy).', 422);
  if (on > today)
    throw new DomainError(
      'future_date',
      `Ngày chia tách ${formatDateVi(on)} ở tương lai; chỉ ghi nhận việc đã có quyết định và hiệu lực.`,
      422,
    );
  const block = blockingTask(db, a.id);
  if (block && block.lastEventOn > on)
    throw new DomainError(
      'before_last_event',
      `Ngày chia tách ${formatDateVi(on)} trước sự kiện ngày ${formatDateVi(block.lastEventOn)} của nhiệm vụ ${block.code}; ` +
        `nhật ký nhiệm vụ chỉ ghi tiếp. Chọn ngày từ ${formatDateVi(block.lastEventOn)} trở đi.`,
      422,
    );
}

/**
 * Why `to` cannot receive tasks on day `on` (null when it can): unknown, the split agency itself, ended (merged or
 * dissolved: on or before D it did not exist any more; after D its own open tasks have already moved on), or
 * established after D (when the agencies table records an establishment day).
 */
export function successorProblem(db: DB, fromId: number, toId: number, on: IsoDate): string | null {
  const to = db.prepare('SELECT * FROM agencies WHERE id = ?').get(toId) as
    | (AgencyRow & { established_on?: string | null })
    | undefined;
  if (!to) return 'Không tìm thấy đơn vị tiếp nhận.';
  if (to.id === fromId) return `${to.name} là đơn vị đang chia tách, không tự tiếp nhận nhiệm vụ của mình được.`;
  const st = agencyStatus(to);
  if (st !== 'active') {
    const end = (st === 'merged' ? to.merged_on : to.dissolved_on)!;
    const what = st === 'merged' ? 'đã hợp nhất' : 'đã giải thể';
    return end <= on
      ? `${to.name} ${what} từ ngày ${formatDateVi(end)}, không còn tồn tại vào ngày ${formatDateVi(on)}.`
      : `${to.name} ${what} từ ngày ${formatDateVi(end)}; hãy chọn đơn vị đang hoạt động.`;
  }
  if (to.established_on && to.established_on > on)
    return `${to.name} thành lập ngày ${formatDateVi(to.established_on)}, chưa tồn tại vào ngày ${formatDateVi(on)}.`;
  return null;
}

export interface SplitInput {
  fromId: number;
  /** ISO day, today or earlier */
  on: string;
  /** one entry per open task of the agency: the successor chosen for it (null: none chosen) */
  assignments: Array<{ taskId: number; toId: number | null }>;
  /** task ids named by the form that are not open tasks of the agency (refused, named) */
  unknownTaskIds?: string[];
  usersPolicy: UsersPolicy;
  /** receives the accounts when usersPolicy is 'move' */
  usersToId: number | null;
  /** proposes where the agency's coordination on others' open tasks goes */
  mapping: ResolvedMapping;
  defaultId: number | null;
  reason: string;
}

export interface SplitResult {
  tasksMoved: number;
  bySuccessor: Array<{ id: number; code: string; name: string; tasks: number }>;
  coordinationsMoved: number;
  coordinationsDropped: number;
  usersMoved: number;
  usersDisabled: number;
  apiClientsDisabled: number;
}

/** Where a refusal belongs on the form. */
export type SplitErrorField = 'on' | 'rows' | 'users_to' | 'reason' | 'form';

export class SplitError extends DomainError {
  readonly field: SplitErrorField;
  constructor(code: string, message: string, field: SplitErrorField) {
    super(code, message, 422);
    this.field = field;
  }
}

const listCodes = (codes: string[]) =>
  codes.length <= 5 ? codes.join(', ') : `${codes.slice(0, 5).join(', ')} và ${codes.length - 5} nhiệm vụ khác`;

/** Every refusal of the split, before anything is written; returns the source, its open tasks and the successors. */
function checkSplit(db: DB, input: SplitInput, today: IsoDate) {
  const from = getAgency(db, input.fromId);
  if (!from) throw new DomainError('agency_not_found', 'Không tìm thấy đơn vị.', 404);
  if (agencyStatus(from) !== 'active')
    throw new SplitError('agency_inactive', `${from.name} không còn hoạt động; không chia tách được.`, 'form');
  if (input.reason.trim().length < 5)
    throw new SplitError(
      'reason_required',
      'Cần ghi rõ lý do chia tách (căn cứ quyết định, ít nhất 5 ký tự).',
      'reason',
    );
  try {
    checkSplitDate(db, from, input.on, today);
  } catch (e) {
    if (e instanceof DomainError) throw new SplitError(e.code, e.message, 'on');
    throw e;
  }
  const on = input.on as IsoDate;
  const tasks = listSplitTasks(db, from.id);
  const open = new Map(tasks.map((t) => [t.id, t]));
  const code = db.prepare('SELECT code FROM tasks WHERE id = ?');
  const unknown = [
    ...(input.unknownTaskIds ?? []),
    ...input.assignments.filter((a) => !open.has(a.taskId)).map((a) => String(a.taskId)),
  ].map((id) => (code.get(Number(id)) as { code: string } | undefined)?.code ?? `số ${id.slice(0, 12)}`);
  if (unknown.length > 0)
    throw new SplitError(
      'unknown_task',
      `Biểu mẫu có nhiệm vụ không phải nhiệm vụ đang thực hiện của ${from.name}: ${listCodes(unknown)}. Hãy tải lại trang xem trước.`,
      'rows',
    );
  const chosen = new Map(input.assignments.map((a) => [a.taskId, a.toId]));
  const missing = tasks.filter((t) => (chosen.get(t.id) ?? null) === null).map((t) => t.code);
  if (missing.length > 0)
    throw new SplitError(
      'task_without_successor',
      `Còn ${missing.length} nhiệm vụ chưa có đơn vị tiếp nhận: ${listCodes(missing)}. Chọn đơn vị cho từng nhiệm vụ (hoặc một đơn vị mặc định).`,
      'rows',
    );
  const successors = new Map<number, AgencyRow>();
  for (const t of tasks) {
    const toId = chosen.get(t.id)!;
    if (successors.has(toId)) continue;
    const problem = successorProblem(db, from.id, toId, on);
    if (problem) throw new SplitError('bad_successor', `Nhiệm vụ ${t.code}: ${problem}`, 'rows');
    successors.set(toId, getAgency(db, toId)!);
  }
  let usersTo: AgencyRow | null = null;
  if (input.usersPolicy === 'move') {
    if (input.usersToId === null)
      throw new SplitError('users_to_required', 'Chọn đơn vị nhận các tài khoản của đơn vị.', 'users_to');
    const problem = successorProblem(db, from.id, input.usersToId, on);
    if (problem) throw new SplitError('bad_successor', `Tài khoản: ${problem}`, 'users_to');
    usersTo = getAgency(db, input.usersToId)!;
  }
  return { from, on, tasks, chosen, successors, usersTo };
}

/**
 * Applies a split: a 'reassigned' event dated D per open task (to the successor chosen for it), the agency's
 * coordination on others' open tasks to the successor its sector maps to (else the default, else removed), the
 * accounts moved to one successor or disabled (sessions ended either way), API clients disabled, the agency ended
 * on D. One immediate transaction with the audit row.
 */
export function splitAgency(db: DB, input: SplitInput, ctx: ChangeContext, today: IsoDate): SplitResult {
  return db
    .transaction(() => {
      const { from, on, tasks, chosen, successors, usersTo } = checkSplit(db, input, today);
      const actorUserId = ctx.actor?.kind === 'user' ? ctx.actor.id : null;
      const dropCoordinator = db.prepare('DELETE FROM task_coordinators WHERE task_id = ? AND agency_id = ?');
      const count = new Map<number, number>();
      for (const t of tasks) {
        const to = successors.get(chosen.get(t.id)!)!;
        try {
          appendEvent(db, t.id, {
            kind: 'reassigned',
            occurredOn: on,
            note: `Chuyển nhiệm vụ do chia tách ${from.name}; ${to.name} tiếp nhận.`,
            data: { toAgencyId: to.id, fromAgencyId: from.id },
            actorUserId,
            agencyId: to.id,
          });
        } catch (e) {
          // the task rules (rules.ts) have the last word; the whole split is rolled back, naming the task
          if (e instanceof DomainError) throw new SplitError(e.code, `Nhiệm vụ ${t.code}: ${e.message}`, 'rows');
          throw e;
        }
        dropCoordinator.run(t.id, to.id); // the successor now leads it: it cannot also coordinate it
        count.set(to.id, (count.get(to.id) ?? 0) + 1);
      }
      const coordinated = db
        .prepare(
          `SELECT tc.task_id AS taskId, t.lead_agency_id AS leadId, t.sector_id AS sectorId FROM task_coordinators tc
           JOIN tasks t ON t.id = tc.task_id WHERE tc.agency_id = ? AND t.settled_on IS NULL`,
        )
        .all(from.id) as Array<{ taskId: number; leadId: number; sectorId: number | null }>;
      const hasCoordinator = db.prepare('SELECT 1 FROM task_coordinators WHERE task_id = ? AND agency_id = ?');
      let coordinationsMoved = 0;
      for (const c of coordinated) {
        const to = proposeSuccessor(c.sectorId, input.mapping, input.defaultId);
        const usable = to !== null && to !== c.leadId && !hasCoordinator.get(c.taskId, to);
        if (usable && successorProblem(db, from.id, to, on) === null) {
          db.prepare('UPDATE task_coordinators SET agency_id = ? WHERE task_id = ? AND agency_id = ?').run(
            to,
            c.taskId,
            from.id,
          );
          coordinationsMoved++;
        } else dropCoordinator.run(c.taskId, from.id);
      }
      const users = db.prepare('SELECT id FROM users WHERE agency_id = ? AND disabled = 0').all(from.id) as Array<{
        id: number;
      }>;
      for (const u of users) {
        if (usersTo) db.prepare('UPDATE users SET agency_id = ? WHERE id = ?').run(usersTo.id, u.id);
        else db.prepare('UPDATE users SET disabled = 1 WHERE id = ?').run(u.id);
        invalidateUserSessions(db, u.id); // their scope changed either way
      }
      const apiClientsDisabled = db
        .prepare('UPDATE api_clients SET disabled = 1 WHERE agency_id = ? AND disabled = 0')
        .run(from.id).changes;
      db.prepare('UPDATE agencies SET dissolved_on = ? WHERE id = ?').run(on, from.id);
      const result: SplitResult = {
        tasksMoved: tasks.length,
        bySuccessor: [...count.entries()].map(([id, n]) => {
          const a = successors.get(id)!;
          return { id, code: a.code, name: a.name, tasks: n };
        }),
        coordinationsMoved,
        coordinationsDropped: coordinated.length - coordinationsMoved,
        usersMoved: usersTo ? users.length : 0,
        usersDisabled: usersTo ? 0 : users.length,
        apiClientsDisabled,
      };
      auditAgency(db, ctx, 'agency.split', from.id, {
        code: from.code,
        name: from.name,
        on,
        reason: input.reason.trim(),
        usersPolicy: input.usersPolicy,
        usersTo: usersTo ? { id: usersTo.id, code: usersTo.code, name: usersTo.name } : null,
        ...result,
      });
      // a split dated within a published period: the next publication says the figures were adjusted (issue 12)
      recordReorganisationNote(db, {
        agencyId: from.id,
        on,
        text: `${from.name} chia tách từ ngày ${formatDateVi(on)}`,
        at: ctx.at,
      });
      return result;
    })
    .immediate();
}
