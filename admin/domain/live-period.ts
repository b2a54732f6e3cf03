/**
 * Period statistics kept in memory and brought up to date by what changed (issue 14), for the periods people look at
 * all day: the leaders' overview of the running month, quarter or year, and GET /api/v1/stats?from=&to= up to today.
 * computePeriodStats reads every task not settled before the period and the settled ones by group (≈ 15–20 ms on
 * ten years) after every write; here each task's place in the three views (period-stats.ts periodPlace: the one
 * rule) is kept, and on a change only the changed tasks are read again: their old place is taken out of the sums
 * and the new one added. The first call for a period reads every task once (≈ 50 ms on ten years).
 *
 * Same figures as computePeriodStats (live-status.props.test.ts compares them along random histories). The changed
 * tasks are found as for the live index (live-status.ts changedSince): an event or task id above the last seen.
 */
import type { DB } from '../db/open.ts';
import { statement } from '../db/statements.ts';
import { addDays, type IsoDate } from './dates.ts';
import { deadlineCalendarOf } from './holidays.ts';
import { follow, rowsOf, type Seen, seenAt } from './live-follow.ts';
import {
  docType,
  documentTypes,
  PeriodAccumulator,
  PeriodError,
  type PeriodPlace,
  type PeriodQuery,
  type PeriodScope,
  type PeriodStats,
  periodPlace,
} from './period-stats.ts';
import { taskDataVersion } from './task-query-cache.ts';
import { FACTS_COLUMNS, type FactsRow, factsFromRow } from './tasks.ts';

interface Row extends FactsRow {
  id: number;
  leader_id: number | null;
  sector_id: number | null;
  document_id: number | null;
  confidential: number;
}

interface Placed {
  place: PeriodPlace;
  leader: number | null;
  sector: number | null;
  type: string | null;
}

interface State {
  q: PeriodQuery;
  scope: PeriodScope;
  seen: Seen;
  acc: PeriodAccumulator;
  places: Map<number, Placed>;
}

const SELECT = `SELECT id, leader_id, sector_id, document_id, confidential, ${FACTS_COLUMNS} FROM tasks`;
/** periods kept per database: the overview's period and its trend's running month, for a few people's choices */
const PERIODS_KEPT = 8;
const NOWHERE: Placed = { place: { kind: 'none' }, leader: null, sector: null, type: null };

const states = new WeakMap<DB, Map<string, State>>();

type Calendar = ReturnType<typeof deadlineCalendarOf>;
/** document id → type: read once per pass (documentTypes checks its own version with a query each time) */
type DocTypes = ReturnType<typeof documentTypes>;

function placeOf(s: State, r: Row, calendar: Calendar, types: DocTypes): Placed {
  if (s.q.publicOnly && r.confidential === 1) return NOWHERE;
  if (s.q.leaderId !== undefined && r.leader_id !== s.q.leaderId) return NOWHERE;
  const place = periodPlace(factsFromRow(r), r.assigned_on, s.scope, calendar);
  if (place.kind === 'none') return NOWHERE;
  return { place, leader: r.leader_id, sector: r.sector_id, type: docType(types, r.document_id) };
}

function put(s: State, r: Row, calendar: Calendar, types: DocTypes): void {
  const old = s.places.get(r.id);
  if (old) s.acc.apply(old.place, old.leader, old.sector, old.type, -1);
  const next = placeOf(s, r, calendar, types);
  if (next === NOWHERE) s.places.delete(r.id);
  else {
    s.places.set(r.id, next);
    s.acc.apply(next.place, next.leader, next.sector, next.type, 1);
  }
}

function build(db: DB, q: PeriodQuery, asOf: IsoDate, version: string): State {
  const s: State = {
    q,
    scope: { from: q.from, asOf, dayBefore: addDays(q.from, -1), agencyId: q.agencyId },
    seen: seenAt(version),
    acc: new PeriodAccumulator(),
    places: new Map(),
  };
  const calendar = deadlineCalendarOf(db);
  const types = documentTypes(db);
  for (const r of statement(db, `${SELECT} WHERE assigned_on <= ?`).iterate(asOf) as IterableIterator<Row>)
    put(s, r, calendar, types);
  return s;
}

/** computePeriodStats(db, q), from the copy kept for q and brought up to date. */
export function livePeriodStats(db: DB, q: PeriodQuery): PeriodStats {
  const asOf = q.asOf ?? q.to;
  if (q.from > q.to) throw new PeriodError(`from (${q.from}) is after to (${q.to})`);
  if (asOf < q.from || asOf > q.to) throw new PeriodError(`asOf (${asOf}) is outside [${q.from}, ${q.to}]`);
  const key = JSON.stringify([q.from, q.to, asOf, q.agencyId ?? null, q.leaderId ?? null, q.publicOnly ?? false]);
  let perDb = states.get(db);
  if (!perDb) states.set(db, (perDb = new Map()));
  const version = taskDataVersion(db);
  const kept = perDb.get(key);
  const s =
    kept &&
    follow(db, kept, version, (changed) => {
      const calendar = deadlineCalendarOf(db);
      const types = documentTypes(db);
      for (const r of rowsOf<Row>(db, SELECT, changed)) put(kept, r, calendar, types);
    })
      ? kept
      : build(db, q, asOf, version);
  perDb.delete(key); // most recently used last
  if (perDb.size >= PERIODS_KEPT) perDb.delete(perDb.keys().next().value!);
  perDb.set(key, s);
  return s.acc.result(db, q, asOf);
}

export function clearLivePeriods(db: DB): void {
  states.delete(db);
}
