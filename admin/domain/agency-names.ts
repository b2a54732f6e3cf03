/**
 * Agency names as of a date (issue 12, "Names as of the date"): every timeline, list, export, snapshot and page
 * names an agency as it was on the day in question, and the current name beside it where they differ.
 *
 *   agency_names (agency_id, name, valid_from) ──nameAsOf(id, D)──▶ the name in force on D
 *   agencies.successor_id chain ──carrierOf(id)──▶ the agency that carries it today ──▶ "… (nay là …)"
 *
 * agencies.name stays the current name (the newest row). An agency without rows (inserted by an older path, the
 * demo, an import) is named agencies.name on every day; before its first row, an agency carries its first name.
 * The directory is read once per database version (a few hundred rows) and kept: a task list asks for 50 names.
 */
import type { Statement } from 'better-sqlite3';
import type { DB } from '../db/open.ts';
import { keptUntilChange } from '../db/change-stamp.ts';
import { DomainError } from './rules.ts';
import { addDays, formatDateVi, isIsoDate, type IsoDate } from './dates.ts';

interface AgencyEntry {
  name: string;
  successorId: number | null;
  /** name history, oldest first */
  names: Array<{ from: string; name: string }>;
}

interface Directory {
  version: string;
  agencies: Map<number, AgencyEntry>;
}

const cache = new WeakMap<DB, Directory>();
const versionStatements = new WeakMap<DB, Statement<[], unknown>>();

/** The directory's version, asked again only when the database may have changed (it is read per list of rows). */
function directoryVersion(db: DB): string {
  return keptUntilChange(directoryVersions, db, () => readDirectoryVersion(db));
}
const directoryVersions = new WeakMap<DB, { stamp: string; value: string }>();

/** Changes whenever a name row is added or an agency is added, renamed, merged or ended (a small table: cheap). */
function readDirectoryVersion(db: DB): string {
  let stmt = versionStatements.get(db);
  if (!stmt)
    versionStatements.set(
      db,
      (stmt = db
        .prepare(
          `SELECT (SELECT coalesce(max(rowid), 0) || ':' || count(*) FROM agency_names) || ':' ||
             (SELECT count(*) || ':' || total(successor_id) || ':' || count(dissolved_on) || ':' || total(length(name)) || ':' ||
                     coalesce(max(id), 0) FROM agencies)`,
        )
        .pluck()),
    );
  return String(stmt.get());
}

function loadDirectory(db: DB): Directory {
  const version = directoryVersion(db);
  const hit = cache.get(db);
  if (hit && hit.version === version) return hit;
  const agencies = new Map<number, AgencyEntry>();
  for (const a of db.prepare('SELECT id, name, successor_id FROM agencies').all() as Array<{
    id: number;
    name: string;
    successor_id: number | null;
  }>)
    agencies.set(a.id, { name: a.name, successorId: a.successor_id, names: [] });
  for (const r of db
    .prepare('SELECT agency_id, name, valid_from FROM agency_names ORDER BY agency_id, valid_from')
    .all() as Array<{ agency_id: number; name: string; valid_from: string }>)
    agencies.get(r.agency_id)?.names.push({ from: r.valid_from, name: r.name });
  const dir = { version, agencies };
  cache.set(db, dir);
  return dir;
}

function nameIn(e: AgencyEntry | undefined, date: string): string {
  if (!e) return '';
  if (e.names.length === 0) return e.name;
  let name = e.names[0]!.name;
  for (const n of e.names) {
    if (n.from > date) break;
    name = n.name;
  }
  return name;
}

/** Resolves names against one read of the directory: use it for the rows of one page or one snapshot. */
export interface AgencyNamer {
  /** the name the agency carried on `date` ('' for an unknown id) */
  nameAsOf(id: number, date: string): string;
  /** the agency that carries `id` today: itself, or the end of its successor chain */
  carrierOf(id: number): number;
  /** the name as of `date`, with "(nay là …)" when the carrier's current name differs */
  labelAsOf(id: number, date: string): string;
  /** the current name */
  currentName(id: number): string;
}

