/**
 * Computes the public snapshot of a period as of a cutoff date, through the status module (DESIGN.md §3–§4).
 * Only whitelisted public fields are read from the database: confidential tasks are filtered in SQL and never
 * counted; event notes are never read except the note of a public, confirmed result report (its summary).
 */
import type { DB } from '../db/open.ts';
import { classifyAsOf, deadlineAsOf, MIN_DUE_FOR_RANKING, type EventKind } from '../domain/status.ts';
import { factsFromRow, FACTS_COLUMNS, type FactsRow } from '../domain/tasks.ts';
import { deadlineCalendarOf } from '../domain/holidays.ts';
import { type ClassifiedTask, unitActivity } from './snapshot-activity.ts';
import { computeSnapshotFigures } from './snapshot-figures.ts';
import {
  SNAPSHOT_SCHEMA_VERSION,
  snapshotSchema,
  type Change,
  type ChangeItem,
  type PublicTask,
  type PreviousTask,
  type Snapshot,
  type SnapshotHeader,
  type StoredSnapshot,
  type StoredSnapshotHeader,
  type TimelineEntry,
  type TrendPoint,
} from './schema.ts';

export const DEFAULT_PROVINCE = 'Ủy ban nhân dân tỉnh';
export const DEFAULT_OFFICE = 'Văn phòng Ủy ban nhân dân tỉnh';

interface TaskPublicRow extends FactsRow {
  id: number;
  code: string;
  title: string;
  doc_number: string | null;
  doc_type: string | null;
  doc_issued_on: string | null;
  sector_name: string | null;
}

/**
 * One public event as SQLite gives it (raw: an array, ≈ 250,000 of them on ten years, a quarter cheaper to make
 * than objects): task id, kind, day, its data (only for the kinds whose data the timeline shows: extension
 * approved, reassigned; null otherwise) and its note (only for 'reported' events, the result summary).
 */
type PublicEventRow = [
  taskId: number,
  kind: EventKind,
  occurredOn: string,
  data: string | null,
  summary: string | null,
];

function setting(db: DB, key: string): string | null {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row && row.value.trim() !== '' ? row.value.trim() : null;
}

const LATEST_REVISIONS = `SELECT %COLUMNS% FROM publications p
  WHERE p.revision = (SELECT max(revision) FROM publications q WHERE q.period = p.period)`;

/** The latest revision of each published period, without the task lists (every schema version ever stored). */
export function latestSummaries(db: DB): StoredSnapshotHeader[] {
  const rows = db.prepare(`${LATEST_REVISIONS.replace('%COLUMNS%', 'p.summary')} ORDER BY p.period`).all() as Array<{
    summary: string;
  }>;
  return rows.map((r) => JSON.parse(r.summary) as StoredSnapshotHeader);
}

/**
 * The earlier periods' cumulative totals for the trend, read with json_extract: the headers hold per-agency views
 * of two periods, and parsing all of them for every new publication would grow with the square of the history.
 */
function trendBefore(db: DB, period: string): TrendPoint[] {
  const columns = `p.period, p.as_of, p.revision, json_extract(p.summary, '$.schemaVersion') AS schema_version,
    json_extract(p.summary, '$.rulesVersion') AS rules_version, json_extract(p.summary, '$.totals') AS totals`;
  const rows = db
    .prepare(`${LATEST_REVISIONS.replace('%COLUMNS%', columns)} AND p.period < ? ORDER BY p.period`)
    .all(period) as Array<{
    period: string;
    as_of: string;
    revision: number;
    schema_version: number;
    rules_version: number | null;
    totals: string;
  }>;
  return rows.map((r) => ({
    period: r.period,
    asOf: r.as_of,
    revision: r.revision,
    rulesVersion: r.schema_version === 1 ? 1 : (r.rules_version ?? 1),
    counts: JSON.parse(r.totals) as TrendPoint['counts'],
  }));
}

export interface SnapshotInput {
  period: string;
  asOf: string;
  revision: number;
  note: string;
  publishedAt: string;
  /** the previous period's snapshot tasks, for the change since then (null: first publication) */
  previous?: { header: Pick<StoredSnapshotHeader, 'period' | 'asOf'>; tasks: ReadonlyArray<PreviousTask> } | null;
}

