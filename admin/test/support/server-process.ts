/**
 * The real admin server as a child process, for the browser tests, the reliability suite and the benchmarks:
 * node itself with tsx's loader (no relaying parent process between a signal and the server, shared/PITFALLS.md),
 * on a free loopback port, in development mode with the origin it is reached at.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../../..');

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => res(port));
    });
  });
}

export interface SpawnedServer {
  url: string;
  child: ChildProcess;
  /** the child's output so far (the last `keepOutput` characters) */
  output(): string;
}

export async function spawnAdminServer(options: {
  dbPath: string;
  siteDir: string;
  port?: number;
  env?: Record<string, string>;
  keepOutput?: number;
}): Promise<SpawnedServer> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const keep = options.keepOutput ?? 200_000;
  let out = '';
  // SERVER_NODE_ARGS: extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it
  // under a benchmark's load (node refuses --cpu-prof in NODE_OPTIONS)
  const nodeArgs = process.env.SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'admin/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      ORIGIN: url,
      DATABASE_PATH: options.dbPath,
      SITE_DIR: options.siteDir,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (d: Buffer) => {
    out = (out + d.toString()).slice(-keep);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  return { url, child, output: () => out };
}
