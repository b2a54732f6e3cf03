/**
 * The mapping that proposes a successor for each open task of an agency being split (issue 12, "Split"): CSV
 * lines `sector_code,successor_code` (a task of that sector goes to that successor) and, for a district, lines with
 * only a successor code (`,XA-AN-NHON` or `XA-AN-NHON`): a commune list is just more successors the administrator
 * may choose in each row. Typed in the form or uploaded as a file; every refusal names its line.
 */
import { parse } from 'csv-parse/sync';
import type { DB } from '../db/open.ts';
import { DomainError } from './rules.ts';

export const MAPPING_MAX_CHARS = 100_000;
export const MAPPING_MAX_LINES = 2_000;

export interface MappingLine {
  line: number;
  sectorCode: string | null;
  successorCode: string;
}

/** What the mapping resolves to in this database: sector id → successor id, and every successor it names. */
export interface ResolvedMapping {
  bySector: Map<number, number>;
  /** successors named by the mapping, in the order of their first line */
  successors: number[];
}

export const EMPTY_MAPPING: ResolvedMapping = { bySector: new Map(), successors: [] };

const bad = (message: string) => new DomainError('bad_mapping', message, 422);

/** Parses the mapping text; a malformed line is refused with its number. */
export function parseSplitMapping(text: string): MappingLine[] {
  if (text.length > MAPPING_MAX_CHARS)
    throw bad(`Bảng ánh xạ quá dài (tối đa ${MAPPING_MAX_CHARS.toLocaleString('vi-VN')} ký tự).`);
  if (text.includes('\u0000')) throw bad('Tệp ánh xạ không phải tệp văn bản CSV.');
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text.replace(/^\uFEFF/, ''), {
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
      comment: '#',
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw bad(`Dòng ${line ?? '?'} của bảng ánh xạ không đọc được (dấu ngoặc kép không đóng hoặc ký tự lạ).`);
  }
  if (records.length > MAPPING_MAX_LINES) throw bad(`Bảng ánh xạ quá nhiều dòng (tối đa ${MAPPING_MAX_LINES} dòng).`);
  const out: MappingLine[] = [];
  const seenSector = new Map<string, number>();
  const code = /^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$/;
  for (const [i, { record, info }] of records.entries()) {
    const cells = record.map((s) => s.trim());
    const line = info.lines;
    if (i === 0 && /^sector_code$/i.test(cells[0] ?? '')) continue; // the header line
    if (cells.every((c) => c === '')) continue;
    if (cells.length > 2)
      throw bad(
        `Dòng ${line}: cần tối đa 2 cột "mã lĩnh vực,mã đơn vị tiếp nhận" (hoặc chỉ mã đơn vị tiếp nhận), có ${cells.length} cột.`,
      );
    const [sector, successor] = cells.length === 1 ? ['', cells[0]!] : [cells[0]!, cells[1]!];
    if (successor === '') throw bad(`Dòng ${line}: thiếu mã đơn vị tiếp nhận.`);
    if (!code.test(successor)) throw bad(`Dòng ${line}: mã đơn vị tiếp nhận "${successor.slice(0, 40)}" không hợp lệ.`);
    if (sector !== '' && !code.test(sector))
      throw bad(`Dòng ${line}: mã lĩnh vực "${sector.slice(0, 40)}" không hợp lệ.`);
    if (sector !== '') {
      const key = sector.toUpperCase();
      const first = seenSector.get(key);
      if (first !== undefined)
        throw bad(
          `Dòng ${line}: lĩnh vực ${sector} đã được gán ở dòng ${first}; mỗi lĩnh vực chỉ một đơn vị tiếp nhận.`,
        );
      seenSector.set(key, line);
    }
    out.push({ line, sectorCode: sector === '' ? null : sector.toUpperCase(), successorCode: successor.toUpperCase() });
  }
  return out;
}

/**
 * Resolves the codes of a parsed mapping; an unknown sector or agency, the split agency itself, or an agency that
 * no longer operates is refused with its line (the date rules are checked again when the split is applied).
 */
export function resolveSplitMapping(db: DB, fromId: number, lines: MappingLine[]): ResolvedMapping {
  const sectorId = db.prepare('SELECT id FROM sectors WHERE upper(code) = ?');
  const agency = db.prepare(
    'SELECT id, name, successor_id, merged_on, dissolved_on FROM agencies WHERE upper(code) = ?',
  );
  const bySector = new Map<number, number>();
  const successors: number[] = [];
  for (const l of lines) {
    const a = agency.get(l.successorCode) as
      | { id: number; name: string; successor_id: number | null; merged_on: string | null; dissolved_on: string | null }
      | undefined;
    if (!a) throw bad(`Dòng ${l.line}: không có đơn vị mã ${l.successorCode}.`);
    if (a.id === fromId) throw bad(`Dòng ${l.line}: ${a.name} là đơn vị đang chia tách, không tiếp nhận được.`);
    if (a.successor_id !== null || a.dissolved_on !== null)
      throw bad(`Dòng ${l.line}: ${a.name} không còn hoạt động; hãy chọn đơn vị đang hoạt động.`);
    if (l.sectorCode !== null) {
      const s = sectorId.get(l.sectorCode) as { id: number } | undefined;
      if (!s) throw bad(`Dòng ${l.line}: không có lĩnh vực mã ${l.sectorCode}.`);
      bySector.set(s.id, a.id);
    }
    if (!successors.includes(a.id)) successors.push(a.id);
  }
  return { bySector, successors };
}
