/**
 * Directive documents (văn bản chỉ đạo) and the tasks they assign (DESIGN.md §3). One document and all its tasks
 * are written in ONE immediate transaction (createTask for each, the file, the audit row): either everything is
 * recorded or nothing is. validateDocumentInput checks everything first and returns Vietnamese messages per field,
 * for the admin form and the API alike.
 */
import type { DB } from '../db/open.ts';
import type { Env } from '../env.ts';
import { can, taskScopeSql, type Principal } from '../auth/permissions.ts';
import { writeAudit } from '../audit/audit.ts';
import { runWithUploads, storeUpload, type AcceptedUpload } from '../files/store.ts';
import { DomainError } from './rules.ts';
import { createTask } from './tasks.ts';
import { isIsoDate, today, type IsoDate } from './dates.ts';

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

export interface CreatedDocument {
  documentId: number;
  taskIds: number[];
  codes: string[];
  fileId: number | null;
}

/**
 * Records a validated document, its file and all its tasks in ONE immediate transaction (createTask joins it),
 * audited in the same transaction. Re-checks what could have changed since validation (agencies merged,
 * duplicate number) by letting the constraints and createTask refuse; any refusal rolls everything back and
 * removes the stored file.
 */
export function createDocumentWithTasks(
  deps: { db: DB; env: Pick<Env, 'uploadDir'>; now: Date },
  principal: Principal,
  input: NewDocumentInput,
  file: AcceptedUpload | null,
  meta: { ip?: string; userAgent?: string } = {},
): CreatedDocument {
  const { db } = deps;
  if (!can(principal, 'document.create') || !can(principal, 'task.create')) {
    throw new DomainError('forbidden', 'Bạn không có quyền nhập văn bản chỉ đạo.', 403);
  }
  if (input.tasks.length === 0) throw new DomainError('no_tasks', 'Văn bản cần giao ít nhất một nhiệm vụ.', 422);
  if (input.issuedOn > today(deps.now))
    throw new DomainError('bad_date', 'Ngày ban hành không được sau ngày hôm nay.', 422);
  const actorUserId = principal.kind === 'user' ? principal.id : null;
  return runWithUploads(db, (pending) => {
    const { activeAgencies } = loadCatalogs(db);
    for (const t of input.tasks) {
      for (const a of [t.leadAgencyId, ...t.coordinatorIds]) {
        if (!activeAgencies.has(a))
          throw new DomainError('agency_inactive', 'Đơn vị được giao không tồn tại hoặc đã sáp nhập/giải thể.', 422);
      }
    }
    if (db.prepare('SELECT 1 FROM documents WHERE number = ? AND issued_on = ?').get(input.number, input.issuedOn)) {
      throw new DomainError(
        'duplicate_document',
        'Đã có văn bản cùng số, ký hiệu và ngày ban hành này trong hệ thống.',
        409,
      );
    }
    const fileId = file ? storeUpload({ db, env: deps.env }, file, { actorUserId, pending }) : null;
    const documentId = Number(
      db
        .prepare(
          'INSERT INTO documents (number, doc_type, issued_on, signer_id, summary, file_id, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(input.number, input.docType, input.issuedOn, input.signerId, input.summary, fileId, actorUserId)
        .lastInsertRowid,
    );
    const taskIds: number[] = [];
    for (const t of input.tasks) {
      taskIds.push(
        createTask(db, {
          title: t.title,
          content: t.content,
          documentId,
          documentNumber: input.number,
          leadAgencyId: t.leadAgencyId,
          coordinatorIds: t.coordinatorIds,
          leaderId: t.leaderId,
          specialistId: principal.kind === 'user' && principal.role === 'specialist' ? principal.id : null,
          sectorId: t.sectorId,
          assignedOn: input.issuedOn,
          deadline: t.deadline,
          noDeadlineReason: t.noDeadlineReason,
          starred: t.starred,
          confidential: t.confidential,
          actorUserId,
        }),
      );
    }
    const codes = taskIds.map((id) => db.prepare('SELECT code FROM tasks WHERE id = ?').pluck().get(id) as string);
    writeAudit(db, {
      at: deps.now,
      actor: principal,
      action: 'document.create',
      targetType: 'document',
      targetId: documentId,
      ip: meta.ip,
      userAgent: meta.userAgent,
      details: {
        number: input.number,
        issuedOn: input.issuedOn,
        fileId,
        tasks: codes,
        withoutDeadline: codes.filter((_c, i) => input.tasks[i]!.deadline === null),
      },
    });
    return { documentId, taskIds, codes, fileId };
  });
}

export interface DocumentListRow {
  id: number;
  number: string;
  doc_type: string;
  issued_on: string;
  summary: string;
  signer_name: string | null;
  file_id: number | null;
  task_count: number;
}

/** Documents the principal may see (agency users: those with a task they lead or coordinate), newest first. */
export function listDocuments(
  db: DB,
  principal: Pick<Principal, 'role' | 'agencyId'>,
  opts: { page: number; pageSize: number; q?: string },
): { rows: DocumentListRow[]; total: number } {
  const scope = taskScopeSql(principal, 'task.read', 't');
  const where: string[] = [`EXISTS (SELECT 1 FROM tasks t WHERE t.document_id = d.id AND ${scope.sql})`];
  const params: Array<string | number> = [...scope.params];
  if (opts.q) {
    where.push("(d.number LIKE ? ESCAPE '\\' OR d.summary LIKE ? ESCAPE '\\')");
    const like = `%${opts.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    params.push(like, like);
  }
  const w = `WHERE ${where.join(' AND ')}`;
  const total = db
    .prepare(`SELECT count(*) FROM documents d ${w}`)
    .pluck()
    .get(...params) as number;
  const rows = db
    .prepare(
      `SELECT d.id, d.number, d.doc_type, d.issued_on, d.summary, d.file_id, l.name AS signer_name,
              (SELECT count(*) FROM tasks t WHERE t.document_id = d.id AND ${scope.sql}) AS task_count
         FROM documents d LEFT JOIN leaders l ON l.id = d.signer_id ${w}
        ORDER BY d.issued_on DESC, d.id DESC LIMIT ? OFFSET ?`,
    )
    .all(...scope.params, ...params, opts.pageSize, (Math.max(1, opts.page) - 1) * opts.pageSize) as DocumentListRow[];
  return { rows, total };
}

export interface DocumentRow {
  id: number;
  number: string;
  doc_type: string;
  issued_on: string;
  signer_id: number | null;
  signer_name: string | null;
  signer_title: string | null;
  summary: string;
  file_id: number | null;
  file_name: string | null;
  file_size: number | null;
  created_at: string;
}

export function getDocument(db: DB, id: number): DocumentRow | undefined {
  return db
    .prepare(
      `SELECT d.*, l.name AS signer_name, l.title AS signer_title, f.original_name AS file_name, f.size AS file_size
         FROM documents d LEFT JOIN leaders l ON l.id = d.signer_id LEFT JOIN files f ON f.id = d.file_id WHERE d.id = ?`,
    )
    .get(id) as DocumentRow | undefined;
}
