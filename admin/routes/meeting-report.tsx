/**
 * The monthly meeting report (báo cáo phục vụ phiên họp thường kỳ; issue 10), for the working group / office lead
 * and the provincial leaders ('report.download'):
 * GET /admin/reports — the published periods, each with its public and internal version as DOCX and PDF;
 * GET /admin/reports/download?period=YYYY-MM&version=public|internal&format=docx|pdf — the file (audited).
 * The public version is the published snapshot; the internal one counts confidential tasks and shows their titles
 * only to a reader who may read them (admin/report). The links are also on the publish page.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps, AppEnv } from '../context.ts';
import { requirePermission } from '../auth/permissions.ts';
import { writeAudit } from '../audit/audit.ts';
import { formatDateTimeVi, formatDateVi } from '../domain/dates.ts';
import { attachmentDisposition } from '../files/disposition.ts';
import { listPublications } from '../publication/index.ts';
import {
  buildMeetingReport,
  REPORT_FORMATS,
  REPORT_VERSIONS,
  ReportError,
  renderMeetingReport,
  type ReportFormat,
  type ReportVersion,
} from '../report/index.ts';
import { Table } from '../views/components.tsx';
import { Layout } from '../views/layout.tsx';
import { MeetingReportLinks } from '../views/meeting-report-links.tsx';
import { parsePeriodInput } from './publish.tsx';

export function meetingReportRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const app = new Hono<AppEnv>();

  app.get('/reports', requirePermission('report.download'), (c) => {
    // the latest revision of each period (listPublications: newest period first, highest revision first)
    const seen = new Set<string>();
    const latest = listPublications(db).filter((p) => !seen.has(p.period) && seen.add(p.period));
    return c.html(
      <Layout title="Báo cáo phục vụ phiên họp" user={c.get('user')} current="reports">
        <p class="hint">
          Báo cáo kết quả thực hiện nhiệm vụ do UBND tỉnh, Chủ tịch, các Phó Chủ tịch UBND tỉnh giao, theo mẫu Nghị định
          30/2020/NĐ-CP. Bản công khai lấy đúng số liệu đã công bố; bản nội bộ tính cả nhiệm vụ mật, chỉ dùng tại phiên
          họp. Phần kiến nghị, đề xuất và số văn bản do chuyên viên hoàn thiện trên tệp DOCX.
        </p>
        <Table
          caption={`${latest.length} kỳ đã công bố`}
          head={['Kỳ', 'Bản công bố', 'Số liệu đến ngày', 'Công bố lúc', 'Tải báo cáo']}
          rows={latest.map((p) => [
            `${p.period.slice(5, 7)}/${p.period.slice(0, 4)}`,
            String(p.revision),
            formatDateVi(p.as_of),
            formatDateTimeVi(p.created_at),
            <MeetingReportLinks period={p.period} />,
          ])}
          empty="Chưa công bố kỳ nào: báo cáo được lập cho các kỳ đã công bố."
        />
      </Layout>,
    );
  });

  app.get('/reports/download', requirePermission('report.download'), async (c) => {
    const period = parsePeriodInput((c.req.query('period') ?? '').slice(0, 20));
    const version = c.req.query('version') ?? '';
    const format = c.req.query('format') ?? '';
    if (!period)
      throw new HTTPException(400, { message: 'Kỳ báo cáo không hợp lệ; nhập theo dạng YYYY-MM, ví dụ 2026-03.' });
    if (!(REPORT_VERSIONS as readonly string[]).includes(version))
      throw new HTTPException(400, {
        message: 'Loại báo cáo không hợp lệ; chọn bản công khai (public) hoặc nội bộ (internal).',
      });
    if (!(REPORT_FORMATS as readonly string[]).includes(format))
      throw new HTTPException(400, { message: 'Định dạng không hợp lệ; chọn docx hoặc pdf.' });
    const principal = c.get('principal')!;
    let files;
    let report;
    try {
      report = buildMeetingReport(db, {
        period,
        version: version as ReportVersion,
        reader: { role: principal.role, agencyId: principal.agencyId },
        now: clock(),
      });
      files = await renderMeetingReport(report, [format as ReportFormat]);
    } catch (e) {
      if (e instanceof ReportError) throw new HTTPException(e.status, { message: e.message });
      throw e;
    }
    const file = files[0]!;
    writeAudit(db, {
      at: clock(),
      actor: principal,
      action: 'report.download',
      targetType: 'publication',
      targetId: period,
      ip: c.get('clientIp'),
      userAgent: c.req.header('user-agent') ?? '',
      details: { period, version, format, asOf: report.asOf, revision: report.revision, bytes: file.bytes.length },
    });
    return c.body(new Uint8Array(file.bytes), 200, {
      'content-type': file.contentType,
      'content-disposition': attachmentDisposition(file.downloadName),
      // the internal version holds confidential counts (and titles for those who may read them): never cached
      'cache-control': 'no-store',
    });
  });

  return app;
}
