/**
 * The public snapshot: the one contract between the admin side (publish), the static site (build) and the open
 * data (JSON, CSV, XLSX). Every object is strict: a field that is not listed here cannot enter a publication,
 * so the schema itself is the whitelist of public fields (DESIGN.md §3 "confidential tasks … left out entirely";
 * no internal notes, no personal data, no explanations, no urging texts, no return reasons).
 */
import { z } from 'zod';
import { CATEGORY_LABELS, EVENT_KINDS, EVENT_LABELS, type Category } from '../domain/status.ts';
import { isIsoDate } from '../domain/dates.ts';

/** Version 2: the period views (issue 10) and the rules version; version 1 snapshots stay readable as they are. */
export const SNAPSHOT_SCHEMA_VERSION = 2;

export const isoDate = z.string().refine(isIsoDate, 'ngày phải có dạng YYYY-MM-DD');
const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'kỳ phải có dạng YYYY-MM');
const count = z.number().int().min(0);
const rate = z.number().min(0).max(1).nullable();
const agencyCode = z.string().min(1).max(64);

export const CATEGORIES = ['completedOnTime', 'completedLate', 'inProgress', 'overdue', 'noDeadline'] as const;
export const categorySchema = z.enum(CATEGORIES);

const countFields = {
  total: count,
  completedOnTime: count,
  completedLate: count,
  inProgress: count,
  overdue: count,
  noDeadline: count,
  awaitingConfirmation: count,
  dueSoon: count,
  overdueOver30: count,
  overdueOver60: count,
  overdueOver120: count,
  due: count,
  onTimeRate: rate,
  overdueRate: rate,
};

/** Counts of rules version 1 (stored snapshots of schema version 1): no completion rate, other `due`. */
export const legacyCountsSchema = z.strictObject(countFields);
export type LegacyCounts = z.infer<typeof legacyCountsSchema>;

/** Counts of the rules in force (admin/domain/counts.ts): due = completed + overdue, rates over due. */
export const countsSchema = z.strictObject({ ...countFields, completionRate: rate });
export type PublicCounts = z.infer<typeof countsSchema>;
/** Either: what a page showing any stored snapshot receives. */
export type AnyCounts = LegacyCounts | PublicCounts;

const agencyKind = z.enum(['department', 'district', 'commune', 'central', 'other']);
const agencyFields = {
  code: agencyCode,
  name: z.string().min(1),
  kind: agencyKind,
  /** enough due tasks (≥ MIN_DUE_FOR_RANKING) to be ranked by on-time rate. Version 1: cumulative counts; version 2:
   * tasks assigned since 1 January (yearToDate.assigned), and only agencies still existing on the cutoff */
  ranked: z.boolean(),
  /** 1 = best on-time rate among ranked units; null when not ranked */
  rank: z.number().int().min(1).nullable(),
};

/**
 * The three views of one period [from, to] (DESIGN.md §3 "periods"): giao trong kỳ (assigned in the period),
 * tồn đọng từ kỳ trước (assigned before `from`, still open on from − 1: what became of them by `to`) and lũy kế
 * (everything assigned up to `to`, the same for every period ending on the cutoff).
 */
export const viewsSchema = z.strictObject({ assigned: countsSchema, backlog: countsSchema, cumulative: countsSchema });
export type PeriodViews = z.infer<typeof viewsSchema>;

export const periodSchema = z.strictObject({ from: isoDate, to: isoDate, ...viewsSchema.shape });
export type PeriodFigures = z.infer<typeof periodSchema>;

export const legacyAgencySummarySchema = z.strictObject({ ...agencyFields, counts: legacyCountsSchema });
export type LegacyAgencySummary = z.infer<typeof legacyAgencySummarySchema>;

export const agencySummarySchema = z.strictObject({
  ...agencyFields,
  /** cumulative as of the cutoff (lũy kế) */
  counts: countsSchema,
  /** the month published: its three views for this agency */
  month: viewsSchema,
  /** from 1 January of the cutoff's year to the cutoff */
  yearToDate: viewsSchema,
});
export type AgencySummary = z.infer<typeof agencySummarySchema>;
export type AnyAgencySummary = LegacyAgencySummary | AgencySummary;

