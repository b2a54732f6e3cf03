/**
 * Shared by the reliability tests (npm run test:reliability): a seeded random source printed at the start (set
 * RELIABILITY_SEED to replay a run), progress lines, the real server in a child process on a loopback port, and a
 * temporary database seeded with one generated year of a province.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDatabase, type DB } from '../../db/open.ts';
import { generateProvince } from '../../demo/generate.ts';
import { today } from '../../domain/dates.ts';
import { freePort, spawnAdminServer } from '../support/server-process.ts';

export { freePort };

export const ROOT = resolve(import.meta.dirname, '../../..');

export function say(test: string, msg: string): void {
  process.stdout.write(`[độ tin cậy · ${test}] ${msg}\n`);
}

/** mulberry32 from a seed given in RELIABILITY_SEED or drawn now (printed, so a failing run can be replayed). */
export function seededRandom(test: string): () => number {
  const seed = Number(process.env.RELIABILITY_SEED ?? Math.floor(Math.random() * 2 ** 31));
  say(test, `hạt giống ngẫu nhiên RELIABILITY_SEED=${seed}`);
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function tempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `rel-${name}-`));
}

/** A database with one generated year of a province ending today (so today's writes follow its history). */
export function seedDatabase(dbPath: string): DB {
  const db = openDatabase(dbPath);
  generateProvince(db, { years: 1, seed: 'do-tin-cay', endDate: today() });
  return db;
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGKILL, then wait for the exit */
  kill9(): Promise<void>;
  /** SIGTERM (graceful), then wait for the exit */
  stop(): Promise<void>;
}

function childPids(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // no children (ps exits 1)
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

/** The real server (node with tsx's loader: no relaying parent between a signal and the server) on a free port. */
export async function startServer(dbPath: string, dir: string, port?: number): Promise<ServerProcess> {
  const { url, child, output } = await spawnAdminServer({
    dbPath,
    siteDir: join(dir, 'site', 'current'),
    keepOutput: 8000,
    ...(port ? { port } : {}),
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  // with ADMIN_PROCESSES > 1 the child is the cluster primary and the workers write: a kill -9 must hit them all at
  // once (a power cut), not let the workers exit on their own when the primary's channel closes
  const kill9 = async () => {
    const workers = childPids(child.pid);
    // the primary first (else it would restart the workers), then the workers in the same instant
    const exit = signal('SIGKILL');
    for (const pid of workers)
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone already */
      }
    await exit;
    for (let i = 0; i < 100 && workers.some(alive); i++) await sleep(50);
  };
  const server: ServerProcess = {
    url,
    child,
    output,
    kill9,
    stop: () => signal('SIGTERM'),
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output()}`);
    const ok = await fetch(`${url}/admin/login`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return server;
    if (Date.now() > deadline) {
      await server.kill9();
      throw new Error(`server did not start within 60 s: ${output()}`);
    }
    await sleep(100);
  }
}
