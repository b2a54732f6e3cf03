/**
 * THE task query (issue 4): the admin task list, its Excel/CSV export and the integration API's task list all go
 * through parseTaskFilter + queryTasks / exportTasks, so a filter means the same thing everywhere.
 *
 * Status "as of" a date is decided by status.ts classifyAsOf only (DESIGN.md §3). SQL narrows the rows first with
 * conditions that can only drop rows classifyAsOf would drop too (safe prefilters: assigned on or before C, not
 * confirmed / cancelled by C, the effective deadline's side of C …); every surviving row is then classified in JS.
 *
 * Scoping: taskScopeSql(principal, 'task.read') — an agency user sees the tasks its agency currently leads or
 * coordinates, and nothing else, in lists, counts and exports alike.
 *
 * Speed: a list request scans the matching task rows' facts (ten years ≈ 32k tasks). The sorted id list of a
 * (scope, filter) is cached until the data changes — every change to a task appends an event or creates a task
 * (DESIGN.md §3), so (max event id, max task id) is the data version, as in the dashboard's cache — and for at most
 * CACHE_TTL_MS in any case (a bound on staleness for changes made outside the event path, e.g. an agency rename).
 * A page then reads only its 50 rows by id.
 */
import { z } from 'zod';
import type { Statement } from 'better-sqlite3';
import type { DB } from '../db/open.ts';
import { taskScopeSql, type Principal } from '../auth/permissions.ts';
import { CATEGORY_LABELS, classifyAsOf, type Category, type TaskStatus } from './status.ts';
import { factsFromRow, FACTS_COLUMNS, type FactsRow } from './tasks.ts';
import { addDays, parseDateInput, today, type IsoDate } from './dates.ts';
import { foldVietnamese } from './text.ts';
import { DomainError } from './rules.ts';

// ---- the filter ---------------------------------------------------------------------------------------------

export const TASK_STATUSES = [
  'completedOnTime',
  'completedLate',
  'inProgress',
  'overdue',
  'noDeadline',
  'awaitingConfirmation',
  'dueSoon',
  'cancelled',
  'open',
] as const;
export type TaskStatusFilter = (typeof TASK_STATUSES)[number];

export const TASK_STATUS_LABELS: Record<TaskStatusFilter, string> = {
  ...CATEGORY_LABELS,
  awaitingConfirmation: 'Đã báo cáo, chờ xác nhận',
  dueSoon: 'Sắp đến hạn (trong 3 ngày)',
  cancelled: 'Đã thu hồi',
  open: 'Chưa hoàn thành (mọi loại)',
};

export const TASK_SORTS = ['code', 'assigned_on', 'deadline', 'effective_deadline', 'agency', 'last_update'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];

export const TASK_SORT_LABELS: Record<TaskSort, string> = {
  code: 'Mã nhiệm vụ',
  assigned_on: 'Ngày giao',
  deadline: 'Thời hạn ban đầu',
  effective_deadline: 'Thời hạn (kể cả gia hạn)',
  agency: 'Đơn vị chủ trì',
  last_update: 'Cập nhật gần nhất',
};

export const AGENCY_ROLES = ['lead', 'coordinator', 'any'] as const;
export type AgencyRole = (typeof AGENCY_ROLES)[number];

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE = 100_000;
export const EXPORT_CAP = 50_000;
const MAX_Q_TOKENS = 8;

/** Empty strings (a blank form field) mean "no filter". */
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema.optional());

const text = (max: number, label: string) =>
  z
    .string({ error: `${label} không hợp lệ.` })
    .trim()
    .max(max, { error: `${label} dài quá ${max} ký tự.` })
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), { error: `${label} chứa ký tự điều khiển.` });

const dateField = (label: string) =>
  z.string({ error: `${label} không hợp lệ.` }).transform((s, ctx) => {
    const d = s.length <= 20 ? parseDateInput(s) : null;
    if (d === null) {
      ctx.addIssue({ code: 'custom', message: `${label} không phải ngày hợp lệ (dd/mm/yyyy).` });
      return z.NEVER;
    }
    return d;
  });

const flag = (label: string) =>
  z.string({ error: `${label} không hợp lệ.` }).transform((s, ctx) => {
    const v = s.trim().toLowerCase();
    if (['1', 'true', 'on', 'yes', 'co'].includes(v)) return true;
    if (['0', 'false', 'off', 'no', 'khong'].includes(v)) return false;
    ctx.addIssue({ code: 'custom', message: `${label} chỉ nhận 1 (có) hoặc 0 (không).` });
    return z.NEVER;
  });

