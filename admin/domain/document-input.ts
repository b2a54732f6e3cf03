/**
 * A directive document as typed into the form or sent to the API, and its checks: raw strings in, a
 * NewDocumentInput (or Vietnamese messages per field) out. Nothing is written here; documents.ts records it.
 */
import type { DB } from '../db/open.ts';
import { isIsoDate, type IsoDate } from './dates.ts';

export const DOCUMENT_TYPES = [
  'Công văn',
  'Quyết định',
  'Chỉ thị',
  'Thông báo kết luận',
  'Thông báo',
  'Kế hoạch',
  'Nghị quyết',
  'Văn bản khác',
] as const;

export const MAX_TASKS_PER_DOCUMENT = 50;

/**
 * Vietnamese document numbers (Nghị định 30/2020/NĐ-CP): number / [year /] type-and-issuer abbreviations,
 * e.g. 1147/UBND-KSTT, 52/TB-UBND, 3180/QĐ-UBND, 05/2026/QĐ-UBND.
 */
export const DOCUMENT_NUMBER_RE = /^[0-9]{1,6}(\/[0-9]{4})?\/[A-ZĐ][A-ZĐ0-9]{0,11}(-[A-ZĐ0-9]{1,15}){0,4}$/u;

export interface DocumentTaskInput {
  title: string;
  content: string;
  leadAgencyId: number;
  coordinatorIds: number[];
  leaderId: number | null;
  sectorId: number | null;
  deadline: IsoDate | null;
  noDeadlineReason: string | null;
  starred: boolean;
  confidential: boolean;
}

export interface NewDocumentInput {
  number: string;
  docType: string;
  issuedOn: IsoDate;
  signerId: number | null;
  summary: string;
  tasks: DocumentTaskInput[];
}

/** Raw values as typed (strings), one task block each; what the form keeps and re-shows on error. */
export interface RawTask {
  title: string;
  content: string;
  lead: string;
  coordinators: string[];
  leader: string;
  sector: string;
  deadline: string;
  noDeadline: boolean;
  noDeadlineReason: string;
  starred: boolean;
  confidential: boolean;
}

export interface RawDocument {
  number: string;
  docType: string;
  issuedOn: string;
  signer: string;
  summary: string;
  tasks: RawTask[];
}

export function blankRawTask(): RawTask {
  return {
    title: '',
    content: '',
    lead: '',
    coordinators: [],
    leader: '',
    sector: '',
    deadline: '',
    noDeadline: false,
    noDeadlineReason: '',
    starred: false,
    confidential: false,
  };
}

