/**
 * The meeting report's download links (admin/routes/meeting-report.tsx): one public and one internal version per
 * published period, each as DOCX and PDF. Shown on the publish page and on the reports page.
 */
import type { ReportFormat, ReportVersion } from '../report/model.ts';

export function meetingReportUrl(period: string, version: ReportVersion, format: ReportFormat): string {
  return `/admin/reports/download?${new URLSearchParams({ period, version, format }).toString()}`;
}

const VERSION_LABELS: Record<ReportVersion, string> = { public: 'Bản công khai', internal: 'Bản nội bộ' };

export function MeetingReportLinks(p: { period: string }) {
  const label = `${p.period.slice(5, 7)}/${p.period.slice(0, 4)}`;
  return (
    <span class="report-links">
      {(['public', 'internal'] as const).map((v, i) => (
        <>
          {i > 0 && ' · '}
          {VERSION_LABELS[v]}:{' '}
          <a
            href={meetingReportUrl(p.period, v, 'docx')}
            download
            aria-label={`${VERSION_LABELS[v]} tháng ${label}, DOCX`}
          >
            DOCX
          </a>{' '}
          <a
            href={meetingReportUrl(p.period, v, 'pdf')}
            download
            aria-label={`${VERSION_LABELS[v]} tháng ${label}, PDF`}
          >
            PDF
          </a>
        </>
      ))}
    </span>
  );
}