const intField = (label: string, min: number, max: number) =>
  z.string({ error: `${label} không hợp lệ.` }).transform((s, ctx) => {
    const t = s.trim();
    const n = /^\d{1,9}$/.test(t) ? Number(t) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({
        code: 'custom',
        message: `${label} phải là số nguyên từ ${min} đến ${max.toLocaleString('vi-VN')}.`,
      });
      return z.NEVER;
    }
    return n;
  });

const oneOf = <T extends readonly [string, ...string[]]>(values: T, label: string) =>
  z.enum(values, { error: `${label} không hợp lệ (chấp nhận: ${values.join(', ')}).` });

/** Query-string filter (all values are strings; blank = absent). Unknown parameters are refused. */
export const taskFilterSchema = z
  .strictObject({
    q: opt(text(200, 'Từ khoá')),
    agency: opt(text(50, 'Mã đơn vị')),
    role: opt(oneOf(AGENCY_ROLES, 'Vai trò của đơn vị')),
    status: opt(oneOf(TASK_STATUSES, 'Tình trạng')),
    asOf: opt(dateField('Ngày tính tình trạng')),
    leader: opt(intField('Lãnh đạo giao', 1, 1_000_000_000)),
    sector: opt(text(50, 'Mã lĩnh vực')),
    document: opt(text(100, 'Số văn bản')),
    starred: opt(flag('Nhiệm vụ trọng tâm')),
    confidential: opt(flag('Nhiệm vụ mật')),
    received: opt(flag('Đã tiếp nhận')),
    assignedFrom: opt(dateField('Giao từ ngày')),
    assignedTo: opt(dateField('Giao đến ngày')),
    updatedFrom: opt(dateField('Cập nhật từ ngày')),
    sort: opt(oneOf(TASK_SORTS, 'Cột sắp xếp')),
    dir: opt(oneOf(['asc', 'desc'] as const, 'Chiều sắp xếp')),
    page: opt(intField('Trang', 1, MAX_PAGE)),
    pageSize: opt(intField('Số dòng mỗi trang', 1, MAX_PAGE_SIZE)),
  })
  .superRefine((f, ctx) => {
    if (f.assignedFrom && f.assignedTo && f.assignedFrom > f.assignedTo) {
      ctx.addIssue({ code: 'custom', path: ['assignedTo'], message: 'Giao đến ngày phải sau hoặc bằng giao từ ngày.' });
    }
  });

type Parsed = z.output<typeof taskFilterSchema>;

