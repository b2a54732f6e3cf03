import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '../db/open.ts';
import { computeStats } from '../domain/stats.ts';
import {
  buildFixtureProvince,
  CANARY,
  EXPECTED,
  EXPECTED_V2,
  FIXTURE_PERIODS,
  PUBLIC_SUMMARY,
} from '../test/fixtures/province.ts';
import {
  listPublications,
  previewSnapshot,
  publishPeriod,
  PublishError,
  readSnapshot,
  readSnapshotText,
  sha256Hex,
} from './publish.ts';
import { snapshotSchema } from './schema.ts';

const NOW = new Date('2026-04-05T03:00:00Z');

let db: DB;
beforeEach(() => {
  db = openDatabase(':memory:');
  buildFixtureProvince(db);
});

function publishBoth() {
  const [feb, mar] = FIXTURE_PERIODS;
  const a = publishPeriod(db, { ...feb, now: NOW });
  const b = publishPeriod(db, { ...mar, now: NOW });
  return [a, b] as const;
}

describe('publishPeriod', () => {
  it('computes the hand-checked public numbers of the fixture province', () => {
    const [, mar] = publishBoth();
    const s = readSnapshot(db, mar.id);
    expect(s.schemaVersion).toBe(2);
    expect(s.totals).toMatchObject(EXPECTED_V2['2026-03'].totals);
    for (const [code, counts] of Object.entries(EXPECTED_V2['2026-03'].agencies)) {
      expect(s.agencies.find((a) => a.code === code)?.counts).toMatchObject(counts);
    }
    expect(s.agencies.every((a) => !a.ranked && a.rank === null)).toBe(true); // nobody has 10 due tasks
    expect(s.tasks.map((t) => t.code)).toEqual(EXPECTED['2026-03'].taskCodes);
    expect(s.change?.previousPeriod).toBe('2026-02');
    expect(s.change?.newlyCompleted.map((c) => c.code)).toEqual(EXPECTED['2026-03'].change.newlyCompleted);
    // since February's publication: T4 (overdue from 16/03); T10's on-time report is waiting, so it is not overdue
    expect(s.change?.newlyOverdue.map((c) => c.code)).toEqual(['NV-2026-00004']);
    expect(s.change?.extended.map((c) => c.code)).toEqual(EXPECTED['2026-03'].change.extended);
    expect(s.trend.map((p) => [p.period, p.counts.total])).toEqual([
      ['2026-02', EXPECTED['2026-02'].totals.total],
      ['2026-03', 8],
    ]);
    expect(s.province).toBe('Ủy ban nhân dân tỉnh Mẫu Sơn');
    // the same numbers as the admin statistics with confidential tasks left out
    expect(s.totals).toEqual(computeStats(db, '2026-03-31', { publicOnly: true }).totals);
  });

  it('keeps task details to the public whitelist', () => {
    publishBoth();
    const s = readSnapshot(db, listPublications(db)[0]!.id);
    const t1 = s.tasks.find((t) => t.code === 'NV-2026-00001')!;
    expect(t1.resultSummary).toBe(PUBLIC_SUMMARY);
    expect(t1.document).toEqual({ number: '15/UBND-KT', type: 'Công văn', issuedOn: '2026-01-03' });
    expect(t1.coordinators).toEqual(['SXD']);
    expect(t1.timeline.map((e) => e.kind)).toEqual(['assigned', 'received', 'progress', 'reported', 'confirmed']);
    const t2 = s.tasks.find((t) => t.code === 'NV-2026-00002')!;
    expect(t2.status).toBe('completedLate');
    expect(t2.resultSummary).toBeNull(); // its report was not public
    expect(t2.timeline.map((e) => e.kind)).toEqual(['assigned', 'confirmed']); // explanation hidden
    const t3 = s.tasks.find((t) => t.code === 'NV-2026-00003')!;
    // extended to 30/04/2026, a holiday followed by 01/05 and a weekend: it ends on Monday 04/05 (rules v3)
    expect([t3.deadline, t3.extendedDeadline, t3.effectiveDeadline]).toEqual([
      '2026-03-10',
      '2026-04-30',
      '2026-05-04',
    ]);
    expect(t3.timeline.find((e) => e.kind === 'extension_approved')?.newDeadline).toBe('2026-04-30');
    const t10 = s.tasks.find((t) => t.code === 'NV-2026-00010')!;
    // rules version 2: an on-time report still waiting for the working group is not overdue
    expect([t10.status, t10.awaitingConfirmation, t10.resultSummary]).toEqual(['inProgress', true, null]);
  });

  it('never lets the canary or a confidential task into any stored snapshot', () => {
    publishBoth();
    for (const p of listPublications(db)) {
      const text = readSnapshotText(db, p.id);
      expect(text).not.toContain(CANARY);
      expect(text).not.toContain(CANARY.toLowerCase());
      expect(text).not.toContain('NV-2026-00008');
      const summary = (db.prepare('SELECT summary FROM publications WHERE id = ?').get(p.id) as { summary: string })
        .summary;
      expect(summary).not.toContain(CANARY);
    }
  });

  it('stores the snapshot with its SHA-256 and refuses to change it', () => {
    const [feb] = publishBoth();
    expect(sha256Hex(readSnapshotText(db, feb.id))).toBe(feb.sha256);
    expect(() => db.prepare("UPDATE publications SET note = 'x' WHERE id = ?").run(feb.id)).toThrow(/immutable/);
    expect(() => db.prepare('DELETE FROM publications WHERE id = ?').run(feb.id)).toThrow(/immutable/);
  });

  it('requires a correction note to publish a period again and keeps earlier revisions', () => {
    const [feb] = publishBoth();
    expect(() => publishPeriod(db, { period: '2026-02', asOf: '2026-02-28', now: NOW })).toThrow(/đính chính/);
    expect(listPublications(db)).toHaveLength(2);
    const r2 = publishPeriod(db, {
      period: '2026-02',
      asOf: '2026-02-28',
      note: 'Đính chính số liệu Sở Xây dựng',
      now: NOW,
    });
    expect(r2.revision).toBe(2);
    expect(readSnapshot(db, r2.id).note).toBe('Đính chính số liệu Sở Xây dựng');
    expect(readSnapshot(db, feb.id).revision).toBe(1);
    expect(listPublications(db)).toHaveLength(3);
  });

  it.each([
    [{ period: '2026-13', asOf: '2026-03-31' }, /Kỳ công bố/],
    [{ period: '2026-3', asOf: '2026-03-31' }, /YYYY-MM/],
    [{ period: '2026-03', asOf: '2026-02-30' }, /Ngày chốt số liệu/],
    [{ period: '2026-03', asOf: '2026-02-27' }, /trước kỳ/],
    [{ period: '2026-04', asOf: '2026-04-30' }, /tương lai/],
  ])('refuses bad input %o with a Vietnamese message and writes nothing', (input, message) => {
    expect(() => publishPeriod(db, { ...input, now: NOW })).toThrow(PublishError);
    expect(() => publishPeriod(db, { ...input, now: NOW })).toThrow(message);
    expect(listPublications(db)).toHaveLength(0);
  });

  it('previews without writing', () => {
    const s = previewSnapshot(db, '2026-03', '2026-03-31', NOW);
    expect(s.totals.total).toBe(8);
    expect(s.revision).toBe(1);
    expect(s.change).toBeNull();
    expect(listPublications(db)).toHaveLength(0);
  });

  it('the schema rejects a field outside the whitelist', () => {
    const s = previewSnapshot(db, '2026-03', '2026-03-31', NOW);
    const leaky = { ...s, tasks: [{ ...s.tasks[0]!, content: 'x' }] };
    expect(snapshotSchema.safeParse(leaky).success).toBe(false);
    expect(snapshotSchema.safeParse({ ...s, internalNote: 'x' }).success).toBe(false);
  });
});

describe('publishMonthEnds and the scheduled rebuild', () => {
  it('publishes each missing month-end once, oldest first', async () => {
    const { publishMonthEnds, monthPeriods } = await import('./publish.ts');
    expect(monthPeriods('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    publishPeriod(db, { period: '2026-02', asOf: '2026-02-28', now: NOW });
    const done = publishMonthEnds(db, { fromPeriod: '2026-01', until: '2026-03-20', now: NOW });
    expect(done.map((r) => [r.period, r.asOf])).toEqual([
      ['2026-01', '2026-01-31'],
      ['2026-03', '2026-03-20'],
    ]);
    expect(listPublications(db)).toHaveLength(3);
  });

  it('checks the cron expression at once', async () => {
    const { startScheduledRebuild } = await import('./index.ts');
    expect(() => startScheduledRebuild('not a cron', { db })).toThrow(/Biểu thức lịch/);
    const job = startScheduledRebuild('0 6 * * *', { db, log: () => {} });
    expect(job.nextRun()).toBeInstanceOf(Date);
    job.stop();
  });
});
