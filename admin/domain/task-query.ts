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
 * Speed: a list as of an earlier day scans the matching task rows' facts (ten years ≈ 32k tasks); a list as of
 * today takes the statuses from the live index instead (task-query-live.ts, live-status.ts). The sorted id list of a
 * (scope, filter) is cached until the data changes — every change to a task appends an event or creates a task
 * (DESIGN.md §3), so (max event id, max task id, agency names) is the data version (task-query-cache.ts) — and for
 * at most CACHE_TTL_MS in any case. A page then reads only its 50 rows by id, agencies named as of the cutoff.
 *
 * Four files, four ideas: task-filter.ts parses the filter, task-query-where.ts narrows in SQL,
 * task-query-cache.ts keeps the statements, the data version and the scans; task-query-scan.ts classifies and sorts
 * (from the rows, or from the live index for lists as of today: live-status.ts); this file pages and loads the rows.
 */
import type { DB } from '../db/open.ts';
import { agencyTable } from './agency-table.ts';
import type { ScopedPrincipal } from '../auth/permissions.ts';
import { CATEGORY_LABELS, classifyAsOf } from './status.ts';
import { factsFromRow, FACTS_COLUMNS, type FactsRow } from './tasks.ts';
import type { IsoDate } from './dates.ts';
import { DomainError } from './rules.ts';
import { DEFAULT_PAGE_SIZE, EXPORT_CAP, TASK_STATUS_LABELS, type TaskFilter } from './task-filter.ts';
import { prepared } from './task-query-cache.ts';
import { formatNumber } from './format.ts';
import { agencyNamer } from './agency-names.ts';
import { share } from './structural-share.ts';

export * from './task-filter.ts';
export { localDayStartUtc, queryTokens } from './task-query-where.ts';
export { clearTaskQueryCache, taskDataVersion } from './task-query-cache.ts';

// the list's status of one task (task-list-status.ts), re-exported for the list's callers
export { listStatusOf, statusMatches, type ListStatus } from './task-list-status.ts';
import { listStatusOf, type ListStatus } from './task-list-status.ts';

type Scoped = ScopedPrincipal;

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

export type { StatusCounts } from './task-query-scan.ts';
import { scan, type ScanResult, type StatusCounts } from './task-query-scan.ts';

export interface TaskQueryResult {
  rows: TaskListRow[];
  total: number;
  page: number;
  pageSize: number;
  asOf: IsoDate;
  /** counts per status for the filter without its status part (only with { withCounts: true }) */
  counts?: StatusCounts;
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
  const agencies = agencyTable(db).byId;
  const namer = agencyNamer(db); // names as of the cutoff, "(nay là …)" beside them (issue 12)
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
      `SELECT tc.task_id, a.id FROM task_coordinators tc JOIN agencies a ON a.id = tc.agency_id WHERE tc.task_id IN (${ph}) ORDER BY a.code`,
    ).all(...chunk) as Array<{ task_id: number; id: number }>) {
      let list = coordinators.get(c.task_id);
      if (!list) coordinators.set(c.task_id, (list = []));
      list.push(namer.labelAsOf(c.id, asOf));
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
        leadAgencyName: namer.labelAsOf(s.agencyId, asOf),
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

/**
 * The display rows of `ids`: those of a patched scan's previous pages (task-query-scan.ts) kept, unless their task
 * changed since, and only the others read (after a write, most of a page is the page before).
 */
function pageRows(db: DB, ids: number[], asOf: IsoDate, reuse: ScanResult['reuse']): TaskListRow[] {
  if (!reuse) return loadRows(db, ids, asOf);
  const known = new Map<number, TaskListRow>();
  for (const page of reuse.pages.values()) for (const r of page) if (!reuse.changed.has(r.id)) known.set(r.id, r);
  const read = new Map(
    loadRows(
      db,
      ids.filter((id) => !known.has(id)),
      asOf,
    ).map((r) => [r.id, r]),
  );
  const out: TaskListRow[] = [];
  for (const id of ids) {
    const r = known.get(id) ?? read.get(id);
    if (r) out.push(r);
  }
  return out;
}

/**
 * The rows last loaded, per database and cutoff: a row loaded again after a write, equal to the one before, is the
 * one before (structural-share.ts), so the list's markup remembered by row (views/task-list-view.ts) holds across
 * writes that did not change it. Rows are never changed once loaded (the cache hands them out as they are).
 */
const lastRows = new WeakMap<DB, Map<string, TaskListRow>>();
const LAST_ROWS_MAX = 20_000;

function sameRows(db: DB, rows: TaskListRow[], asOf: IsoDate): TaskListRow[] {
  let last = lastRows.get(db);
  if (!last) lastRows.set(db, (last = new Map()));
  for (let i = 0; i < rows.length; i++) {
    const key = `${asOf}|${rows[i]!.id}`;
    const before = last.get(key);
    const row = before ? share(before, rows[i]!) : rows[i]!;
    if (row !== before) {
      if (last.size >= LAST_ROWS_MAX) last.clear();
      last.set(key, row);
    }
    rows[i] = row;
  }
  return rows;
}

export interface QueryOptions {
  withCounts?: boolean;
  /**
   * Statuses from the live index of filter.asOf (live-status.ts) rather than from the rows: for lists as of today,
   * opened all day. The same result either way (live-status.props.test.ts).
   */
  live?: boolean;
  /**
   * Only the first page will be asked for (the dashboard's five rows of each list): the scan keeps the first rows
   * in order and counts the rest, instead of sorting every match. The same page and total.
   */
  firstPageOnly?: boolean;
}

/** One page of the tasks `principal` may read that match `filter`, with the total (and counts per status). */
export function queryTasks(db: DB, principal: Scoped, filter: TaskFilter, options: QueryOptions = {}): TaskQueryResult {
  const withCounts = options.withCounts ?? false;
  const first = options.firstPageOnly && filter.page === 1 ? filter.pageSize : undefined;
  const scanned = scan(db, principal, filter, withCounts, options.live, first);
  const { ids, counts, total } = scanned;
  const pageKey = `${filter.page}:${filter.pageSize}`;
  let rows = scanned.pages.get(pageKey);
  if (!rows) {
    const start = (filter.page - 1) * filter.pageSize;
    rows = sameRows(
      db,
      pageRows(db, Array.from(ids.subarray(start, start + filter.pageSize)), filter.asOf, scanned.reuse),
      filter.asOf,
    );
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
export function countTasksByStatus(
  db: DB,
  principal: Scoped,
  filter: TaskFilter,
  options: Pick<QueryOptions, 'live'> = {},
): StatusCounts {
  return scan(db, principal, { ...filter, page: 1, pageSize: DEFAULT_PAGE_SIZE }, true, options.live).counts!;
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
      `Danh sách có ${formatNumber(ids.length)} nhiệm vụ, vượt giới hạn xuất tệp ${formatNumber(cap)} dòng. Hãy thu hẹp bộ lọc (ví dụ theo đơn vị hoặc khoảng ngày giao).`,
      422,
    );
  }
  return { rows: loadRows(db, Array.from(ids), filter.asOf), total: ids.length, asOf: filter.asOf };
}
