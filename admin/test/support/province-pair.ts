/**
 * Two small generated provinces on disk for the province-merger tests (issue 12): "this" province (one year to
 * 31/12/2025) and a former one (one year to 30/06/2025, another seed), with the same demo agency codes, so the map
 * matters. The former one gets stored files attached to events and to a document, users acting on events, and two
 * real publications, so the round trip covers every kind of row.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DB } from '../../db/open.ts';
import { generateProvince } from '../../demo/generate.ts';
import { publishPeriod } from '../../publication/publish.ts';

export const MERGER_DAY = '2025-07-01';

export interface ProvincePair {
  dir: string;
  thisPath: string;
  otherPath: string;
  otherUploads: string;
  thisUploads: string;
  mapPath: string;
  mapText: string;
}

/** The bytes of a stored file: random, so every file's hash differs. */
function addFile(db: DB, uploads: string, name: string, userId: number | null): number {
  const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(200)]);
  const storage = randomBytes(16).toString('hex');
  writeFileSync(join(uploads, storage), bytes);
  const sha = createHash('sha256').update(bytes).digest('hex');
  return Number(
    db
      .prepare(
        'INSERT INTO files (storage_name, original_name, mime, size, sha256, uploaded_by) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(storage, name, 'application/pdf', bytes.length, sha, userId).lastInsertRowid,
  );
}

export function makeProvincePair(): ProvincePair {
  const dir = mkdtempSync(join(tmpdir(), 'tdnv-province-'));
  const thisPath = join(dir, 'this', 'app.db');
  const otherPath = join(dir, 'other', 'app.db');
  const otherUploads = join(dir, 'other', 'uploads');
  const thisUploads = join(dir, 'this', 'uploads');
  mkdirSync(otherUploads, { recursive: true });
  const mine = openDatabase(thisPath);
  generateProvince(mine, { years: 1, seed: 'this', endDate: '2025-12-31', now: new Date('2026-01-01T00:00:00Z') });
  mine.close();

  const other = openDatabase(otherPath);
  generateProvince(other, { years: 1, seed: 'other', endDate: '2025-06-30', now: new Date('2025-07-01T00:00:00Z') });
  other.transaction(() => {
    const agency = other.prepare("SELECT id FROM agencies WHERE code = 'STC'").get() as { id: number };
    const userId = Number(
      other
        .prepare(
          "INSERT INTO users (username, display_name, role, agency_id, password_hash) VALUES ('tc.daumoi', 'Đầu mối Sở Tài chính', 'agency', ?, 'x')",
        )
        .run(agency.id).lastInsertRowid,
    );
    // a name history (migration 0013): the unit was renamed during the year
    const named = other.prepare('INSERT INTO agency_names (agency_id, name, valid_from) VALUES (?, ?, ?)');
    named.run(agency.id, 'Sở Tài chính (tên cũ)', '2024-07-01');
    named.run(agency.id, 'Sở Tài chính', '2025-01-01');
    const reported = other
      .prepare("SELECT id FROM task_events WHERE kind = 'reported' ORDER BY id LIMIT 3")
      .all() as Array<{ id: number }>;
    for (const [i, e] of reported.entries()) {
      const fileId = addFile(other, otherUploads, `Báo cáo kết quả ${i + 1}.pdf`, userId);
      other.prepare('INSERT INTO event_files (event_id, file_id) VALUES (?, ?)').run(e.id, fileId);
    }
    const docFile = addFile(other, otherUploads, 'Văn bản chỉ đạo.pdf', null);
    other.prepare('UPDATE documents SET file_id = ?, created_by = ? WHERE id = 1').run(docFile, userId);
  })();
  // two real publications of the former province (frozen snapshots with their hashes)
  publishPeriod(other, { period: '2025-04', asOf: '2025-04-30', now: new Date('2025-05-05T03:00:00Z') });
  publishPeriod(other, { period: '2025-05', asOf: '2025-05-31', now: new Date('2025-06-05T03:00:00Z') });
  other.pragma('wal_checkpoint(TRUNCATE)');
  other.close();

  // three departments continue here under the same code; the former STC's open tasks move to this STC
  const mapText = 'other_code,this_code\nSTC,STC\nSXD,SXD\nSNV,SNV\n';
  const mapPath = join(dir, 'map.csv');
  writeFileSync(mapPath, mapText);
  return { dir, thisPath, otherPath, otherUploads, thisUploads, mapPath, mapText };
}

/** Every table's rows in order, hashed: equal dumps mean nothing was written. */
export function dumpHash(path: string): string {
  const db = openDatabase(path, { readonly: true, migrate: false });
  const h = createHash('sha256');
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as Array<{ name: string }>;
  for (const t of tables) {
    h.update(t.name);
    const rows = (db.prepare(`SELECT * FROM "${t.name}"`).raw().all() as unknown[]).map((r) => JSON.stringify(r));
    for (const r of rows.sort()) h.update(r);
  }
  h.update(String(db.pragma('user_version', { simple: true })));
  db.close();
  return h.digest('hex');
}