export function agencyNamer(db: DB): AgencyNamer {
  const { agencies } = loadDirectory(db);
  const carrierOf = (id: number): number => {
    let at = id;
    const seen = new Set<number>();
    for (;;) {
      const next = agencies.get(at)?.successorId ?? null;
      if (next === null || seen.has(next)) return at; // a cycle cannot be recorded (mergeAgency), but never loop
      seen.add(at);
      at = next;
    }
  };
  const nameAsOf = (id: number, date: string) => nameIn(agencies.get(id), date);
  const currentName = (id: number) => agencies.get(id)?.name ?? '';
  return {
    nameAsOf,
    carrierOf,
    currentName,
    labelAsOf(id, date) {
      const then = nameAsOf(id, date);
      const now = currentName(carrierOf(id));
      return now !== '' && now !== then ? `${then} (nay là ${now})` : then;
    },
  };
}

/** The name agency `agencyId` carried on `date` (cached per database version). */
export function nameAsOf(db: DB, agencyId: number, date: string): string {
  return agencyNamer(db).nameAsOf(agencyId, date);
}

/** Every agency's name on `date`, by id (the snapshot's names of its day). */
export function agencyNamesAsOf(db: DB, date: string): Map<number, string> {
  const { agencies } = loadDirectory(db);
  return new Map([...agencies].map(([id, e]) => [id, nameIn(e, date)]));
}

/** The name history of one agency, oldest first (the agency page). */
export function nameHistory(db: DB, agencyId: number): Array<{ from: string; name: string }> {
  return [...(loadDirectory(db).agencies.get(agencyId)?.names ?? [])];
}

/**
 * Why a new name cannot be recorded from `from` (null: it can). The history only moves forward: a name from a day
 * on or before the newest recorded name would contradict it; before the agency existed it had no name; and a
 * future day is not yet a fact.
 */
export function renameDateProblem(
  db: DB,
  agencyId: number,
  from: string,
  today: IsoDate,
  establishedOn: string | null,
): string | null {
  if (!isIsoDate(from)) return 'Ngày đổi tên không hợp lệ (nhập theo dạng dd/mm/yyyy).';
  if (from > today)
    return `Ngày đổi tên ${formatDateVi(from)} ở tương lai; chỉ ghi nhận việc đã có quyết định và hiệu lực.`;
  if (establishedOn !== null && from < establishedOn)
    return `Ngày đổi tên ${formatDateVi(from)} trước ngày thành lập đơn vị (${formatDateVi(establishedOn)}).`;
  const last = db
    .prepare('SELECT name, valid_from FROM agency_names WHERE agency_id = ? ORDER BY valid_from DESC LIMIT 1')
    .get(agencyId) as { name: string; valid_from: string } | undefined;
  if (last && from <= last.valid_from)
    return (
      `Ngày đổi tên ${formatDateVi(from)} không sau ngày đơn vị mang tên "${last.name}" (${formatDateVi(last.valid_from)}); ` +
      `lịch sử tên chỉ ghi tiếp. Chọn ngày sau ${formatDateVi(last.valid_from)}.`
    );
  return null;
}

/**
 * Records `name` from `from` on, in the caller's transaction. An agency without history first gets its current
 * name from its establishment day (or `from` itself), so the days before the rename keep the old name.
 */
export function recordAgencyName(
  db: DB,
  agencyId: number,
  name: string,
  from: IsoDate,
  previous: { name: string; since: string },
): void {
  const has = db.prepare('SELECT 1 FROM agency_names WHERE agency_id = ? LIMIT 1').get(agencyId);
  // any day before `from` will do: before its first row an agency carries its first name
  if (!has)
    db.prepare('INSERT INTO agency_names (agency_id, name, valid_from) VALUES (?, ?, ?)').run(
      agencyId,
      previous.name,
      previous.since < from ? previous.since : addDays(from, -1),
    );
  db.prepare('INSERT INTO agency_names (agency_id, name, valid_from) VALUES (?, ?, ?)').run(agencyId, name, from);
  db.prepare('UPDATE agencies SET name = ? WHERE id = ?').run(name, agencyId);
}

/** The refusal of a rename date, as a domain error (422, nothing written). */
export function checkRenameDate(
  db: DB,
  agencyId: number,
  from: string,
  today: IsoDate,
  establishedOn: string | null,
): asserts from is IsoDate {
  const problem = renameDateProblem(db, agencyId, from, today, establishedOn);
  if (problem) throw new DomainError('bad_rename_date', problem, 422);
}
