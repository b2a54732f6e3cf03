/**
 * MeetingReport ──▶ ReportDocument: the words of the report, written once for both renderers (docx.ts, pdf.ts), in
 * the form of a "Báo cáo" of Nghị định 30/2020/NĐ-CP, Phụ lục I (Quốc hiệu và Tiêu ngữ, issuing body, number, place
 * and date, title and subject, body, "Nơi nhận", signer) followed by its appendices. The renderers only lay out.
 */
import { addDays, formatDateVi, type IsoDate } from '../domain/dates.ts';
import { formatNumber, formatRate } from '../domain/format.ts';
import { appendices, completed, para } from './appendices.ts';
import { type Block, issuingBodyLine, ndDate, parentBodyLine, periodLabel, type ReportDocument } from './form.ts';
import type { AgencyTasks, Figures, MeetingReport, PeriodFigures } from './model.ts';

const n = formatNumber;

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
    appendices: appendices(r),
    fileStem: `bao-cao-phien-hop-${r.period}-${r.version === 'public' ? 'cong-khai' : 'noi-bo'}`,
    downloadStem: `Báo cáo phiên họp tháng ${month.replace('/', '-')} - bản ${r.version === 'public' ? 'công khai' : 'nội bộ'}`,
    metaTitle: `Báo cáo kết quả thực hiện nhiệm vụ tháng ${month}`,
  };
}
