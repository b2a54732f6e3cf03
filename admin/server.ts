/**
 * Entry point (`npm start`): read the environment, open and migrate the database, serve createApp on PORT,
 * shut down gracefully on SIGINT/SIGTERM (stop accepting, finish in-flight requests, close the database).
 * `startServer` is also used by `npm run demo` and the browser tests.
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

export interface RunningServer {
  url: string;
  port: number;
  db: DB;
  close(): Promise<void>;
}

export async function startServer(env: Env, options: { db?: DB; quiet?: boolean } = {}): Promise<RunningServer> {
  const db = options.db ?? openDatabase(env.databasePath);
  const app = createApp({ db, env });
  // WAL checkpoints in a worker thread, so no write pays for one (admin/db/checkpointer.ts)
  const checkpointer = startCheckpointer(db);
  const sweep = setInterval(() => {
    deleteExpiredSessions(db, new Date());
    pruneThrottle(db, new Date());
    // files written by a transaction that never committed (a crash between rename and commit), older than an hour
    sweepOrphanUploads({ db, env });
  }, 10 * 60_000);
  sweep.unref();
  // scheduled site rebuilds follow the setting saved on the settings page (re-read every minute)
  const log = options.quiet ? () => {} : (m: string) => console.log(m);
  const siteProblem = siteRootProblem(env);
  if (siteProblem) log(`Không dựng lại trang công khai theo lịch: ${siteProblem}`);
  const rebuild = siteProblem ? null : startRebuildScheduler({ db, siteRoot: siteBuildRoot(env), log });
  // urging of tasks without a deadline, mail delivery, daily backups (admin/jobs/scheduler.ts)
  const jobs = startJobs({ db, env, log });
  return await new Promise((resolveStart, rejectStart) => {
    const server = serve({ fetch: app.fetch, port: env.port, hostname: env.host }, (info) => {
      const port = info.port;
      const url = `http://${env.host.includes(':') ? `[${env.host}]` : env.host}:${port}`;
      if (!options.quiet)
        console.log(`Máy chủ quản trị đang chạy: ${url}/admin — mở trình duyệt tại ${env.origin}/admin`);
      resolveStart({
        url,
        port,
        db,
        close: () =>
          new Promise<void>((done) => {
            clearInterval(sweep);
            rebuild?.stop();
            jobs.stop();
            server.close(() => {
              void checkpointer.stop().then(() => {
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
  if (!env.secure)
    console.warn('Cảnh báo: chạy HTTP không mã hoá — chỉ dùng để trình diễn/phát triển trên máy cục bộ.');
  // handlers first: a signal that arrives while the server starts (or right after it says it is listening) must
  // still close it gracefully, not kill the process by the default action
  let running: RunningServer | null = null;
  let stopping: string | null = null;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = signal;
    console.log(`Nhận ${signal}, đang dừng máy chủ…`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    if (running) finish(running);
  };
  const finish = (r: RunningServer) =>
    void r.close().then(() => {
      console.log('Đã dừng máy chủ.');
      process.exit(0);
    });
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  running = await startServer(env);
  if (stopping) finish(running);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
