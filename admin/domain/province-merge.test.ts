/**
 * Province merger round trip (issue 12, "Tests"): two generated one-year provinces with the same agency codes; the
 * former one is merged with a prefix and a map. Its counts, events and file hashes are equal before and after (read
 * back by the prefix), its publications' hashes are unchanged, this province's statistics before the merger day are
 * unchanged, open tasks of mapped agencies moved on the merger day, and a dry run writes nothing.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { decompressSnapshot } from '../publication/snapshot-compression.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '../db/open.ts';
import { computeStats } from './stats.ts';
import { mergeProvince, type MergeProvinceResult } from './province-merge.ts';
import { dumpHash, makeProvincePair, MERGER_DAY, type ProvincePair } from '../test/support/province-pair.ts';

const TODAY = '2026-12-01';
const LAST_DAY = '2025-06-30';

/**
 * The former province's tasks and events (before the merger day) in a form independent of ids: agency and task codes
 * instead of ids. The lead agency is left out here (moved tasks change it on the merger day); attribution before that
 * day is checked through the per-agency statistics.
 */
function history(db: DB, prefix: string) {
  const strip = (c: string | null) => (c && prefix && c.startsWith(`${prefix}-`) ? c.slice(prefix.length + 1) : c);
  const codeOf = new Map(
    (db.prepare('SELECT id, code FROM agencies').all() as Array<{ id: number; code: string }>).map((a) => [
      a.id,
      strip(a.code),
    ]),
  );
  const like = prefix ? `${prefix}-%` : '%';
  const tasks = (
    db
      .prepare(
        `SELECT t.code, t.title, t.assigned_on, t.deadline, t.settled_on, t.settled_category, t.completed_on, d.number, d.issued_on, l.name AS leader
         FROM tasks t LEFT JOIN documents d ON d.id = t.document_id
         LEFT JOIN leaders l ON l.id = t.leader_id WHERE t.code LIKE ? ORDER BY t.code`,
      )
      .all(like) as Array<Record<string, string | null>>
  ).map((t) => ({
    ...t,
    code: strip(t.code ?? null),
    number: prefix ? (t.number?.replace(` [${prefix}]`, '') ?? null) : t.number,
  }));
  const events = (
    db
      .prepare(
        `SELECT t.code, e.kind, e.occurred_on, e.recorded_at, e.note, e.public, e.data, a.code AS agency, u.display_name AS actor,
           (SELECT group_concat(f.sha256) FROM event_files ef JOIN files f ON f.id = ef.file_id WHERE ef.event_id = e.id) AS files
         FROM task_events e JOIN tasks t ON t.id = e.task_id LEFT JOIN agencies a ON a.id = e.agency_id
         LEFT JOIN users u ON u.id = e.actor_user_id
         WHERE t.code LIKE ? AND e.occurred_on < ? ORDER BY t.code, e.occurred_on, e.recorded_at, e.kind`,
      )
      .all(like, MERGER_DAY) as Array<Record<string, string | number | null>>
  ).map((e) => {
    const data = JSON.parse(String(e.data)) as Record<string, unknown>;
    for (const k of ['toAgencyId', 'fromAgencyId'])
      if (typeof data[k] === 'number') data[k] = codeOf.get(data[k] as number);
    return { ...e, code: strip(String(e.code)), agency: strip(e.agency as string | null), data };
  });
  const names = (
    db
      .prepare(
        `SELECT a.code, n.name, n.valid_from FROM agency_names n JOIN agencies a ON a.id = n.agency_id
         WHERE a.code LIKE ? ORDER BY a.code, n.valid_from`,
      )
      .all(like) as Array<{ code: string; name: string; valid_from: string }>
  ).map((n) => ({ ...n, code: strip(n.code) }));
  return { tasks, events, names };
}

/** Per-agency counts as of a day, keyed by agency code without the prefix. */
function statsByCode(db: DB, asOf: string, prefix: string, importedOnly = false) {
  const out: Record<string, unknown> = {};
  for (const a of computeStats(db, asOf).agencies) {
    const imported = prefix !== '' && a.code.startsWith(`${prefix}-`);
    if (importedOnly ? !imported : imported) continue;
    const { agencyId: _, ...rest } = a;
    out[imported ? a.code.slice(prefix.length + 1) : a.code] = { ...rest, code: undefined };
  }
  return out;
}