export interface TaskFilter {
  q?: string;
  agency?: string;
  role: AgencyRole;
  status?: TaskStatusFilter;
  asOf: IsoDate;
  leader?: number;
  sector?: string;
  document?: string;
  starred?: boolean;
  confidential?: boolean;
  /** acknowledged (received) on or before asOf */
  received?: boolean;
  assignedFrom?: IsoDate;
  assignedTo?: IsoDate;
  /** last change (tasks.last_update_at) on or after this local day */
  updatedFrom?: IsoDate;
  sort: TaskSort;
  dir: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

export interface FilterError {
  path: string;
  message: string;
}

export type ParseResult = { ok: true; filter: TaskFilter } | { ok: false; errors: FilterError[] };

export interface ParseOptions {
  /** "today" for the default asOf (Asia/Ho_Chi_Minh); defaults to the real clock */
  now?: Date;
  /** when given, agency / sector / leader references are checked to exist */
  db?: DB;
}

const FIELD_LABELS: Record<string, string> = { role: 'Vai trò của đơn vị', dir: 'Chiều sắp xếp' };

/** Validates a query string into a TaskFilter, or Vietnamese errors with field paths. Never throws on input. */
export function parseTaskFilter(input: Record<string, string | undefined>, options: ParseOptions = {}): ParseResult {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(input)) if (typeof v === 'string') clean[k] = v;
  const r = taskFilterSchema.safeParse(clean);
  if (!r.success) {
    const errors: FilterError[] = [];
    for (const issue of r.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) errors.push({ path: key.slice(0, 50), message: 'Tham số không được hỗ trợ.' });
      } else {
        const path = issue.path.map(String).join('.') || '_';
        errors.push({ path, message: issue.message || `${FIELD_LABELS[path] ?? path} không hợp lệ.` });
      }
    }
    return { ok: false, errors };
  }
  const p: Parsed = r.data;
  const filter: TaskFilter = {
    role: p.role ?? 'lead',
    asOf: p.asOf ?? today(options.now ?? new Date()),
    sort: p.sort ?? 'assigned_on',
    dir: p.dir ?? (p.sort === undefined ? 'desc' : 'asc'),
    page: p.page ?? 1,
    pageSize: p.pageSize ?? DEFAULT_PAGE_SIZE,
  };
  if (p.q !== undefined) {
    const q = foldVietnamese(p.q);
    if (q !== '') filter.q = q;
  }
  if (p.agency !== undefined) filter.agency = p.agency;
  if (p.status !== undefined) filter.status = p.status;
  if (p.leader !== undefined) filter.leader = p.leader;
  if (p.sector !== undefined) filter.sector = p.sector;
  if (p.document !== undefined) filter.document = p.document;
  if (p.starred !== undefined) filter.starred = p.starred;
  if (p.confidential !== undefined) filter.confidential = p.confidential;
  if (p.received !== undefined) filter.received = p.received;
  if (p.assignedFrom !== undefined) filter.assignedFrom = p.assignedFrom;
  if (p.assignedTo !== undefined) filter.assignedTo = p.assignedTo;
  if (p.updatedFrom !== undefined) filter.updatedFrom = p.updatedFrom;
  if (options.db) {
    const errors = checkReferences(options.db, filter);
    if (errors.length > 0) return { ok: false, errors };
  }
  return { ok: true, filter };
}

/** Agency, sector and leader must exist (an unknown code is a mistake to report, not an empty list). */
export function checkReferences(db: DB, f: TaskFilter): FilterError[] {
  const errors: FilterError[] = [];
  if (f.agency !== undefined && !db.prepare('SELECT 1 FROM agencies WHERE code = ?').get(f.agency)) {
    errors.push({ path: 'agency', message: 'Không có đơn vị với mã này.' });
  }
  if (f.sector !== undefined && !db.prepare('SELECT 1 FROM sectors WHERE code = ?').get(f.sector)) {
    errors.push({ path: 'sector', message: 'Không có lĩnh vực với mã này.' });
  }
  if (f.leader !== undefined && !db.prepare('SELECT 1 FROM leaders WHERE id = ?').get(f.leader)) {
    errors.push({ path: 'leader', message: 'Không có lãnh đạo với mã số này.' });
  }
  return errors;
}