/** An agency that ceased to exist on or before the cutoff (merged into a successor, or dissolved). */
export const agencyEndSchema = z.strictObject({
  code: agencyCode,
  name: z.string().min(1),
  kind: z.enum(['merged', 'dissolved']),
  on: isoDate,
  /** the agency it was merged into (null for a dissolution) */
  successor: z.strictObject({ code: agencyCode, name: z.string().min(1) }).nullable(),
});
export type AgencyEnd = z.infer<typeof agencyEndSchema>;

/** Tasks of an agency that became overdue during the published month (overdue on the cutoff, not on from − 1). */
export const newlyOverdueSchema = z.strictObject({
  code: agencyCode,
  name: z.string().min(1),
  count: z.number().int().min(1),
  /** of those, still overdue on the cutoff (the others were completed or cancelled since) */
  stillOverdue: count,
});
export type NewlyOverdueAgency = z.infer<typeof newlyOverdueSchema>;

export const legacyTrendPointSchema = z.strictObject({
  period,
  asOf: isoDate,
  revision: z.number().int().min(1),
  counts: legacyCountsSchema,
});

/** One earlier period in a version-2 snapshot: its cumulative counts as published, under the rules it used. */
export const trendPointSchema = z.strictObject({
  period,
  asOf: isoDate,
  revision: z.number().int().min(1),
  rulesVersion: z.number().int().min(1),
  counts: z.union([countsSchema, legacyCountsSchema]),
});
export type TrendPoint = z.infer<typeof trendPointSchema>;

export const changeItemSchema = z.strictObject({
  code: z.string().min(1),
  title: z.string().min(1),
  leadAgency: agencyCode,
});
export type ChangeItem = z.infer<typeof changeItemSchema>;

export const changeSchema = z.strictObject({
  previousPeriod: period,
  previousAsOf: isoDate,
  newlyCompleted: z.array(changeItemSchema),
  newlyOverdue: z.array(changeItemSchema),
  extended: z.array(changeItemSchema),
});
export type Change = z.infer<typeof changeSchema>;

