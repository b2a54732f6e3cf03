/**
 * The 2025 demo province (admin/demo/reorganised.ts) on a one-year window (2025): the facts of the reorganisation
 * hold, statistics of the days before each step are what each former province had alone, the same seed gives the
 * same data, and windows that begin after a step (DEMO_YEARS small) or end before one still give a sound province.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '../db/open.ts';
import { nameAsOf } from '../domain/agency-names.ts';
import { checkEvent, extensionContext } from '../domain/rules.ts';
import { computeStats } from '../domain/stats.ts';
import { deriveFacts, type EventLite } from '../domain/status.ts';
import { type EventRow, factsToColumns, type TaskRow } from '../domain/tasks.ts';
import { JOINED_PREFIX, JULY_DAY } from './reorganisation-plan.ts';
import { generateReorganisedProvince, type ReorganisedOptions } from './reorganised.ts';
import { reorganisationLines, type ReorganisationSummary } from './reorganised-summary.ts';
import { summarizeProvince } from './summary.ts';

const NOW = new Date('2026-01-05T03:00:00.000Z');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function generate(options: Partial<ReorganisedOptions> = {}): { db: DB; summary: ReorganisationSummary } {
  const dir = mkdtempSync(join(tmpdir(), 'tdnv-reorg-'));
  dirs.push(dir);
  const db = openDatabase(join(dir, 'app.db'));
  const summary = generateReorganisedProvince(db, {
    years: 1,
    seed: 'test',
    endDate: '2025-12-31',
    now: NOW,
    workDir: dir,
    ...options,
  });
  return { db, summary };
}

/** Per-agency statistics as of a day, by code; with a prefix, only that former province's units (prefix removed). */
function statsByCode(db: DB, asOf: string, prefix?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { agencyId: _, name: __, code, ...a } of computeStats(db, asOf).agencies) {
    const mine = prefix ? code.startsWith(`${prefix}-`) : !code.startsWith(`${JOINED_PREFIX}-`);
    if (mine) out[prefix ? code.slice(prefix.length + 1) : code] = a;
  }
  return out;
}
const only = (all: Record<string, unknown>, keys: Record<string, unknown>) =>
  Object.fromEntries(Object.keys(keys).map((k) => [k, all[k]]));

const count = (db: DB, sql: string, ...args: unknown[]) =>
  db
    .prepare(sql)
    .pluck()
    .get(...args) as number;

/** The facts every generated province must have, whatever its window. */
function expectSoundReorganisation(db: DB): void {
  const ended = 'coalesce(a.merged_on, a.dissolved_on)';
  // nothing recorded for a unit on or after the day it ended, except the move of its tasks to the successor
  expect(
    count(
      db,
      `SELECT count(*) FROM task_events e JOIN agencies a ON a.id = e.agency_id
       WHERE ${ended} IS NOT NULL AND e.occurred_on >= ${ended} AND e.kind <> 'reassigned'`,
    ),
  ).toBe(0);
  // no task assigned to a district from 01/07/2025, nor to any unit on or after its end
  expect(
    count(
      db,
      `SELECT count(*) FROM tasks t JOIN task_events e ON e.task_id = t.id AND e.kind = 'assigned'
       JOIN agencies a ON a.id = e.agency_id WHERE (a.kind = 'district' AND t.assigned_on >= ?) OR t.assigned_on >= ${ended}`,
      JULY_DAY,
    ),
  ).toBe(0);
  // every task of an ended unit open on its last day moved on that day: none is still led by it after it
  expect(
    count(
      db,
      `SELECT count(*) FROM tasks t JOIN agencies a ON a.id = t.lead_agency_id
       WHERE ${ended} IS NOT NULL AND (t.settled_on IS NULL OR t.settled_on >= ${ended})`,
    ),
  ).toBe(0);
  // no open task is coordinated by a unit that no longer exists
  expect(
    count(
      db,
      `SELECT count(*) FROM task_coordinators c JOIN tasks t ON t.id = c.task_id JOIN agencies a ON a.id = c.agency_id
       WHERE t.settled_on IS NULL AND ${ended} IS NOT NULL`,
    ),
  ).toBe(0);
  // no district is left operating
  expect(count(db, "SELECT count(*) FROM agencies WHERE kind = 'district' AND dissolved_on IS NULL")).toBe(0);
}

