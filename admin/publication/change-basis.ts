/**
 * What the next period's publication reads of this one (publication_change_basis, migration 0019): the period, the
 * cut-off day and each task's code, status and extended deadline, the only parts of the previous snapshot the
 * change since then uses (snapshot.ts computeChange). Written from the snapshot in its publication's transaction;
 * read instead of the whole stored snapshot, which stays the record. Its text is checked against its SHA-256 and
 * its shape against a schema; a damaged or missing row is answered by null, and the caller reads the snapshot.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { DB } from '../db/open.ts';
import { categorySchema, isoDate, type PreviousTask, type Snapshot } from './schema.ts';
import { compressSnapshot, decompressSnapshot } from './snapshot-compression.ts';

export interface ChangeBasis {
  header: { period: string; asOf: string };
  tasks: PreviousTask[];
}

const basisSchema = z.strictObject({
  period: z.string(),
  asOf: isoDate,
  // [code, status, extended deadline]: a third of the size of objects, on 32,000 tasks
  tasks: z.array(z.tuple([z.string(), categorySchema, isoDate.nullable()])),
});

/** Keeps the change basis of publication `publicationId`, made from its snapshot (inside its transaction). */
export function writeChangeBasis(db: DB, publicationId: number, snapshot: Snapshot): void {
  const text = JSON.stringify({
    period: snapshot.period,
    asOf: snapshot.asOf,
    tasks: snapshot.tasks.map((t) => [t.code, t.status, t.extendedDeadline]),
  });
  const bytes = Buffer.from(text, 'utf8');
  db.prepare('INSERT INTO publication_change_basis (publication_id, sha256, basis) VALUES (?, ?, ?)').run(
    publicationId,
    createHash('sha256').update(bytes).digest('hex'),
    compressSnapshot(bytes),
  );
}

/** The change basis of a publication, or null when it has none or it does not check out. */
export function readChangeBasis(db: DB, publicationId: number): ChangeBasis | null {
  const row = db
    .prepare('SELECT sha256, basis FROM publication_change_basis WHERE publication_id = ?')
    .get(publicationId) as { sha256: string; basis: Buffer } | undefined;
  if (!row) return null;
  try {
    const bytes = decompressSnapshot(row.basis);
    if (createHash('sha256').update(bytes).digest('hex') !== row.sha256) return null;
    const parsed = basisSchema.safeParse(JSON.parse(bytes.toString('utf8')));
    if (!parsed.success) return null;
    const { period, asOf, tasks } = parsed.data;
    return {
      header: { period, asOf },
      tasks: tasks.map(([code, status, extendedDeadline]) => ({ code, status, extendedDeadline })),
    };
  } catch {
    return null;
  }
}
