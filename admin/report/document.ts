/**
 * MeetingReport ──▶ ReportDocument: the words of the report, written once for both renderers (docx.ts, pdf.ts), in
 * the form of a "Báo cáo" of Nghị định 30/2020/NĐ-CP, Phụ lục I (Quốc hiệu và Tiêu ngữ, issuing body, number, place
 * and date, title and subject, body, "Nơi nhận", signer) followed by its appendices. The renderers only lay out.
 */
import { addDays, formatDateVi, type IsoDate } from '../domain/dates.ts';
import { formatNumber, formatRate } from '../domain/format.ts';
import type { AgencyTasks, Figures, MeetingReport, PeriodFigures, TaskLine, ViewFigures } from './model.ts';

export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
}

export type Cell = string;

export interface TableBlock {
  kind: 'table';
  head: string[];
  /** relative column widths */
  widths: number[];
  /** columns aligned right (numbers) */
  numeric: boolean[];
  /** a row is cells, or a group row spanning the whole table (an agency in a list of tasks) */
  rows: Array<{ cells: Cell[]; bold?: boolean } | { group: string }>;
}

export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; runs: Run[]; italic?: boolean }
  | TableBlock;

export interface Appendix {
  /** "Phụ lục I" */
  label: string;
  title: string;
  subtitle: string;
  blocks: Block[];
}

export interface ReportDocument {
  /** cơ quan chủ quản, e.g. "UBND TỈNH QUẢNG TRỊ" */
  parentBody: string;
  /** cơ quan ban hành, e.g. "VĂN PHÒNG" */
  issuingBody: string;
  number: string;
  nation: string;
  motto: string;
  placeDate: string;
  title: string;
  subject: string;
  /** a line under the subject: which figures these are (public snapshot / internal) */
  remark: string;
  body: Block[];
  closing: string;
  recipients: string[];
  signerTitle: string;
  signerName: string;
  appendices: Appendix[];
  /** file name without extension, e.g. "bao-cao-phien-hop-2026-03-cong-khai" */
  fileStem: string;
  /** document properties */
  metaTitle: string;
}

const n = formatNumber;

/** "ngày 05 tháng 3 năm 2026": Nghị định 30/2020, Phụ lục I: a zero before days below 10 and the months 1 and 2. */
export function ndDate(date: IsoDate): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const day = d < 10 ? `0${d}` : String(d);
  const month = m <= 2 ? `0${m}` : String(m);
  return `ngày ${day} tháng ${month} năm ${y}`;
}

/** "03/2026" from "2026-03". */
export function periodLabel(period: string): string {
  return `${period.slice(5, 7)}/${period.slice(0, 4)}`;
}

const PROVINCE_PREFIX = /^(ủy|uỷ)\s+ban\s+nhân\s+dân\s+/iu;

/** "Ủy ban nhân dân tỉnh Quảng Trị" → "UBND TỈNH QUẢNG TRỊ" (the governing body's line, capitals). */
export function parentBodyLine(province: string): string {
  return province.normalize('NFC').trim().replace(PROVINCE_PREFIX, 'UBND ').toLocaleUpperCase('vi');
}

/** "Văn phòng Ủy ban nhân dân tỉnh" → "VĂN PHÒNG": under the governing body the office writes only its own name. */
export function issuingBodyLine(office: string): string {
  const o = office.normalize('NFC').trim();
  return (/^văn phòng\b/iu.test(o) ? 'Văn phòng' : o).toLocaleUpperCase('vi');
}

/** "Ủy ban nhân dân tỉnh Quảng Trị" → "Quảng Trị"; an empty string when the settings name no province. */
export function placeOf(province: string): string {
  return province
    .normalize('NFC')
    .trim()
    .replace(PROVINCE_PREFIX, '')
    .replace(/^(ubnd\s+)?(tỉnh|thành phố)\s*/iu, '')
    .trim();
}

function completed(f: Figures): number {
  return f.completedOnTime + f.completedLate;
}