/** The filter as query-string parameters (defaults left out), for links, the pager and the export buttons. */
export function filterToQuery(
  f: TaskFilter,
  overrides: Partial<Record<keyof TaskFilter, string | undefined>> = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (k: string, v: string | number | boolean | undefined) => {
    if (v === undefined) return;
    out[k] = typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
  };
  put('q', f.q);
  put('agency', f.agency);
  if (f.agency !== undefined && f.role !== 'lead') put('role', f.role);
  put('status', f.status);
  put('asOf', f.asOf);
  put('leader', f.leader);
  put('sector', f.sector);
  put('document', f.document);
  put('starred', f.starred);
  put('confidential', f.confidential);
  put('received', f.received);
  put('assignedFrom', f.assignedFrom);
  put('assignedTo', f.assignedTo);
  put('updatedFrom', f.updatedFrom);
  if (!(f.sort === 'assigned_on' && f.dir === 'desc')) {
    put('sort', f.sort);
    put('dir', f.dir);
  }
  if (f.page !== 1) put('page', f.page);
  if (f.pageSize !== DEFAULT_PAGE_SIZE) put('pageSize', f.pageSize);
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

// ---- status of one task as the list sees it ------------------------------------------------------------------

export type ListStatus = Category | 'cancelled' | 'notAssigned';

/** The list's status key for a classified task: its category, or cancelled (cancelled on or before C). */
export function listStatusOf(s: TaskStatus): ListStatus {
  if (s.category !== null) return s.category;
  return s.counted ? 'notAssigned' : 'cancelled';
}

/**
 * Does a classified task match a status filter? awaitingConfirmation and dueSoon are sub-flags of open tasks;
 * open = any of the three not-completed categories (the dashboard's "new, not yet acknowledged" list uses it).
 */
export function statusMatches(s: TaskStatus, wanted: TaskStatusFilter, assignedOn: IsoDate, asOf: IsoDate): boolean {
  switch (wanted) {
    case 'cancelled':
      return !s.counted && assignedOn <= asOf;
    case 'awaitingConfirmation':
      return s.counted && s.awaitingConfirmation;
    case 'dueSoon':
      return s.counted && s.dueSoon;
    case 'open':
      return s.counted && (s.category === 'inProgress' || s.category === 'overdue' || s.category === 'noDeadline');
    default:
      return s.counted && s.category === wanted;
  }
}

// ---- the query ----------------------------------------------------------------------------------------------

export interface TaskListRow {
  id: number;
  code: string;
  title: string;
  /** lead agency on the as-of day (differs from the current one only for a task reassigned after it) */
  leadAgencyId: number;
  leadAgencyCode: string;
  leadAgencyName: string;
  coordinatorNames: string[];
  leaderName: string | null;
  sectorCode: string | null;
  sectorName: string | null;
  documentNumber: string | null;
  assignedOn: IsoDate;
  /** original deadline */
  deadline: IsoDate | null;
  /** extended deadline, when the extension was approved on or before asOf */
  extDeadline: IsoDate | null;
  effectiveDeadline: IsoDate | null;
  status: ListStatus;
  statusLabel: string;
  awaitingConfirmation: boolean;
  dueSoon: boolean;
  overdueDays: number;
  completionDate: IsoDate | null;
  receivedOn: IsoDate | null;
  lastUpdateAt: string | null;
  starred: boolean;
  confidential: boolean;
}

export interface StatusCounts {
  /** tasks assigned on or before asOf matching the filter apart from its status (cancelled included) */
  all: number;
  byStatus: Record<TaskStatusFilter, number>;
}

export interface TaskQueryResult {
  rows: TaskListRow[];
  total: number;
  page: number;
  pageSize: number;
  asOf: IsoDate;
  /** counts per status for the filter without its status part (only with { withCounts: true }) */
  counts?: StatusCounts;
}

type Scoped = Pick<Principal, 'role' | 'agencyId'>;

interface ScanRow extends FactsRow {
  id: number;
  code: string;
  last_update_at: string | null;
}

interface Match {
  id: number;
  code: string;
  agencyId: number;
  assignedOn: IsoDate;
  deadline: IsoDate | null;
  effectiveDeadline: IsoDate | null;
  lastUpdateAt: string | null;
}

interface ScanResult {
  /** matching task ids in list order (a typed array: 4 bytes a task, so 64 cached province-wide lists stay ~8 MB) */
  ids: Int32Array;
  counts: StatusCounts | null;
  at: number;
  version: string;
  /** display rows of the pages already shown ('page:pageSize'), valid as long as the scan itself */
  pages: Map<string, TaskListRow[]>;
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}

/** Start of a local (UTC+7, no daylight saving in Viet Nam) day as a UTC ISO instant, to compare with *_at columns. */
export function localDayStartUtc(day: IsoDate): string {
  return `${addDays(day, -1)}T17:00:00.000Z`;
}

/** Ids of agencies whose folded name or code contains `token` (agencies are few: matched in JS). */
function agenciesMatching(db: DB, tokens: string[]): number[][] {
  const all = db.prepare('SELECT id, code, name FROM agencies').all() as Array<{
    id: number;
    code: string;
    name: string;
  }>;
  const folded = all.map((a) => ({ id: a.id, text: `${foldVietnamese(a.code)} ${foldVietnamese(a.name)}` }));
  return tokens.map((t) => folded.filter((a) => a.text.includes(t)).map((a) => a.id));
}

/** The free text as at most MAX_Q_TOKENS folded words, each of which must match. */
export function queryTokens(q: string | undefined): string[] {
  if (!q) return [];
  return [...new Set(foldVietnamese(q).split(' ').filter(Boolean))].slice(0, MAX_Q_TOKENS);
}

/**
 * WHERE clause (without status) and its parameters. Every condition here is exact for what it filters except the
 * status prefilter, which only removes rows that cannot match (classifyAsOf decides).
 */
function buildWhere(
  db: DB,
  principal: Scoped,
  f: TaskFilter,
  statusPrefilter: boolean,
): { sql: string; params: unknown[]; agencyId: number | null } {
  const where: string[] = [];
  const params: unknown[] = [];
  const scope = taskScopeSql(principal, 'task.read', 't');
  where.push(scope.sql);
  params.push(...scope.params);
  where.push('t.assigned_on <= ?');
  params.push(f.asOf);

  let agencyId: number | null = null;
  if (f.agency !== undefined) {
    const a = db.prepare('SELECT id FROM agencies WHERE code = ?').get(f.agency) as { id: number } | undefined;
    agencyId = a?.id ?? -1;
    const coord = 'EXISTS (SELECT 1 FROM task_coordinators tc WHERE tc.task_id = t.id AND tc.agency_id = ?)';
    // lead agency as of C: the current one, or any reassigned task (its history is checked in JS)
    const lead = '(t.lead_agency_id = ? OR t.agency_history IS NOT NULL)';
    if (f.role === 'lead') {
      where.push(lead);
      params.push(agencyId);
    } else if (f.role === 'coordinator') {
      where.push(coord);
      params.push(agencyId);
    } else {
      where.push(`(${lead} OR ${coord})`);
      params.push(agencyId, agencyId);
    }
  }
  const tokens = queryTokens(f.q);
  if (tokens.length > 0) {
    const agencyIds = agenciesMatching(db, tokens);
    tokens.forEach((tok, i) => {
      const ids = agencyIds[i]!;
      const parts = ["t.search_text LIKE ? ESCAPE '\\'"];
      params.push(`%${likeEscape(tok)}%`);
      if (ids.length > 0) {
        const ph = ids.map(() => '?').join(', ');
        parts.push(
          `t.lead_agency_id IN (${ph})`,
          `EXISTS (SELECT 1 FROM task_coordinators tq WHERE tq.task_id = t.id AND tq.agency_id IN (${ph}))`,
        );
        params.push(...ids, ...ids);
      }
      where.push(`(${parts.join(' OR ')})`);
    });
  }
  if (f.leader !== undefined) {
    where.push('t.leader_id = ?');
    params.push(f.leader);
  }
  if (f.sector !== undefined) {
    where.push('t.sector_id IN (SELECT id FROM sectors WHERE code = ?)');
    params.push(f.sector);
  }
  if (f.document !== undefined) {
    where.push('t.document_id IN (SELECT id FROM documents WHERE number = ? COLLATE NOCASE)');
    params.push(f.document);
  }
  if (f.starred !== undefined) {
    where.push('t.starred = ?');
    params.push(f.starred ? 1 : 0);
  }
  if (f.confidential !== undefined) {
    where.push('t.confidential = ?');
    params.push(f.confidential ? 1 : 0);
  }
  if (f.received !== undefined) {
    where.push(f.received ? 't.received_on <= ?' : '(t.received_on IS NULL OR t.received_on > ?)');
    params.push(f.asOf);
  }
  if (f.assignedFrom !== undefined) {
    where.push('t.assigned_on >= ?');
    params.push(f.assignedFrom);
  }
  if (f.assignedTo !== undefined) {
    where.push('t.assigned_on <= ?');
    params.push(f.assignedTo);
  }
  if (f.updatedFrom !== undefined) {
    where.push('t.last_update_at >= ?');
    params.push(localDayStartUtc(f.updatedFrom));
  }
  if (statusPrefilter && f.status !== undefined) {
    const open = '(t.confirmed_on IS NULL OR t.confirmed_on > ?) AND (t.cancelled_on IS NULL OR t.cancelled_on > ?)';
    // t.deadline is the deadline in force now; a task whose deadline was corrected (status.ts deadlineHistory) is
    // left to classifyAsOf, since on an earlier C another deadline was in force
    const effective =
      '(CASE WHEN t.ext_approved_on <= ? AND t.ext_deadline IS NOT NULL THEN t.ext_deadline ELSE t.deadline END)';
    const corrected = 't.deadline_history IS NOT NULL';
    const C = f.asOf;
    switch (f.status) {
      case 'completedOnTime':
      case 'completedLate':
        // completed by C needs a confirmation by C; settled tasks keep their category (status.ts settledAsOf)
        where.push(
          't.confirmed_on <= ? AND (t.settled_category IS NULL OR t.settled_on > ? OR t.settled_category = ?)',
        );
        params.push(C, C, f.status);
        break;
      case 'inProgress':
        where.push(`${open} AND (${effective} >= ? OR ${corrected})`);
        params.push(C, C, C, C);
        break;
      case 'dueSoon':
        where.push(`${open} AND (${effective} BETWEEN ? AND ? OR ${corrected})`);
        params.push(C, C, C, C, addDays(C, 3));
        break;
      case 'overdue':
        where.push(`${open} AND (${effective} < ? OR ${corrected})`);
        params.push(C, C, C, C);
        break;
      case 'noDeadline':
        where.push(`${open} AND (t.deadline IS NULL OR ${corrected})`);
        params.push(C, C);
        break;
      case 'awaitingConfirmation':
        // a report window [s, r) containing C: pending now, confirmed after C, or a non-trivial history (JSON)
        where.push(
          `${open} AND (t.reported_on <= ? OR t.report_windows IS NOT NULL OR (t.completed_on <= ? AND t.confirmed_on > ?))`,
        );
        params.push(C, C, C, C, C);
        break;
      case 'cancelled':
        where.push('t.cancelled_on <= ?');
        params.push(C);
        break;
      case 'open':
        where.push(open);
        params.push(C, C);
        break;
    }
  }
  return { sql: where.join(' AND '), params, agencyId };
}

function compareNullable(a: string | null, b: string | null, dir: 1 | -1): number {
  if (a === b) return 0;
  if (a === null) return 1; // nulls last in both directions
  if (b === null) return -1;
  return (a < b ? -1 : 1) * dir;
}

function sortMatches(matches: Match[], f: TaskFilter, agencyCodes: Map<number, string>): void {
  const dir = f.dir === 'asc' ? 1 : -1;
  const byCode = (a: Match, b: Match) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) * dir;
  let key: (a: Match, b: Match) => number;
  switch (f.sort) {
    case 'code':
      key = () => 0;
      break;
    case 'assigned_on':
      key = (a, b) => compareNullable(a.assignedOn, b.assignedOn, dir);
      break;
    case 'deadline':
      key = (a, b) => compareNullable(a.deadline, b.deadline, dir);
      break;
    case 'effective_deadline':
      key = (a, b) => compareNullable(a.effectiveDeadline, b.effectiveDeadline, dir);
      break;
    case 'agency':
      key = (a, b) => compareNullable(agencyCodes.get(a.agencyId) ?? null, agencyCodes.get(b.agencyId) ?? null, dir);
      break;
    case 'last_update':
      key = (a, b) => compareNullable(a.lastUpdateAt, b.lastUpdateAt, dir);
      break;
  }
  matches.sort((a, b) => key(a, b) || byCode(a, b));
}

