/**
 * Statistics as of a cutoff date, per agency and in total, through status.ts. One pass over the task rows' facts
 * columns: the SQL selects, the rules classify.
 */
import type { DB } from '../db/open.ts';
import { addToCounts, classifyAsOf, emptyCounts, finishCounts, type Counts } from './status.ts';
import { factsFromRow, FACTS_COLUMNS, type FactsRow } from './tasks.ts';
import type { IsoDate } from './dates.ts';

export interface AgencyCounts extends Counts {
  agencyId: number;
  code: string;
  name: string;
}

export interface Stats {
  asOf: IsoDate;
  totals: Counts;
  agencies: AgencyCounts[];
}

export interface StatsOptions {
  /** only this agency (by id): tasks it leads as of the cutoff */
  agencyId?: number;
  /** leave confidential tasks out (public snapshot); internal statistics include them */
  publicOnly?: boolean;
}

/**
 * Counts as of `asOf`. With `agencyId`, only tasks whose lead agency on that day is this one are read: those it
 * leads now plus the few that were ever reassigned (filtered by their history).
 */
export function computeStats(db: DB, asOf: IsoDate, options: StatsOptions = {}): Stats {
  const where: string[] = ['assigned_on <= @asOf'];
  if (options.publicOnly) where.push('confidential = 0');
  if (options.agencyId !== undefined) where.push('(lead_agency_id = @agencyId OR agency_history IS NOT NULL)');
  const rows = db
    .prepare(`SELECT ${FACTS_COLUMNS} FROM tasks WHERE ${where.join(' AND ')}`)
    .all({ asOf, agencyId: options.agencyId ?? null }) as FactsRow[];

  const byAgency = new Map<number, Counts>();
  const totals = emptyCounts();
  for (const r of rows) {
    const s = classifyAsOf(factsFromRow(r), asOf);
    if (!s.counted) continue;
    if (options.agencyId !== undefined && s.agencyId !== options.agencyId) continue;
    let c = byAgency.get(s.agencyId);
    if (!c) byAgency.set(s.agencyId, (c = emptyCounts()));
    addToCounts(c, s);
    addToCounts(totals, s);
  }
  finishCounts(totals);
  const names = new Map(
    (db.prepare('SELECT id, code, name FROM agencies').all() as Array<{ id: number; code: string; name: string }>).map(
      (a) => [a.id, a],
    ),
  );
  const agencies: AgencyCounts[] = [...byAgency.entries()]
    .map(([agencyId, c]) => {
      const a = names.get(agencyId);
      return { agencyId, code: a?.code ?? String(agencyId), name: a?.name ?? '', ...finishCounts(c) };
    })
    .sort((a, b) => a.code.localeCompare(b.code));
  if (options.agencyId !== undefined && agencies.length === 0) {
    const a = names.get(options.agencyId);
    if (a) agencies.push({ agencyId: a.id, code: a.code, name: a.name, ...finishCounts(emptyCounts()) });
  }
  return { asOf, totals, agencies };
}