/** "đạt 92,5% (185/200 nhiệm vụ đến hạn)", or a plain statement when nothing is due. */
function rateWithCounts(f: Figures): string {
  if (f.due === 0) return 'chưa có nhiệm vụ đến hạn';
  return `đạt ${formatRate(f.completionRate)} (${n(completed(f))}/${n(f.due)} nhiệm vụ đến hạn; đúng hạn ${formatRate(f.onTimeRate)})`;
}

function assignedSentence(f: Figures, asOf: IsoDate): string {
  const waiting =
    f.awaitingConfirmation > 0 ? ` (trong đó ${n(f.awaitingConfirmation)} nhiệm vụ đã báo cáo, chờ xác nhận)` : '';
  return (
    `UBND tỉnh, Chủ tịch, các Phó Chủ tịch UBND tỉnh giao ${n(f.total)} nhiệm vụ. Tính đến ngày ` +
    `${formatDateVi(asOf)}: đã hoàn thành ${n(completed(f))} nhiệm vụ (đúng hạn ${n(f.completedOnTime)}, quá hạn ` +
    `${n(f.completedLate)}); đang thực hiện trong hạn ${n(f.inProgress)}${waiting}; đang thực hiện quá hạn ` +
    `${n(f.overdue)}; không thời hạn ${n(f.noDeadline)}. Tỷ lệ hoàn thành ${rateWithCounts(f)}.`
  );
}

function backlogSentence(p: PeriodFigures, asOf: IsoDate): string {
  const b = p.backlog;
  if (b.total === 0) return `Không có nhiệm vụ giao trước ngày ${formatDateVi(p.from)} còn tồn đọng.`;
  return (
    `Có ${n(b.total)} nhiệm vụ giao trước ngày ${formatDateVi(p.from)} chưa hoàn thành tính đến ngày ` +
    `${formatDateVi(addDays(p.from, -1))}. Tính đến ngày ${formatDateVi(asOf)}: đã hoàn thành ${n(completed(b))} ` +
    `(đúng hạn ${n(b.completedOnTime)}, quá hạn ${n(b.completedLate)}); còn ${n(b.inProgress)} nhiệm vụ đang thực ` +
    `hiện trong hạn, ${n(b.overdue)} nhiệm vụ quá hạn (quá hạn trên 30 ngày ${n(b.overdueOver30)}, trên 120 ngày ` +
    `${n(b.overdueOver120)}) và ${n(b.noDeadline)} nhiệm vụ không thời hạn.`
  );
}

const para = (text: string): Block => ({ kind: 'paragraph', runs: [{ text }] });

function taskTitle(t: TaskLine): string {
  return t.hidden ? `${t.title} (nội dung không hiển thị)` : t.title;
}

function overdueTable(groups: AgencyTasks[]): Block {
  let i = 0;
  const rows: TableBlock['rows'] = [];
  groups.forEach((g, gi) => {
    rows.push({ group: `${gi + 1}. ${g.agencyName} (${n(g.tasks.length)} nhiệm vụ)` });
    for (const t of g.tasks) {
      i++;
      rows.push({
        cells: [
          n(i),
          t.code ?? '—',
          taskTitle(t),
          t.document ?? '',
          formatDateVi(t.assignedOn),
          formatDateVi(t.effectiveDeadline),
          n(t.overdueDays),
        ],
      });
    }
  });
  return {
    kind: 'table',
    head: ['STT', 'Mã nhiệm vụ', 'Nội dung nhiệm vụ', 'Văn bản giao', 'Ngày giao', 'Thời hạn', 'Số ngày quá hạn'],
    widths: [5, 12, 43, 13, 9, 9, 9],
    numeric: [true, false, false, false, false, false, true],
    rows,
  };
}

