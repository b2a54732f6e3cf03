/**
 * Entry point (`npm start`): read the environment, open and migrate the database, serve createApp on PORT,
 * shut down gracefully on SIGINT/SIGTERM (stop accepting, finish in-flight requests, close the database). With
 * ADMIN_PROCESSES > 1 this process is the cluster primary and each worker runs startServer (server-cluster.ts). `startServer` is also used by `npm run demo` and the browser tests.
 */
import { serve } from '@hono/node-server';
import { pathToFileURL } from 'node:url';
import { createApp } from './app.ts';
import { EnvError, loadEnv, type Env } from './env.ts';
import { openDatabase, type DB } from './db/open.ts';
import { startCheckpointer } from './db/checkpointer.ts';
import { deleteExpiredSessions } from './auth/session.ts';
import { pruneThrottle } from './auth/throttle.ts';
import { sweepOrphanUploads } from './files/store.ts';
import { siteBuildRoot, siteRootProblem, startRebuildScheduler } from './jobs/site-rebuild.ts';
import { startJobs } from './jobs/scheduler.ts';
import { runPrimary, workerIndex } from './server-cluster.ts';

export interface RunningServer {
  url: string;
  port: number;
  db: DB;
  close(): Promise<void>;
}

export async function startServer(
  env: Env,
  options: {
    db?: DB;
    quiet?: boolean;
    /** false in a cluster worker other than 0 (server-cluster.ts): no checkpoints, sweeps, schedules or jobs here */
    background?: boolean;
    /** false in a cluster worker: the primary says when the server is up */
    announce?: boolean;
  } = {},
): Promise<RunningServer> {
  const db = options.db ?? openDatabase(env.databasePath);
  const app = createApp({ db, env });
  const background = options.background ?? true;
  // WAL checkpoints in a worker thread, so no write pays for one (admin/db/checkpointer.ts)
  const checkpointer = background ? startCheckpointer(db) : null;
  const sweep = background
    ? setInterval(() => {
        deleteExpiredSessions(db, new Date());
        pruneThrottle(db, new Date());
        // files written by a transaction that never committed (a crash between rename and commit), over an hour old
        sweepOrphanUploads({ db, env });
      }, 10 * 60_000)
    : undefined;
  sweep?.unref();
  // scheduled site rebuilds follow the setting saved on the settings page (re-read every minute)
  const log = options.quiet ? () => {} : (m: string) => console.log(m);
  const siteProblem = siteRootProblem(env);
  if (siteProblem && background) log(`Không dựng lại trang công khai theo lịch: ${siteProblem}`);
  const rebuild = siteProblem || !background ? null : startRebuildScheduler({ db, siteRoot: siteBuildRoot(env), log });
  // urging of tasks without a deadline, mail delivery, daily backups (admin/jobs/scheduler.ts)
  const jobs = background ? startJobs({ db, env, log }) : null;
  return await new Promise((resolveStart, rejectStart) => {
    const server = serve({ fetch: app.fetch, port: env.port, hostname: env.host }, (info) => {
      const port = info.port;
      const url = `http://${env.host.includes(':') ? `[${env.host}]` : env.host}:${port}`;
      if (!options.quiet && options.announce !== false)
        console.log(`Máy chủ quản trị đang chạy: ${url}/admin — mở trình duyệt tại ${env.origin}/admin`);
      resolveStart({
        url,
        port,
        db,
        close: () =>
          new Promise<void>((done) => {
            clearInterval(sweep);
            rebuild?.stop();
            jobs?.stop();
            server.close(() => {
              void (checkpointer?.stop() ?? Promise.resolve()).then(() => {
                if (!options.db) db.close();
                done();
              });
            });
            // idle keep-alive sockets would hold close() open
            (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
          }),
      });
    });
    server.once('error', rejectStart);
  });
}

async function main(): Promise<void> {
  let env: Env;
  try {
    env = loadEnv();
  } catch (e) {
    if (e instanceof EnvError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const index = workerIndex();
  if (!env.secure && index === null)
    console.warn('Cảnh báo: chạy HTTP không mã hoá — chỉ dùng để trình diễn/phát triển trên máy cục bộ.');
  if (index === null && env.processes > 1) {
    runPrimary(env); // several server processes sharing the port (server-cluster.ts)
    return;
  }
  // a cluster worker says nothing of its own start and stop: the primary speaks for all
  const say = index === null ? (m: string) => console.log(m) : () => {};
  // handlers first: a signal that arrives while the server starts (or right after it says it is listening) must
  // still close it gracefully, not kill the process by the default action
  let running: RunningServer | null = null;
  let stopping: string | null = null;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = signal;
    say(`Nhận ${signal}, đang dừng máy chủ…`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    if (running) finish(running);
  };
  const finish = (r: RunningServer) =>
    void r.close().then(() => {
      say('Đã dừng máy chủ.');
      process.exit(0);
    });
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  running = await startServer(env, { background: index === null || index === 0, announce: index === null });
  if (stopping) finish(running);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
