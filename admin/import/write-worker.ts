/**
 * The worker thread of runImportJob (run-job.ts): opens its own connection to the database file, checks or writes
 * the import there with its audit row, answers with the result and closes. Loaded by Node 24's own type stripping
 * (execArgv: []), so no TypeScript loader is needed in the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/open.ts';
import { executeImportJob, type ImportJob } from './run-job.ts';

const { dbPath, job } = workerData as { dbPath: string; job: ImportJob };
const db = openDatabase(dbPath, { migrate: false });
try {
  parentPort!.postMessage({ ok: true, result: executeImportJob(db, job) });
} catch (e) {
  parentPort!.postMessage({ ok: false, message: (e as Error).message });
} finally {
  db.close();
}
