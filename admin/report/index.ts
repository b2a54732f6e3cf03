/**
 * The monthly meeting report (issue 10), what the command line (scripts/report.ts) and the publish page
 * (admin/routes/meeting-report.tsx) call: resolve the period and its cutoff, build the view model (model.ts),
 * write its words once (document.ts) and render them as DOCX (docx.ts) and/or PDF (pdf.ts).
 *
 * The cutoff is the published one: the public version needs the period published (it is the snapshot's figures);
 * the internal version uses the published cutoff too when there is one (so both speak of the same day), else the
 * last day of the month, or today for a month still running.
 */
import type { DB } from '../db/open.ts';
import { endOfMonth, formatDateVi, today } from '../domain/dates.ts';
import { latestRevision, readSnapshotText } from '../publication/publish.ts';
import { isCurrentSnapshot, type StoredSnapshot } from '../publication/schema.ts';
import { buildInternalReport } from './build-internal.ts';
import { buildPublicReport } from './build-public.ts';
import type { ReportContext } from './common.ts';
import { reportDocument } from './document.ts';
import { periodLabel, type ReportDocument } from './form.ts';
import { renderDocx } from './docx.ts';
import type { MeetingReport, ReportFormat, ReportReader, ReportVersion } from './model.ts';
import { renderPdf } from './pdf.ts';

export type { MeetingReport, ReportFormat, ReportReader, ReportVersion } from './model.ts';
export { REPORT_FORMATS, REPORT_VERSIONS } from './model.ts';

/** An input the user must fix; the message is Vietnamese and shown as is. `status` is the HTTP answer for it. */
export class ReportError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(message);
    this.name = 'ReportError';
  }
}

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
};

export interface ReportRequest {
  /** 'YYYY-MM' */
  period: string;
  version: ReportVersion;
  /** decides whether confidential titles are shown (internal version) */
  reader: ReportReader;
  now?: Date;
}

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The view model of a period's report, or a ReportError. */
export function buildMeetingReport(db: DB, req: ReportRequest): MeetingReport {
  const now = req.now ?? new Date();
  if (!PERIOD.test(req.period)) {
    throw new ReportError(
      `Kỳ báo cáo "${req.period.slice(0, 20)}" không hợp lệ; nhập theo dạng YYYY-MM, ví dụ 2026-03.`,
    );
  }
  const label = periodLabel(req.period);
  const day = today(now);
  if (`${req.period}-01` > day)
    throw new ReportError(`Kỳ ${label} chưa bắt đầu; chỉ lập báo cáo cho kỳ đã có số liệu.`);
  const pub = latestRevision(db, req.period);
  const ctx = (asOf: string): ReportContext => ({
    period: req.period,
    asOf,
    issuedOn: day,
    now,
    revision: pub?.revision ?? null,
    note: req.version === 'public' ? (pub?.note ?? '') : '',
  });
  if (req.version === 'public') {
    if (!pub) {
      throw new ReportError(
        `Kỳ ${label} chưa được công bố. Báo cáo công khai lấy đúng số liệu đã công bố; hãy công bố kỳ này trước, hoặc lập báo cáo nội bộ.`,
        404,
      );
    }
    // checked against its SHA-256 and validated when it was published: parsed without re-validating 30,000 tasks
    const snap = JSON.parse(readSnapshotText(db, pub.id)) as StoredSnapshot;
    if (!isCurrentSnapshot(snap)) {
      throw new ReportError(
        `Bản công bố kỳ ${label} (bản ${pub.revision}) được lập theo quy tắc đếm cũ, chưa có số liệu theo kỳ; hãy công bố bản đính chính của kỳ này để lập báo cáo công khai.`,
        409,
      );
    }
    return buildPublicReport(db, snap, ctx(snap.asOf));
  }
  const end = endOfMonth(req.period);
  // ISO dates compare as strings (Math.min would turn them into NaN)
  const asOf = pub?.as_of ?? [end, day].sort()[0]!;
  return buildInternalReport(db, { ...ctx(asOf), reader: req.reader });
}

export interface RenderedReport {
  format: ReportFormat;
  /** ASCII, for the command line */
  fileName: string;
  /** Vietnamese, for a browser's download (Content-Disposition filename*) */
  downloadName: string;
  contentType: string;
  bytes: Buffer;
}

/** Renders a built report in the given formats (the words are written once for both). */
export async function renderMeetingReport(report: MeetingReport, formats: readonly ReportFormat[]) {
  const doc: ReportDocument = reportDocument(report);
  const out: RenderedReport[] = [];
  for (const format of formats) {
    const bytes = format === 'docx' ? await renderDocx(doc) : await renderPdf(doc);
    out.push({
      format,
      fileName: `${doc.fileStem}.${format}`,
      downloadName: `${doc.downloadStem}.${format}`,
      contentType: CONTENT_TYPES[format],
      bytes,
    });
  }
  return out;
}

/** "tháng 03/2026, số liệu đến ngày 31/03/2026" — for progress lines and audit details. */
export function describeReport(r: MeetingReport): string {
  return `tháng ${periodLabel(r.period)}, số liệu đến ngày ${formatDateVi(r.asOf)}`;
}
