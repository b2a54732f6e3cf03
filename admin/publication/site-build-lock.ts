/**
 * One build (or rollback) at a time per build root: a lock file holding the owner's pid. A lock whose owner died
 * (kill -9, power cut) is stale and taken over by the next build.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuildError, siteDirFromEnv } from './site-build-common.ts';

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // a killed process whose parent died may linger as a zombie (containers whose init does not reap): dead
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (not Linux): trust kill(0)
  }
}

/** Takes the build lock or throws a Vietnamese BuildError naming the running build. Stale locks are taken over. */
export function acquireLock(siteDir: string): () => void {
  mkdirSync(siteDir, { recursive: true });
  const path = join(siteDir, 'build.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeFileSync(fd, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }));
      closeSync(fd);
      return () => {
        try {
          const owner = JSON.parse(readFileSync(path, 'utf8')) as { pid: number };
          if (owner.pid === process.pid) unlinkSync(path);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let owner: { pid?: number; startedAt?: string } = {};
      try {
        owner = JSON.parse(readFileSync(path, 'utf8')) as typeof owner;
      } catch {
        /* half-written lock: treat as stale */
      }
      if (owner.pid && owner.pid !== process.pid && pidAlive(owner.pid)) {
        throw new BuildError(
          `Đang có một lần dựng trang khác chạy (tiến trình ${owner.pid}, bắt đầu ${owner.startedAt ?? '?'}); hãy chờ nó kết thúc.`,
        );
      }
      rmSync(path, { force: true }); // stale: its owner died
    }
  }
  throw new BuildError('Không lấy được khóa dựng trang.');
}

export function isBuildRunning(siteDir: string = siteDirFromEnv()): boolean {
  try {
    const owner = JSON.parse(readFileSync(join(siteDir, 'build.lock'), 'utf8')) as { pid?: number };
    return !!owner.pid && pidAlive(owner.pid);
  } catch {
    return false;
  }
}
