import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openDatabase, type DB } from '../db/open.ts';
import { generateProvince } from '../demo/generate.ts';
import { classifyAsOf, type TaskStatus } from './status.ts';
import { factsFromRow, type TaskRow } from './tasks.ts';
import { addDays, type IsoDate } from './dates.ts';
import { foldVietnamese } from './text.ts';
import { deadlineCalendarOf } from './holidays.ts';
import { workingDaysBetween } from './working-days.ts';
import {
  AGENCY_ROLES,
  exportTasks,
  localDayStartUtc,
  parseTaskFilter,
  queryTasks,
  queryTokens,
  TASK_SORTS,
  TASK_STATUSES,
  type TaskFilter,
  type TaskStatusFilter,
} from './task-query.ts';
import type { Role } from '../auth/permissions.ts';

type Who = { role: Role; agencyId: number | null };

// ---- the query against a brute-force oracle over a generated province ------------------------------------------

interface World {
  db: DB;
  tasks: TaskRow[];
  searchText: Map<number, string>;
  coordinators: Map<number, number[]>;
  agencies: Array<{ id: number; code: string; name: string }>;
  agencyFold: Map<number, string>;
  sectors: Array<{ id: number; code: string }>;
  leaders: number[];
  documents: Map<number, string>;
  from: IsoDate;
  to: IsoDate;
  words: string[];
}

let w: World;

beforeAll(() => {
  const db = openDatabase(':memory:');
  const summary = generateProvince(db, { years: 2, seed: 'task-query', endDate: '2026-10-31' });
  const tasks = db.prepare('SELECT * FROM tasks').all() as Array<TaskRow & { search_text: string }>;
  const coordinators = new Map<number, number[]>();
  for (const r of db.prepare('SELECT task_id, agency_id FROM task_coordinators').all() as Array<{
    task_id: number;
    agency_id: number;
  }>) {
    coordinators.set(r.task_id, [...(coordinators.get(r.task_id) ?? []), r.agency_id]);
  }
  const agencies = db.prepare('SELECT id, code, name FROM agencies').all() as World['agencies'];
  const words = [
    ...new Set([
      ...agencies.flatMap((a) => foldVietnamese(a.name).split(' ')),
      ...tasks.slice(0, 200).flatMap((t) => foldVietnamese(t.title).split(' ')),
      'so tai chinh',
      'NV-2025',
      '%',
      '_',
      "'",
    ]),
  ];
  w = {
    db,
    tasks,
    searchText: new Map(tasks.map((t) => [t.id, t.search_text])),
    coordinators,
    agencies,
    agencyFold: new Map(agencies.map((a) => [a.id, `${foldVietnamese(a.code)} ${foldVietnamese(a.name)}`])),
    sectors: db.prepare('SELECT id, code FROM sectors').all() as World['sectors'],
    leaders: (db.prepare('SELECT id FROM leaders').all() as Array<{ id: number }>).map((r) => r.id),
    documents: new Map(
      (db.prepare('SELECT id, number FROM documents').all() as Array<{ id: number; number: string }>).map((d) => [
        d.id,
        d.number,
      ]),
    ),
    from: summary.from,
    to: summary.to,
    words,
  };
  // a few tasks with a recent last update, for updatedFrom
  db.prepare("UPDATE tasks SET last_update_at = '2026-10-30T17:30:00.000Z' WHERE id % 97 = 0").run();
  db.prepare("UPDATE tasks SET last_update_at = '2026-10-30T16:59:59.000Z' WHERE id % 89 = 0").run();
  w.tasks = db.prepare('SELECT * FROM tasks').all() as TaskRow[];
}, 120_000);

/** The status filter, defined independently of task-query.ts from classifyAsOf's output. */
function oracleStatus(s: TaskStatus, st: TaskStatusFilter, assignedOn: IsoDate, asOf: IsoDate): boolean {
  if (st === 'cancelled') return assignedOn <= asOf && !s.counted;
  if (!s.counted) return false;
  if (st === 'counted') return true; // every task the statistics count on C
  if (st === 'awaitingConfirmation') return s.awaitingConfirmation;
  if (st === 'open') return s.category === 'inProgress' || s.category === 'overdue' || s.category === 'noDeadline';
  if (st === 'dueSoon')
    return (
      s.category === 'inProgress' &&
      s.effectiveDeadline !== null &&
      s.effectiveDeadline >= asOf && // rules v2: an on-time report awaiting confirmation past the deadline is in progress
      // within 3 working days, by the province's calendar as it stood on C (rules v3)
      workingDaysBetween(deadlineCalendarOf(w.db).view(asOf).calendar, asOf, s.effectiveDeadline) <= 3
    );
  return s.category === st;
}

