/**
 * What the API shows of a task and its events, and the task input schema shared by POST /tasks and
 * POST /documents. Dates are 'YYYY-MM-DD' (Asia/Ho_Chi_Minh calendar days); agencies are referred to by code.
 */
import { z } from 'zod';
import type { DB } from '../db/open.ts';
import { classifyAsOf, EVENT_KINDS, type EventKind } from '../domain/status.ts';
import { factsFromRow } from '../domain/tasks.ts';
import { findActiveSectorId, findAgencyByCode, isActiveLeader } from '../domain/references.ts';
import { coordinatorsOf, taskTimeline, tasksWithRefs } from '../domain/task-view.ts';
import { agencyCodes } from '../domain/agency-table.ts';
import type { IsoDate } from '../domain/dates.ts';
import { apiSchemas, isoDate } from './operation.ts';
import { agencyCode } from './agencies.ts';
import type { ApiIssue } from './errors.ts';

export const CATEGORIES = ['completedOnTime', 'completedLate', 'inProgress', 'overdue', 'noDeadline'] as const;

export const TaskStatusSchema = z
  .object({
    asOf: isoDate,
    counted: z.boolean().meta({ description: 'được tính vào thống kê ngày asOf (đã giao, chưa thu hồi)' }),
    category: z.enum(CATEGORIES).nullable(),
    effectiveDeadline: isoDate.nullable(),
    completionDate: isoDate.nullable(),
    awaitingConfirmation: z.boolean(),
    awaitingDays: z
      .number()
      .int()
      .meta({ description: 'số ngày báo cáo kết quả đã chờ Tổ công tác xác nhận (0 khi không chờ)' }),
    dueSoon: z.boolean(),
    overdueDays: z.number().int(),
    explanationRequired: z.boolean(),
  })
  .register(apiSchemas, {
    id: 'TaskStatus',
    description: 'Tình trạng tính đến ngày asOf, theo đúng quy tắc công bố (trang Phương pháp).',
  });

export const TaskSchema = z
  .object({
    code: z.string(),
    title: z.string(),
    content: z.string(),
    document: z.object({ id: z.number().int(), number: z.string(), issuedOn: isoDate }).nullable(),
    leadAgency: z.string().meta({ description: 'mã đơn vị chủ trì hiện tại' }),
    coordinatingAgencies: z.array(z.string()),
    leader: z.object({ id: z.number().int(), name: z.string() }).nullable(),
    sector: z.string().nullable().meta({ description: 'mã lĩnh vực' }),
    assignedOn: isoDate,
    deadline: isoDate.nullable().meta({ description: 'thời hạn ban đầu (null: không thời hạn)' }),
    noDeadlineReason: z.string().nullable(),
    extendedDeadline: isoDate.nullable().meta({ description: 'thời hạn sau gia hạn đã được đồng ý' }),
    starred: z.boolean(),
    confidential: z.boolean(),
    receivedOn: isoDate.nullable(),
    reportedOn: isoDate.nullable().meta({ description: 'báo cáo kết quả đang chờ xác nhận' }),
    completedOn: isoDate.nullable(),
    confirmedOn: isoDate.nullable(),
    cancelledOn: isoDate.nullable(),
    lastUpdateAt: z.string().nullable(),
    status: TaskStatusSchema,
  })
  .register(apiSchemas, { id: 'Task' });

export const EventSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(EVENT_KINDS),
    occurredOn: isoDate,
    recordedAt: z.string(),
    agency: z.string().nullable(),
    note: z.string(),
    newDeadline: isoDate.nullable(),
    fromAgency: z.string().nullable(),
    toAgency: z.string().nullable(),
    files: z.array(z.object({ id: z.number().int(), name: z.string(), mime: z.string(), size: z.number().int() })),
    importedFrom: z
      .object({ fileName: z.string(), importedBy: z.string().nullable(), importedAt: z.string() })
      .nullable()
      .meta({ description: 'sự kiện được nhập từ tệp: tên tệp, người nhập (null: dòng lệnh), thời điểm nhập' }),
  })
  .register(apiSchemas, { id: 'TaskEvent' });