function agencyTable(r: MeetingReport): Block {
  const row = (name: string, m: ViewFigures, y: ViewFigures, i: string, bold = false) => ({
    bold,
    cells: [
      i,
      name,
      n(m.assigned.total),
      n(y.assigned.total),
      n(y.assigned.completedOnTime),
      n(y.assigned.completedLate),
      n(y.assigned.inProgress),
      n(y.assigned.overdue),
      n(y.assigned.noDeadline),
      y.assigned.due === 0
        ? '—'
        : `${formatRate(y.assigned.completionRate)} (${n(completed(y.assigned))}/${n(y.assigned.due)})`,
      n(y.backlog.total),
      n(y.backlog.overdue),
    ],
  });
  return {
    kind: 'table',
    head: [
      'STT',
      'Đơn vị',
      'Giao trong tháng',
      'Giao từ đầu năm',
      'Hoàn thành đúng hạn',
      'Hoàn thành quá hạn',
      'Đang thực hiện trong hạn',
      'Đang thực hiện quá hạn',
      'Không thời hạn',
      'Tỷ lệ hoàn thành (hoàn thành/đến hạn)',
      'Tồn đọng năm trước',
      'Tồn đọng còn quá hạn',
    ],
    widths: [4, 22, 7, 7, 7, 7, 7, 7, 7, 11, 7, 7],
    numeric: [true, false, true, true, true, true, true, true, true, true, true, true],
    rows: [
      ...r.agencies.map((a, i) => row(a.name, a.month, a.yearToDate, n(i + 1))),
      row('Tổng cộng', r.month, r.yearToDate, '', true),
    ],
  };
}

function undatedTable(r: MeetingReport): Block {
  const urging = r.urgingKnown;
  return {
    kind: 'table',
    head: [
      'STT',
      'Mã nhiệm vụ',
      'Nội dung nhiệm vụ',
      'Đơn vị chủ trì',
      'Ngày giao',
      ...(urging ? ['Đôn đốc gần nhất'] : []),
    ],
    widths: [5, 12, 42, 21, 10, ...(urging ? [10] : [])],
    numeric: [true, false, false, false, false, false],
    rows: r.undated.map((t, i) => ({
      cells: [
        n(i + 1),
        t.code ?? '—',
        taskTitle(t),
        t.agencyName,
        formatDateVi(t.assignedOn),
        ...(urging ? [t.lastUrgedOn ? formatDateVi(t.lastUrgedOn) : 'Chưa đôn đốc'] : []),
      ],
    })),
  };
}

function topOverdue(groups: AgencyTasks[]): string {
  const top = [...groups].sort((a, b) => b.tasks.length - a.tasks.length).slice(0, 5);
  return top.map((g) => `${g.agencyName} (${n(g.tasks.length)})`).join(', ');
}

