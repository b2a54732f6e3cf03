/**
 * The public snapshot: the one contract between the admin side (publish), the static site (build) and the open
 * data (JSON, CSV, XLSX). Every object is strict: a field that is not listed here cannot enter a publication,
 * so the schema itself is the whitelist of public fields (DESIGN.md §3 "confidential tasks … left out entirely";
 * no internal notes, no personal data, no explanations, no urging texts, no return reasons).
 */
import { z } from 'zod';
import { CATEGORY_LABELS, EVENT_KINDS, EVENT_LABELS, type Category } from '../domain/status.ts';
import { isIsoDate } from '../domain/dates.ts';

export const SNAPSHOT_SCHEMA_VERSION = 1;

const isoDate = z.string().refine(isIsoDate, 'ngày phải có dạng YYYY-MM-DD');
const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'kỳ phải có dạng YYYY-MM');
const count = z.number().int().min(0);
const rate = z.number().min(0).max(1).nullable();
const agencyCode = z.string().min(1).max(64);

export const CATEGORIES = ['completedOnTime', 'completedLate', 'inProgress', 'overdue', 'noDeadline'] as const;
export const categorySchema = z.enum(CATEGORIES);

export const countsSchema = z.strictObject({
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
});
export type PublicCounts = z.infer<typeof countsSchema>;

export const agencySummarySchema = z.strictObject({
  code: agencyCode,
  name: z.string().min(1),
  kind: z.enum(['department', 'district', 'commune', 'central', 'other']),
  counts: countsSchema,
  /** enough due tasks (≥ MIN_DUE_FOR_RANKING) to be ranked by on-time rate */
  ranked: z.boolean(),
  /** 1 = best on-time rate among ranked units; null when not ranked */
  rank: z.number().int().min(1).nullable(),
});
export type AgencySummary = z.infer<typeof agencySummarySchema>;

export const trendPointSchema = z.strictObject({
  period,
  asOf: isoDate,
  revision: z.number().int().min(1),
  counts: countsSchema,
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

export const snapshotHeaderSchema = z.strictObject({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  province: z.string().min(1),
  office: z.string().min(1),
  period,
  asOf: isoDate,
  revision: z.number().int().min(1),
  /** correction note (đính chính); empty for the first revision */
  note: z.string(),
  publishedAt: z.string().datetime(),
  minDueForRanking: z.number().int().min(1),
  totals: countsSchema,
  agencies: z.array(agencySummarySchema),
  trend: z.array(trendPointSchema),
  change: changeSchema.nullable(),
});
export type SnapshotHeader = z.infer<typeof snapshotHeaderSchema>;

export const snapshotSchema = snapshotHeaderSchema.extend({ tasks: z.array(publicTaskSchema) }).strict();
export type Snapshot = z.infer<typeof snapshotSchema>;

/** Public names of the events, shown on the task timeline (one glossary: admin/domain/status.ts). */
export { EVENT_LABELS };

export const STATUS_LABELS: Record<Category, string> = CATEGORY_LABELS;

/** Vietnamese description of the first validation problem, for command-line and admin messages. */
export function describeSchemaError(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return 'Ảnh chụp số liệu không hợp lệ.';
  return `Ảnh chụp số liệu không hợp lệ tại "${issue.path.join('.') || '(gốc)'}": ${issue.message}`;
}