/** Builds (and validates) the snapshot; throws a ZodError if anything outside the contract slipped in. */
export function buildSnapshot(db: DB, input: SnapshotInput): Snapshot {
  const { asOf } = input;
  const figures = computeSnapshotFigures(db, input.period, asOf);
  const agencyRows = db.prepare('SELECT id, code FROM agencies').all() as Array<{ id: number; code: string }>;
  const agencyById = new Map(agencyRows.map((a) => [a.id, a]));
  const codeOf = (id: number) => agencyById.get(id)?.code ?? String(id);
  const agencyIdByCode = new Map(agencyRows.map((a) => [a.code, a.id]));

  const taskRows = db
    .prepare(
      `SELECT t.id, t.code, t.title, ${FACTS_COLUMNS.split(', ')
        .map((c) => `t.${c}`)
        .join(', ')},
              d.number AS doc_number, d.doc_type AS doc_type, d.issued_on AS doc_issued_on, s.name AS sector_name
       FROM tasks t
       LEFT JOIN documents d ON d.id = t.document_id
       LEFT JOIN sectors s ON s.id = t.sector_id
       WHERE t.confidential = 0 AND t.assigned_on <= ?
       ORDER BY t.code`,
    )
    .all(asOf) as TaskPublicRow[];

  const coordinators = new Map<number, string[]>();
  for (const r of db
    .prepare(
      `SELECT c.task_id, a.code FROM task_coordinators c JOIN agencies a ON a.id = c.agency_id
       JOIN tasks t ON t.id = c.task_id WHERE t.confidential = 0 AND t.assigned_on <= ? ORDER BY a.code`,
    )
    .all(asOf) as Array<{ task_id: number; code: string }>) {
    let list = coordinators.get(r.task_id);
    if (!list) coordinators.set(r.task_id, (list = []));
    list.push(r.code);
  }

  // Public events only; the note is read for result reports alone (their summary may be public). The events of the
  // public tasks are kept as they come, in task order: the join with tasks cost SQLite a third more than the rows
  // it skips (confidential tasks, tasks assigned after the cutoff), which are dropped here and never read.
  const publicTasks = new Set(taskRows.map((r) => r.id));
  const events = new Map<number, PublicEventRow[]>();
  let list: PublicEventRow[] = [];
  let listOf = -1;
  for (const e of db
    .prepare(
      `SELECT e.task_id, e.kind, e.occurred_on,
              CASE WHEN e.kind IN ('extension_approved', 'reassigned') THEN e.data END AS data,
              CASE WHEN e.kind = 'reported' THEN e.note ELSE NULL END AS summary
       FROM task_events e
       WHERE e.public = 1 AND e.occurred_on <= ?
       ORDER BY e.task_id, e.occurred_on, e.id`,
    )
    .raw(true)
    .all(asOf) as PublicEventRow[]) {
    if (e[0] !== listOf) {
      listOf = e[0];
      list = [];
      if (publicTasks.has(listOf)) events.set(listOf, list);
    }
    list.push(e);
  }

  const tasks: PublicTask[] = [];
  const calendar = deadlineCalendarOf(db); // the holiday calendar the figures use (holidays.ts)
  // every public task assigned by the cutoff, classified once (the activity figures read them too)
  const classified: ClassifiedTask[] = [];
  for (const r of taskRows) {
    const facts = factsFromRow(r);
    const s = classifyAsOf(facts, asOf, calendar);
    classified.push({ id: r.id, facts, status: s });
    if (!s.counted || s.category === null) continue;
    const evs = events.get(r.id) ?? [];
    const timeline: TimelineEntry[] = evs.map(([, kind, date, text]) => {
      // optional fields are left out when empty: ten events a task, 30,000 tasks, every month (size matters)
      const entry: TimelineEntry = { date, kind };
      if (text === null) return entry;
      const data = JSON.parse(text) as { newDeadline?: string; toAgencyId?: number };
      if (kind === 'extension_approved' && data.newDeadline) entry.newDeadline = data.newDeadline;
      if (kind === 'reassigned' && typeof data.toAgencyId === 'number') entry.toAgency = codeOf(data.toAgencyId);
      return entry;
    });
    const completed = s.category === 'completedOnTime' || s.category === 'completedLate';
    const report = completed ? evs.find((e) => e[1] === 'reported' && e[2] === s.completionDate) : undefined;
    const summary = report?.[4]?.trim() ?? '';
    tasks.push({
      code: r.code,
      title: r.title,
      document:
        r.doc_number && r.doc_type && r.doc_issued_on
          ? { number: r.doc_number, type: r.doc_type, issuedOn: r.doc_issued_on }
          : null,
      leadAgency: codeOf(s.agencyId),
      coordinators: coordinators.get(r.id) ?? [],
      sector: r.sector_name,
      assignedOn: r.assigned_on,
      deadline: deadlineAsOf(facts, asOf), // the deadline in force on C (a later correction counts from its day)
      extendedDeadline: facts.extApprovedOn !== null && facts.extApprovedOn <= asOf ? facts.extDeadline : null,
      effectiveDeadline: s.effectiveDeadline,
      status: s.category,
      completedOn: s.completionDate,
      awaitingConfirmation: s.awaitingConfirmation,
      overdueDays: s.overdueDays,
      resultSummary: summary === '' ? null : summary,
      timeline,
    });
  }

  const trend = trendBefore(db, input.period);
  trend.push({
    period: input.period,
    asOf,
    revision: input.revision,
    rulesVersion: figures.rulesVersion,
    counts: figures.totals,
  });

  const snapshot: Snapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    rulesVersion: figures.rulesVersion,
    province: setting(db, 'province_name') ?? DEFAULT_PROVINCE,
    office: setting(db, 'office_name') ?? DEFAULT_OFFICE,
    period: input.period,
    asOf,
    revision: input.revision,
    note: input.note,
    publishedAt: input.publishedAt,
    minDueForRanking: MIN_DUE_FOR_RANKING,
    totals: figures.totals,
    month: figures.month,
    yearToDate: figures.yearToDate,
    agencies: figures.agencies,
    newlyOverdue: figures.newlyOverdue,
    agencyEnds: figures.agencyEnds,
    trend,
    // each ranked unit's own updates in the month (snapshot-activity.ts)
    activity: unitActivity(db, {
      from: figures.month.from,
      asOf,
      agencies: figures.agencies.map((a) => ({ id: agencyIdByCode.get(a.code) ?? -1, code: a.code })),
      tasks: classified,
    }),
    change: input.previous ? computeChange(input.previous, tasks) : null,
    tasks,
  };
  return snapshotSchema.parse(snapshot);
}