function emptyStatusCounts(): StatusCounts {
  const byStatus = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<TaskStatusFilter, number>;
  return { all: 0, byStatus };
}

const statementCache = new WeakMap<DB, Map<string, Statement>>();
/** Prepared once per database and SQL text (list pages repeat the same few shapes; compiling costs ~0.1 ms each). */
function prepared(db: DB, sql: string): Statement {
  let m = statementCache.get(db);
  if (!m) statementCache.set(db, (m = new Map()));
  let st = m.get(sql);
  if (!st) {
    if (m.size > 200) m.clear();
    m.set(sql, (st = db.prepare(sql)));
  }
  return st;
}

const versionStatements = new WeakMap<DB, Statement<[], unknown>>();
/** Changes on every write that can change a list: an event appended or a task created (see the header). */
export function taskDataVersion(db: DB): string {
  let stmt = versionStatements.get(db);
  if (!stmt)
    versionStatements.set(
      db,
      (stmt = db.prepare('SELECT (SELECT max(id) FROM task_events) AS e, (SELECT max(id) FROM tasks) AS t')),
    );
  const r = stmt.get() as { e: number | null; t: number | null };
  return `${r.e ?? 0}:${r.t ?? 0}`;
}

const CACHE_MAX = 64;
const CACHE_TTL_MS = 60_000;
const scanCache = new WeakMap<DB, Map<string, ScanResult>>();

