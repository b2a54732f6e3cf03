/**
 * The worker thread of runPublishJob (publish-job.ts): opens its own connection to the database file, previews or
 * publishes there (the publication with its audit row), answers and closes. Loaded by Node 24's own type stripping
 * (execArgv: []), so no TypeScript loader is needed in the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/open.ts';
import { answerOf, executePublishJob, type PublishJob } from './publish-job.ts';

const { dbPath, job } = workerData as { dbPath: string; job: PublishJob };
const db = openDatabase(dbPath, { migrate: false });
try {
  parentPort!.postMessage(answerOf(() => executePublishJob(db, job)));
} finally {
  db.close();
}
