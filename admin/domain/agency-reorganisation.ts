/**
 * Administrative reorganisation (DESIGN.md §1: agencies are merged and dissolved, "and their open tasks move to a
 * successor without rewriting history"): a merger or dissolution moves each OPEN task with a 'reassigned' event
 * dated on its day (appendEvent, the same rules as every write), so statistics as of any earlier day still
 * attribute it to the old agency (status.ts agencyAsOf); completed and cancelled tasks stay with the agency that did
 * them. The day may lie in the past when the decision is recorded late (DESIGN.md §6), but never before the last
 * event of any of the agency's tasks (checkDate, naming the task that blocks it): the journal only moves forward.
 *
 * A merger dated before today changes statistics already seen for the days from D on ("the past is not
 * rewritten", DESIGN.md §3: a correction of the past is its own audited event with a reason): it needs a reason,
 * its audit row says correction, and when D falls on or before a published cutoff the next publication carries
 * the note "Số liệu điều chỉnh do sắp xếp tổ chức" (reorganisation-notes.ts; published snapshots stay frozen).
 */
import type { DB } from '../db/open.ts';
import { invalidateUserSessions } from '../auth/session.ts';
import { appendEvent } from './tasks.ts';
import { DomainError, type ProposedEvent } from './rules.ts';
import { formatDateVi, isIsoDate, type IsoDate } from './dates.ts';
import { agencyStatus, auditAgency, getAgency, type AgencyRow, type ChangeContext } from './agencies.ts';
import { blockingTask, successorProblem } from './agency-split.ts';
import { recordReorganisationNote } from './reorganisation-notes.ts';

/**
 * The event that moves one open task of `from` to `to` on the reorganisation day: used by the admin merger and
 * dissolution below and by the demo generator (admin/demo/generate.ts), so both write the same history.
 */
export function reorganisationEvent(
  from: { id: number; name: string },
  to: { id: number; name: string },
  on: IsoDate,
  reason: 'merged' | 'dissolved' = 'merged',
): ProposedEvent & { data: { toAgencyId: number; fromAgencyId: number } } {
  return {
    kind: 'reassigned',
    occurredOn: on,
    note:
      reason === 'merged'
        ? `Chuyển nhiệm vụ do hợp nhất ${from.name} vào ${to.name}.`
        : `Chuyển nhiệm vụ do giải thể ${from.name}; ${to.name} tiếp nhận.`,
    data: { toAgencyId: to.id, fromAgencyId: from.id },
  };
}

/** What happens to the accounts of an agency that ceases to exist. */
export type UsersPolicy = 'disable' | 'move';

export interface ReorganisationResult {
  tasksMoved: number;
  coordinationsMoved: number;
  usersDisabled: number;
  usersMoved: number;
  apiClientsDisabled: number;
}

function loadActive(db: DB, id: number, role: 'source' | 'target'): AgencyRow {
  const a = getAgency(db, id);
  if (!a)
    throw new DomainError(
      'agency_not_found',
      role === 'source' ? 'Không tìm thấy đơn vị.' : 'Không tìm thấy đơn vị tiếp nhận.',
      422,
    );
  const st = agencyStatus(a);
  if (st !== 'active') {
    const what = st === 'merged' ? 'đã hợp nhất' : 'đã giải thể';
    throw new DomainError(
      'agency_inactive',
      role === 'source'
        ? `Đơn vị ${a.name} ${what}; không thực hiện thêm được.`
        : `Không thể chuyển vào ${a.name}: đơn vị này ${what}. Hãy chọn một đơn vị đang hoạt động.`,
      422,
    );
  }
  return a;
}

/** Refusals shared by merger and dissolution; runs inside the write transaction, before anything is written. */
function checkDate(db: DB, a: AgencyRow, on: string, today: IsoDate, verb: string): void {
  if (!isIsoDate(on)) throw new DomainError('bad_date', `Ngày ${verb} không hợp lệ (nhập theo dạng dd/mm/yyyy).`, 422);
  if (on > today)
    throw new DomainError(
      'future_date',
      `Ngày ${verb} ${formatDateVi(on)} ở tương lai; chỉ ghi nhận việc đã có quyết định và hiệu lực.`,
      422,
    );
  // every task the agency leads, open or not: the journal only moves forward, and a task completed after the
  // reorganisation day would mean the agency worked after it ceased to exist
  const block = blockingTask(db, a.id);
  if (block && block.lastEventOn > on) {
    const n = (
      db.prepare('SELECT count(*) AS n FROM tasks WHERE lead_agency_id = ? AND last_event_on > ?').get(a.id, on) as {
        n: number;
      }
    ).n;
    throw new DomainError(
      'before_last_event',
      `Ngày ${verb} ${formatDateVi(on)} trước sự kiện ngày ${formatDateVi(block.lastEventOn)} của nhiệm vụ ${block.code}` +
        `${n > 1 ? ` (và ${n - 1} nhiệm vụ khác có sự kiện sau ngày này)` : ''}; nhật ký nhiệm vụ chỉ ghi tiếp. ` +
        `Chọn ngày từ ${formatDateVi(block.lastEventOn)} trở đi.`,
      422,
    );
  }
}

