/**
 * The task query's filter (admin/domain/task-query.ts): what the list, the export and the API accept, parsed and
 * checked once (zod, Vietnamese messages), and written back as a query string.
 */
import { z } from 'zod';
import type { DB } from '../db/open.ts';
import { CATEGORY_LABELS } from './status.ts';
import { parseDateInput, today, type IsoDate } from './dates.ts';
import { foldVietnamese } from './text.ts';
import { formatNumber } from './format.ts';

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
  'counted',
] as const;
export type TaskStatusFilter = (typeof TASK_STATUSES)[number];

export const TASK_STATUS_LABELS: Record<TaskStatusFilter, string> = {
  ...CATEGORY_LABELS,
  awaitingConfirmation: 'Đã báo cáo, chờ xác nhận',
  dueSoon: 'Sắp đến hạn (trong 3 ngày làm việc)',
  cancelled: 'Đã thu hồi',
  open: 'Chưa hoàn thành (mọi loại)',
  // what the statistics count on C: every task assigned by C except those cancelled (the overview's totals link here)
  counted: 'Được thống kê (trừ đã thu hồi)',
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
        message: `${label} phải là số nguyên từ ${min} đến ${formatNumber(max)}.`,
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
