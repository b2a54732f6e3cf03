/**
 * Snapshot schema version 2: the rules version, the three views of the month and of the year to date in total and
 * per agency, the agencies newly overdue, the agencies' end, the ranking of existing agencies only; and the stored
 * version-1 snapshots, which still load and feed the trend and the change of a later version-2 snapshot.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '../db/open.ts';
import { RULES_VERSION } from '../domain/counts.ts';
import { newlyOverdue } from '../domain/newly-overdue.ts';
import { computePeriodStats } from '../domain/period-stats.ts';
import { computeStats } from '../domain/stats.ts';
import { appendEvent, createTask } from '../domain/tasks.ts';
import { buildFixtureProvince, EXPECTED, EXPECTED_V2, FIXTURE_PERIODS } from '../test/fixtures/province.ts';
import { legacySnapshotText, storeLegacySnapshot } from '../test/fixtures/stored-snapshots.ts';
import { previewSnapshot, publishPeriod, readSnapshot, readSnapshotText, sha256Hex } from './publish.ts';
import { publicCounts } from './snapshot-figures.ts';
import { isCurrentSnapshot, rulesVersionOf, snapshotSchema, storedSnapshotSchema, type Snapshot } from './schema.ts';

const NOW = new Date('2026-04-05T03:00:00Z');

let db: DB;
beforeEach(() => {
  db = openDatabase(':memory:');
  buildFixtureProvince(db);
});

function current(id: number): Snapshot {
  const s = readSnapshot(db, id);
  if (!isCurrentSnapshot(s)) throw new Error('expected a version-2 snapshot');
  return s;
}

describe('snapshot version 2: period views', () => {
  it('records the rules version and the hand-computed views of the month and the year to date', () => {
    const s = current(publishPeriod(db, { ...FIXTURE_PERIODS[1], now: NOW }).id);
    expect([s.schemaVersion, s.rulesVersion, rulesVersionOf(s)]).toEqual([2, RULES_VERSION, RULES_VERSION]);
    const e = EXPECTED_V2['2026-03'];
    expect([s.month.from, s.month.to]).toEqual([e.month.from, e.month.to]);
    expect(s.month.assigned).toMatchObject(e.month.assigned);
    expect(s.month.backlog).toMatchObject(e.month.backlog);
    expect(s.month.cumulative).toEqual(s.totals);
    expect(s.totals).toMatchObject(e.totals);
    expect([s.yearToDate.from, s.yearToDate.to]).toEqual([e.yearToDate.from, e.yearToDate.to]);
    expect(s.yearToDate.assigned).toEqual(s.totals);
    expect(s.yearToDate.backlog.total).toBe(e.yearToDate.backlogTotal);
    for (const [code, counts] of Object.entries(e.agencies)) {
      const a = s.agencies.find((x) => x.code === code)!;
      expect(a.counts).toMatchObject(counts);
      expect(a.yearToDate.assigned).toEqual(a.counts);
    }
    expect(s.agencies.find((a) => a.code === 'SXD')!.month.backlog).toMatchObject({ total: 2, overdue: 2 });
    expect(s.agencies.find((a) => a.code === 'STC')!.month.assigned).toMatchObject({ total: 1, inProgress: 1 });
    expect(s.newlyOverdue).toEqual(e.newlyOverdue);
    const feb = current(publishPeriod(db, { ...FIXTURE_PERIODS[0], now: NOW }).id);
    expect(feb.totals).toMatchObject(EXPECTED_V2['2026-02'].totals);
    expect(feb.newlyOverdue).toEqual(EXPECTED_V2['2026-02'].newlyOverdue);
  });

  it('every figure equals computePeriodStats and newlyOverdue over the public tasks (the confidential one is out)', () => {
    const s = previewSnapshot(db, '2026-03', '2026-03-31', NOW);
    const month = computePeriodStats(db, { from: '2026-03-01', to: '2026-03-31', publicOnly: true });
    const year = computePeriodStats(db, { from: '2026-01-01', to: '2026-03-31', publicOnly: true });
    for (const [mine, theirs] of [
      [s.month, month],
      [s.yearToDate, year],
    ] as const) {
      for (const view of ['assigned', 'backlog', 'cumulative'] as const) {
        expect(mine[view]).toEqual(publicCounts(theirs[view].totals));
        for (const a of theirs[view].agencies) {
          const key = mine === s.month ? 'month' : 'yearToDate';
          expect(s.agencies.find((x) => x.code === a.code)![key][view]).toEqual(publicCounts(a));
        }
      }
    }
    expect(s.totals).toEqual(publicCounts(computeStats(db, '2026-03-31', { publicOnly: true }).totals));
    const overdue = newlyOverdue(db, '2026-03-01', '2026-03-31', { publicOnly: true });
    expect(s.newlyOverdue.map((a) => [a.code, a.count])).toEqual(overdue.agencies.map((a) => [a.code, a.count]));
    // the confidential task (UBH-AB, overdue since 02/02) counts internally, in no public figure
    const internal = computePeriodStats(db, { from: '2026-01-01', to: '2026-03-31' });
    expect(internal.assigned.totals.total).toBe(s.yearToDate.assigned.total + 1);
    expect(s.agencies.find((a) => a.code === 'UBH-AB')!.yearToDate.assigned.overdue).toBe(0);
    expect(newlyOverdue(db, '2026-02-01', '2026-02-28').total).toBe(
      current(publishPeriod(db, { ...FIXTURE_PERIODS[0], now: NOW }).id).newlyOverdue.reduce((n, a) => n + a.count, 0) +
        1,
    );
  });

  it('an agency merged by the cutoff carries its end and successor, and is not ranked; a later merger is not in it', () => {
    const stc = (db.prepare("SELECT id FROM agencies WHERE code = 'STC'").get() as { id: number }).id;
    const sxd = (db.prepare("SELECT id FROM agencies WHERE code = 'SXD'").get() as { id: number }).id;
    // eleven more tasks of SXD completed on time in March: SXD has 13 due tasks this year, enough to be ranked
    for (let i = 0; i < 11; i++) {
      const t = createTask(db, {
        code: `NV-2026-01${String(i).padStart(3, '0')}`,
        title: `Nhiệm vụ bổ sung ${i}`,
        leadAgencyId: sxd,
        assignedOn: '2026-03-02',
        deadline: '2026-03-20',
      });
      appendEvent(db, t, { kind: 'reported', occurredOn: '2026-03-10' });
      appendEvent(db, t, { kind: 'confirmed', occurredOn: '2026-03-11' });
    }
    const ranked = previewSnapshot(db, '2026-03', '2026-03-31', NOW);
    expect(ranked.agencies.find((a) => a.code === 'SXD')).toMatchObject({ ranked: true, rank: 1 });
    expect(ranked.agencyEnds).toEqual([]);
    db.prepare('UPDATE agencies SET successor_id = ?, merged_on = ? WHERE id = ?').run(stc, '2026-03-25', sxd);
    const s = previewSnapshot(db, '2026-03', '2026-03-31', NOW);
    expect(s.agencyEnds).toEqual([
      {
        code: 'SXD',
        name: 'Sở Xây dựng',
        kind: 'merged',
        on: '2026-03-25',
        successor: { code: 'STC', name: 'Sở Tài chính' },
      },
    ]);
    expect(s.agencies.find((a) => a.code === 'SXD')).toMatchObject({ ranked: false, rank: null });
    // as of a day before the merger, the snapshot knows nothing of it (the past is not rewritten)
    const before = previewSnapshot(db, '2026-03', '2026-03-24', NOW);
    expect(before.agencyEnds).toEqual([]);
  });
});

describe('stored snapshots of schema version 1', () => {
  it('still load unchanged, with rules version 1, and are not valid as version 2', () => {
    const id = storeLegacySnapshot(db, '2026-02');
    const s = readSnapshot(db, id);
    expect(s.schemaVersion).toBe(1);
    expect(rulesVersionOf(s)).toBe(1);
    expect(s.totals).toMatchObject(EXPECTED['2026-02'].totals);
    expect(readSnapshotText(db, id)).toBe(legacySnapshotText('2026-02'));
    expect(sha256Hex(readSnapshotText(db, id))).toBe(
      (db.prepare('SELECT sha256 FROM publications WHERE id = ?').get(id) as { sha256: string }).sha256,
    );
    const parsed = JSON.parse(legacySnapshotText('2026-03'));
    expect(storedSnapshotSchema.safeParse(parsed).success).toBe(true);
    expect(snapshotSchema.safeParse(parsed).success).toBe(false);
  });

  it('a version-2 snapshot after a version-1 one: trend keeps the old figures with their rules, change compares', () => {
    storeLegacySnapshot(db, '2026-02');
    const s = current(publishPeriod(db, { ...FIXTURE_PERIODS[1], now: NOW }).id);
    expect(s.trend.map((p) => [p.period, p.rulesVersion, p.counts.total, 'completionRate' in p.counts])).toEqual([
      ['2026-02', 1, 6, false],
      ['2026-03', RULES_VERSION, 8, true],
    ]);
    expect(s.change?.previousPeriod).toBe('2026-02');
    expect(s.change?.newlyCompleted.map((c) => c.code)).toEqual(EXPECTED['2026-03'].change.newlyCompleted);
  });
});
