/**
 * Checking and writing an import off the request path (issue #9 item 5). Validating 20,000 rows takes ≈ 0.25 s and
 * writing them ≈ 2.5 s of synchronous SQLite work; on the server's thread every other page would wait that long.
 * So both run in a worker thread with its own connection to the same database file (WAL: the server keeps reading
 * while the worker writes, and its caches follow the data version read from the database). The write and its audit
 * row are one immediate transaction in the worker, as before. An in-memory database (tests, throwaway tools) cannot
 * be shared with another thread, so there the same job runs in process.
 */
import { Worker } from 'node:worker_threads';
import type { AuditEntry } from '../audit/audit.ts';
import { writeAudit } from '../audit/audit.ts';
import type { DB } from '../db/open.ts';
import type { ImportError, ImportOptions, ImportResult, ImportRow } from './columns.ts';
import { importTasks, importTasksAtomically } from './write-tasks.ts';

const WORKER_URL = new URL('./write-worker.ts', import.meta.url);

export interface ImportJob {
  rows: ImportRow[];
  options: ImportOptions;
  parseErrors?: ImportError[];
  /** written in the same transaction as a confirmed import ('task.import' or 'task.import_failed') */
  audit?: Omit<AuditEntry, 'action'> & { details: Record<string, unknown> };
}

/** The job itself, on whichever thread holds `db`. */
export function executeImportJob(db: DB, job: ImportJob): ImportResult {
  const audit = job.audit;
  if (job.options.dryRun || !audit) return importTasks(db, job.rows, job.options, job.parseErrors ?? []);
  return importTasksAtomically(db, job.rows, job.options, (r) =>
    writeAudit(db, {
      ...audit,
      action: r.imported > 0 ? 'task.import' : 'task.import_failed',
      details: {
        ...audit.details,
        importId: r.importId ?? null,
        imported: r.imported,
        documentsCreated: r.documentsCreated,
        errors: r.errors.length,
      },
    }),
  );
}

/** Runs the job in a worker thread on the database file (in process for an in-memory database). */
export function runImportJob(db: DB, job: ImportJob): Promise<ImportResult> {
  if (db.memory) return Promise.resolve().then(() => executeImportJob(db, job));
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: { dbPath: db.name, job }, execArgv: [] });
    let settled = false;
    worker.once('message', (m: { ok: true; result: ImportResult } | { ok: false; message: string }) => {
      settled = true;
      if (m.ok) resolve(m.result);
      else reject(new Error(m.message));
    });
    worker.once('error', (e) => {
      if (!settled) reject(e);
      settled = true;
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`Tiến trình nhập dữ liệu dừng bất thường (mã ${code}).`));
      settled = true;
    });
  });
}