describe('the 2025 demo province', () => {
  let db: DB;
  let summary: ReorganisationSummary;
  const stages: Record<string, Record<string, unknown>> = {};

  beforeAll(() => {
    ({ db, summary } = generate({
      onStage: (stage, dbs) => {
        const day = stage === 'before-march' ? '2025-02-15' : '2025-06-15';
        stages[`${stage}|continuing`] = statsByCode(dbs.continuing, day);
        stages[`${stage}|joined`] = statsByCode(dbs.joined, day);
      },
    }));
  });

  it('is one province formed on 01/07/2025 from two former ones, with the joined one archived', () => {
    expect(db.prepare("SELECT value FROM settings WHERE key = 'province_name'").pluck().get()).toBe(
      'Ủy ban nhân dân tỉnh Lam Sơn',
    );
    expect(db.prepare('SELECT name, prefix, joined_on, last_day FROM former_provinces').all()).toEqual([
      { name: 'Tỉnh Phú Lâm', prefix: 'PL', joined_on: JULY_DAY, last_day: '2025-06-30' },
    ]);
    // the joined province's months January–June 2025, published in its own database before the merger
    expect(db.prepare('SELECT period FROM former_publications ORDER BY period').pluck().all()).toEqual([
      '2025-01',
      '2025-02',
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
    ]);
    expect(summary.former.map((f) => f.name)).toEqual(['Tỉnh Lam Sơn', 'Tỉnh Phú Lâm']);
    // each former province had its own leaders: the joined one's are kept (inactive) and assigned its tasks only
    expect(db.prepare('SELECT name FROM leaders WHERE active = 0 ORDER BY id').pluck().get()).toBe('Đặng Quốc Hưng');
    expect(
      count(
        db,
        "SELECT count(*) FROM tasks t JOIN leaders l ON l.id = t.leader_id WHERE (t.code LIKE 'PL-%') = l.active",
      ),
    ).toBe(0);
    for (const f of summary.former) expect(f.tasks).toBeGreaterThan(1000);
    expect(summary.july?.districts).toHaveLength(24);
    expect(summary.afterJuly.district).toBeUndefined();
    expect(summary.afterJuly.commune).toBeGreaterThan(0);
    const text = reorganisationLines(summary).join('\n');
    expect(text).toContain('Tỉnh cũ: Tỉnh Phú Lâm (đến 30/06/2025)');
    expect(text).toContain('01/07/2025: hợp nhất tỉnh Phú Lâm vào tỉnh Lam Sơn');
    expect(text).toContain('không tổ chức cấp huyện: 24 UBND cấp huyện chia tách');
    expect(text).toContain('Lưu trữ: 6 kỳ công bố của tỉnh Phú Lâm');
    // the summary every run prints, from the database
    const again = summarizeProvince(db, '2025-12-31');
    expect(again).toContain('5 lãnh đạo UBND tỉnh (và 5 lãnh đạo trước đây)');
    expect(again).toContain('Hợp nhất tỉnh: Tỉnh Phú Lâm (đến 30/06/2025), mã nhiệm vụ và đơn vị có tiền tố PL-.');
    expect(again).toContain('Sáp nhập từ ngày 01/03/2025: Sở Kế hoạch và Đầu tư vào Sở Tài chính;');
    expect(again).toContain('Giải thể, chia tách từ ngày 01/07/2025: 24 đơn vị (24 UBND cấp huyện');
  });

  it('records the reorganisation as it was: a task of an abolished unit has a successor; none goes to an ended one', () => {
    expectSoundReorganisation(db);
    // the district's open tasks went both to its new communes and to departments
    const to = db
      .prepare(
        `SELECT DISTINCT s.kind FROM task_events e JOIN agencies f ON f.id = json_extract(e.data, '$.fromAgencyId')
         JOIN agencies s ON s.id = json_extract(e.data, '$.toAgencyId') WHERE e.kind = 'reassigned' AND f.kind = 'district'`,
      )
      .pluck()
      .all();
    expect(to.sort()).toEqual(['commune', 'department']);
    // Lao động – TB&XH was split: its open tasks went to more than one successor
    const ldtbxh = summary.march.split[0]!;
    expect(ldtbxh.bySuccessor.length).toBeGreaterThan(1);
  });

  it('writes histories the rules accept and facts equal to the events, for every task a reorganisation moved', () => {
    const moved = db
      .prepare(
        "SELECT * FROM tasks WHERE id IN (SELECT task_id FROM task_events WHERE kind = 'reassigned') ORDER BY id",
      )
      .all() as TaskRow[];
    expect(moved.length).toBeGreaterThan(300);
    const eventsOf = db.prepare('SELECT * FROM task_events WHERE task_id = ? ORDER BY occurred_on, id');
    const lite = (e: EventRow): EventLite => ({
      id: e.id,
      kind: e.kind,
      occurredOn: e.occurred_on,
      data: JSON.parse(e.data) as EventLite['data'],
    });
    for (const t of moved) {
      const events = eventsOf.all(t.id) as EventRow[];
      const base = { assignedOn: t.assigned_on, deadline: t.deadline, leadAgencyId: events[0]!.agency_id! };
      for (let i = 1; i < events.length; i++) {
        const e = events[i]!;
        const before = events.slice(0, i);
        expect(
          () =>
            checkEvent(deriveFacts(base, before.map(lite)), extensionContext(before.map((x) => x.kind)), {
              kind: e.kind,
              occurredOn: e.occurred_on,
              data: JSON.parse(e.data),
              note: e.note,
            }),
          `${t.code} #${i} ${e.kind}`,
        ).not.toThrow();
      }
      const cols = factsToColumns(deriveFacts(base, events.map(lite)));
      for (const [k, v] of Object.entries(cols)) expect([t.code, k, t[k as keyof TaskRow]]).toEqual([t.code, k, v]);
    }
  });

  it('names units as of the date: Cục Thuế tỉnh until 30/06/2025, Thuế tỉnh from 01/07; departments merged on 01/03', () => {
    const id = (code: string) => db.prepare('SELECT id FROM agencies WHERE code = ?').pluck().get(code) as number;
    expect(nameAsOf(db, id('CTHUE'), '2025-06-30')).toBe('Cục Thuế tỉnh');
    expect(nameAsOf(db, id('CTHUE'), JULY_DAY)).toBe('Thuế tỉnh Lam Sơn');
    expect(nameAsOf(db, id('BDT'), '2025-02-28')).toBe('Ban Dân tộc tỉnh');
    expect(nameAsOf(db, id('BDT'), '2025-03-01')).toBe('Sở Dân tộc và Tôn giáo');
    const successor = (code: string) =>
      db
        .prepare('SELECT s.code, a.merged_on FROM agencies a JOIN agencies s ON s.id = a.successor_id WHERE a.code = ?')
        .get(code);
    expect(successor('SKHDT')).toEqual({ code: 'STC', merged_on: '2025-03-01' });
    expect(successor('STNMT')).toEqual({ code: 'SNNMT', merged_on: '2025-03-01' });
    expect(successor('PL-SKHDT')).toEqual({ code: 'PL-STC', merged_on: '2025-03-01' });
    expect(successor('PL-STC')).toEqual({ code: 'STC', merged_on: JULY_DAY });
  });

  it('keeps the statistics of the days before each step: each former province as it was alone', () => {
    for (const stage of ['before-march', 'before-july']) {
      const day = stage === 'before-march' ? '2025-02-15' : '2025-06-15';
      const mine = stages[`${stage}|continuing`]!;
      const joined = stages[`${stage}|joined`]!;
      expect(Object.keys(mine).length).toBeGreaterThan(50);
      expect(only(statsByCode(db, day), mine)).toEqual(mine);
      expect(only(statsByCode(db, day, JOINED_PREFIX), joined)).toEqual(joined);
    }
  });
});

