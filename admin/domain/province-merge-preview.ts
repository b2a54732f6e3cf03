/**
 * Province merger, the preview (issue 12): everything `npm run merge-province` would do, computed from the two
 * databases without writing anything. The former province's database is ATTACHed read-only as `src` on the target's
 * connection (attachSource); every refusal is checked here, before the write transaction starts:
 *
 *   same file as the target · another schema version · events on or after the merger day · a code that would
 *   collide (tasks, agencies, user names; with or without a prefix) · a map line naming an unknown agency
 *
 * The plan maps each former agency: kept as a historical unit under its prefixed code, and, when the map names a
 * successor here, merged into it on the merger day (its open tasks move then, agency-reorganisation.ts).
 */
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DB } from '../db/open.ts';
import { addDays, type IsoDate } from './dates.ts';
import {
  checkOnDate,
  checkPrefix,
  parseMapFile,
  ProvinceMergeError,
  type ProvinceMergeOptions,
} from './province-merge-input.ts';

export interface PlannedAgency {
  sourceId: number;
  code: string;
  newCode: string;
  name: string;
  status: 'active' | 'merged' | 'dissolved';
  /** successor in this province (from the map), for an agency still active in the former province */
  successor: { id: number; code: string; name: string } | null;
  openTasks: number;
}

export interface ProvincePlan {
  provinceName: string;
  prefix: string | null;
  on: IsoDate;
  lastDay: IsoDate;
  agencies: PlannedAgency[];
  /** map lines naming an agency that had already ceased in the former province: its tasks stay where they are */
  ignoredMapLines: Array<{ line: number; code: string }>;
  openTasksMoved: number;
  /** this province's documents with the same number and date: the imported one gets the prefix in brackets */
  documentCollisions: Array<{ number: string; issuedOn: string }>;
  rows: Record<string, number>;
  /** tables of the former database that are not carried over, with their row counts (sessions, notices …) */
  notCarried: Array<{ table: string; rows: number }>;
}

/** Tables copied by province-merge-copy.ts (publications go to former_publications). */
export const CARRIED_TABLES = [
  'agencies',
  'agency_names',
  'leaders',
  'sectors',
  'users',
  'files',
  'documents',
  'tasks',
  'task_coordinators',
  'task_events',
  'event_files',
  'task_delegations',
  'task_internal_steps',
  'internal_step_files',
  'imports',
  'import_events',
  'publications',
] as const;

/** The former province's database: a read-only connection and the snapshot of it attached as `src`. */
export interface AttachedSource {
  db: DB;
  version: number;
  close(): void;
}

/**
 * Opens the other database read-only, takes a consistent snapshot of it (VACUUM INTO a temporary folder: this
 * SQLite build has no URI file names, so an ATTACH cannot itself be read-only) and attaches the snapshot as `src`.
 * The original file is only ever opened read-only; close() detaches and removes the snapshot.
 */
export function attachSource(db: DB, path: string, targetPath: string): AttachedSource {
  if (!existsSync(path)) throw new ProvinceMergeError('no_source', `Không tìm thấy tệp cơ sở dữ liệu ${path}.`);
  if (targetPath !== ':memory:' && existsSync(targetPath) && realpathSync(path) === realpathSync(targetPath))
    throw new ProvinceMergeError(
      'same_database',
      `Tệp ${path} chính là cơ sở dữ liệu của tỉnh này; hãy chọn cơ sở dữ liệu của tỉnh cũ.`,
    );
  let source: DB | null = null;
  const dir = mkdtempSync(join(tmpdir(), 'tdnv-merge-'));
  const close = () => {
    detachSource(db);
    source?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    source = openDatabase(path, { readonly: true, migrate: false });
    const version = source.pragma('user_version', { simple: true }) as number;
    const snapshot = join(dir, 'source.db');
    source.prepare('VACUUM INTO ?').run(snapshot);
    db.prepare('ATTACH DATABASE ? AS src').run(snapshot);
    return { db: source, version, close };
  } catch (e) {
    close();
    throw new ProvinceMergeError(
      'bad_source',
      `Không mở được ${path} như cơ sở dữ liệu SQLite: ${(e as Error).message}`,
    );
  }
}

function detachSource(db: DB): void {
  const attached = (db.pragma('database_list') as Array<{ name: string }>).some((d) => d.name === 'src');
  if (attached) db.exec('DETACH DATABASE src');
}

