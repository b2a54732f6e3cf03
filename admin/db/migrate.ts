import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { DB } from './types.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Numbered forward-only migrations: NNNN_name.sql, applied in order, versioned by PRAGMA user_version. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 4)), name: f, sql: readFileSync(join(dir, f), 'utf8') }));
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration numbering has a gap or duplicate at ${m.name}`);
  });
  return migrations;
}

/**
 * Applies pending migrations in one transaction. A database whose user_version is newer than the code
 * is refused, so an old binary never writes into a schema it does not understand.
 */
export function migrate(db: DB, migrations: Migration[] = loadMigrations()): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.length;
  if (from > latest) {
    throw new Error(`Cơ sở dữ liệu có phiên bản ${from}, mới hơn mã nguồn (${latest}); hãy cập nhật phần mềm.`);
  }
  if (from === latest) return { from, to: latest };
  db.transaction(() => {
    for (const m of migrations.slice(from)) db.exec(m.sql);
    db.pragma(`user_version = ${latest}`);
  }).immediate();
  return { from, to: latest };
}
