/**
 * Online backups of the SQLite database (DESIGN.md §7) with SQLite's backup API through better-sqlite3: a consistent
 * copy taken while the server keeps serving and writing. Written to a temporary name, checked (integrity_check) and
 * renamed, so a half-written file never looks like a backup. The newest `keep` backups are kept.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { DB } from '../db/open.ts';

const NAME_RE = /^app-(\d{8}-\d{6})\.db$/;

export interface BackupResult {
  path: string;
  bytes: number;
  removed: string[];
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

export async function backupDatabase(
  db: DB,
  dir: string,
  options: { now?: Date; keep?: number; onProgress?: (percent: number) => void } = {},
): Promise<BackupResult> {
  const now = options.now ?? new Date();
  const keep = options.keep ?? 14;
  mkdirSync(dir, { recursive: true });
  const final = join(dir, `app-${stamp(now)}.db`);
  const tmp = `${final}.partial`;
  rmSync(tmp, { force: true });
  try {
    await db.backup(tmp, {
      progress: ({ totalPages, remainingPages }) => {
        options.onProgress?.(totalPages === 0 ? 100 : Math.round(((totalPages - remainingPages) / totalPages) * 100));
        return 2000;
      },
    });
    const check = new Database(tmp, { readonly: true });
    try {
      const ok = check.pragma('integrity_check', { simple: true });
      if (ok !== 'ok') throw new Error(`bản sao lưu không toàn vẹn: ${String(ok)}`);
    } finally {
      check.close();
    }
    renameSync(tmp, final);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  const backups = readdirSync(dir)
    .filter((f) => NAME_RE.test(f))
    .sort();
  const removed = backups.slice(0, Math.max(0, backups.length - keep));
  for (const f of removed) rmSync(join(dir, f), { force: true });
  return { path: final, bytes: statSync(final).size, removed };
}

export function listBackups(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => NAME_RE.test(f))
      .sort()
      .reverse();
  } catch {
    return [];
  }
}
