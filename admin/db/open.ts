import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrate.ts';
import type { DB } from './types.ts';

export type { DB };

/**
 * Opens (creating if needed) the SQLite database with the pragmas DESIGN.md §7 asks for:
 * WAL journal, foreign keys on, a busy timeout so the scheduler and the server can share the file,
 * and synchronous=NORMAL, which in WAL mode loses no committed transaction on a process crash.
 * Pass ':memory:' for tests. Migrations run unless `migrate: false`.
 */
export function openDatabase(path: string, options: { migrate?: boolean; readonly?: boolean } = {}): DB {
  if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { readonly: options.readonly ?? false });
  // the wait for a lock first: a connection opened while another process writes (a restarted server worker) waits
  // for it in the pragmas below too, instead of failing at once
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -32000');
  if (options.migrate !== false && !options.readonly) migrate(db);
  return db;
}

/** The database path from DATABASE_PATH, defaulting to data/app.db. */
export function databasePathFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_PATH && env.DATABASE_PATH.trim() !== '' ? env.DATABASE_PATH : 'data/app.db';
}
