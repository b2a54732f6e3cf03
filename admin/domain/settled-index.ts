/**
 * The settled tasks' counts as of any date, kept in memory (issue 14: statistics ≤ 20 ms on thirty years). A task
 * settled on S (completed, nothing after it: status.ts settledAsOf) keeps one status for every cutoff from S on, so
 * computeStats counts them by group rather than classifying each — in SQL that group read every settled row (≈ 4 ms
 * on ten years, ≈ 13 ms on thirty: it grows with the history). Here each group (lead agency, category, confidential)
 * keeps its tasks' settlement days sorted, and the count as of C is one binary search per group.
 *
 * Kept up to date like the live index (live-status.ts changedSince): the tasks with an event or task id above the
 * last seen are read again, their old entry taken out and the new one put in. Same figures as the SQL group read
 * (live-status.props.test.ts compares computeStats with a brute-force count along random histories).
 */
import type { DB } from '../db/open.ts';
import { statement } from '../db/statements.ts';
import type { IsoDate } from './dates.ts';
import { follow, rowsOf, type Seen, seenAt } from './live-follow.ts';
import { taskDataVersion } from './task-query-cache.ts';

type Category = 'completedOnTime' | 'completedLate';

interface Group {
  agencyId: number;
  category: Category;
  confidential: boolean;
  /** settlement days, ascending */
  days: IsoDate[];
}

interface Entry {
  group: Group;
  day: IsoDate;
}

interface State {
  seen: Seen;
  groups: Map<string, Group>;
  byTask: Map<number, Entry>;
}

interface Row {
  id: number;
  lead_agency_id: number;
  settled_category: Category | null;
  settled_on: IsoDate | null;
  confidential: number;
}

const SELECT = 'SELECT id, lead_agency_id, settled_category, settled_on, confidential FROM tasks';
const states = new WeakMap<DB, State>();

/** Index of the first day in `days` after `day` (= how many are on or before it). */
function upperBound(days: IsoDate[], day: IsoDate): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (days[mid]! <= day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function remove(s: State, id: number): void {
  const old = s.byTask.get(id);
  if (!old) return;
  const days = old.group.days;
  // the first position of this day: any one of the equal days will do
  let i = upperBound(days, old.day) - 1;
  while (i > 0 && days[i - 1] === old.day) i--;
  days.splice(i, 1);
  s.byTask.delete(id);
}

function add(s: State, r: Row, sorted: boolean): void {
  if (r.settled_on === null || r.settled_category === null) return;
  const key = `${r.lead_agency_id}|${r.settled_category}|${r.confidential}`;
  let group = s.groups.get(key);
  if (!group) {
    group = { agencyId: r.lead_agency_id, category: r.settled_category, confidential: r.confidential === 1, days: [] };
    s.groups.set(key, group);
  }
  if (sorted) group.days.push(r.settled_on);
  else group.days.splice(upperBound(group.days, r.settled_on), 0, r.settled_on);
  s.byTask.set(r.id, { group, day: r.settled_on });
}

function build(db: DB, version: string): State {
  const s: State = { seen: seenAt(version), groups: new Map(), byTask: new Map() };
  // read in day order, so every group's days are appended already sorted
  for (const r of statement(
    db,
    `${SELECT} WHERE settled_on IS NOT NULL AND settled_category IS NOT NULL ORDER BY settled_on`,
  ).iterate() as IterableIterator<Row>)
    add(s, r, true);
  return s;
}

function stateOf(db: DB): State {
  const version = taskDataVersion(db);
  const kept = states.get(db);
  if (
    kept &&
    follow(db, kept, version, (changed) => {
      for (const id of changed) remove(kept, id);
      for (const r of rowsOf<Row>(db, SELECT, changed)) add(kept, r, false);
    })
  )
    return kept;
  const s = build(db, version);
  states.set(db, s);
  return s;
}

/** How many tasks were settled by `asOf`, per lead agency and category (public ones only, or one agency's). */
export function settledCounts(
  db: DB,
  asOf: IsoDate,
  filter: { agencyId?: number | undefined; publicOnly?: boolean | undefined } = {},
): Array<{ agencyId: number; category: Category; n: number }> {
  const out: Array<{ agencyId: number; category: Category; n: number }> = [];
  for (const g of stateOf(db).groups.values()) {
    if (filter.publicOnly && g.confidential) continue;
    if (filter.agencyId !== undefined && g.agencyId !== filter.agencyId) continue;
    const n = upperBound(g.days, asOf);
    if (n > 0) out.push({ agencyId: g.agencyId, category: g.category, n });
  }
  return out;
}

export function clearSettledIndex(db: DB): void {
  states.delete(db);
}