/** A block left entirely blank is ignored (the form offers several). */
export function isBlankTask(t: RawTask): boolean {
  return (
    !t.title.trim() &&
    !t.content.trim() &&
    !t.lead &&
    t.coordinators.length === 0 &&
    !t.deadline.trim() &&
    !t.noDeadline &&
    !t.noDeadlineReason.trim()
  );
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** dd/mm/yyyy (what people type) or yyyy-mm-dd (what <input type=date> sends) → IsoDate, else null. */
export function parseDateField(s: string): IsoDate | null {
  const v = s.trim();
  let iso: string | null = null;
  const dmy = /^([0-9]{1,2})\/([0-9]{1,2})\/([0-9]{4})$/.exec(v);
  if (dmy) iso = `${dmy[3]}-${dmy[2]!.padStart(2, '0')}-${dmy[1]!.padStart(2, '0')}`;
  else if (/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(v)) iso = v;
  return iso !== null && isIsoDate(iso) ? iso : null;
}

function parseId(s: string): number | null {
  if (!/^[0-9]{1,9}$/.test(s)) return null;
  const n = Number(s);
  return n > 0 ? n : null;
}

export interface Catalogs {
  activeAgencies: Set<number>;
  activeLeaders: Set<number>;
  activeSectors: Set<number>;
}

export function loadCatalogs(db: DB): Catalogs {
  const ids = (sql: string) => new Set(db.prepare(sql).pluck().all() as number[]);
  return {
    activeAgencies: ids('SELECT id FROM agencies WHERE successor_id IS NULL AND dissolved_on IS NULL'),
    activeLeaders: ids('SELECT id FROM leaders WHERE active = 1'),
    activeSectors: ids('SELECT id FROM sectors WHERE active = 1'),
  };
}

/**
 * Checks the whole document form; errors are keyed by field name as the form names them ("number",
 * "t0_title", "t2_lead" …) so each message shows beside its field. Writes nothing.
 */
export function validateDocumentInput(
  db: DB,
  raw: RawDocument,
  todayIso: IsoDate,
): { errors: Record<string, string>; value: NewDocumentInput | null; warnings: string[] } {
  const errors: Record<string, string> = {};
  const warnings: string[] = [];
  const cat = loadCatalogs(db);
  const number = raw.number.normalize('NFC').trim().toUpperCase().replace(/\s+/g, '');
  if (!number) errors.number = 'Cần nhập số, ký hiệu văn bản.';
  else if (!DOCUMENT_NUMBER_RE.test(number)) {
    errors.number = 'Số, ký hiệu văn bản không đúng dạng (ví dụ: 1147/UBND-KSTT, 52/TB-UBND, 3180/QĐ-UBND).';
  }
  const docType = raw.docType.trim();
  if (!(DOCUMENT_TYPES as readonly string[]).includes(docType)) errors.doc_type = 'Cần chọn loại văn bản.';
  const issuedOn = parseDateField(raw.issuedOn);
  if (!raw.issuedOn.trim()) errors.issued_on = 'Cần nhập ngày ban hành.';
  else if (!issuedOn) errors.issued_on = 'Ngày ban hành không hợp lệ (dd/mm/yyyy).';
  else if (issuedOn > todayIso) errors.issued_on = 'Ngày ban hành không được sau ngày hôm nay.';
  let signerId: number | null = null;
  if (!raw.signer) errors.signer = 'Cần chọn lãnh đạo ký văn bản.';
  else {
    signerId = parseId(raw.signer);
    if (signerId === null || !cat.activeLeaders.has(signerId)) errors.signer = 'Lãnh đạo ký văn bản không hợp lệ.';
  }
  const summary = raw.summary.normalize('NFC').trim();
  if (!summary) errors.summary = 'Cần nhập trích yếu nội dung văn bản.';
  else if (summary.length > 2000) errors.summary = 'Trích yếu tối đa 2.000 ký tự.';
  else if (CONTROL.test(summary)) errors.summary = 'Trích yếu có ký tự điều khiển không hợp lệ.';
  if (
    !errors.number &&
    issuedOn &&
    db.prepare('SELECT 1 FROM documents WHERE number = ? AND issued_on = ?').get(number, issuedOn)
  ) {
    errors.number = 'Đã có văn bản cùng số, ký hiệu và ngày ban hành này trong hệ thống.';
  }

  const tasks: DocumentTaskInput[] = [];
  const blocks = raw.tasks.map((t, i) => [t, i] as const).filter(([t]) => !isBlankTask(t));
  if (blocks.length === 0) errors.t0_title = 'Văn bản cần giao ít nhất một nhiệm vụ.';
  if (blocks.length > MAX_TASKS_PER_DOCUMENT)
    errors.tasks = `Một văn bản giao tối đa ${MAX_TASKS_PER_DOCUMENT} nhiệm vụ.`;
  for (const [t, i] of blocks) {
    const k = (f: string) => `t${i}_${f}`;
    const n = i + 1;
    const title = t.title.normalize('NFC').trim().replace(/\s+/g, ' ');
    if (!title) errors[k('title')] = `Nhiệm vụ ${n}: cần nhập tên nhiệm vụ.`;
    else if (title.length > 500) errors[k('title')] = `Nhiệm vụ ${n}: tên nhiệm vụ tối đa 500 ký tự.`;
    else if (CONTROL.test(title)) errors[k('title')] = `Nhiệm vụ ${n}: tên nhiệm vụ có ký tự không hợp lệ.`;
    const content = t.content.normalize('NFC').trim();
    if (content.length > 10_000) errors[k('content')] = `Nhiệm vụ ${n}: nội dung tối đa 10.000 ký tự.`;
    else if (CONTROL.test(content)) errors[k('content')] = `Nhiệm vụ ${n}: nội dung có ký tự không hợp lệ.`;
    const lead = parseId(t.lead);
    if (!t.lead) errors[k('lead')] = `Nhiệm vụ ${n}: cần chọn đơn vị chủ trì.`;
    else if (lead === null || !cat.activeAgencies.has(lead)) {
      errors[k('lead')] = `Nhiệm vụ ${n}: đơn vị chủ trì không hợp lệ hoặc đã sáp nhập/giải thể.`;
    }
    const coordinatorIds: number[] = [];
    for (const c of t.coordinators) {
      const id = parseId(c);
      if (id === null || !cat.activeAgencies.has(id)) {
        errors[k('coordinators')] = `Nhiệm vụ ${n}: đơn vị phối hợp không hợp lệ hoặc đã sáp nhập/giải thể.`;
      } else if (id === lead) {
        errors[k('coordinators')] = `Nhiệm vụ ${n}: đơn vị chủ trì không đồng thời là đơn vị phối hợp.`;
      } else if (!coordinatorIds.includes(id)) coordinatorIds.push(id);
    }
    if (coordinatorIds.length > 100) errors[k('coordinators')] = `Nhiệm vụ ${n}: quá nhiều đơn vị phối hợp.`;
    let leaderId: number | null = null;
    if (t.leader) {
      leaderId = parseId(t.leader);
      if (leaderId === null || !cat.activeLeaders.has(leaderId))
        errors[k('leader')] = `Nhiệm vụ ${n}: lãnh đạo giao nhiệm vụ không hợp lệ.`;
    } else errors[k('leader')] = `Nhiệm vụ ${n}: cần chọn lãnh đạo giao nhiệm vụ.`;
    let sectorId: number | null = null;
    if (t.sector) {
      sectorId = parseId(t.sector);
      if (sectorId === null || !cat.activeSectors.has(sectorId))
        errors[k('sector')] = `Nhiệm vụ ${n}: lĩnh vực không hợp lệ.`;
    }
    let deadline: IsoDate | null = null;
    let noDeadlineReason: string | null = null;
    if (t.noDeadline) {
      if (t.deadline.trim()) errors[k('deadline')] = `Nhiệm vụ ${n}: đã chọn “không thời hạn” thì để trống ô thời hạn.`;
      noDeadlineReason = t.noDeadlineReason.normalize('NFC').trim();
      if (!noDeadlineReason) {
        errors[k('no_deadline_reason')] =
          `Nhiệm vụ ${n}: nhiệm vụ không có thời hạn cần ghi rõ lý do (Chủ tịch UBND tỉnh yêu cầu Văn phòng hạn chế giao nhiệm vụ không thời hạn).`;
      } else if (noDeadlineReason.length > 1000 || CONTROL.test(noDeadlineReason)) {
        errors[k('no_deadline_reason')] = `Nhiệm vụ ${n}: lý do không hợp lệ (tối đa 1.000 ký tự).`;
      } else {
        warnings.push(`Nhiệm vụ ${n} không có thời hạn: sẽ được đôn đốc định kỳ 3 tháng một lần.`);
      }
    } else {
      deadline = parseDateField(t.deadline);
      if (!t.deadline.trim()) {
        errors[k('deadline')] = `Nhiệm vụ ${n}: cần nhập thời hạn, hoặc chọn “không thời hạn” và ghi rõ lý do.`;
      } else if (!deadline) errors[k('deadline')] = `Nhiệm vụ ${n}: thời hạn không hợp lệ (dd/mm/yyyy).`;
      else if (issuedOn && deadline < issuedOn)
        errors[k('deadline')] = `Nhiệm vụ ${n}: thời hạn không được trước ngày ban hành văn bản.`;
    }
    tasks.push({
      title,
      content,
      leadAgencyId: lead ?? 0,
      coordinatorIds,
      leaderId,
      sectorId,
      deadline,
      noDeadlineReason,
      starred: t.starred,
      confidential: t.confidential,
    });
  }
  if (Object.keys(errors).length > 0) return { errors, value: null, warnings };
  return { errors, value: { number, docType, issuedOn: issuedOn!, signerId, summary, tasks }, warnings };
}
