/**
 * The breakdowns of the period statistics (period-stats.ts): one view's counts in total and by lead agency,
 * assigning leader, sector and document type, and the names and document types they are shown with.
 */
import type { DB } from '../db/open.ts';
import { compareVi } from './collation.ts';
import { addToCounts, type Counts, emptyCounts, finishCounts } from './counts.ts';
import { settledStatus, type TaskStatus } from './status.ts';
import { statement } from '../db/statements.ts';
import { keptUntilChange } from '../db/change-stamp.ts';
import { agencyTable } from './agency-table.ts';
import { forEachSettledBefore, type SettledFilter } from './period-settled.ts';
import type { GroupCounts, PeriodView } from './period-stats.ts';

export const UNKNOWN_GROUP_NAME = 'Chưa xác định';

export type Key = number | string | null;

export class ViewBuilder {
  readonly totals = emptyCounts();
  readonly agencies = new Map<Key, Counts>();
  readonly leaders = new Map<Key, Counts>();
  readonly sectors = new Map<Key, Counts>();
  readonly documentTypes = new Map<Key, Counts>();

  add(s: TaskStatus, n: number, leader: Key, sector: Key, docType: Key): void {
    addToCounts(this.totals, s, n);
    addToCounts(bucket(this.agencies, s.agencyId), s, n);
    addToCounts(bucket(this.leaders, leader), s, n);
    addToCounts(bucket(this.sectors, sector), s, n);
    addToCounts(bucket(this.documentTypes, docType), s, n);
  }

  /** Adds the tasks settled (completed) before the period, by dimension; returns how many. */
  addSettled(db: DB, f: SettledFilter, types: Map<number, string>): number {
    const tally = [
      new Map<Key, number[]>(),
      new Map<Key, number[]>(),
      new Map<Key, number[]>(),
      new Map<Key, number[]>(),
    ];
    const bump = (m: Map<Key, number[]>, k: Key, late: 0 | 1) => {
      let c = m.get(k);
      if (!c) m.set(k, (c = [0, 0]));
      c[late]! += 1;
    };
    const n = forEachSettledBefore(db, f, (agency, leader, sector, document, late) => {
      bump(tally[0]!, agency, late);
      bump(tally[1]!, leader, late);
      bump(tally[2]!, sector, late);
      bump(tally[3]!, docType(types, document), late);
    });
    const maps = [this.agencies, this.leaders, this.sectors, this.documentTypes];
    tally.forEach((t, i) => {
      for (const [k, [onTime, late]] of t) {
        const agency = i === 0 ? (k as number) : 0;
        const targets = i === 0 ? [bucket(maps[i]!, k), this.totals] : [bucket(maps[i]!, k)];
        for (const c of targets) {
          if (onTime) addToCounts(c, settledStatus('completedOnTime', agency), onTime);
          if (late) addToCounts(c, settledStatus('completedLate', agency), late);
        }
      }
    });
    return n;
  }

  build(names: Names): PeriodView {
    return {
      totals: finishCounts({ ...this.totals }),
      agencies: groups(this.agencies, (id) => names.agency(id)).sort((a, b) => compareVi(a.code ?? '', b.code ?? '')),
      leaders: groups(this.leaders, (id) => names.leader(id)).sort((a, b) => (a.id ?? 1e12) - (b.id ?? 1e12)),
      sectors: groups(this.sectors, (id) => names.sector(id)).sort(byNameUnknownLast),
      documentTypes: groups(this.documentTypes, (t) => ({
        id: null,
        code: t === null ? null : String(t),
        name: t === null ? UNKNOWN_GROUP_NAME : String(t),
      })).sort(byNameUnknownLast),
    };
  }
}

function bucket(m: Map<Key, Counts>, key: Key): Counts {
  let c = m.get(key);
  if (!c) m.set(key, (c = emptyCounts()));
  return c;
}

type GroupName = Pick<GroupCounts, 'id' | 'code' | 'name'> & { title?: string };

function groups(m: Map<Key, Counts>, name: (key: Key) => GroupName): GroupCounts[] {
  // a group whose tasks were all taken out again (live-period.ts) has nothing to show, as one never filled
  return [...m.entries()].filter(([, c]) => c.total > 0).map(([k, c]) => ({ ...name(k), ...finishCounts({ ...c }) }));
}

function byNameUnknownLast(a: GroupCounts, b: GroupCounts): number {
  if ((a.code === null) !== (b.code === null)) return a.code === null ? 1 : -1;
  return compareVi(a.name, b.name);
}

export interface Names {
  agency(id: Key): GroupName;
  leader(id: Key): GroupName;
  sector(id: Key): GroupName;
}

const namesKept = new WeakMap<DB, { stamp: string; value: Names }>();

/** The agencies', leaders' and sectors' names, read again only when the database may have changed. */
export function loadNames(db: DB): Names {
  return keptUntilChange(namesKept, db, () => readNames(db));
}

function readNames(db: DB): Names {
  const agencies = agencyTable(db).byId;
  const leaders = new Map(
    (
      statement(db, 'SELECT id, name, title FROM leaders').all() as Array<{ id: number; name: string; title: string }>
    ).map((l) => [l.id, l]),
  );
  const sectors = new Map(
    (
      statement(db, 'SELECT id, code, name FROM sectors').all() as Array<{ id: number; code: string; name: string }>
    ).map((s) => [s.id, s]),
  );
  const unknown = { id: null, code: null, name: UNKNOWN_GROUP_NAME };
  return {
    agency: (id) => {
      const a = typeof id === 'number' ? agencies.get(id) : undefined;
      return a ? { id: a.id, code: a.code, name: a.name } : { id: Number(id), code: String(id), name: '' };
    },
    leader: (id) => {
      const l = typeof id === 'number' ? leaders.get(id) : undefined;
      return l ? { id: l.id, code: null, name: l.name, title: l.title } : unknown;
    },
    sector: (id) => {
      const s = typeof id === 'number' ? sectors.get(id) : undefined;
      return s ? { id: s.id, code: s.code, name: s.name } : unknown;
    },
  };
}

const documentTypeCache = new WeakMap<DB, { maxId: number; types: Map<number, string> }>();
const documentMaxIds = new WeakMap<DB, { stamp: string; value: number }>();

/**
 * Document id → type. Documents are only ever inserted (no code updates or deletes them), so the map read earlier
 * holds up to its largest id and the documents added since are read and added to it: (max id, count) over the
 * whole table had cost ≈ 0.2 ms after every write. The largest id is asked again only when the database may have
 * changed.
 */
export function documentTypes(db: DB): Map<number, string> {
  const maxId = keptUntilChange(
    documentMaxIds,
    db,
    () => (statement(db, 'SELECT max(id) AS m FROM documents').get() as { m: number | null }).m ?? 0,
  );
  let kept = documentTypeCache.get(db);
  if (!kept || maxId < kept.maxId) documentTypeCache.set(db, (kept = { maxId: 0, types: new Map() }));
  if (maxId > kept.maxId) {
    const added = statement(db, 'SELECT id, doc_type FROM documents WHERE id > ?').raw(true).all(kept.maxId) as Array<
      [number, string]
    >;
    for (const [id, type] of added) kept.types.set(id, type);
    kept.maxId = maxId;
  }
  return kept.types;
}

export function docType(types: Map<number, string>, documentId: number | null): string | null {
  return documentId === null ? null : (types.get(documentId) ?? null);
}