/** Every task `who` may read that matches `f`, by walking all tasks in JS. */
function oracle(who: Who, f: TaskFilter): Set<number> {
  const out = new Set<number>();
  const agencyId = f.agency === undefined ? undefined : (w.agencies.find((a) => a.code === f.agency)?.id ?? -1);
  const sectorIds = f.sector === undefined ? undefined : w.sectors.filter((s) => s.code === f.sector).map((s) => s.id);
  const tokens = queryTokens(f.q);
  for (const t of w.tasks) {
    const coords = w.coordinators.get(t.id) ?? [];
    if (who.role === 'admin') continue;
    if (who.role === 'agency' && t.lead_agency_id !== who.agencyId && !coords.includes(who.agencyId!)) continue;
    if (t.assigned_on > f.asOf) continue;
    const s = classifyAsOf(factsFromRow(t), f.asOf);
    if (agencyId !== undefined) {
      const lead = s.agencyId === agencyId;
      const coord = coords.includes(agencyId);
      if (f.role === 'lead' && !lead) continue;
      if (f.role === 'coordinator' && !coord) continue;
      if (f.role === 'any' && !lead && !coord) continue;
    }
    const text = w.searchText.get(t.id)!;
    const agencyTexts = [t.lead_agency_id, ...coords].map((a) => w.agencyFold.get(a)!);
    if (!tokens.every((tok) => text.includes(tok) || agencyTexts.some((a) => a.includes(tok)))) continue;
    if (f.leader !== undefined && t.leader_id !== f.leader) continue;
    if (sectorIds !== undefined && !sectorIds.includes(t.sector_id ?? -1)) continue;
    if (
      f.document !== undefined &&
      (t.document_id === null || w.documents.get(t.document_id)!.toLowerCase() !== f.document.toLowerCase())
    )
      continue;
    if (f.starred !== undefined && (t.starred === 1) !== f.starred) continue;
    if (f.confidential !== undefined && (t.confidential === 1) !== f.confidential) continue;
    if (f.received !== undefined && (t.received_on !== null && t.received_on <= f.asOf) !== f.received) continue;
    if (f.assignedFrom !== undefined && t.assigned_on < f.assignedFrom) continue;
    if (f.assignedTo !== undefined && t.assigned_on > f.assignedTo) continue;
    if (
      f.updatedFrom !== undefined &&
      !(t.last_update_at !== null && t.last_update_at >= localDayStartUtc(f.updatedFrom))
    )
      continue;
    if (f.status !== undefined && !oracleStatus(s, f.status, t.assigned_on, f.asOf)) continue;
    out.add(t.id);
  }
  return out;
}

/** absent 3 times in 4, so that combined filters still match something */
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: arb, weight: 1 });

const dateArb = () => fc.integer({ min: -40, max: 800 }).map((d) => addDays(w.from, d));

function filterArb(): fc.Arbitrary<TaskFilter> {
  return fc
    .record({
      q: maybe(fc.array(fc.constantFrom(...w.words), { minLength: 1, maxLength: 3 }).map((ws) => ws.join(' '))),
      agency: maybe(fc.oneof(fc.constantFrom(...w.agencies.map((a) => a.code)), fc.constant('STC'))),
      role: fc.constantFrom(...AGENCY_ROLES),
      status: maybe(fc.constantFrom(...TASK_STATUSES)),
      asOf: dateArb(),
      leader: maybe(fc.constantFrom(...w.leaders)),
      sector: maybe(fc.constantFrom(...w.sectors.map((s) => s.code))),
      document: maybe(fc.constantFrom(...[...w.documents.values()].slice(0, 50))),
      starred: maybe(fc.boolean()),
      confidential: maybe(fc.boolean()),
      received: maybe(fc.boolean()),
      assignedFrom: maybe(dateArb()),
      assignedTo: maybe(dateArb()),
      updatedFrom: maybe(fc.constantFrom('2026-10-31', '2026-10-30')),
      sort: fc.constantFrom(...TASK_SORTS),
      dir: fc.constantFrom('asc' as const, 'desc' as const),
    })
    .map((r) => {
      const f: TaskFilter = { ...r, page: 1, pageSize: 50 } as TaskFilter;
      for (const k of Object.keys(f) as Array<keyof TaskFilter>) if (f[k] === undefined) delete f[k];
      if (f.q !== undefined) f.q = foldVietnamese(f.q);
      return f;
    });
}

