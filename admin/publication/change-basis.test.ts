/**
 * The change basis (change-basis.ts): what the next publication reads of this one equals what it read of the whole
 * stored snapshot, and a publication made from it is byte for byte the one made from the snapshot, also when the
 * basis is missing (published before migration 0019) or damaged.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '../db/open.ts';
import { buildFixtureProvince, FIXTURE_PERIODS } from '../test/fixtures/province.ts';
import { publishPeriod, readSnapshot, readSnapshotText } from './publish.ts';
import { readChangeBasis } from './change-basis.ts';
import { compressSnapshot } from './snapshot-compression.ts';
import { createHash } from 'node:crypto';

const NOW = new Date('2026-04-05T03:00:00Z');
const [FEB, MAR] = FIXTURE_PERIODS;

let db: DB;
beforeEach(() => {
  db = openDatabase(':memory:');
  buildFixtureProvince(db);
});

/** March published after February, in a fresh fixture province where `tamper` first changed February's basis. */
function marchAfter(tamper: (db: DB, febId: number) => void): string {
  const other = openDatabase(':memory:');
  buildFixtureProvince(other);
  const feb = publishPeriod(other, { ...FEB!, now: NOW });
  tamper(other, feb.id);
  const text = readSnapshotText(other, publishPeriod(other, { ...MAR!, now: NOW }).id);
  other.close();
  return text;
}

const withoutTriggers = (d: DB) =>
  d.exec('DROP TRIGGER publication_change_basis_no_update; DROP TRIGGER publication_change_basis_no_delete');

describe('the change basis of a publication', () => {
  it('holds what the change since then reads of the snapshot: period, cut-off day, code, status, extension', () => {
    const feb = publishPeriod(db, { ...FEB!, now: NOW });
    const stored = readSnapshot(db, feb.id);
    const basis = readChangeBasis(db, feb.id);
    expect(basis).toEqual({
      header: { period: stored.period, asOf: stored.asOf },
      tasks: stored.tasks.map((t) => ({ code: t.code, status: t.status, extendedDeadline: t.extendedDeadline })),
    });
    expect(basis!.tasks.length).toBeGreaterThan(0);
  });

  it('gives the next publication byte for byte, whether it is there, missing or damaged', () => {
    const febId = publishPeriod(db, { ...FEB!, now: NOW }).id;
    const march = readSnapshotText(db, publishPeriod(db, { ...MAR!, now: NOW }).id);
    // the change section is there and not empty, so the basis was read for something
    const change = (JSON.parse(march) as { change: { previousPeriod: string; newlyCompleted: unknown[] } }).change;
    expect(change.previousPeriod).toBe(FEB!.period);
    expect(readChangeBasis(db, febId)).not.toBeNull();
    // published before migration 0019: no basis, the snapshot is read
    expect(
      marchAfter((d, id) => {
        withoutTriggers(d);
        d.prepare('DELETE FROM publication_change_basis WHERE publication_id = ?').run(id);
        expect(readChangeBasis(d, id)).toBeNull();
      }),
    ).toBe(march);
    // damaged: its text no longer matches its SHA-256, so it is not used
    expect(
      marchAfter((d, id) => {
        withoutTriggers(d);
        d.prepare(
          "UPDATE publication_change_basis SET sha256 = replace(sha256, substr(sha256, 1, 1), 'x') WHERE publication_id = ?",
        ).run(id);
        expect(readChangeBasis(d, id)).toBeNull();
      }),
    ).toBe(march);
  });

  it('is what the next publication reads (a basis saying every task was done leaves nothing newly completed)', () => {
    const march = JSON.parse(
      marchAfter((d, id) => {
        const basis = readChangeBasis(d, id)!;
        const text = JSON.stringify({
          ...basis.header,
          tasks: basis.tasks.map((t) => [t.code, 'completedOnTime', t.extendedDeadline]),
        });
        const bytes = Buffer.from(text, 'utf8');
        withoutTriggers(d);
        d.prepare('UPDATE publication_change_basis SET sha256 = ?, basis = ? WHERE publication_id = ?').run(
          createHash('sha256').update(bytes).digest('hex'),
          compressSnapshot(bytes),
          id,
        );
      }),
    ) as { change: { newlyCompleted: unknown[] } };
    publishPeriod(db, { ...FEB!, now: NOW });
    const honest = readSnapshot(db, publishPeriod(db, { ...MAR!, now: NOW }).id);
    expect(honest.change!.newlyCompleted.length).toBeGreaterThan(0);
    expect(march.change.newlyCompleted).toEqual([]);
  });

  it('cannot be changed or deleted, like the publication itself', () => {
    const id = publishPeriod(db, { ...FEB!, now: NOW }).id;
    expect(() =>
      db.prepare("UPDATE publication_change_basis SET sha256 = 'x' WHERE publication_id = ?").run(id),
    ).toThrow(/immutable/);
    expect(() => db.prepare('DELETE FROM publication_change_basis WHERE publication_id = ?').run(id)).toThrow(
      /immutable/,
    );
  });
});
