/**
 * The shape of the report as a document in the form of a "Báo cáo" of Nghị định 30/2020/NĐ-CP, Phụ lục I: Quốc hiệu
 * và Tiêu ngữ, the governing and the issuing body, number, place and date, title and subject, body, "Nơi nhận",
 * signer, then the appendices. document.ts fills it in; docx.ts and pdf.ts lay it out. The heading lines are
 * written here, as the decree writes them.
 */
import type { IsoDate } from '../domain/dates.ts';

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
  /** file name without extension, e.g. "bao-cao-phien-hop-2026-03-cong-khai" (command line: ASCII) */
  fileStem: string;
  /** the name a browser saves it under, e.g. "Báo cáo phiên họp tháng 03-2026 - bản công khai" */
  downloadStem: string;
  /** document properties */
  metaTitle: string;
}

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
