/**
 * The worker thread of runPublishJob (publish-job.ts): keeps its own connection to the database file and, for each
 * message, previews or publishes there (the publication with its audit row) and answers. Jobs run one after another
 * (one message at a time). Loaded by Node 24's own type stripping (execArgv: []), so no TypeScript loader is needed
 * in the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/open.ts';
import { answerOf, executePublishJob, type PublishJob } from './publish-job.ts';

const { dbPath } = workerData as { dbPath: string };
const db = openDatabase(dbPath, { migrate: false });
// one job at a time, in the order they came (previews and publications in one worker, preparations in another)
let queue = Promise.resolve();
parentPort!.on('message', ({ id, job }: { id: number; job: PublishJob }) => {
  queue = queue.then(async () => {
    parentPort!.postMessage({ id, ...(await answerOf(() => executePublishJob(db, job))) });
  });
});
