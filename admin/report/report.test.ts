/**
 * The meeting report on the fixture province (admin/test/fixtures/province.ts, hand-computed figures): the public
 * version equals the published snapshot, figure for figure and row for row, and carries nothing confidential; the
 * internal version counts the confidential task and shows its title only to a reader who may read it; the DOCX is
 * opened (word/document.xml) and its text and tables checked; the PDF has its pages, sizes and embedded fonts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '../db/open.ts';
import { formatNumber, formatRate } from '../domain/format.ts';
import { latestRevision, publishPeriod, readSnapshot } from '../publication/publish.ts';
import { isCurrentSnapshot, type Snapshot } from '../publication/schema.ts';
import { buildFixtureProvince, CANARY, EXPECTED_V2, FIXTURE_PERIODS } from '../test/fixtures/province.ts';
import { readDocx, readPdfFacts } from '../test/support/report-files.ts';
import { ndDate, parentBodyLine, placeOf } from './form.ts';
import { buildMeetingReport, ReportError, type ReportReader, renderMeetingReport } from './index.ts';

const NOW = new Date('2026-04-02T03:00:00Z');
const OFFICE = { role: 'confirmer', agencyId: null } as const;
let db: DB;
let snap: Snapshot;
let stc: number;

beforeAll(() => {
  db = openDatabase(':memory:');
  buildFixtureProvince(db);
  for (const p of FIXTURE_PERIODS) publishPeriod(db, { ...p, now: NOW });
  const stored = readSnapshot(db, latestRevision(db, '2026-03')!.id);
  if (!isCurrentSnapshot(stored)) throw new Error('expected a current snapshot');
  snap = stored;
  stc = (db.prepare("SELECT id FROM agencies WHERE code = 'STC'").get() as { id: number }).id;
});

const build = (version: 'public' | 'internal', reader: ReportReader = OFFICE) =>
  buildMeetingReport(db, { period: '2026-03', version, reader, now: NOW });

describe('the public version is the published snapshot', () => {
  it('has the snapshot figures for the month, the year to date and the cumulative view', () => {
    const r = build('public');
    expect(r.asOf).toBe(snap.asOf);
    expect(r.revision).toBe(1);
    expect(r.month.assigned).toMatchObject(EXPECTED_V2['2026-03'].month.assigned);
    expect(r.month.backlog).toMatchObject(EXPECTED_V2['2026-03'].month.backlog);
    for (const k of [
      'total',
      'completedOnTime',
      'completedLate',
      'inProgress',
      'overdue',
      'noDeadline',
      'due',
    ] as const) {
      expect(r.month.assigned[k]).toBe(snap.month.assigned[k]);
      expect(r.yearToDate.assigned[k]).toBe(snap.yearToDate.assigned[k]);
      expect(r.yearToDate.backlog[k]).toBe(snap.yearToDate.backlog[k]);
      expect(r.cumulative[k]).toBe(snap.totals[k]);
    }
    expect(r.agencies.map((a) => [a.code, a.yearToDate.assigned.total, a.month.assigned.total])).toEqual(
      [...snap.agencies]
        .sort((a, b) => a.name.localeCompare(b.name, 'vi'))
        .map((a) => [a.code, a.yearToDate.assigned.total, a.month.assigned.total]),
    );
    expect(r.newlyOverdue).toBe(1);
    expect(r.confidentialCounted).toBe(0);
    // overdue on 31/03 in public: T4 and T6 (SXD); the confidential T8 is in no list
    expect(r.overdue.map((g) => [g.agencyCode, g.tasks.map((t) => t.code)])).toEqual([
      ['SXD', ['NV-2026-00006', 'NV-2026-00004']],
    ]);
    expect(r.undated.map((t) => t.code)).toEqual(['NV-2026-00005']);
  });

  it('DOCX: Quốc hiệu, title, figures, and Phụ lục I rows equal to the snapshot agencies', async () => {
    const [file] = await renderMeetingReport(build('public'), ['docx']);
    expect(file!.fileName).toBe('bao-cao-phien-hop-2026-03-cong-khai.docx');
    const d = await readDocx(file!.bytes);
    const text = d.paragraphs.join('\n');
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(text).toContain('UBND TỈNH MẪU SƠN');
    expect(text).toContain('VĂN PHÒNG');
    expect(text).toContain('Số:        /BC-VP');
    expect(text).toContain(`Mẫu Sơn, ${ndDate('2026-04-02')}`);
    expect(text).toContain('BÁO CÁO');
    expect(text).toContain(
      'Kết quả thực hiện nhiệm vụ do UBND tỉnh, Chủ tịch, các Phó Chủ tịch UBND tỉnh giao tháng 03/2026',
    );
    expect(text).toContain('III. KIẾN NGHỊ, ĐỀ XUẤT');
    expect(text).toContain('Nơi nhận:');
    expect(text).toContain('CHÁNH VĂN PHÒNG');
    // the month: 3 assigned, none completed, 2 in progress (T10's on-time report waiting), 1 undated
    expect(text).toMatch(/giao 3 nhiệm vụ\. Tính đến ngày 31\/03\/2026: đã hoàn thành 0 nhiệm vụ/);
    // the backlog: 4 open on 28/02, one completed late since, 2 still overdue
    expect(text).toContain('Có 4 nhiệm vụ giao trước ngày 01/03/2026 chưa hoàn thành tính đến ngày 28/02/2026');
    const c = snap.totals;
    expect(text).toContain(
      `Tỷ lệ hoàn thành đạt ${formatRate(c.completionRate)} (${formatNumber(c.completedOnTime + c.completedLate)}/${formatNumber(c.due)} nhiệm vụ đến hạn`,
    );
    expect(text).not.toContain(CANARY);

    const table = d.tables.find((t) => t[0]?.includes('Giao từ đầu năm'))!;
    expect(table).toBeDefined();
    const byName = new Map(table.slice(1).map((row) => [row[1], row]));
    for (const a of snap.agencies) {
      const y = a.yearToDate.assigned;
      expect(byName.get(a.name), a.code).toEqual([
        expect.any(String),
        a.name,
        formatNumber(a.month.assigned.total),
        formatNumber(y.total),
        formatNumber(y.completedOnTime),
        formatNumber(y.completedLate),
        formatNumber(y.inProgress),
        formatNumber(y.overdue),
        formatNumber(y.noDeadline),
        y.due === 0 ? '—' : `${formatRate(y.completionRate)} (${y.completedOnTime + y.completedLate}/${y.due})`,
        formatNumber(a.yearToDate.backlog.total),
        formatNumber(a.yearToDate.backlog.overdue),
      ]);
    }
    expect(byName.get('Tổng cộng')?.[3]).toBe(formatNumber(snap.yearToDate.assigned.total));
    const overdue = d.tables.find((t) => t[0]?.includes('Số ngày quá hạn'))!;
    expect(overdue.map((r) => r[0])).toContain('1. Sở Xây dựng (2 nhiệm vụ)');
    expect(overdue.find((r) => r[1] === 'NV-2026-00006')?.[6]).toBe('34');
    // A4 (210 × 297 mm, in twips), Nghị định 30 margins: top and bottom 20 mm, left 30 mm, right 15 mm; the body
    // portrait, the four appendices landscape
    expect([...d.xml.matchAll(/<w:pgSz w:w="(\d+)" w:h="(\d+)" w:orient="(\w+)"\/>/g)].map((m) => m.slice(1))).toEqual([
      ['11905', '16837', 'portrait'],
      ...Array(4).fill(['16837', '11905', 'landscape']),
    ]);
    expect(new Set([...d.xml.matchAll(/<w:pgMar ([^>]*)\/>/g)].map((m) => m[1]))).toEqual(
      new Set(['w:top="1133" w:right="850" w:bottom="1133" w:left="1700" w:header="566" w:footer="566" w:gutter="0"']),
    );
    expect(d.xml).toContain('w:ascii="Times New Roman"');
  });

  it('PDF: A4, portrait body and landscape appendices, Liberation Serif embedded', async () => {
    const [file] = await renderMeetingReport(build('public'), ['pdf']);
    const pdf = readPdfFacts(file!.bytes);
    expect(pdf.header).toBe('%PDF-1.3');
    expect(pdf.pages.length).toBeGreaterThanOrEqual(5);
    expect(pdf.pages[0]).toEqual([595.28, 841.89]);
    expect(pdf.pages.at(-1)).toEqual([841.89, 595.28]);
    expect(pdf.fonts).toEqual(['LiberationSerif', 'LiberationSerif-Bold', 'LiberationSerif-Italic']);
    expect(pdf.embeddedFontFiles).toBe(3);
    expect(pdf.toUnicodeMaps).toBe(3);
  });
});

describe('the internal version', () => {
  it('counts the confidential task and shows its title to the Office and the leaders', async () => {
    const r = build('internal');
    expect(r.confidentialCounted).toBe(1);
    expect(r.cumulative.total).toBe(snap.totals.total + 1);
    expect(r.cumulative.overdue).toBe(snap.totals.overdue + 1);
    const ubh = r.overdue.find((g) => g.agencyCode === 'UBH-AB')!;
    expect(ubh.tasks).toMatchObject([{ code: 'NV-2026-00008', hidden: false, title: `Nhiệm vụ mật ${CANARY}` }]);
    const leader = build('internal', { role: 'leader', agencyId: null });
    expect(leader.overdue.find((g) => g.agencyCode === 'UBH-AB')!.tasks[0]!.code).toBe('NV-2026-00008');
    const [docx] = await renderMeetingReport(r, ['docx']);
    expect((await readDocx(docx!.bytes)).paragraphs.join('\n')).toContain('gồm 1 nhiệm vụ mật');
  });

  it('hides the title and the code from a reader who may not read the task', async () => {
    const r = build('internal', { role: 'agency', agencyId: stc });
    const t = r.overdue.find((g) => g.agencyCode === 'UBH-AB')!.tasks[0]!;
    expect(t).toMatchObject({ code: null, title: 'Nhiệm vụ mật', hidden: true, document: null });
    const [docx] = await renderMeetingReport(r, ['docx']);
    const d = await readDocx(docx!.bytes);
    expect(d.xml).not.toContain(CANARY);
    expect(d.xml).not.toContain('NV-2026-00008');
    expect(d.paragraphs).toContain('Nhiệm vụ mật (nội dung không hiển thị)');
  });
});

describe('refusals', () => {
  it('names the problem in Vietnamese', () => {
    const err = (period: string, version: 'public' | 'internal' = 'public') => {
      try {
        buildMeetingReport(db, { period, version, reader: OFFICE, now: NOW });
      } catch (e) {
        expect(e).toBeInstanceOf(ReportError);
        return [(e as ReportError).status, (e as Error).message];
      }
      throw new Error('no error');
    };
    expect(err('2026-13')).toEqual([400, expect.stringContaining('không hợp lệ; nhập theo dạng YYYY-MM')]);
    expect(err('2026-01')).toEqual([404, expect.stringContaining('Kỳ 01/2026 chưa được công bố')]);
    expect(err('2026-05', 'internal')).toEqual([400, expect.stringContaining('chưa bắt đầu')]);
    // an unpublished past month can still be reported internally (cutoff: its last day)
    expect(buildMeetingReport(db, { period: '2026-01', version: 'internal', reader: OFFICE, now: NOW }).asOf).toBe(
      '2026-01-31',
    );
  });
});

describe('heading helpers', () => {
  it('writes the bodies, the place and the date as Nghị định 30/2020 does', () => {
    expect(parentBodyLine('Ủy ban nhân dân tỉnh Quảng Trị')).toBe('UBND TỈNH QUẢNG TRỊ');
    expect(placeOf('Ủy ban nhân dân tỉnh Quảng Trị')).toBe('Quảng Trị');
    expect(placeOf('Ủy ban nhân dân thành phố Huế')).toBe('Huế');
    expect(placeOf('Ủy ban nhân dân tỉnh')).toBe('');
    expect(ndDate('2026-03-05')).toBe('ngày 05 tháng 3 năm 2026');
    expect(ndDate('2026-02-15')).toBe('ngày 15 tháng 02 năm 2026');
    expect(ndDate('2026-12-31')).toBe('ngày 31 tháng 12 năm 2026');
  });
});