const count = (db: DB, sql: string, ...params: unknown[]): number =>
  (db.prepare(sql).get(...params) as { n: number }).n;

/** "Ủy ban nhân dân tỉnh Bình Định" → "Tỉnh Bình Định" (the former province's name as its archive shows it). */
export function provinceNameOf(setting: string | undefined, prefix: string | null): string {
  const m = setting?.match(/tỉnh\s+(.+)$/i);
  if (m) return `Tỉnh ${m[1]!.trim()}`;
  return setting?.trim() ? setting.trim() : `Tỉnh cũ${prefix ? ` (${prefix})` : ''}`;
}

export const taskCodeOf = (prefix: string | null, code: string) => (prefix ? `${prefix}-${code}` : code);
export const userNameOf = (prefix: string | null, name: string) => (prefix ? `${prefix.toLowerCase()}.${name}` : name);

/** The plan, or a ProvinceMergeError. `src` must be attached (attachSource). Reads only. */
export function planProvinceMerge(
  db: DB,
  source: Pick<AttachedSource, 'version'>,
  options: ProvinceMergeOptions,
  today: IsoDate,
): ProvincePlan {
  const prefix = checkPrefix(options.prefix);
  const on = checkOnDate(options.on, today);
  const mapLines = options.mapText ? parseMapFile(options.mapText, options.mapName) : [];

  const mine = db.pragma('main.user_version', { simple: true }) as number;
  const theirs = source.version;
  if (mine !== theirs)
    throw new ProvinceMergeError(
      'schema_version',
      `Cơ sở dữ liệu tỉnh cũ có phiên bản lược đồ ${theirs}, tỉnh này ${mine}; hãy cập nhật cả hai lên cùng phiên bản (npm run migrate) rồi hợp nhất.`,
    );
  if (prefix && count(db, 'SELECT count(*) AS n FROM former_provinces WHERE prefix = ?', prefix) > 0)
    throw new ProvinceMergeError('prefix_used', `Tiền tố ${prefix} đã dùng cho một tỉnh cũ đã hợp nhất trước đây.`);

  const late = db
    .prepare(
      `SELECT t.code, e.occurred_on FROM src.task_events e JOIN src.tasks t ON t.id = e.task_id
       WHERE e.occurred_on >= ? ORDER BY e.occurred_on LIMIT 1`,
    )
    .get(on) as { code: string; occurred_on: string } | undefined;
  if (late)
    throw new ProvinceMergeError(
      'events_after_merger',
      `Nhiệm vụ ${late.code} của tỉnh cũ có sự kiện ngày ${late.occurred_on}, không trước ngày hợp nhất ${on}; ` +
        'cơ sở dữ liệu tỉnh cũ chỉ được chứa lịch sử đến hết ngày trước ngày hợp nhất.',
    );

  const collision = (what: string, sql: string, noun: string) => {
    const hit = db.prepare(sql).get({ prefix: prefix ?? '', lp: (prefix ?? '').toLowerCase() }) as
      | { code: string; n: number }
      | undefined;
    if (hit && hit.n > 0)
      throw new ProvinceMergeError(
        `${what}_collision`,
        `${noun} ${hit.code} đã có ở tỉnh này (${hit.n} ${noun.toLowerCase()} trùng)` +
          (prefix ? '; hãy chọn tiền tố khác.' : '; hãy dùng --prefix (ví dụ --prefix BD) để giữ các mã không trùng.'),
      );
  };
  const pre = (col: string) => (prefix ? `@prefix || '-' || ${col}` : col);
  collision(
    'task',
    `SELECT min(s.code) AS code, count(*) AS n FROM src.tasks s JOIN main.tasks m ON m.code = ${pre('s.code')}`,
    'Mã nhiệm vụ',
  );
  collision(
    'agency',
    `SELECT min(s.code) AS code, count(*) AS n FROM src.agencies s JOIN main.agencies m ON m.code = ${pre('s.code')}`,
    'Mã đơn vị',
  );
  collision(
    'user',
    `SELECT min(s.username) AS code, count(*) AS n FROM src.users s JOIN main.users m
     ON m.username = ${prefix ? `@lp || '.' || s.username` : 's.username'}`,
    'Tài khoản',
  );

  const sourceAgencies = db
    .prepare(
      `SELECT a.id, a.code, a.name, a.successor_id, a.dissolved_on,
         (SELECT count(*) FROM src.tasks t WHERE t.lead_agency_id = a.id AND t.settled_on IS NULL) AS open
       FROM src.agencies a ORDER BY a.id`,
    )
    .all() as Array<{
    id: number;
    code: string;
    name: string;
    successor_id: number | null;
    dissolved_on: string | null;
    open: number;
  }>;
  const byCode = new Map(sourceAgencies.map((a) => [a.code, a]));
  const findHere = db.prepare('SELECT id, code, name, successor_id, dissolved_on FROM main.agencies WHERE code = ?');
  const successors = new Map<number, { id: number; code: string; name: string }>();
  const ignoredMapLines: ProvincePlan['ignoredMapLines'] = [];
  const name = options.mapName ?? 'tệp ánh xạ';
  for (const m of mapLines) {
    const a = byCode.get(m.otherCode);
    if (!a)
      throw new ProvinceMergeError(
        'unknown_other_code',
        `Dòng ${m.line} của ${name}: mã đơn vị ${m.otherCode} không có trong cơ sở dữ liệu tỉnh cũ.`,
      );
    const here = findHere.get(m.thisCode) as
      | { id: number; code: string; name: string; successor_id: number | null; dissolved_on: string | null }
      | undefined;
    if (!here)
      throw new ProvinceMergeError(
        'unknown_this_code',
        `Dòng ${m.line} của ${name}: mã đơn vị ${m.thisCode} không có ở tỉnh này.`,
      );
    if (here.successor_id !== null || here.dissolved_on !== null)
      throw new ProvinceMergeError(
        'inactive_successor',
        `Dòng ${m.line} của ${name}: ${here.name} (${here.code}) đã ngừng hoạt động; hãy chọn đơn vị đang hoạt động.`,
      );
    if (a.successor_id !== null || a.dissolved_on !== null) ignoredMapLines.push({ line: m.line, code: a.code });
    else successors.set(a.id, { id: here.id, code: here.code, name: here.name });
  }

  const agencies: PlannedAgency[] = sourceAgencies.map((a) => ({
    sourceId: a.id,
    code: a.code,
    newCode: taskCodeOf(prefix, a.code),
    name: a.name,
    status: a.successor_id !== null ? 'merged' : a.dissolved_on !== null ? 'dissolved' : 'active',
    successor: successors.get(a.id) ?? null,
    openTasks: a.open,
  }));

  const documentCollisions = db
    .prepare(
      `SELECT s.number, s.issued_on AS issuedOn FROM src.documents s
       JOIN main.documents m ON m.number = s.number AND m.issued_on = s.issued_on ORDER BY s.issued_on, s.number`,
    )
    .all() as ProvincePlan['documentCollisions'];

  const rows: Record<string, number> = {};
  for (const t of CARRIED_TABLES) rows[t] = count(db, `SELECT count(*) AS n FROM src.${t}`);
  const srcTables = db
    .prepare("SELECT name FROM src.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as Array<{ name: string }>;
  const notCarried = srcTables
    // settings are the province's own; the data generation (migration 0020) is a counter of this database's writes
    .filter(
      (t) =>
        !(CARRIED_TABLES as readonly string[]).includes(t.name) &&
        t.name !== 'settings' &&
        t.name !== 'data_generation',
    )
    // the statutory holidays are in every database (migration 0011): only the administrator's own days count
    .map((t) => ({
      table: t.name,
      rows: count(
        db,
        `SELECT count(*) AS n FROM src."${t.name}"${t.name === 'calendar_changes' ? " WHERE source = 'admin'" : ''}`,
      ),
    }))
    .filter((t) => t.rows > 0);

  const setting = db.prepare("SELECT value FROM src.settings WHERE key = 'province_name'").get() as
    | { value: string }
    | undefined;
  return {
    provinceName: provinceNameOf(setting?.value, prefix),
    prefix,
    on,
    lastDay: addDays(on, -1),
    agencies,
    ignoredMapLines,
    openTasksMoved: agencies.reduce((s, a) => s + (a.successor ? a.openTasks : 0), 0),
    documentCollisions,
    rows,
    notCarried,
  };
}