const whoArb = () =>
  fc.oneof(
    fc.constantFrom<Who>(
      { role: 'specialist', agencyId: null },
      { role: 'leader', agencyId: null },
      { role: 'admin', agencyId: null },
    ),
    fc.constantFrom(...w.agencies.map((a) => a.id)).map((id): Who => ({ role: 'agency', agencyId: id })),
  );

describe('queryTasks = brute force over every task (ten-year shapes: merger, extensions, returns)', () => {
  it('the generated province has the shapes that make the property meaningful', () => {
    expect(w.tasks.some((t) => t.agency_history !== null)).toBe(true);
    expect(w.tasks.some((t) => t.ext_approved_on !== null)).toBe(true);
    expect(w.tasks.some((t) => t.cancelled_on !== null)).toBe(true);
    expect(w.tasks.some((t) => t.report_windows !== null)).toBe(true);
  });

  it('for random filters and principals, every row matches and the total equals the brute-force count', () => {
    let nonEmpty = 0;
    fc.assert(
      fc.property(whoArb(), filterArb(), (who, f) => {
        const expected = oracle(who, f);
        if (expected.size > 0) nonEmpty++;
        const all = exportTasks(w.db, who, f, 1_000_000);
        expect(all.total).toBe(expected.size);
        expect(new Set(all.rows.map((r) => r.id))).toEqual(expected);
        const page = queryTasks(w.db, who, f);
        expect(page.total).toBe(expected.size);
        expect(page.rows.map((r) => r.id)).toEqual(all.rows.slice(0, 50).map((r) => r.id));
        for (const r of all.rows) {
          const t = w.tasks.find((x) => x.id === r.id)!;
          const s = classifyAsOf(factsFromRow(t), f.asOf);
          expect(r.effectiveDeadline).toBe(s.effectiveDeadline);
          expect(r.overdueDays).toBe(s.overdueDays);
          expect(r.leadAgencyId).toBe(s.agencyId);
          if (who.role === 'agency') {
            expect(t.lead_agency_id === who.agencyId || (w.coordinators.get(t.id) ?? []).includes(who.agencyId!)).toBe(
              true,
            );
          }
        }
      }),
      { numRuns: 150 },
    );
    expect(nonEmpty).toBeGreaterThan(10); // the property is not vacuous
  }, 120_000);

  it('counts per status equal the totals of the same filter with each status', () => {
    fc.assert(
      fc.property(whoArb(), filterArb(), (who, f0) => {
        const f = { ...f0 };
        delete f.status;
        const r = queryTasks(w.db, who, f, { withCounts: true });
        expect(r.counts!.all).toBe(r.total);
        for (const st of TASK_STATUSES) expect(r.counts!.byStatus[st]).toBe(oracle(who, { ...f, status: st }).size);
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it('every status prefilter is safe: each status on many days equals the brute force (and is not empty)', () => {
    const who: Who = { role: 'leader', agencyId: null };
    const days = Array.from({ length: 12 }, (_, i) => addDays(w.from, 30 + i * 61));
    for (const status of TASK_STATUSES) {
      let seen = 0;
      for (const asOf of days) {
        const f: TaskFilter = { role: 'lead', asOf, status, sort: 'code', dir: 'asc', page: 1, pageSize: 50 };
        const expected = oracle(who, f);
        seen += expected.size;
        expect(queryTasks(w.db, who, f).total, `${status} as of ${asOf}`).toBe(expected.size);
      }
      expect(seen, status).toBeGreaterThan(0);
    }
  });

  it('sorts by the chosen column, nulls last, then by code; pages concatenate to the whole list', () => {
    const base = parseTaskFilter({ asOf: '2026-06-30' });
    if (!base.ok) throw new Error('bad');
    const who: Who = { role: 'specialist', agencyId: null };
    for (const sort of TASK_SORTS) {
      for (const dir of ['asc', 'desc'] as const) {
        const f: TaskFilter = { ...base.filter, sort, dir, pageSize: 200 };
        const all = exportTasks(w.db, who, f, 1_000_000).rows;
        const key = (r: (typeof all)[number]) =>
          sort === 'code'
            ? r.code
            : sort === 'assigned_on'
              ? r.assignedOn
              : sort === 'deadline'
                ? r.deadline
                : sort === 'effective_deadline'
                  ? r.effectiveDeadline
                  : sort === 'agency'
                    ? r.leadAgencyCode
                    : r.lastUpdateAt;
        for (let i = 1; i < all.length; i++) {
          const a = key(all[i - 1]!);
          const b = key(all[i]!);
          if (a === null) expect(b).toBeNull();
          else if (b !== null && a !== b) expect(dir === 'asc' ? a < b : a > b).toBe(true);
        }
        const pages = [1, 2, 3].flatMap((page) => queryTasks(w.db, who, { ...f, page }).rows.map((r) => r.id));
        expect(pages).toEqual(all.slice(0, 600).map((r) => r.id));
      }
    }
  });

  it('the lead agency filter follows reassignments: as of a day before the merger, the successor does not lead the moved tasks', () => {
    const moved = w.tasks.filter((t) => t.agency_history !== null);
    const successor = w.agencies.find((a) => a.id === moved[0]!.lead_agency_id)!;
    const history = JSON.parse(moved[0]!.agency_history!) as Array<[number, string]>;
    const before = addDays(history[1]![1], -1);
    const who: Who = { role: 'specialist', agencyId: null };
    for (const role of AGENCY_ROLES) {
      for (const asOf of [before, history[1]![1]]) {
        const r = parseTaskFilter({ agency: successor.code, role, asOf });
        if (!r.ok) throw new Error('bad');
        const ids = new Set(exportTasks(w.db, who, r.filter).rows.map((x) => x.id));
        expect(ids).toEqual(oracle(who, r.filter));
        const movedIn = moved.filter(
          (t) => t.lead_agency_id === successor.id && ids.has(t.id) && t.assigned_on <= asOf,
        ).length;
        if (role === 'lead') expect(movedIn > 0).toBe(asOf >= history[1]![1]);
      }
    }
  });

  it('"so tai chinh" finds the tasks of Sở Tài chính', () => {
    const stc = w.agencies.find((a) => a.name === 'Sở Tài chính')!;
    const r = parseTaskFilter({ q: 'so tai chinh', asOf: '2026-10-31', pageSize: '200' });
    if (!r.ok) throw new Error('bad');
    const rows = exportTasks(w.db, { role: 'leader', agencyId: null }, r.filter).rows;
    expect(rows.some((x) => x.leadAgencyId === stc.id)).toBe(true);
  });

  it('an agency user never sees another agency’s task, whatever the filter asks for', () => {
    const [a, b] = [w.agencies[0]!, w.agencies[1]!];
    const r = parseTaskFilter({ agency: b.code, role: 'any', asOf: '2026-10-31' });
    if (!r.ok) throw new Error('bad');
    const rows = exportTasks(w.db, { role: 'agency', agencyId: a.id }, r.filter).rows;
    for (const row of rows) {
      const t = w.tasks.find((x) => x.id === row.id)!;
      expect(t.lead_agency_id === a.id || (w.coordinators.get(t.id) ?? []).includes(a.id)).toBe(true);
    }
    expect(queryTasks(w.db, { role: 'admin', agencyId: null }, r.filter).total).toBe(0);
  });

  it('an export above the cap is refused with a clear message, not cut short', () => {
    const r = parseTaskFilter({ asOf: '2026-10-31' });
    if (!r.ok) throw new Error('bad');
    expect(() => exportTasks(w.db, { role: 'leader', agencyId: null }, r.filter, 10)).toThrow(
      /vượt giới hạn xuất tệp 10 dòng/,
    );
  });

  it('unknown references are reported when a database is given', () => {
    const r = parseTaskFilter({ agency: 'KHONG-CO', sector: 'ZZ', leader: '999999' }, { db: w.db });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path).sort()).toEqual(['agency', 'leader', 'sector']);
  });
});
