/**
 * Reorganisations that change figures already published (issue 12, "Merge with a past date"): published snapshots
 * never change (DESIGN.md §4), so when a merger is dated on or before the cutoff of a published period, a note is
 * kept here and the next publication says so ("Số liệu điều chỉnh do sắp xếp tổ chức: …", publish.ts). The note
 * goes into the snapshot's existing note field (the revision note, đính chính): no schema version change.
 *
 * Minimal by design: it says that figures for periods from D on would now differ, not by how much.
 */
import type { DB } from '../db/open.ts';

export interface ReorganisationNote {
  id: number;
  text: string;
}

export const REORGANISATION_NOTE_PREFIX = 'Số liệu điều chỉnh do sắp xếp tổ chức';

/** In the merger's transaction: keeps a note when `on` falls on or before the latest published cutoff. */
export function recordReorganisationNote(
  db: DB,
  input: { agencyId: number; on: string; text: string; at: Date },
): boolean {
  const lastCutoff = db.prepare('SELECT max(as_of) FROM publications').pluck().get() as string | null;
  if (lastCutoff === null || input.on > lastCutoff) return false;
  db.prepare('INSERT INTO reorganisation_notes (agency_id, effective_on, text, recorded_at) VALUES (?, ?, ?, ?)').run(
    input.agencyId,
    input.on,
    input.text,
    input.at.toISOString(),
  );
  return true;
}

/** Notes not yet carried by a publication, oldest first. */
export function pendingReorganisationNotes(db: DB): ReorganisationNote[] {
  return db
    .prepare('SELECT id, text FROM reorganisation_notes WHERE published_in IS NULL ORDER BY effective_on, id')
    .all() as ReorganisationNote[];
}

/** The sentence the publication carries, or '' without pending notes. */
export function reorganisationNoteText(notes: readonly ReorganisationNote[]): string {
  if (notes.length === 0) return '';
  return `${REORGANISATION_NOTE_PREFIX}: ${notes.map((n) => n.text).join('; ')}. Các kỳ đã công bố giữ nguyên.`;
}

/** In the publication's insert transaction: the notes are carried by publication `publicationId`. */
export function markReorganisationNotesPublished(db: DB, ids: readonly number[], publicationId: number): void {
  const mark = db.prepare('UPDATE reorganisation_notes SET published_in = ? WHERE id = ? AND published_in IS NULL');
  for (const id of ids) mark.run(publicationId, id);
}