export function clearTaskQueryCache(db?: DB): void {
  if (db) scanCache.delete(db);
}

/** All tasks matching the filter (paging ignored), sorted, with their as-of facts; optionally counts per status. */
function scan(db: DB, principal: Scoped, f: TaskFilter, withCounts: boolean): ScanResult {
  const version = taskDataVersion(db);
  const key = JSON.stringify([principal.role, principal.agencyId, withCounts, { ...f, page: 0, pageSize: 0 }]);
  let perDb = scanCache.get(db);
  if (!perDb) scanCache.set(db, (perDb = new Map()));
  const hit = perDb.get(key);
  const now = Date.now();
  if (hit && hit.version === version && now - hit.at < CACHE_TTL_MS) return hit;

  // counts need every status, so no status prefilter then
  const { sql, params, agencyId } = buildWhere(db, principal, f, !withCounts);
  const rows = db
    .prepare(
      `SELECT t.id, t.code, t.last_update_at, ${FACTS_COLUMNS.split(', ')
        .map((c) => `t.${c}`)
        .join(', ')} FROM tasks t WHERE ${sql}`,
    )
    .all(...params) as ScanRow[];
  const C = f.asOf;
  const matches: Match[] = [];
  const counts = withCounts ? emptyStatusCounts() : null;
  for (const r of rows) {
    const facts = factsFromRow(r);
    const s = classifyAsOf(facts, C);
    // lead agency as of C for the 'lead' role (reassigned tasks were let through by SQL)
    if (agencyId !== null && f.role !== 'coordinator' && r.agency_history !== null && s.agencyId !== agencyId) {
      if (f.role === 'lead') continue;
      // 'any': lead as of C, or a coordinator
      const isCoordinator = db
        .prepare('SELECT 1 FROM task_coordinators WHERE task_id = ? AND agency_id = ?')
        .get(r.id, agencyId);
      if (!isCoordinator) continue;
    }
    if (counts) {
      counts.all++;
      for (const st of TASK_STATUSES) if (statusMatches(s, st, r.assigned_on, C)) counts.byStatus[st]++;
    }
    if (f.status !== undefined && !statusMatches(s, f.status, r.assigned_on, C)) continue;
    matches.push({
      id: r.id,
      code: r.code,
      agencyId: s.agencyId,
      assignedOn: r.assigned_on,
      deadline: r.deadline,
      effectiveDeadline: s.effectiveDeadline,
      lastUpdateAt: r.last_update_at,
    });
  }
  const agencyCodes = new Map(
    (db.prepare('SELECT id, code FROM agencies').all() as Array<{ id: number; code: string }>).map((a) => [
      a.id,
      a.code,
    ]),
  );
  sortMatches(matches, f, agencyCodes);
  const result: ScanResult = { ids: Int32Array.from(matches, (m) => m.id), counts, at: now, version, pages: new Map() };
  if (perDb.size >= CACHE_MAX) perDb.delete(perDb.keys().next().value!);
  perDb.set(key, result);
  return result;
}