/** The report's text. `issuedOn` and the figures come from the model; nothing here reads the database. */
export function reportDocument(r: MeetingReport): ReportDocument {
  const month = periodLabel(r.period);
  const year = r.period.slice(0, 4);
  const office = r.office;
  const overdueTotal = r.overdue.reduce((s, g) => s + g.tasks.length, 0);
  const c = r.cumulative;
  const remark =
    r.version === 'public'
      ? `(Số liệu công khai theo bản công bố kỳ ${month}${r.revision ? `, bản ${r.revision}` : ''}, tính đến ngày ` +
        `${formatDateVi(r.asOf)}; không gồm nhiệm vụ mật)`
      : `(Số liệu nội bộ phục vụ phiên họp, tính đến ngày ${formatDateVi(r.asOf)}; gồm ${n(r.confidentialCounted)} ` +
        'nhiệm vụ mật; không công bố)';

  const body: Block[] = [
    { kind: 'heading', text: 'I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ' },
    {
      kind: 'heading',
      text: `1. Kết quả tháng ${month} (từ ngày ${formatDateVi(r.month.from)} đến ngày ${formatDateVi(r.month.to)})`,
    },
    para(`a) Nhiệm vụ giao trong tháng: ${assignedSentence(r.month.assigned, r.asOf)}`),
    para(`b) Nhiệm vụ tồn đọng từ các kỳ trước: ${backlogSentence(r.month, r.asOf)}`),
    { kind: 'heading', text: `2. Lũy kế từ đầu năm ${year} đến ngày ${formatDateVi(r.asOf)}` },
    para(`a) Nhiệm vụ giao từ đầu năm: ${assignedSentence(r.yearToDate.assigned, r.asOf)}`),
    para(`b) Nhiệm vụ tồn đọng từ các năm trước: ${backlogSentence(r.yearToDate, r.asOf)}`),
    {
      kind: 'heading',
      text: `3. Toàn bộ nhiệm vụ đang theo dõi trên Hệ thống (lũy kế đến ngày ${formatDateVi(r.asOf)})`,
    },
    para(
      `Tổng số ${n(c.total)} nhiệm vụ: đã hoàn thành ${n(completed(c))} (đúng hạn ${n(c.completedOnTime)}, quá hạn ` +
        `${n(c.completedLate)}); đang thực hiện trong hạn ${n(c.inProgress)}; đang thực hiện quá hạn ${n(c.overdue)}; ` +
        `không thời hạn ${n(c.noDeadline)}. Tỷ lệ hoàn thành ${rateWithCounts(c)}. Kết quả theo từng đơn vị tại Phụ lục I.`,
    ),
    { kind: 'heading', text: 'II. NHIỆM VỤ QUÁ HẠN VÀ ĐƠN VỊ CHƯA CẬP NHẬT HỆ THỐNG' },
    { kind: 'heading', text: '1. Nhiệm vụ quá hạn' },
    para(
      overdueTotal === 0
        ? `Tính đến ngày ${formatDateVi(r.asOf)}, không có nhiệm vụ đang thực hiện quá hạn.`
        : `Tính đến ngày ${formatDateVi(r.asOf)}, còn ${n(overdueTotal)} nhiệm vụ đang thực hiện quá hạn tại ` +
            `${n(r.overdue.length)} đơn vị, trong đó ${n(r.newlyOverdue)} nhiệm vụ quá hạn phát sinh trong tháng; ` +
            `quá hạn trên 30 ngày ${n(c.overdueOver30)}, trên 60 ngày ${n(c.overdueOver60)}, trên 120 ngày ` +
            `${n(c.overdueOver120)}. Các đơn vị có nhiều nhiệm vụ quá hạn: ${topOverdue(r.overdue)}. Danh sách chi ` +
            'tiết tại Phụ lục II.',
    ),
    { kind: 'heading', text: '2. Nhiệm vụ không thời hạn' },
    para(
      r.undated.length === 0
        ? 'Không có nhiệm vụ không thời hạn đang thực hiện.'
        : `Còn ${n(r.undated.length)} nhiệm vụ không thời hạn đang thực hiện; Văn phòng đôn đốc định kỳ hằng quý ` +
            '(Phụ lục III).',
    ),
    { kind: 'heading', text: '3. Đơn vị chưa cập nhật kết quả trên Hệ thống' },
    para(
      r.inactiveUnits.length === 0
        ? 'Trong 30 ngày qua, tất cả các đơn vị đều có đăng nhập hoặc cập nhật kết quả trên Hệ thống.'
        : `Có ${n(r.inactiveUnits.length)} đơn vị không đăng nhập và không cập nhật kết quả thực hiện nhiệm vụ trên ` +
            `Hệ thống trong 30 ngày qua: ${r.inactiveUnits.map((u) => u.name).join(', ')} (Phụ lục IV). Đề nghị UBND ` +
            'tỉnh phê bình các đơn vị này.',
    ),
    { kind: 'heading', text: 'III. KIẾN NGHỊ, ĐỀ XUẤT' },
    {
      kind: 'paragraph',
      italic: true,
      runs: [{ text: '[Chuyên viên tổng hợp ghi nội dung kiến nghị, đề xuất trước khi trình ký.]' }],
    },
  ];
  if (r.note) body.unshift(para(`Đính chính của bản công bố: ${r.note}`));

  const attached = `(Kèm theo Báo cáo số      /BC-VP ${ndDate(r.issuedOn)} của ${office})`;
  const appendices: Appendix[] = [
    {
      label: 'Phụ lục I',
      title: `KẾT QUẢ THỰC HIỆN NHIỆM VỤ THEO ĐƠN VỊ (LŨY KẾ TỪ ĐẦU NĂM ${year} ĐẾN NGÀY ${formatDateVi(r.asOf)})`,
      subtitle: attached,
      blocks: [agencyTable(r)],
    },
    {
      label: 'Phụ lục II',
      title: `DANH SÁCH NHIỆM VỤ QUÁ HẠN THEO ĐƠN VỊ (TÍNH ĐẾN NGÀY ${formatDateVi(r.asOf)})`,
      subtitle: attached,
      blocks: overdueTotal === 0 ? [para('Không có nhiệm vụ quá hạn.')] : [overdueTable(r.overdue)],
    },
    {
      label: 'Phụ lục III',
      title: 'NHIỆM VỤ KHÔNG THỜI HẠN ĐANG THỰC HIỆN VÀ VIỆC ĐÔN ĐỐC',
      subtitle: attached,
      blocks: r.undated.length === 0 ? [para('Không có nhiệm vụ không thời hạn đang thực hiện.')] : [undatedTable(r)],
    },
    {
      label: 'Phụ lục IV',
      title: 'ĐƠN VỊ CHƯA CẬP NHẬT KẾT QUẢ TRÊN HỆ THỐNG TRONG 30 NGÀY (ĐỀ NGHỊ PHÊ BÌNH)',
      subtitle: attached,
      blocks:
        r.inactiveUnits.length === 0
          ? [para('Không có đơn vị nào.')]
          : [
              {
                kind: 'table',
                head: [
                  'STT',
                  'Đơn vị',
                  'Số tài khoản',
                  'Đăng nhập gần nhất',
                  'Cập nhật gần nhất',
                  'Nhiệm vụ đang thực hiện',
                  'Tỷ lệ nhiệm vụ được cập nhật trong 30 ngày',
                ],
                widths: [5, 35, 9, 13, 13, 11, 14],
                numeric: [true, false, true, false, false, true, true],
                rows: r.inactiveUnits.map((u, i) => ({
                  cells: [
                    n(i + 1),
                    u.name,
                    n(u.accounts),
                    u.lastLoginAt ? formatDateVi(u.lastLoginAt.slice(0, 10)) : 'Chưa đăng nhập',
                    u.lastUpdateAt ? formatDateVi(u.lastUpdateAt.slice(0, 10)) : 'Chưa cập nhật',
                    n(u.openTasks),
                    formatRate(u.updatedShare),
                  ],
                })),
              },
            ],
    },
  ];

  const place = r.place || '……';
  return {
    parentBody: parentBodyLine(r.province),
    issuingBody: issuingBodyLine(office),
    number: 'Số:        /BC-VP',
    nation: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    motto: 'Độc lập - Tự do - Hạnh phúc',
    placeDate: `${place}, ${ndDate(r.issuedOn)}`,
    title: 'BÁO CÁO',
    subject: `Kết quả thực hiện nhiệm vụ do UBND tỉnh, Chủ tịch, các Phó Chủ tịch UBND tỉnh giao tháng ${month}`,
    remark,
    body,
    closing: `${office} báo cáo UBND tỉnh, Chủ tịch, các Phó Chủ tịch UBND tỉnh xem xét, chỉ đạo./.`,
    recipients: [
      '- Chủ tịch, các PCT UBND tỉnh;',
      '- Các thành viên UBND tỉnh;',
      '- Các sở, ban, ngành, UBND các xã, phường;',
      '- Lãnh đạo Văn phòng;',
      '- Lưu: VT, TH.',
    ],
    signerTitle: 'CHÁNH VĂN PHÒNG',
    signerName: '',
    appendices,
    fileStem: `bao-cao-phien-hop-${r.period}-${r.version === 'public' ? 'cong-khai' : 'noi-bo'}`,
    metaTitle: `Báo cáo kết quả thực hiện nhiệm vụ tháng ${month}`,
  };
}