describe('province merger round trip', () => {
  let pair: ProvincePair;
  let result: MergeProvinceResult;
  const before: Record<string, unknown> = {};

  beforeAll(() => {
    pair = makeProvincePair();
    const other = openDatabase(pair.otherPath, { readonly: true, migrate: false });
    before.history = history(other, '');
    before.stats = statsByCode(other, LAST_DAY, '');
    before.publications = other.prepare('SELECT period, revision, sha256, json_gz FROM publications').all();
    before.files = (
      other.prepare('SELECT storage_name, sha256 FROM files ORDER BY id').all() as Array<{
        sha256: string;
      }>
    ).map((f) => f.sha256);
    other.close();
    const mine = openDatabase(pair.thisPath);
    before.own = [LAST_DAY, '2025-03-31'].map((d) => statsByCode(mine, d, 'BD'));
    before.ownTasks = (mine.prepare('SELECT count(*) AS n FROM tasks').get() as { n: number }).n;
    mine.close();
    before.otherDump = dumpHash(pair.otherPath);
  });
  afterAll(() => rmSync(pair.dir, { recursive: true, force: true }));

  const run = (dryRun: boolean) => {
    const db = openDatabase(pair.thisPath);
    try {
      return mergeProvince(
        { db, dbPath: pair.thisPath, uploadDir: pair.thisUploads },
        { fromPath: pair.otherPath, prefix: 'BD', on: MERGER_DAY, mapText: pair.mapText, mapName: 'map.csv' },
        { dryRun, today: TODAY, now: new Date('2026-12-01T03:00:00Z') },
      );
    } finally {
      db.close();
    }
  };

  it('a dry run writes nothing and shows the expected counts', () => {
    const dump = dumpHash(pair.thisPath);
    const dry = run(true);
    expect(dumpHash(pair.thisPath)).toBe(dump);
    expect(existsSync(pair.thisUploads) ? readdirSync(pair.thisUploads) : []).toEqual([]);
    const tasks = dry.rows.find((r) => r.label === 'Nhiệm vụ')!;
    expect(tasks.after).toBe(tasks.before + tasks.former);
    expect(dry.plan.openTasksMoved).toBeGreaterThan(0);
  });

  it('merges: counts, events, files and publications of the former province are equal before and after', () => {
    result = run(false);
    expect(result.rows.filter((r) => !r.ok)).toEqual([]);
    const db = openDatabase(pair.thisPath);
    try {
      const after = history(db, 'BD');
      expect(after.names).toHaveLength(2);
      expect(after).toEqual(before.history);
      // a number this province used on the same day is marked, the others kept as they were
      expect(result.plan.documentCollisions.length).toBeGreaterThan(0);
      expect(db.prepare("SELECT count(*) AS n FROM documents WHERE number LIKE '% [BD]'").get()).toEqual({
        n: result.plan.documentCollisions.length,
      });
      // re-pointed agency ids stay whole numbers in the JSON columns ("118", not "118.0")
      expect(
        db
          .prepare(
            `SELECT (SELECT count(*) FROM tasks WHERE code LIKE 'BD-%' AND agency_history LIKE '%.0,%') +
               (SELECT count(*) FROM task_events WHERE kind = 'reassigned' AND data LIKE '%.0,%')`,
          )
          .pluck()
          .get(),
      ).toBe(0);
      expect(
        db.prepare("SELECT count(*) FROM tasks WHERE code LIKE 'BD-%' AND agency_history LIKE '%,%,%'").pluck().get(),
      ).toBeGreaterThan(0);
      // the former province's statistics as of its last day are its own, agency by agency (historical units)
      expect(statsByCode(db, LAST_DAY, 'BD', true)).toEqual(before.stats);
      // this province's statistics before the merger day are unchanged
      expect([LAST_DAY, '2025-03-31'].map((d) => statsByCode(db, d, 'BD'))).toEqual(before.own);
      // file bytes in this province's upload folder hash as recorded
      const files = db
        .prepare(
          "SELECT f.storage_name, f.sha256 FROM files f JOIN former_province_rows r ON r.kind = 'file' AND r.row_id = f.id ORDER BY r.source_id",
        )
        .all() as Array<{ storage_name: string; sha256: string }>;
      expect(files.map((f) => f.sha256)).toEqual(before.files);
      for (const f of files)
        expect(
          createHash('sha256')
            .update(readFileSync(join(pair.thisUploads, f.storage_name)))
            .digest('hex'),
        ).toBe(f.sha256);
      expect(readdirSync(pair.thisUploads).filter((n) => n.startsWith('.'))).toEqual([]);
      const pubs = db
        .prepare('SELECT period, revision, sha256, json_gz FROM former_publications ORDER BY id')
        .all() as Array<{ sha256: string; json_gz: Buffer }>;
      expect(pubs).toHaveLength(2);
      expect(pubs).toEqual(before.publications);
      for (const p of pubs)
        expect(createHash('sha256').update(decompressSnapshot(p.json_gz)).digest('hex')).toBe(p.sha256);
      expect((db.prepare('SELECT count(*) AS n FROM publications').get() as { n: number }).n).toBe(0);
      // open tasks of the mapped STC moved to this STC on the merger day; the former unit is marked merged
      const moved = db
        .prepare(
          `SELECT t.code, a.code AS lead, e.occurred_on FROM tasks t JOIN agencies a ON a.id = t.lead_agency_id
           JOIN task_events e ON e.task_id = t.id AND e.kind = 'reassigned' AND e.occurred_on = ?
           WHERE t.code LIKE 'BD-%'`,
        )
        .all(MERGER_DAY) as Array<{ lead: string }>;
      expect(moved.length).toBe(result.tasksMoved);
      expect(new Set(moved.map((m) => m.lead))).toEqual(new Set(['STC', 'SXD', 'SNV']));
      const bdStc = db
        .prepare(
          "SELECT s.code, a.merged_on FROM agencies a JOIN agencies s ON s.id = a.successor_id WHERE a.code = 'BD-STC'",
        )
        .get();
      expect(bdStc).toEqual({ code: 'STC', merged_on: MERGER_DAY });
      // leaders kept as the former province's (not offered for new tasks), accounts locked
      expect(
        db
          .prepare(
            "SELECT count(*) AS n FROM leaders l JOIN former_province_rows r ON r.kind = 'leader' AND r.row_id = l.id WHERE l.active = 1",
          )
          .get(),
      ).toEqual({ n: 0 });
      expect(db.prepare("SELECT disabled FROM users WHERE username = 'bd.tc.daumoi'").get()).toEqual({ disabled: 1 });
      expect(db.prepare('SELECT name, prefix, last_day FROM former_provinces').get()).toEqual({
        name: 'Tỉnh Lam Sơn',
        prefix: 'BD',
        last_day: LAST_DAY,
      });
    } finally {
      db.close();
    }
    // the former province's database is untouched
    expect(dumpHash(pair.otherPath)).toBe(before.otherDump);
  });
});
