/**
 * Writing an import: validateRows (validate-rows.ts), then, unless it is a dry run or any row is bad, every task
 * with its replayed history in one immediate transaction through createTask / appendEvent (the same rules as every
 * other write), and the provenance: one `imports` row (file, SHA-256, importer, time, rows) and an `import_events`
 * link for every event written, so timelines show the file and the importer rather than the importer as the actor.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DB } from '../db/open.ts';
import { today as todayVn, type IsoDate } from '../domain/dates.ts';
import { DomainError } from '../domain/rules.ts';
import { appendEvent, createTask, getTask } from '../domain/tasks.ts';
import { noticeNewTask } from '../domain/notices.ts';
import { taskResource } from '../domain/task-actions.ts';
import type { ImportError, ImportFormat, ImportOptions, ImportResult, ImportRow } from './columns.ts';
import { parseImportFile } from './read-file.ts';
import { type PlannedTask, validateRows } from './validate-rows.ts';

/** SHA-256 of "no file" (rows given directly, as tests and scripts may do). */
const UNKNOWN_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * Validates every row, then (unless dryRun or any row is bad) writes all tasks with their events in one immediate
 * transaction. `parseErrors` from parseImportFile count as bad rows too.
 */
export function importTasks(
  db: DB,
  rows: readonly ImportRow[],
  options: ImportOptions = {},
  parseErrors: readonly ImportError[] = [],
): ImportResult {
  const today = options.today ?? todayVn();
  const { planned, errors, codesInFile } = validateRows(db, rows, today, parseErrors);
  const newDocuments = new Set(
    planned
      .filter((p) => p.document && p.document.existingId === null)
      .map((p) => `${p.document!.number}|${p.document!.date}`),
  );
  const result: ImportResult = {
    imported: 0,
    valid: planned.length,
    documentsCreated: newDocuments.size,
    dryRun: options.dryRun ?? false,
    errors,
  };
  if (errors.length > 0) return { ...result, valid: 0 };
  if (options.dryRun) return result;

  // codes for rows without one: NV-YYYY-NNNNN after the highest code of that year in the database and the file
  const nextByYear = new Map<string, number>();
  const maxCode = db
    .prepare('SELECT max(CAST(substr(code, 9) AS INTEGER)) FROM tasks WHERE code LIKE ? AND length(code) = 13')
    .pluck();
  const takeCode = (assignedOn: IsoDate): string => {
    const year = assignedOn.slice(0, 4);
    let n = nextByYear.get(year);
    if (n === undefined) {
      n = ((maxCode.get(`NV-${year}-%`) as number | null) ?? 0) + 1;
      for (const c of codesInFile.keys()) {
        const m = /^NV-(\d{4})-(\d{5})$/.exec(c);
        if (m && m[1] === year) n = Math.max(n, Number(m[2]) + 1);
      }
    }
    nextByYear.set(year, n + 1);
    return `NV-${year}-${String(n).padStart(5, '0')}`;
  };

  const insertImport = db.prepare(
    'INSERT INTO imports (file_name, sha256, imported_by, imported_at, rows, tasks) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const linkEvents = db.prepare(
    'INSERT INTO import_events (event_id, import_id) SELECT id, ? FROM task_events WHERE task_id = ?',
  );
  const insertDocument = db.prepare(
    'INSERT INTO documents (number, doc_type, issued_on, signer_id, summary, created_by) VALUES (?, ?, ?, ?, ?, ?)',
  );
  let current: PlannedTask | null = null;
  let importId: number | null = null;
  try {
    db.transaction(() => {
      importId = Number(
        insertImport.run(
          options.source?.fileName ?? 'tệp không rõ tên',
          options.source?.sha256 ?? UNKNOWN_SHA256,
          options.actorUserId ?? null,
          (options.at ?? new Date()).toISOString(),
          rows.length,
          planned.length,
        ).lastInsertRowid,
      );
      const documentIds = new Map<string, number>();
      for (const p of planned) {
        current = p;
        let documentId: number | null = null;
        if (p.document) {
          const key = `${p.document.number}|${p.document.date}`;
          documentId = p.document.existingId ?? documentIds.get(key) ?? null;
          if (documentId === null) {
            documentId = Number(
              insertDocument.run(
                p.document.number,
                p.document.type,
                p.document.date,
                p.document.signerId,
                '',
                options.actorUserId ?? null,
              ).lastInsertRowid,
            );
            documentIds.set(key, documentId);
          }
        }
        const taskId = createTask(db, {
          code: p.code || takeCode(p.assignedOn),
          title: p.title,
          content: p.content,
          documentId,
          documentNumber: p.document?.number ?? '',
          leadAgencyId: p.leadAgencyId,
          coordinatorIds: p.coordinatorIds,
          leaderId: p.leaderId,
          sectorId: p.sectorId,
          assignedOn: p.assignedOn,
          deadline: p.deadline,
          noDeadlineReason: p.noDeadlineReason,
          confidential: p.confidential,
          actorUserId: options.actorUserId ?? null,
        });
        for (const e of p.events) {
          appendEvent(db, taskId, {
            kind: e.kind,
            occurredOn: e.occurredOn,
            note: e.note ?? '',
            ...(e.data ? { data: e.data } : {}),
            actorUserId: options.actorUserId ?? null,
          });
        }
        // every event of the new task so far was written by this import (its assignment included)
        linkEvents.run(importId, taskId);
        noticeNewTask(
          db,
          { taskId, now: options.at ?? new Date(), actorUserId: options.actorUserId ?? null },
          taskResource(db, getTask(db, taskId)!),
        );
      }
    }).immediate();
  } catch (e) {
    const row = (current as PlannedTask | null)?.row ?? 1;
    const message = e instanceof DomainError ? e.message : `Lỗi khi ghi dữ liệu: ${(e as Error).message}`;
    return { ...result, valid: 0, errors: [{ row, message: `${message} Không có dòng nào được nhập.` }] };
  }
  return { ...result, imported: planned.length, importId };
}

/**
 * importTasks and `after` (the caller's audit row) in one immediate transaction: both commit or neither does
 * (importTasks' own transaction becomes a savepoint).
 */
export function importTasksAtomically(
  db: DB,
  rows: readonly ImportRow[],
  options: ImportOptions,
  after: (result: ImportResult) => void,
): ImportResult {
  return db
    .transaction(() => {
      const result = importTasks(db, rows, options);
      after(result);
      return result;
    })
    .immediate();
}

/** parseImportFile + importTasks: the whole import of one file. */
export async function importFile(
  db: DB,
  input: string | Uint8Array,
  format: ImportFormat | undefined,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const parsed = await parseImportFile(input, format);
  if (parsed.errors.some((e) => e.row === 1)) {
    return { imported: 0, valid: 0, documentsCreated: 0, dryRun: options.dryRun ?? false, errors: parsed.errors };
  }
  const bytes = typeof input === 'string' ? await readFile(input) : input;
  const source = options.source ?? {
    fileName: typeof input === 'string' ? basename(input) : 'tệp không rõ tên',
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
  return importTasks(db, parsed.rows, { ...options, source }, parsed.errors);
}
