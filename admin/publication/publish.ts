/**
 * Freezing a period: validate the input, compute the snapshot, store it immutably with its SHA-256
 * (DESIGN.md §4: "published numbers never change afterwards; a correction is a new revision with a visible note").
 */
import { createHash } from 'node:crypto';
import { ZodError, z } from 'zod';
import type { DB } from '../db/open.ts';
import { dataGeneration } from '../db/data-generation.ts';
import { isIsoDate, today, formatDateVi } from '../domain/dates.ts';
import { buildSnapshot, headerOf } from './snapshot.ts';
import { compressSnapshot, decompressSnapshot } from './snapshot-compression.ts';
import { type ChangeBasis, readChangeBasis, writeChangeBasis } from './change-basis.ts';
import {
  describeSchemaError,
  previousTaskSchema,
  storedSnapshotHeaderSchema,
  storedSnapshotSchema,
  type Snapshot,
  type StoredSnapshot,
  type StoredSnapshotHeader,
} from './schema.ts';
import {
  markReorganisationNotesPublished,
  pendingReorganisationNotes,
  reorganisationNoteText,
} from '../domain/reorganisation-notes.ts';

/** An input the office lead must fix; the message is Vietnamese and shown as is. */
export class PublishError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PublishError';
  }
}

export interface PublicationRow {
  id: number;
  period: string;
  revision: number;
  as_of: string;
  note: string;
  created_by: number | null;
  created_at: string;
  task_count: number;
  sha256: string;
}

const ROW_COLUMNS = 'id, period, revision, as_of, note, created_by, created_at, task_count, sha256';

/** The hex SHA-256 of a text (as UTF-8) or of bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function checkInput(period: string, asOf: string, now: Date): void {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) {
    throw new PublishError(`Kỳ công bố "${period}" không hợp lệ; nhập theo dạng YYYY-MM, ví dụ 2026-03.`);
  }
  if (!isIsoDate(asOf)) {
    throw new PublishError(`Ngày chốt số liệu "${asOf}" không hợp lệ; nhập theo dạng YYYY-MM-DD, ví dụ 2026-03-31.`);
  }
  if (asOf < `${period}-01`) {
    throw new PublishError(
      `Ngày chốt số liệu ${formatDateVi(asOf)} nằm trước kỳ ${period}; ngày chốt phải từ ngày đầu kỳ trở đi.`,
    );
  }
  if (asOf > today(now)) {
    throw new PublishError(`Ngày chốt số liệu ${formatDateVi(asOf)} ở tương lai; chỉ công bố số liệu đã có.`);
  }
}

export function latestRevision(db: DB, period: string): PublicationRow | undefined {
  return db
    .prepare(`SELECT ${ROW_COLUMNS} FROM publications WHERE period = ? ORDER BY revision DESC LIMIT 1`)
    .get(period) as PublicationRow | undefined;
}

/** Latest revision of the closest published period before `period`. */
function previousPublication(db: DB, period: string): PublicationRow | undefined {
  return db
    .prepare(`SELECT ${ROW_COLUMNS} FROM publications WHERE period < ? ORDER BY period DESC, revision DESC LIMIT 1`)
    .get(period) as PublicationRow | undefined;
}

/**
 * What the change since the previous publication needs of it: its header and its tasks' code, status and extension.
 * Its text is checked against its SHA-256, so it is what passed the schema when it was published; checking all of
 * it again (≈ 30 MB on ten years) was a sixth of a publication's time, so only what is read is checked.
 */
function previousSnapshot(db: DB, id: number): ChangeBasis {
  // kept apart since migration 0019 (change-basis.ts): ≈ 1 MB instead of the whole snapshot
  const basis = readChangeBasis(db, id);
  if (basis) return basis;
  const { tasks, ...header } = JSON.parse(readSnapshotText(db, id)) as { tasks: unknown };
  return { header: storedSnapshotHeaderSchema.parse(header), tasks: z.array(previousTaskSchema).parse(tasks) };
}

function snapshotInput(db: DB, period: string, asOf: string, revision: number, note: string, now: Date) {
  const prevRow = previousPublication(db, period);
  return {
    period,
    asOf,
    revision,
    note,
    publishedAt: now.toISOString(),
    previous: prevRow ? previousSnapshot(db, prevRow.id) : null,
  };
}

