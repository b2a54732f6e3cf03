/**
 * The figures of a snapshot (schema version 2), all from the domain's one counting module with confidential tasks
 * left out (DESIGN.md §3):
 *
 *   computePeriodStats(month)  ──▶ month: assigned / backlog / cumulative, in total and per agency
 *   computePeriodStats(year)   ──▶ yearToDate: the same from 1 January      (cumulative = totals = lũy kế)
 *   newlyOverdue(month)        ──▶ agencies with tasks newly overdue in the month
 *   agencies table             ──▶ agencies merged or dissolved on or before the cutoff (not ranked any more)
 *   agency-names.ts            ──▶ every agency named as it was on the cutoff (a later rename is not in it)
 *
 * This file only picks the public fields and ranks; it counts nothing itself.
 */
import type { DB } from '../db/open.ts';
import { emptyCounts, finishCounts, MIN_DUE_FOR_RANKING, type Counts } from '../domain/counts.ts';
import type { IsoDate } from '../domain/dates.ts';
import { newlyOverdue } from '../domain/newly-overdue.ts';
import { computePeriodStats, type PeriodStats, type PeriodView } from '../domain/period-stats.ts';
import { countsJson } from '../domain/stats.ts';
import { agencyNamesAsOf } from '../domain/agency-names.ts';
import type {
  AgencyEnd,
  AgencySummary,
  NewlyOverdueAgency,
  PeriodFigures,
  PeriodViews,
  PublicCounts,
} from './schema.ts';

/** The published keys of a Counts, in the contract's order: the same keys and order as the CLI and the API give. */
export function publicCounts(c: Counts): PublicCounts {
  return countsJson(c);
}

export interface SnapshotFigures {
  rulesVersion: number;
  totals: PublicCounts;
  month: PeriodFigures;
  yearToDate: PeriodFigures;
  agencies: AgencySummary[];
  newlyOverdue: NewlyOverdueAgency[];
  agencyEnds: AgencyEnd[];
}

interface AgencyRow {
  id: number;
  code: string;
  name: string;
  kind: AgencySummary['kind'];
  merged_on: string | null;
  dissolved_on: string | null;
  successor_id: number | null;
  successor_code: string | null;
  successor_name: string | null;
}

function periodFigures(p: PeriodStats): PeriodFigures {
  return {
    from: p.from,
    to: p.asOf,
    assigned: publicCounts(p.assigned.totals),
    backlog: publicCounts(p.backlog.totals),
    cumulative: publicCounts(p.cumulative.totals),
  };
}

function byAgency(v: PeriodView): Map<number, Counts> {
  return new Map(v.agencies.filter((a) => a.id !== null).map((a) => [a.id as number, a]));
}

function agencyViews(p: PeriodStats): (agencyId: number) => PeriodViews {
  const empty = publicCounts(finishCounts(emptyCounts()));
  const [assigned, backlog, cumulative] = [p.assigned, p.backlog, p.cumulative].map(byAgency) as [
    Map<number, Counts>,
    Map<number, Counts>,
    Map<number, Counts>,
  ];
  const pick = (m: Map<number, Counts>, id: number) => {
    const c = m.get(id);
    return c ? publicCounts(c) : empty;
  };
  return (id) => ({ assigned: pick(assigned, id), backlog: pick(backlog, id), cumulative: pick(cumulative, id) });
}

/**
 * Ranking (DESIGN.md §3: "no unit is ranked below a minimum count"): by the on-time rate of the tasks assigned
 * since 1 January (yearToDate.assigned, the figure the site shows beside the rank), among agencies with at least
 * MIN_DUE_FOR_RANKING of them due that still exist on the cutoff. Ties share a rank.
 */
function rankAgencies(agencies: AgencySummary[], ended: Set<string>): void {
  const rate = (a: AgencySummary) => a.yearToDate.assigned.onTimeRate ?? 0;
  const candidates = agencies
    .filter((a) => a.yearToDate.assigned.due >= MIN_DUE_FOR_RANKING && !ended.has(a.code))
    .sort((a, b) => rate(b) - rate(a));
  candidates.forEach((a, i) => {
    const prev = candidates[i - 1];
    a.ranked = true;
    a.rank = prev && rate(prev) === rate(a) ? prev.rank : i + 1;
  });
}

/** Every public figure of the snapshot of `period` ('YYYY-MM') as of `asOf`. */
export function computeSnapshotFigures(db: DB, period: string, asOf: IsoDate): SnapshotFigures {
  const monthStats = computePeriodStats(db, { from: `${period}-01`, to: asOf, publicOnly: true });
  const yearStats = computePeriodStats(db, { from: `${period.slice(0, 4)}-01-01`, to: asOf, publicOnly: true });
  const rows = db
    .prepare(
      `SELECT a.id, a.code, a.name, a.kind, a.merged_on, a.dissolved_on, a.successor_id, s.code AS successor_code,
              s.name AS successor_name
       FROM agencies a LEFT JOIN agencies s ON s.id = a.successor_id`,
    )
    .all() as AgencyRow[];
  // the names of the cutoff's day (issue 12): a rename after it does not reach this snapshot
  const namesOn = agencyNamesAsOf(db, asOf);
  for (const a of rows) a.name = namesOn.get(a.id) ?? a.name;
  const agencyById = new Map(rows.map((a) => [a.id, a]));

  // only what had happened by the cutoff: a merger recorded for a later day is not in this snapshot
  const agencyEnds: AgencyEnd[] = [];
  for (const a of rows) {
    if (a.merged_on !== null && a.merged_on <= asOf && a.successor_code !== null) {
      agencyEnds.push({
        code: a.code,
        name: a.name,
        kind: 'merged',
        on: a.merged_on,
        successor: {
          code: a.successor_code,
          name:
            (a.successor_id !== null ? namesOn.get(a.successor_id) : undefined) ?? a.successor_name ?? a.successor_code,
        },
      });
    } else if (a.dissolved_on !== null && a.dissolved_on <= asOf) {
      agencyEnds.push({ code: a.code, name: a.name, kind: 'dissolved', on: a.dissolved_on, successor: null });
    }
  }
  agencyEnds.sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));

  const monthOf = agencyViews(monthStats);
  const yearOf = agencyViews(yearStats);
  const agencies: AgencySummary[] = monthStats.cumulative.agencies
    .filter((a) => a.id !== null)
    .map((a) => {
      const id = a.id as number;
      const row = agencyById.get(id);
      return {
        code: row?.code ?? a.code ?? String(id),
        name: row?.name ?? a.name,
        kind: row?.kind ?? 'other',
        ranked: false,
        rank: null,
        counts: publicCounts(a),
        month: monthOf(id),
        yearToDate: yearOf(id),
      };
    });
  rankAgencies(agencies, new Set(agencyEnds.map((e) => e.code)));

  const overdue = newlyOverdue(db, `${period}-01`, asOf, { publicOnly: true });
  const nameByCode = new Map(rows.map((a) => [a.code, a.name]));
  return {
    rulesVersion: monthStats.rulesVersion,
    totals: publicCounts(monthStats.cumulative.totals),
    month: periodFigures(monthStats),
    yearToDate: periodFigures(yearStats),
    agencies,
    newlyOverdue: overdue.agencies.map((a) => ({
      code: a.code,
      name: nameByCode.get(a.code) ?? a.name,
      count: a.count,
      stillOverdue: a.stillOverdue,
    })),
    agencyEnds,
  };
}
