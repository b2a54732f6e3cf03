/**
 * `npm start` with ADMIN_PROCESSES > 1: that many server processes sharing the port (node:cluster; the primary hands
 * connections round-robin). A Node process renders on one thread, so more processes serve more reads at once on a
 * machine with more cores; but each write holds SQLite's one write lock, and a process that finds it taken waits in
 * SQLite's busy handler, its whole event loop asleep meanwhile: on this 2-core machine, with one write every 20
 * requests, two processes had a worse p99 than one (README, Benchmarks), so one is the default. The processes share
 * everything through the database and the build folder; each keeps its own in-memory copies (live index, page
 * caches), which follow the database's change stamp. The background work (checkpoints, sweeps, scheduled rebuilds,
 * urging, mail, backups) runs in worker 0 only, so nothing runs twice.
 *
 * The primary opens and migrates the database before forking (no two processes migrate at once), restarts a
 * worker that dies (giving up when one dies again within CRASH_WINDOW_MS of its start: a crash loop is a bug to
 * read in the log, not to hide), and on SIGINT/SIGTERM stops every worker gracefully before it exits. A worker
 * whose primary is killed exits at once (node:cluster closes its channel), so kill -9 leaves no server behind.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Env } from './env.ts';
import { openDatabase } from './db/open.ts';

/** The environment variable telling a worker its index (0 runs the background work). */
export const WORKER_INDEX_VAR = 'ADMIN_WORKER_INDEX';
const CRASH_WINDOW_MS = 5_000;
const STOP_TIMEOUT_MS = 10_000;

/** This process's worker index under the cluster, or null when it is not a cluster worker. */
export function workerIndex(): number | null {
  if (!cluster.isWorker) return null;
  const n = Number(process.env[WORKER_INDEX_VAR]);
  return Number.isInteger(n) && n >= 0 ? n : null;
}

export function runPrimary(env: Env): void {
  openDatabase(env.databasePath).close(); // migrations, once, before any worker opens the file
  const workers = new Map<number, { worker: Worker; startedAt: number }>();
  let stopping = false;
  let listening = 0;
  const fork = (index: number) => {
    const worker = cluster.fork({ [WORKER_INDEX_VAR]: String(index) });
    workers.set(index, { worker, startedAt: Date.now() });
    worker.once('listening', (address) => {
      listening++;
      if (listening === env.processes) {
        const host = env.host.includes(':') ? `[${env.host}]` : env.host;
        console.log(
          `Máy chủ quản trị đang chạy: http://${host}:${address.port}/admin — mở trình duyệt tại ${env.origin}/admin (${env.processes} tiến trình)`,
        );
      }
    });
    worker.once('exit', (code, signal) => {
      const entry = workers.get(index);
      if (entry?.worker !== worker) return;
      workers.delete(index);
      if (stopping) {
        if (workers.size === 0) {
          if (!process.exitCode) console.log('Đã dừng máy chủ.');
          process.exit();
        }
        return;
      }
      const why = signal ? `tín hiệu ${signal}` : `mã ${code}`;
      if (Date.now() - entry.startedAt < CRASH_WINDOW_MS) {
        console.error(`Tiến trình máy chủ ${index} dừng ngay sau khi khởi động (${why}); dừng toàn bộ máy chủ.`);
        stop(null, 1);
        return;
      }
      console.error(`Tiến trình máy chủ ${index} dừng bất thường (${why}); khởi động lại.`);
      fork(index);
    });
  };
  /** `signal` null: stopping on a crash loop, already said */
  const stop = (signal: string | null, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    if (signal) console.log(`Nhận ${signal}, đang dừng máy chủ…`);
    const force = setTimeout(() => {
      for (const { worker } of workers.values()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, STOP_TIMEOUT_MS);
    force.unref();
    if (workers.size === 0) process.exit(exitCode);
    for (const { worker } of workers.values()) worker.process.kill('SIGTERM');
    if (exitCode !== 0) process.exitCode = exitCode;
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  for (let i = 0; i < env.processes; i++) fork(i);
}