export const TaskWithEventsSchema = TaskSchema.extend({ events: z.array(EventSchema) }).register(apiSchemas, {
  id: 'TaskWithEvents',
});

export type ApiTask = z.infer<typeof TaskSchema>;
export type ApiEvent = z.infer<typeof EventSchema>;

/** The API view of tasks by id, in the order given (ids not found are skipped). */
export function taskViews(db: DB, ids: readonly number[], asOf: IsoDate): ApiTask[] {
  if (ids.length === 0) return [];
  const codes = agencyCodes(db);
  const code = (id: number) => codes.get(id) ?? String(id);
  const coordinators = coordinatorsOf(db, ids);
  const byId = new Map(tasksWithRefs(db, ids).map((r) => [r.id, r]));
  const out: ApiTask[] = [];
  for (const id of ids) {
    const t = byId.get(id);
    if (!t) continue;
    const s = classifyAsOf(factsFromRow(t), asOf);
    out.push({
      code: t.code,
      title: t.title,
      content: t.content,
      document:
        t.document_id !== null && t.doc_number !== null
          ? { id: t.document_id, number: t.doc_number, issuedOn: t.doc_issued_on! }
          : null,
      leadAgency: code(t.lead_agency_id),
      coordinatingAgencies: (coordinators.get(t.id) ?? []).map(code),
      leader: t.leader_id !== null ? { id: t.leader_id, name: t.leader_name ?? '' } : null,
      sector: t.sector_code,
      assignedOn: t.assigned_on,
      deadline: t.deadline,
      noDeadlineReason: t.no_deadline_reason,
      extendedDeadline: t.ext_approved_on !== null ? t.ext_deadline : null,
      starred: t.starred === 1,
      confidential: t.confidential === 1,
      receivedOn: t.received_on,
      reportedOn: t.reported_on,
      completedOn: t.completed_on,
      confirmedOn: t.confirmed_on,
      cancelledOn: t.cancelled_on,
      lastUpdateAt: t.last_update_at,
      status: {
        asOf,
        counted: s.counted,
        category: s.category,
        effectiveDeadline: s.effectiveDeadline,
        completionDate: s.completionDate,
        awaitingConfirmation: s.awaitingConfirmation,
        awaitingDays: s.awaitingDays,
        dueSoon: s.dueSoon,
        overdueDays: s.overdueDays,
        explanationRequired: s.explanationRequired,
      },
    });
  }
  return out;
}

/** A task's events as the API shows them, oldest first, with their attached files' metadata. */
/** A task's events as the API shows them, or only the one `eventId` of it. */
export function eventViews(db: DB, taskId: number, eventId?: number): ApiEvent[] {
  const codes = agencyCodes(db);
  const code = (id: unknown) => (typeof id === 'number' ? (codes.get(id) ?? String(id)) : null);
  return taskTimeline(db, taskId, eventId).map((e) => {
    const data = JSON.parse(e.data) as { newDeadline?: unknown; fromAgencyId?: unknown; toAgencyId?: unknown };
    return {
      id: e.id,
      kind: e.kind,
      occurredOn: e.occurred_on,
      recordedAt: e.recorded_at,
      agency: e.agency_id !== null ? (codes.get(e.agency_id) ?? null) : null,
      note: e.note,
      newDeadline: typeof data.newDeadline === 'string' ? data.newDeadline : null,
      fromAgency: code(data.fromAgencyId),
      toAgency: code(data.toAgencyId),
      files: e.files.map((f) => ({ id: f.id, name: f.original_name, mime: f.mime, size: f.size })),
      importedFrom: e.importedFrom,
    };
  });
}

// ---- input -------------------------------------------------------------------------------------------------

const text = (max: number) => z.string().trim().max(max);