/** Newly completed, newly overdue and newly extended since the previous period's publication. */
export function computeChange(
  previous: { header: Pick<StoredSnapshotHeader, 'period' | 'asOf'>; tasks: ReadonlyArray<PreviousTask> },
  tasks: PublicTask[],
): Change {
  const before = new Map(previous.tasks.map((t) => [t.code, t]));
  const item = (t: PublicTask): ChangeItem => ({ code: t.code, title: t.title, leadAgency: t.leadAgency });
  const done = (t: Pick<PublicTask, 'status'> | undefined) =>
    t?.status === 'completedOnTime' || t?.status === 'completedLate';
  const newlyCompleted: ChangeItem[] = [];
  const newlyOverdue: ChangeItem[] = [];
  const extended: ChangeItem[] = [];
  for (const t of tasks) {
    const p = before.get(t.code);
    if (done(t) && !done(p)) newlyCompleted.push(item(t));
    if (t.status === 'overdue' && p?.status !== 'overdue') newlyOverdue.push(item(t));
    if (t.extendedDeadline !== null && (p === undefined || p.extendedDeadline === null)) extended.push(item(t));
  }
  return {
    previousPeriod: previous.header.period,
    previousAsOf: previous.header.asOf,
    newlyCompleted,
    newlyOverdue,
    extended,
  };
}

/** The snapshot without its task list (what the publications.summary column holds). */
export function headerOf(s: Snapshot): SnapshotHeader;
export function headerOf(s: StoredSnapshot): StoredSnapshotHeader;
export function headerOf(s: StoredSnapshot): StoredSnapshotHeader {
  const { tasks: _tasks, ...header } = s;
  return header;
}
