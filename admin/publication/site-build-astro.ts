/** Runs `astro build` for one release in a child process, relaying its page count as progress. */
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { BuildError, type BuildProgress, REPO_ROOT } from './site-build-common.ts';

/** Astro's intermediate folder of one build (see runAstro). */
export function astroWorkDir(releaseId: string): string {
  return join(REPO_ROOT, '.astro', 'builds', releaseId);
}

/**
 * Intermediate Astro folders of builds that were killed: those of the given (dead) releases at once, any other
 * older than two hours (the folder is shared by every build root of the checkout, so running builds stay untouched).
 */
export function cleanAstroLeftovers(deadReleaseIds: string[] = []): void {
  for (const id of deadReleaseIds) rmSync(astroWorkDir(id), { recursive: true, force: true });
  const dir = join(REPO_ROOT, '.astro', 'builds');
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    try {
      if (Date.now() - statSync(p).mtimeMs > 2 * 3_600_000) rmSync(p, { recursive: true, force: true });
    } catch {
      /* removed meanwhile by its own build */
    }
  }
}

/**
 * expectedPages may be unknown when Astro starts (the build starts it before planning, SITE_INPUTS_GATE): it is
 * read at each progress line. An aborted signal stops Astro; the promise settles once the process is gone.
 */
export function runAstro(
  env: Record<string, string> & { SITE_RELEASE_ID: string },
  expectedPages: () => number,
  onProgress: (p: BuildProgress) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const astroBin = join(REPO_ROOT, 'node_modules/astro/bin/astro.mjs');
    // cwd = a folder of this build inside the project (.astro/builds/<id>): Astro keeps its intermediate server
    // build in <cwd>/.astro/ when the output folder lies outside cwd, so concurrent builds (tests, bench) never
    // share it, and its chunks still resolve packages from the project's node_modules.
    const cwd = astroWorkDir(env.SITE_RELEASE_ID);
    mkdirSync(cwd, { recursive: true });
    // Astro's output goes to a file, not a pipe: a pipe that this thread does not drain while it writes the open data
    // and share images (long synchronous stretches) would make Astro wait on every line it logs.
    const logPath = join(cwd, 'astro.log');
    const logFd = openSync(logPath, 'w');
    const child = spawn(process.execPath, [astroBin, 'build', '--root', REPO_ROOT], {
      cwd,
      env: { ...process.env, ...env, ASTRO_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
      stdio: ['ignore', logFd, logFd],
    });
    closeSync(logFd);
    let read = 0;
    let done = 0;
    const chunk = Buffer.alloc(1 << 20);
    const readLog = (): string => {
      let text = '';
      try {
        const fd = openSync(logPath, 'r');
        try {
          for (
            let n = readSync(fd, chunk, 0, chunk.length, read);
            n > 0;
            n = readSync(fd, chunk, 0, chunk.length, read)
          ) {
            read += n;
            text += chunk.toString('utf8', 0, n);
          }
        } finally {
          closeSync(fd);
        }
      } catch {
        /* not there yet */
      }
      return text;
    };
    const timer = setInterval(() => {
      for (const line of readLog().split('\n')) if (/[├└]─|▶/.test(line)) done++;
      const total = expectedPages();
      onProgress({ phase: 'pages', message: `Đang dựng trang: ${done}/${total}`, done, total });
    }, 1000);
    const tail = () => {
      try {
        return readFileSync(logPath, 'utf8').slice(-4000);
      } catch {
        return '';
      }
    };
    // A signal to this process stops Astro too; when nobody else handles the signal, the default (exit) follows.
    const forward = (sig: NodeJS.Signals) => () => {
      child.kill(sig);
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    const onTerm: () => void = forward('SIGTERM');
    const onInt: () => void = forward('SIGINT');
    process.once('SIGTERM', onTerm);
    process.once('SIGINT', onInt);
    const onAbort = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', reject);
    child.on('close', (code, killedBy) => {
      clearInterval(timer);
      signal?.removeEventListener('abort', onAbort);
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      const last = code === 0 ? '' : tail();
      rmSync(cwd, { recursive: true, force: true });
      if (code === 0) resolvePromise();
      else
        reject(
          new BuildError(`Astro dừng với mã ${code ?? killedBy}: ${last.trim().split('\n').slice(-15).join('\n')}`),
        );
    });
  });
}