/** One task to create (alone, or inside a document). */
export const TaskInputFields = {
  title: text(1000).min(1),
  content: text(10_000).default(''),
  leadAgency: agencyCode.meta({ description: 'mã đơn vị chủ trì (GET /agencies)' }),
  coordinatingAgencies: z.array(agencyCode).max(50).default([]),
  leaderId: z
    .number()
    .int()
    .positive()
    .nullable()
    .default(null)
    .meta({ description: 'lãnh đạo UBND tỉnh giao nhiệm vụ' }),
  sector: z.string().trim().min(1).max(50).nullable().default(null).meta({ description: 'mã lĩnh vực' }),
  assignedOn: isoDate,
  deadline: isoDate.nullable().meta({ description: 'null: không thời hạn (cần noDeadlineReason)' }),
  noDeadlineReason: text(1000).nullable().default(null),
  starred: z.boolean().default(false),
  confidential: z.boolean().default(false),
};

/** Rules that belong to one task's own fields, reported at the field's path. */
export function taskFieldRules(
  t: { assignedOn: string; deadline: string | null; noDeadlineReason: string | null },
  ctx: z.RefinementCtx,
  prefix: Array<string | number> = [],
): void {
  if (t.deadline !== null && t.deadline < t.assignedOn) {
    ctx.addIssue({ code: 'custom', path: [...prefix, 'deadline'], message: 'Thời hạn không được trước ngày giao.' });
  }
  if (t.deadline === null && !(t.noDeadlineReason ?? '').trim()) {
    ctx.addIssue({
      code: 'custom',
      path: [...prefix, 'noDeadlineReason'],
      message:
        'Nhiệm vụ không có thời hạn cần ghi rõ lý do (Chủ tịch UBND tỉnh yêu cầu hạn chế giao nhiệm vụ không thời hạn).',
    });
  }
}

export type TaskInput = z.output<z.ZodObject<typeof TaskInputFields>>;

export interface ResolvedTask {
  leadAgencyId: number;
  coordinatorIds: number[];
  sectorId: number | null;
}

/**
 * Looks up the references of a task input (agencies active, leader, sector) and the no-future rule; problems are
 * pushed to `issues` at `prefix`. Returns the ids, or null when anything is wrong.
 */
export function resolveTaskRefs(
  db: DB,
  t: TaskInput,
  today: IsoDate,
  issues: ApiIssue[],
  prefix = '',
): ResolvedTask | null {
  const before = issues.length;
  const p = (k: string) => (prefix ? `${prefix}.${k}` : k);
  const agency = (code: string, path: string): number | null => {
    const a = findAgencyByCode(db, code);
    if (!a) issues.push({ path, message: `Không có đơn vị mã "${code}".` });
    else if (a.merged_on !== null || a.dissolved_on !== null)
      issues.push({ path, message: `Đơn vị "${code}" đã sáp nhập hoặc giải thể; giao cho đơn vị kế thừa.` });
    else return a.id;
    return null;
  };
  const leadAgencyId = agency(t.leadAgency, p('leadAgency'));
  const coordinatorIds: number[] = [];
  t.coordinatingAgencies.forEach((code, i) => {
    const id = agency(code, p(`coordinatingAgencies.${i}`));
    if (id !== null && id === leadAgencyId)
      issues.push({
        path: p(`coordinatingAgencies.${i}`),
        message: 'Đơn vị chủ trì không đồng thời là đơn vị phối hợp.',
      });
    else if (id !== null) coordinatorIds.push(id);
  });
  if (t.leaderId !== null && !isActiveLeader(db, t.leaderId)) {
    issues.push({ path: p('leaderId'), message: 'Không có lãnh đạo đang công tác với mã số này.' });
  }
  let sectorId: number | null = null;
  if (t.sector !== null) {
    sectorId = findActiveSectorId(db, t.sector);
    if (sectorId === null) issues.push({ path: p('sector'), message: `Không có lĩnh vực mã "${t.sector}".` });
  }
  if (t.assignedOn > today) issues.push({ path: p('assignedOn'), message: 'Ngày giao không được sau ngày hôm nay.' });
  if (issues.length > before || leadAgencyId === null) return null;
  return { leadAgencyId, coordinatorIds, sectorId };
}

export const API_EVENT_KINDS = EVENT_KINDS.filter(
  (k): k is Exclude<EventKind, 'assigned' | 'corrected'> => k !== 'assigned' && k !== 'corrected',
);