/** Moves the open tasks, the coordinations on open tasks, and the accounts; disables the agency's API clients. */
function moveEverything(
  db: DB,
  from: AgencyRow,
  to: AgencyRow,
  on: IsoDate,
  usersPolicy: UsersPolicy,
  reason: 'merged' | 'dissolved',
  actorUserId: number | null,
): ReorganisationResult {
  const open = db
    .prepare('SELECT id FROM tasks WHERE lead_agency_id = ? AND settled_on IS NULL ORDER BY id')
    .all(from.id) as Array<{ id: number }>;
  const event = reorganisationEvent(from, to, on, reason);
  const dropCoordinator = db.prepare('DELETE FROM task_coordinators WHERE task_id = ? AND agency_id = ?');
  for (const t of open) {
    appendEvent(db, t.id, { ...event, actorUserId, agencyId: to.id });
    dropCoordinator.run(t.id, to.id); // the successor now leads it: it cannot also coordinate it
  }
  // coordination on open tasks passes to the successor (closed tasks keep who coordinated them)
  const coordinated = db
    .prepare(
      `SELECT tc.task_id, t.lead_agency_id, EXISTS (SELECT 1 FROM task_coordinators x WHERE x.task_id = tc.task_id AND x.agency_id = @to) AS has_to
       FROM task_coordinators tc JOIN tasks t ON t.id = tc.task_id WHERE tc.agency_id = @from AND t.settled_on IS NULL`,
    )
    .all({ from: from.id, to: to.id }) as Array<{ task_id: number; lead_agency_id: number; has_to: number }>;
  for (const c of coordinated) {
    if (c.lead_agency_id === to.id || c.has_to) dropCoordinator.run(c.task_id, from.id);
    else
      db.prepare('UPDATE task_coordinators SET agency_id = ? WHERE task_id = ? AND agency_id = ?').run(
        to.id,
        c.task_id,
        from.id,
      );
  }
  const users = db.prepare('SELECT id FROM users WHERE agency_id = ? AND disabled = 0').all(from.id) as Array<{
    id: number;
  }>;
  for (const u of users) {
    if (usersPolicy === 'move') db.prepare('UPDATE users SET agency_id = ? WHERE id = ?').run(to.id, u.id);
    else db.prepare('UPDATE users SET disabled = 1 WHERE id = ?').run(u.id);
    invalidateUserSessions(db, u.id); // their scope changed either way
  }
  const apiClients = db
    .prepare('UPDATE api_clients SET disabled = 1 WHERE agency_id = ? AND disabled = 0')
    .run(from.id).changes;
  return {
    tasksMoved: open.length,
    coordinationsMoved: coordinated.length,
    usersDisabled: usersPolicy === 'disable' ? users.length : 0,
    usersMoved: usersPolicy === 'move' ? users.length : 0,
    apiClientsDisabled: apiClients,
  };
}

export interface MergeInput {
  fromId: number;
  toId: number;
  on: IsoDate;
  usersPolicy: UsersPolicy;
  /** why (the decision it records); required: a merger rewrites where tasks sit from D on */
  reason: string;
}

/** Where a refusal of a merger belongs on the form. */
export function mergeErrorField(code: string): 'on' | 'reason' | 'successor_id' {
  return ['bad_date', 'future_date', 'before_last_event'].includes(code)
    ? 'on'
    : code === 'reason_required'
      ? 'reason'
      : 'successor_id';
}

/** A → B refused when B already went (directly or through others) into A: the successor chain would loop. */
function checkNoCycle(db: DB, from: AgencyRow, toId: number): void {
  const seen = new Set<number>();
  let at = getAgency(db, toId);
  while (at && at.successor_id !== null && !seen.has(at.id)) {
    seen.add(at.id);
    if (at.successor_id === from.id) {
      const to = getAgency(db, toId)!;
      throw new DomainError(
        'merge_cycle',
        `Không thể hợp nhất ${from.name} vào ${to.name}: ${to.name} đã hợp nhất vào ${from.name}` +
          `${at.id === to.id ? '' : ` (qua ${at.name})`} từ ngày ${formatDateVi(at.merged_on)}; hai đơn vị không thể hợp nhất vào nhau.`,
        422,
      );
    }
    at = getAgency(db, at.successor_id);
  }
}

/**
 * Merges `fromId` into `toId` on day `on`: every open task moves with a 'reassigned' event dated `on`; the agency is
 * marked merged (successor, date). Accounts are disabled by default (least privilege: a focal point of the absorbed
 * unit does not gain the successor's tasks unless the administrator says so) or moved to the successor. All in one
 * immediate transaction with the audit row: a refusal anywhere writes nothing.
 */