interface DetailRow {
  id: number;
  code: string;
  title: string;
  leader_name: string | null;
  sector_code: string | null;
  sector_name: string | null;
  document_number: string | null;
  starred: number;
  confidential: number;
  last_update_at: string | null;
}

/** The display rows of `ids` (in that order), classified as of asOf. */
function loadRows(db: DB, ids: number[], asOf: IsoDate): TaskListRow[] {
  if (ids.length === 0) return [];
  const agencies = new Map(
    (
      prepared(db, 'SELECT id, code, name FROM agencies').all() as Array<{ id: number; code: string; name: string }>
    ).map((a) => [a.id, a]),
  );
  const out: TaskListRow[] = [];
  const CHUNK = 500;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const ph = chunk.map(() => '?').join(', ');
    const details = prepared(
      db,
      `SELECT t.id, t.code, t.title, t.starred, t.confidential, t.last_update_at,
                ${FACTS_COLUMNS.split(', ')
                  .map((c) => `t.${c}`)
                  .join(', ')},
                l.name AS leader_name, s.code AS sector_code, s.name AS sector_name, d.number AS document_number
           FROM tasks t
           LEFT JOIN leaders l ON l.id = t.leader_id
           LEFT JOIN sectors s ON s.id = t.sector_id
           LEFT JOIN documents d ON d.id = t.document_id
          WHERE t.id IN (${ph})`,
    ).all(...chunk) as Array<DetailRow & FactsRow>;
    const coordinators = new Map<number, string[]>();
    for (const c of prepared(
      db,
      `SELECT tc.task_id, a.name FROM task_coordinators tc JOIN agencies a ON a.id = tc.agency_id WHERE tc.task_id IN (${ph}) ORDER BY a.code`,
    ).all(...chunk) as Array<{ task_id: number; name: string }>) {
      let list = coordinators.get(c.task_id);
      if (!list) coordinators.set(c.task_id, (list = []));
      list.push(c.name);
    }
    const byId = new Map(details.map((d) => [d.id, d]));
    for (const id of chunk) {
      const d = byId.get(id);
      if (!d) continue;
      const s = classifyAsOf(factsFromRow(d), asOf);
      const a = agencies.get(s.agencyId);
      const status = listStatusOf(s);
      out.push({
        id: d.id,
        code: d.code,
        title: d.title,
        leadAgencyId: s.agencyId,
        leadAgencyCode: a?.code ?? '',
        leadAgencyName: a?.name ?? '',
        coordinatorNames: coordinators.get(id) ?? [],
        leaderName: d.leader_name,
        sectorCode: d.sector_code,
        sectorName: d.sector_name,
        documentNumber: d.document_number,
        assignedOn: d.assigned_on,
        deadline: d.deadline,
        extDeadline: d.ext_approved_on !== null && d.ext_approved_on <= asOf ? d.ext_deadline : null,
        effectiveDeadline: s.effectiveDeadline,
        status,
        statusLabel:
          status === 'cancelled'
            ? TASK_STATUS_LABELS.cancelled
            : status === 'notAssigned'
              ? 'Chưa giao'
              : CATEGORY_LABELS[status],
        awaitingConfirmation: s.awaitingConfirmation,
        dueSoon: s.dueSoon,
        overdueDays: s.overdueDays,
        completionDate: s.completionDate,
        receivedOn: d.received_on !== null && d.received_on <= asOf ? d.received_on : null,
        lastUpdateAt: d.last_update_at,
        starred: d.starred === 1,
        confidential: d.confidential === 1,
      });
    }
  }
  return out;
}

