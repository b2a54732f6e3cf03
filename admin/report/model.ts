/**
 * The monthly meeting report's view model (báo cáo phục vụ phiên họp thường kỳ của UBND tỉnh; issue 10). One shape
 * for both versions, so the document text (document.ts) and the two renderers (docx.ts, pdf.ts) never ask where a
 * figure came from:
 *
 *   public   ── the published snapshot of the period (latest revision), figure for figure: what the site shows;
 *   internal ── computed from the database as of the same cutoff, confidential tasks counted; their titles are shown
 *               only to a reader who may read them (the Office, the working group, the leaders), otherwise
 *               "Nhiệm vụ mật" with the code hidden.
 *
 *   build-public.ts / build-internal.ts ──▶ MeetingReport ──document.ts──▶ ReportDocument ──▶ docx.ts | pdf.ts
 */
import type { Role } from '../auth/principal.ts';
import type { IsoDate } from '../domain/dates.ts';

export type ReportVersion = 'public' | 'internal';
export const REPORT_VERSIONS: readonly ReportVersion[] = ['public', 'internal'];
export type ReportFormat = 'docx' | 'pdf';
export const REPORT_FORMATS: readonly ReportFormat[] = ['docx', 'pdf'];

/** The figures of one population of tasks as of the cutoff (the national counting: due = completed + overdue). */
export interface Figures {
  total: number;
  completedOnTime: number;
  completedLate: number;
  inProgress: number;
  overdue: number;
  noDeadline: number;
  awaitingConfirmation: number;
  overdueOver30: number;
  overdueOver60: number;
  overdueOver120: number;
  due: number;
  /** (completed on time + late) ÷ due; null when nothing is due */
  completionRate: number | null;
  onTimeRate: number | null;
  overdueRate: number | null;
}

/** A period's two populations: tasks assigned in [from, to], and the backlog open on from − 1 (as of the cutoff). */
export interface ViewFigures {
  assigned: Figures;
  backlog: Figures;
}

export interface PeriodFigures extends ViewFigures {
  from: IsoDate;
  to: IsoDate;
}

export interface AgencyFigures {
  code: string;
  name: string;
  month: ViewFigures;
  yearToDate: ViewFigures;
  cumulative: Figures;
}

/** A task in an appendix list. `code` is null and `title` is "Nhiệm vụ mật" when the reader may not see it. */
export interface TaskLine {
  code: string | null;
  title: string;
  hidden: boolean;
  agencyCode: string;
  agencyName: string;
  document: string | null;
  assignedOn: IsoDate;
  effectiveDeadline: IsoDate | null;
  overdueDays: number;
  /** for tasks without a deadline: the last urging on or before the cutoff */
  lastUrgedOn: IsoDate | null;
}

export interface AgencyTasks {
  agencyCode: string;
  agencyName: string;
  tasks: TaskLine[];
}

/** A unit that did not update the system (admin/domain/activity.ts: no login and no unit update in 30 days). */
export interface InactiveUnit {
  code: string;
  name: string;
  accounts: number;
  lastLoginAt: string | null;
  lastUpdateAt: string | null;
  openTasks: number;
  updatedShare: number | null;
}

export interface MeetingReport {
  version: ReportVersion;
  /** e.g. "Ủy ban nhân dân tỉnh Quảng Trị" (settings: province_name) */
  province: string;
  /** e.g. "Văn phòng Ủy ban nhân dân tỉnh" (settings: office_name) */
  office: string;
  /** the place in "<place>, ngày … tháng … năm …" (the province's name without "tỉnh") */
  place: string;
  /** 'YYYY-MM' */
  period: string;
  /** the cutoff of the figures (the snapshot's asOf) */
  asOf: IsoDate;
  /** the day the report is dated */
  issuedOn: IsoDate;
  /** the publication revision the figures come from (public), or that the cutoff was taken from (internal) */
  revision: number | null;
  /** the snapshot's correction note (đính chính), empty otherwise */
  note: string;
  month: PeriodFigures;
  yearToDate: PeriodFigures;
  cumulative: Figures;
  agencies: AgencyFigures[];
  /** overdue on the cutoff, by lead agency (most overdue first within an agency) */
  overdue: AgencyTasks[];
  /** tasks that became overdue during the month (count) */
  newlyOverdue: number;
  /** open tasks without a deadline, with their last urging */
  undated: TaskLine[];
  /** the urging dates are known (internal: from the urging log; the public snapshot does not carry them) */
  urgingKnown: boolean;
  inactiveUnits: InactiveUnit[];
  /** confidential tasks counted in the figures (internal only; 0 in the public version) */
  confidentialCounted: number;
}

/** Who reads the report: decides whether confidential titles are shown (admin/auth/permissions.ts). */
export interface ReportReader {
  role: Role;
  agencyId: number | null;
}

export const HIDDEN_TITLE = 'Nhiệm vụ mật';