/**
 * Every row of the data tables, hashed, without what the product stamps with the wall clock or the work folder:
 * the recorded_at of the moves it writes, a publication's created_at, the merger's source path and file hash.
 */
function dump(db: DB): string {
  const h = createHash('sha256');
  const queries = [
    ...['agencies', 'agency_names', 'leaders', 'sectors', 'documents', 'tasks', 'task_coordinators', 'settings'].map(
      (t) => `SELECT * FROM ${t} ORDER BY 1, 2`,
    ),
    `SELECT id, task_id, kind, occurred_on, CASE kind WHEN 'reassigned' THEN '' ELSE recorded_at END, agency_id, note, data
     FROM task_events ORDER BY id`,
    'SELECT id, period, revision, as_of, note, task_count, sha256, summary FROM former_publications ORDER BY id',
    `SELECT id, at, action, target_type, target_id, json_remove(details, '$.source', '$.sourceSha256') FROM audit_log ORDER BY id`,
  ];
  for (const q of queries) for (const row of db.prepare(q).raw().iterate()) h.update(JSON.stringify(row));
  return h.digest('hex');
}

describe('the 2025 demo province, other windows', () => {
  it('is deterministic: same seed ⇒ same data; another seed ⇒ other data', () => {
    const one = generate({ endDate: '2025-08-31' });
    const two = generate({ endDate: '2025-08-31' });
    const other = generate({ endDate: '2025-08-31', seed: 'other' });
    expect(dump(one.db)).toBe(dump(two.db));
    expect(dump(other.db)).not.toBe(dump(one.db));
  });

  it('a window that begins after 01/07/2025: the province as reorganised, no former history, tasks for existing units', () => {
    const { db, summary } = generate({ endDate: '2026-10-31' });
    expectSoundReorganisation(db);
    const first = db.prepare('SELECT min(assigned_on) FROM tasks').pluck().get() as string;
    expect(first >= '2025-11-01' && first <= '2025-11-05').toBe(true);
    expect(summary.former.find((f) => f.name === 'Tỉnh Phú Lâm')?.tasks).toBe(0);
    expect(summary.published.joined).toBe(0);
    expect(reorganisationLines(summary)[0]).toContain('Giai đoạn bắt đầu sau ngày 01/07/2025');
    expect(count(db, "SELECT count(*) FROM agencies WHERE code = 'SKHDT' AND merged_on = '2025-03-01'")).toBe(1);
    expect(count(db, "SELECT count(*) FROM agencies WHERE kind = 'commune' AND established_on = ?", JULY_DAY)).toBe(48);
  });

  it('a window between the two steps, and one that ends before 01/03/2025', () => {
    const between = generate({ endDate: '2026-04-30' }); // from 01/05/2025
    expectSoundReorganisation(between.db);
    expect(between.summary.former[1]!.tasks).toBeGreaterThan(0);
    const before = generate({ endDate: '2025-02-20' });
    expect(before.summary.july).toBeNull();
    expect(
      count(before.db, 'SELECT count(*) FROM agencies WHERE successor_id IS NOT NULL OR dissolved_on IS NOT NULL'),
    ).toBe(0);
    expect(count(before.db, 'SELECT count(*) FROM former_provinces')).toBe(0);
  });
});
