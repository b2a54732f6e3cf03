/**
 * Province merger, the input (issue 12): the options of `npm run merge-province` and of the admin preview page, the
 * agency map file (CSV "other_code,this_code", one agency of the former province per line), and the one error type
 * every refusal throws: a Vietnamese message naming the line, code or task, raised before anything is written.
 */
import { isIsoDate, type IsoDate } from './dates.ts';

export class ProvinceMergeError extends Error {
  override name = 'ProvinceMergeError';
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export interface ProvinceMergeOptions {
  /** path of the former province's database (read only) */
  fromPath: string;
  /** its upload folder; default uploads/ next to fromPath */
  fromUploads?: string;
  /** prepended with '-' to every imported task code, agency code (and 'prefix.' to user names); null: none */
  prefix: string | null;
  /** the first day as one province: open tasks of mapped agencies move on this day */
  on: IsoDate;
  /** the map file's text, if any */
  mapText?: string | null;
  /** name of the map file, for messages */
  mapName?: string;
}

export interface MapLine {
  line: number;
  otherCode: string;
  thisCode: string;
}

const PREFIX_RE = /^[A-Z0-9]{1,10}$/;
const CODE_RE = /^[^\s,;"]{1,64}$/;

export function checkPrefix(prefix: string | null | undefined): string | null {
  if (prefix === undefined || prefix === null || prefix === '') return null;
  if (!PREFIX_RE.test(prefix))
    throw new ProvinceMergeError(
      'bad_prefix',
      `Tiền tố “${prefix}” không hợp lệ: chỉ gồm 1–10 chữ in hoa không dấu hoặc chữ số (ví dụ BD).`,
    );
  return prefix;
}

export function checkOnDate(on: string, today: IsoDate): IsoDate {
  if (!isIsoDate(on))
    throw new ProvinceMergeError('bad_date', `Ngày hợp nhất “${on}” không hợp lệ (nhập theo dạng yyyy-mm-dd).`);
  if (on > today)
    throw new ProvinceMergeError(
      'future_date',
      `Ngày hợp nhất ${on} ở tương lai; chỉ ghi nhận việc hợp nhất đã có hiệu lực (hôm nay là ${today}).`,
    );
  return on;
}

/**
 * Parses the map file: blank lines and lines starting with '#' are skipped, so is a first line
 * "other_code,this_code"; every other line is exactly two codes. A line that is not is refused by its number.
 */
export function parseMapFile(text: string, name = 'tệp ánh xạ'): MapLine[] {
  const out: MapLine[] = [];
  const seen = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    const s = raw.trim();
    if (s === '' || s.startsWith('#')) return;
    const parts = s.split(',').map((p) => p.trim());
    if (out.length === 0 && seen.size === 0 && /^other_code,this_code$/i.test(parts.join(','))) return;
    if (parts.length !== 2 || !CODE_RE.test(parts[0]!) || !CODE_RE.test(parts[1]!)) {
      throw new ProvinceMergeError(
        'bad_map_line',
        `Dòng ${line} của ${name} không đúng dạng “mã đơn vị tỉnh cũ,mã đơn vị tỉnh này”: “${s.slice(0, 80)}”.`,
      );
    }
    const [otherCode, thisCode] = parts as [string, string];
    const before = seen.get(otherCode);
    if (before !== undefined)
      throw new ProvinceMergeError(
        'duplicate_map_line',
        `Dòng ${line} của ${name}: mã ${otherCode} đã có ở dòng ${before}; mỗi đơn vị tỉnh cũ chỉ ánh xạ một lần.`,
      );
    seen.set(otherCode, line);
    out.push({ line, otherCode, thisCode });
  });
  return out;
}