/**
 * A preview and the data generation it was computed at (db/data-generation.ts: it moves with every row written
 * anywhere but in the tables that only record who did what, on any connection). The same generation means the
 * same rows, so the same snapshot: a publication of the same period and cutoff may take it over.
 */
export interface ComputedPreview {
  snapshot: Snapshot;
  generation: number;
}

/** What would be published (nothing is written), computed in one read transaction, with that state. */
export function computePreview(db: DB, period: string, asOf: string, now: Date = new Date()): ComputedPreview {
  checkInput(period, asOf, now);
  const run = (): ComputedPreview => {
    const revision = (latestRevision(db, period)?.revision ?? 0) + 1;
    const generation = dataGeneration(db); // after the first read: the transaction's view is fixed
    const reorganised = reorganisationNoteText(pendingReorganisationNotes(db));
    return { snapshot: buildSnapshot(db, snapshotInput(db, period, asOf, revision, reorganised, now)), generation };
  };
  return db.inTransaction ? run() : db.transaction(run)();
}

/** What would be published (nothing is written): the office lead's preview. */
export function previewSnapshot(db: DB, period: string, asOf: string, now: Date = new Date()): Snapshot {
  return computePreview(db, period, asOf, now).snapshot;
}

export interface PublishInput {
  period: string;
  asOf: string;
  note?: string | null;
  userId?: number | null;
  now?: Date;
  /** runs inside the short insert transaction (the admin page writes its audit row here, so both commit together) */
  afterInsert?: (result: PublishResult) => void;
  /**
   * The office lead's preview of the same period and cutoff, on this connection: taken over (with this
   * publication's note and time) when its data generation is still the database's, instead of computing the same
   * snapshot again. It must not have been changed by its holder.
   */
  preview?: ComputedPreview;
}

export interface PublishResult {
  id: number;
  period: string;
  revision: number;
  asOf: string;
  sha256: string;
  taskCount: number;
  bytes: number;
  /** the snapshot was the preview's, taken over (nothing it reads had been written since) */
  fromPreview: boolean;
}

/**
 * Publishes a period. A first publication needs no note; publishing the same period again creates revision n+1
 * and requires a correction note. Everything is checked before anything is written. The snapshot (seconds of work
 * on ten years of data) is computed in a read transaction, so other users keep writing meanwhile; the insert then
 * runs in a short immediate transaction that re-checks the revision, so two publishers cannot collide.
 */