export const timelineEntrySchema = z.strictObject({
  date: isoDate,
  kind: z.enum(EVENT_KINDS),
  /** extension_approved only: the new deadline (absent otherwise; null is accepted from early snapshots) */
  newDeadline: isoDate.nullish(),
  /** reassigned only: the code of the agency that took the task over */
  toAgency: agencyCode.nullish(),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

export const publicTaskSchema = z.strictObject({
  code: z.string().min(1),
  title: z.string().min(1),
  document: z.strictObject({ number: z.string().min(1), type: z.string().min(1), issuedOn: isoDate }).nullable(),
  leadAgency: agencyCode,
  coordinators: z.array(agencyCode),
  sector: z.string().nullable(),
  assignedOn: isoDate,
  deadline: isoDate.nullable(),
  extendedDeadline: isoDate.nullable(),
  effectiveDeadline: isoDate.nullable(),
  status: categorySchema,
  completedOn: isoDate.nullable(),
  awaitingConfirmation: z.boolean(),
  overdueDays: count,
  /** the public summary of the confirmed result report, when the Office marked that report public */
  resultSummary: z.string().nullable(),
  timeline: z.array(timelineEntrySchema),
});
export type PublicTask = z.infer<typeof publicTaskSchema>;

const headerFields = {
  province: z.string().min(1),
  office: z.string().min(1),
  period,
  asOf: isoDate,
  revision: z.number().int().min(1),
  /** correction note (đính chính); empty for the first revision */
  note: z.string(),
  publishedAt: z.string().datetime(),
  minDueForRanking: z.number().int().min(1),
  change: changeSchema.nullable(),
};

/** Schema version 1 (rules version 1), frozen: snapshots published before issue 10 are read with it. */
export const legacySnapshotHeaderSchema = z.strictObject({
  schemaVersion: z.literal(1),
  ...headerFields,
  totals: legacyCountsSchema,
  agencies: z.array(legacyAgencySummarySchema),
  trend: z.array(legacyTrendPointSchema),
});
export type LegacySnapshotHeader = z.infer<typeof legacySnapshotHeaderSchema>;

/** A unit's own updates in the published month (admin/publication/snapshot-activity.ts says what each fact is). */
export const unitActivitySchema = z.strictObject({
  code: z.string(),
  lastUpdateOn: isoDate.nullable(),
  openTasks: z.number().int().min(0),
  openUpdated: z.number().int().min(0),
  updatedShare: rate,
  reportsLate: z.number().int().min(0),
  completedLate: z.number().int().min(0),
  usedSystem: z.boolean(),
});
export type UnitActivityFacts = z.infer<typeof unitActivitySchema>;

export const snapshotHeaderSchema = z.strictObject({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  /** the counting rules the figures were computed with (admin/domain/counts.ts RULES_VERSION) */
  rulesVersion: z.number().int().min(2),
  ...headerFields,
  /** cumulative as of the cutoff (lũy kế), equal to month.cumulative and yearToDate.cumulative */
  totals: countsSchema,
  /** the month published, from its first day to the cutoff */
  month: periodSchema,
  /** from 1 January of the cutoff's year to the cutoff */
  yearToDate: periodSchema,
  agencies: z.array(agencySummarySchema),
  /** agencies with tasks newly overdue in the month, most first */
  newlyOverdue: z.array(newlyOverdueSchema),
  /** agencies that ceased to exist on or before the cutoff */
  agencyEnds: z.array(agencyEndSchema),
  trend: z.array(trendPointSchema),
  /** per ranked unit, its update activity in the month (absent from snapshots published before it existed) */
  activity: z.array(unitActivitySchema).optional(),
});
export type SnapshotHeader = z.infer<typeof snapshotHeaderSchema>;

export const legacySnapshotSchema = legacySnapshotHeaderSchema.extend({ tasks: z.array(publicTaskSchema) }).strict();
export type LegacySnapshot = z.infer<typeof legacySnapshotSchema>;

/** A snapshot as published now. */
export const snapshotSchema = snapshotHeaderSchema.extend({ tasks: z.array(publicTaskSchema) }).strict();
export type Snapshot = z.infer<typeof snapshotSchema>;

/** Any stored snapshot: published snapshots never change, so every version ever published must still be read. */
export const storedSnapshotSchema = z.discriminatedUnion('schemaVersion', [legacySnapshotSchema, snapshotSchema]);
export type StoredSnapshot = z.infer<typeof storedSnapshotSchema>;
export const storedSnapshotHeaderSchema = z.discriminatedUnion('schemaVersion', [
  legacySnapshotHeaderSchema,
  snapshotHeaderSchema,
]);

/**
 * What the change since the previous publication reads of each of its tasks (publish.ts previousPublication): the
 * stored text is checked against its SHA-256 first, so it is the text that passed snapshotSchema when it was
 * published; the three fields read are checked again, the others are not read.
 */
export const previousTaskSchema = z.looseObject({
  code: z.string(),
  status: categorySchema,
  extendedDeadline: isoDate.nullable(),
});
export type PreviousTask = z.infer<typeof previousTaskSchema>;
export type StoredSnapshotHeader = z.infer<typeof storedSnapshotHeaderSchema>;

/** The counting rules a stored snapshot was computed with (version-1 snapshots did not record it: 1). */
export function rulesVersionOf(s: StoredSnapshotHeader): number {
  return s.schemaVersion === 1 ? 1 : s.rulesVersion;
}

/** Narrows a stored snapshot (or header) to the current schema. */
export function isCurrentSnapshot<T extends { schemaVersion: number }>(s: T): s is Extract<T, { schemaVersion: 2 }> {
  return s.schemaVersion === SNAPSHOT_SCHEMA_VERSION;
}

/** Public names of the events, shown on the task timeline (one glossary: admin/domain/status.ts). */
export { EVENT_LABELS };

export const STATUS_LABELS: Record<Category, string> = CATEGORY_LABELS;

/** Vietnamese description of the first validation problem, for command-line and admin messages. */
export function describeSchemaError(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return 'Ảnh chụp số liệu không hợp lệ.';
  return `Ảnh chụp số liệu không hợp lệ tại "${issue.path.join('.') || '(gốc)'}": ${issue.message}`;
}
