/**
 * WAL checkpoints off the server's thread (issue 14). SQLite folds the write-ahead log back into the database file
 * on the connection that commits when the log passes 1,000 pages: about every two hundred task events, one write
 * then held the server's only thread for ≈ 10–30 ms while it copied 4 MB, and every request queued behind it.
 * Here the server's connection checkpoints only as a backstop (a log of 16,000 pages, 64 MB, should this thread
 * have stopped) and a worker thread with its own connection runs a PASSIVE checkpoint every second: it copies what
 * no reader still needs and never waits for a lock, so the server neither blocks on it nor waits for it.
 */
import { Worker } from 'node:worker_threads';
import type { DB } from './types.ts';

/** Plain JavaScript, evaluated in the worker: it needs nothing but better-sqlite3. */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 0');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

const BACKSTOP_PAGES = 16_000;

export interface Checkpointer {
  stop(): Promise<void>;
}

/** Starts checkpointing `db`'s file from a worker thread (nothing to do for an in-memory or read-only database). */
export function startCheckpointer(db: DB, everyMs = 1_000): Checkpointer {
  if (db.memory || db.readonly) return { stop: async () => {} };
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { path: db.name, everyMs, driver: import.meta.resolve('better-sqlite3').replace(/^file:\/\//, '') },
  });
  worker.unref();
  // a checkpointer that died only means the backstop takes over; the server goes on
  worker.on('error', () => {});
  return {
    stop: () =>
      new Promise<void>((done) => {
        // held until it has closed its connection (unreferenced, the process could end first)
        worker.ref();
        worker.once('exit', () => done());
        worker.postMessage('stop');
        setTimeout(() => void worker.terminate(), 2_000).unref();
      }),
  };
}