export function publishPeriod(db: DB, input: PublishInput): PublishResult {
  const now = input.now ?? new Date();
  const note = (input.note ?? '').trim();
  checkInput(input.period, input.asOf, now);
  if (note.length > 2000) throw new PublishError('Ghi chú đính chính quá dài (tối đa 2000 ký tự).');
  let notes: ReturnType<typeof pendingReorganisationNotes> = [];
  let fromPreview = false;
  const compute = () => {
    const existing = latestRevision(db, input.period);
    if (existing && note === '') {
      throw new PublishError(
        `Kỳ ${input.period} đã được công bố (bản ${existing.revision}, chốt ngày ${formatDateVi(existing.as_of)}). ` +
          'Công bố lại là một bản đính chính: cần ghi rõ nội dung đính chính (--note "…").',
      );
    }
    const revision = (existing?.revision ?? 0) + 1;
    // a merger recorded late for a published period: the revision note says the figures were adjusted (issue 12)
    notes = pendingReorganisationNotes(db);
    const full = [note, reorganisationNoteText(notes)].filter((s) => s !== '').join(' ');
    const kept = input.preview?.snapshot;
    if (
      kept &&
      input.preview?.generation === dataGeneration(db) &&
      kept.period === input.period &&
      kept.asOf === input.asOf &&
      kept.revision === revision
    ) {
      // the rows are those the preview read: only the header's note and time are this publication's
      fromPreview = true;
      return { ...kept, note: full, publishedAt: now.toISOString() };
    }
    try {
      return buildSnapshot(db, snapshotInput(db, input.period, input.asOf, revision, full, now));
    } catch (err) {
      if (err instanceof ZodError) throw new PublishError(describeSchemaError(err));
      throw err;
    }
  };
  // one consistent view of the data (a deferred transaction only reads)
  const snapshot = db.inTransaction ? compute() : db.transaction(compute)();
  // the text as UTF-8 once (≈ 29 MB on ten years): hashed, measured and compressed from the same bytes
  const bytes = Buffer.from(JSON.stringify(snapshot), 'utf8');
  const sha = sha256Hex(bytes);
  const gz = compressSnapshot(bytes);
  const insert = () => {
    const current = latestRevision(db, input.period)?.revision ?? 0;
    if (current !== snapshot.revision - 1) {
      throw new PublishError(
        `Kỳ ${input.period} vừa được công bố bởi người khác (bản ${current}); hãy xem lại rồi thử lại.`,
      );
    }
    const info = db
      .prepare(
        `INSERT INTO publications (period, revision, as_of, note, created_by, task_count, sha256, summary, json_gz)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.period,
        snapshot.revision,
        input.asOf,
        snapshot.note,
        input.userId ?? null,
        snapshot.tasks.length,
        sha,
        JSON.stringify(headerOf(snapshot)),
        gz,
      );
    const result: PublishResult = {
      id: Number(info.lastInsertRowid),
      period: input.period,
      revision: snapshot.revision,
      asOf: input.asOf,
      sha256: sha,
      taskCount: snapshot.tasks.length,
      bytes: bytes.length,
      fromPreview,
    };
    writeChangeBasis(db, result.id, snapshot);
    markReorganisationNotesPublished(
      db,
      notes.map((n) => n.id),
      result.id,
    );
    input.afterInsert?.(result);
    return result;
  };
  return db.inTransaction ? insert() : db.transaction(insert).immediate();
}

/** Every publication (all revisions), newest period first. */
export function listPublications(db: DB): PublicationRow[] {
  return db
    .prepare(`SELECT ${ROW_COLUMNS} FROM publications ORDER BY period DESC, revision DESC`)
    .all() as PublicationRow[];
}

/** The exact stored JSON text of a publication, checked against its SHA-256. */
export function readSnapshotText(db: DB, id: number): string {
  const row = db.prepare('SELECT sha256, json_gz FROM publications WHERE id = ?').get(id) as
    | { sha256: string; json_gz: Buffer }
    | undefined;
  if (!row) throw new PublishError(`Không tìm thấy bản công bố số ${id}.`);
  const raw = decompressSnapshot(row.json_gz);
  // the hash of the bytes as stored: the same as of their text, without encoding it again
  if (sha256Hex(raw) !== row.sha256) {
    throw new Error(`Bản công bố số ${id} không khớp mã băm SHA-256 đã lưu: dữ liệu đã bị hỏng.`);
  }
  return raw.toString('utf8');
}

/** A stored snapshot of any schema version (published snapshots never change; version 1 stays readable). */
export function readSnapshot(db: DB, id: number): StoredSnapshot {
  return storedSnapshotSchema.parse(JSON.parse(readSnapshotText(db, id)));
}

export function readSummary(db: DB, id: number): StoredSnapshotHeader {
  const row = db.prepare('SELECT summary FROM publications WHERE id = ?').get(id) as { summary: string } | undefined;
  if (!row) throw new PublishError(`Không tìm thấy bản công bố số ${id}.`);
  return JSON.parse(row.summary) as StoredSnapshotHeader;
}

/** Last day of each month from `fromPeriod` to `toPeriod` inclusive ('YYYY-MM'). */
export function monthPeriods(fromPeriod: string, toPeriod: string): string[] {
  const out: string[] = [];
  let [y, m] = fromPeriod.split('-').map(Number) as [number, number];
  for (;;) {
    const p = `${y}-${String(m).padStart(2, '0')}`;
    if (p > toPeriod) break;
    out.push(p);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/**
 * Publishes every month (cutoff = its last day, or `until` for a month still running) that is not published yet,
 * oldest first: what `npm run demo` and the benchmark use to give the site its history.
 */
export function publishMonthEnds(
  db: DB,
  options: { fromPeriod: string; until: string; now?: Date; onProgress?: (r: PublishResult) => void },
): PublishResult[] {
  const results: PublishResult[] = [];
  for (const period of monthPeriods(options.fromPeriod, options.until.slice(0, 7))) {
    if (latestRevision(db, period)) continue;
    const last = new Date(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5, 7)), 0))
      .toISOString()
      .slice(0, 10);
    const asOf = last < options.until ? last : options.until;
    const r = publishPeriod(db, { period, asOf, now: options.now });
    options.onProgress?.(r);
    results.push(r);
  }
  return results;
}