/** One page of the tasks `principal` may read that match `filter`, with the total (and counts per status). */
export function queryTasks(
  db: DB,
  principal: Scoped,
  filter: TaskFilter,
  options: { withCounts?: boolean } = {},
): TaskQueryResult {
  const withCounts = options.withCounts ?? false;
  const scanned = scan(db, principal, filter, withCounts);
  const { ids, counts } = scanned;
  const total = ids.length;
  const pageKey = `${filter.page}:${filter.pageSize}`;
  let rows = scanned.pages.get(pageKey);
  if (!rows) {
    const start = (filter.page - 1) * filter.pageSize;
    rows = loadRows(db, Array.from(ids.subarray(start, start + filter.pageSize)), filter.asOf);
    if (scanned.pages.size >= 8) scanned.pages.clear();
    scanned.pages.set(pageKey, rows);
  }
  // rows are shared with the cache: copied so a caller may change its array
  const result: TaskQueryResult = {
    rows: [...rows],
    total,
    page: filter.page,
    pageSize: filter.pageSize,
    asOf: filter.asOf,
  };
  if (counts) result.counts = counts;
  return result;
}

/** Counts per status for the filter without its status part (the list page's summary, the dashboard). */
export function countTasksByStatus(db: DB, principal: Scoped, filter: TaskFilter): StatusCounts {
  return scan(db, principal, { ...filter, page: 1, pageSize: DEFAULT_PAGE_SIZE }, true).counts!;
}

/**
 * Every matching row for an export (no paging), in the list's order. Refuses (DomainError 422) above `cap` rows
 * rather than silently cutting the file short.
 */
export function exportTasks(
  db: DB,
  principal: Scoped,
  filter: TaskFilter,
  cap = EXPORT_CAP,
): { rows: TaskListRow[]; total: number; asOf: IsoDate } {
  const { ids } = scan(db, principal, filter, false);
  if (ids.length > cap) {
    throw new DomainError(
      'export_too_large',
      `Danh sách có ${ids.length.toLocaleString('vi-VN')} nhiệm vụ, vượt giới hạn xuất tệp ${cap.toLocaleString('vi-VN')} dòng. Hãy thu hẹp bộ lọc (ví dụ theo đơn vị hoặc khoảng ngày giao).`,
      422,
    );
  }
  return { rows: loadRows(db, Array.from(ids), filter.asOf), total: ids.length, asOf: filter.asOf };
}