export function mergeAgency(db: DB, input: MergeInput, ctx: ChangeContext, today: IsoDate): ReorganisationResult {
  return db
    .transaction(() => {
      if (input.fromId === input.toId)
        throw new DomainError('merge_self', 'Không thể hợp nhất một đơn vị vào chính nó.', 422);
      const from = loadActive(db, input.fromId, 'source');
      checkNoCycle(db, from, input.toId);
      const to = loadActive(db, input.toId, 'target');
      const reason = input.reason.trim();
      if (reason.length < 5)
        throw new DomainError(
          'reason_required',
          'Cần ghi rõ lý do hợp nhất (căn cứ quyết định, ít nhất 5 ký tự).',
          422,
        );
      checkDate(db, from, input.on, today, 'hợp nhất');
      const problem = successorProblem(db, from.id, to.id, input.on);
      if (problem) throw new DomainError('bad_successor', problem, 422);
      const result = moveEverything(
        db,
        from,
        to,
        input.on,
        input.usersPolicy,
        'merged',
        ctx.actor?.kind === 'user' ? ctx.actor.id : null,
      );
      db.prepare('UPDATE agencies SET successor_id = ?, merged_on = ? WHERE id = ?').run(to.id, input.on, from.id);
      auditAgency(db, ctx, 'agency.merge', from.id, {
        code: from.code,
        name: from.name,
        successor: { id: to.id, code: to.code, name: to.name },
        on: input.on,
        reason,
        // dated before today: the figures of the days from D on change (DESIGN.md §3, a correction with a reason)
        correction: input.on < today,
        usersPolicy: input.usersPolicy,
        ...result,
      });
      recordReorganisationNote(db, {
        agencyId: from.id,
        on: input.on,
        text: `${from.name} hợp nhất vào ${to.name} từ ngày ${formatDateVi(input.on)}`,
        at: ctx.at,
      });
      return result;
    })
    .immediate();
}

export interface DissolveInput {
  id: number;
  on: IsoDate;
  /** receives the open tasks; required when there are any */
  receiverId: number | null;
}

/**
 * Dissolves an agency on day `on`. With open tasks, a receiving agency is required and takes them (reassigned
 * events, like a merger); without a receiver and with open tasks, the dissolution is refused. Accounts are disabled.
 */
export function dissolveAgency(db: DB, input: DissolveInput, ctx: ChangeContext, today: IsoDate): ReorganisationResult {
  return db
    .transaction(() => {
      const a = loadActive(db, input.id, 'source');
      checkDate(db, a, input.on, today, 'giải thể');
      const open = (
        db.prepare('SELECT count(*) AS n FROM tasks WHERE lead_agency_id = ? AND settled_on IS NULL').get(a.id) as {
          n: number;
        }
      ).n;
      let result: ReorganisationResult;
      if (input.receiverId !== null) {
        if (input.receiverId === a.id)
          throw new DomainError('merge_self', 'Đơn vị tiếp nhận phải khác đơn vị bị giải thể.', 422);
        const to = loadActive(db, input.receiverId, 'target');
        result = moveEverything(
          db,
          a,
          to,
          input.on,
          'disable',
          'dissolved',
          ctx.actor?.kind === 'user' ? ctx.actor.id : null,
        );
      } else {
        if (open > 0) {
          throw new DomainError(
            'open_tasks',
            `${a.name} còn ${open} nhiệm vụ chưa hoàn thành. Chọn đơn vị tiếp nhận các nhiệm vụ này (hoặc hợp nhất vào đơn vị kế thừa) trước khi giải thể.`,
            422,
          );
        }
        db.prepare(
          'DELETE FROM task_coordinators WHERE agency_id = ? AND task_id IN (SELECT id FROM tasks WHERE settled_on IS NULL)',
        ).run(a.id);
        const users = db.prepare('SELECT id FROM users WHERE agency_id = ? AND disabled = 0').all(a.id) as Array<{
          id: number;
        }>;
        for (const u of users) {
          db.prepare('UPDATE users SET disabled = 1 WHERE id = ?').run(u.id);
          invalidateUserSessions(db, u.id);
        }
        const apiClients = db
          .prepare('UPDATE api_clients SET disabled = 1 WHERE agency_id = ? AND disabled = 0')
          .run(a.id).changes;
        result = {
          tasksMoved: 0,
          coordinationsMoved: 0,
          usersDisabled: users.length,
          usersMoved: 0,
          apiClientsDisabled: apiClients,
        };
      }
      db.prepare('UPDATE agencies SET dissolved_on = ? WHERE id = ?').run(input.on, a.id);
      auditAgency(db, ctx, 'agency.dissolve', a.id, {
        code: a.code,
        name: a.name,
        on: input.on,
        receiverId: input.receiverId,
        correction: input.on < today,
        ...result,
      });
      recordReorganisationNote(db, {
        agencyId: a.id,
        on: input.on,
        text: `${a.name} giải thể từ ngày ${formatDateVi(input.on)}`,
        at: ctx.at,
      });
      return result;
    })
    .immediate();
}
