/**
 * How the task query narrows rows in SQL before classifyAsOf decides (admin/domain/task-query.ts): scope, the
 * filter's plain columns, free-text tokens without diacritics, and safe status prefilters — conditions that can
 * only drop rows classifyAsOf would drop too.
 */
import type { DB } from '../db/open.ts';
import { statement } from '../db/statements.ts';
import { derived, type AgencyTable } from './agency-table.ts';
import { scopeOf, taskScopeSql, type ScopedPrincipal } from '../auth/permissions.ts';
import { addDays, type IsoDate } from './dates.ts';
import { DUE_SOON_HORIZON_DAYS, MAX_SHIFT_DAYS } from './holidays-history.ts';
import { foldVietnamese } from './text.ts';
import type { TaskFilter } from './task-filter.ts';

type Scoped = ScopedPrincipal;

const MAX_Q_TOKENS = 8;

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}

/** Start of a local (UTC+7, no daylight saving in Viet Nam) day as a UTC ISO instant, to compare with *_at columns. */
export function localDayStartUtc(day: IsoDate): string {
  return `${addDays(day, -1)}T17:00:00.000Z`;
}

/** Ids of agencies whose folded name or code contains `token` (agencies are few: matched in JS). */
export function agenciesMatching(db: DB, tokens: string[]): number[][] {
  // the agencies' folded codes and names, folded again only when the agencies are read again
  const folded = derived(foldedAgencies, db, (t) =>
    t.rows.map((a) => ({ id: a.id, text: `${foldVietnamese(a.code)} ${foldVietnamese(a.name)}` })),
  );
  return tokens.map((t) => folded.filter((a) => a.text.includes(t)).map((a) => a.id));
}
const foldedAgencies = new WeakMap<AgencyTable, Array<{ id: number; text: string }>>();

/** The free text as at most MAX_Q_TOKENS folded words, each of which must match. */
export function queryTokens(q: string | undefined): string[] {
  if (!q) return [];
  return [...new Set(foldVietnamese(q).split(' ').filter(Boolean))].slice(0, MAX_Q_TOKENS);
}

/**
 * WHERE clause (without status) and its parameters. Every condition here is exact for what it filters except the
 * status prefilter, which only removes rows that cannot match (classifyAsOf decides).
 */
export function buildWhere(
  db: DB,
  principal: Scoped,
  f: TaskFilter,
  statusPrefilter: boolean,
  /**
   * the free text, "received" and "updated since" are matched by the caller on the live index
   * (task-query-live.ts liveTests), so SQL narrows by the rest only
   */
  textInMemory = false,
): {
  sql: string;
  params: unknown[];
  agencyId: number | null;
  /** anything beyond "every task assigned by the cutoff" (a unit's scope included) */
  narrowed: boolean;
  /** nothing beyond the principal's scope and the cutoff */
  onlyScope: boolean;
  /** nothing beyond the principal's scope (every task, or its unit's), the cutoff and the filter's agency */
  agencyOnly: boolean;
  /** the principal's scope when it is its unit's led tasks ('lead') or led and coordinated ones ('own') */
  unitScope: { kind: 'lead' | 'own'; agencyId: number } | null;
} {
  const where: string[] = [];
  const params: unknown[] = [];
  const scope = taskScopeSql(principal, 'task.read', 't');
  where.push(scope.sql);
  params.push(...scope.params);
  where.push('t.assigned_on <= ?');
  params.push(f.asOf);

  let agencyId: number | null = null;
  if (f.agency !== undefined) {
    const a = statement(db, 'SELECT id FROM agencies WHERE code = ?').get(f.agency) as { id: number } | undefined;
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
  const tokens = textInMemory ? [] : queryTokens(f.q);
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
  if (f.received !== undefined && !textInMemory) {
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
  if (f.updatedFrom !== undefined && !textInMemory) {
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
        // also past the deadline while an on-time report awaits confirmation (status.ts, rules v2), and up to
        // MAX_SHIFT_DAYS past the deadline as written, which the working-day rule may move (holidays-history.ts)
        where.push(
          `${open} AND (${effective} >= ? OR ${corrected} OR t.reported_on <= ? OR t.report_windows IS NOT NULL OR (t.completed_on <= ? AND t.confirmed_on > ?))`,
        );
        params.push(C, C, C, addDays(C, -MAX_SHIFT_DAYS), C, C, C);
        break;
      case 'dueSoon':
        // within 3 working days of C; the deadline as written may be up to MAX_SHIFT_DAYS before the one that counts
        where.push(`${open} AND (${effective} BETWEEN ? AND ? OR ${corrected})`);
        params.push(C, C, C, addDays(C, -MAX_SHIFT_DAYS), addDays(C, DUE_SOON_HORIZON_DAYS));
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
      case 'counted':
        where.push('(t.cancelled_on IS NULL OR t.cancelled_on > ?)');
        params.push(C);
        break;
    }
  }
  // nothing but every task assigned by the cutoff, for a principal who reads them all (or all of its own unit's)
  const kind = scopeOf(principal.role, 'task.read');
  const unitScope =
    (kind === 'lead' || kind === 'own') && principal.agencyId !== null ? { kind, agencyId: principal.agencyId } : null;
  const onlyScope = where.length === 2 && (scope.sql === '1' || unitScope !== null);
  return {
    sql: where.join(' AND '),
    params,
    agencyId,
    narrowed: !(scope.sql === '1' && onlyScope),
    onlyScope,
    agencyOnly: where.length === 3 && f.agency !== undefined && (scope.sql === '1' || unitScope !== null),
    unitScope,
  };
}
