/**
 * Uploaded files (issue 4 "Files"): checked by content, stored outside any served folder under a random name,
 * recorded in `files` with their SHA-256 and the original (Vietnamese) name, and never half-written.
 *
 * Two steps, because reading a browser File is asynchronous and better-sqlite3 transactions are synchronous:
 *
 *   const upload = await acceptUpload(file, { kinds, maxBytes });       // checks only; throws UploadError
 *   const pending = new PendingFiles();
 *   try {
 *     db.transaction(() => {
 *       const fileId = storeUpload(deps, upload, { actorUserId, pending });  // temp file → fsync → rename → row
 *       …the caller's other writes, writeAudit…
 *     }).immediate();
 *   } catch (e) {
 *     pending.discard();                                                   // rolled back: remove written files
 *     throw e;
 *   }
 *
 * or simply `runWithUploads(db, (pending) => { … })`, which does exactly that. A refused upload throws before
 * anything is written; a transaction that fails after storeUpload leaves no row (rolled back) and no file
 * (discarded). A crash between the rename and the commit can leave an orphan file with no row; sweepOrphanUploads
 * removes those.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { DB } from '../db/open.ts';
import type { Env } from '../env.ts';
import { DOCUMENT_KINDS, detectFileKind, KIND_INFO, type FileKind } from './detect.ts';

export { FILE_KINDS, IMAGE_KINDS, DOCUMENT_KINDS, KIND_INFO, type FileKind } from './detect.ts';

/** A refused upload: a Vietnamese message for the user, nothing written. */
export class UploadError extends Error {
  override name = 'UploadError';
  readonly code: 'empty' | 'too_large' | 'bad_type' | 'not_a_file';
  constructor(code: UploadError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

export interface AcceptedUpload {
  bytes: Uint8Array;
  kind: FileKind;
  mime: string;
  originalName: string;
  sha256: string;
}

export const MAX_NAME_LENGTH = 180;

/**
 * The user's file name made safe to keep and show: NFC, only the last path component, no control or
 * formatting characters (bidi overrides that disguise "gpj.exe" as "exe.jpg"), no quotes, collapsed spaces,
 * bounded length, and the extension of the detected kind added when the name does not already carry one.
 */
export function sanitizeFileName(name: string, kind: FileKind): string {
  let s = name.normalize('NFC');
  s = s.split(/[\\/]/).pop() ?? '';
  s = s
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/["<>:|?*]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  s = s.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  const exts = KIND_INFO[kind].extensions;
  const hasExt = exts.some((e) => s.toLowerCase().endsWith(e));
  const ext = hasExt ? '' : exts[0]!;
  const base = s.length === 0 ? 'tep-dinh-kem' : s;
  // cut by code points so a Vietnamese letter is never split, keeping the extension
  const room = MAX_NAME_LENGTH - ext.length;
  let out = [...base].length > room ? cutKeepingExtension(base, room, hasExt) : base;
  out = out.trim();
  return out + ext;
}

function cutKeepingExtension(s: string, room: number, hasExt: boolean): string {
  const chars = [...s];
  if (!hasExt) return chars.slice(0, room).join('');
  const dot = s.lastIndexOf('.');
  const ext = [...s.slice(dot)];
  const base = [...s.slice(0, dot)];
  return base.slice(0, Math.max(1, room - ext.length)).join('') + ext.join('');
}

function formatMb(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1).replace('.', ',')} MB`;
}

export function kindsLabel(kinds: readonly FileKind[]): string {
  return [...new Set(kinds.map((k) => KIND_INFO[k].label.replace(/ \(.*\)$/, '')))].join(', ');
}

/**
 * Checks one uploaded file by its content; returns it ready to store, or throws UploadError. Writes nothing.
 * `file` may be anything a form field holds: strings and empty file inputs are refused as "not a file".
 */
export async function acceptUpload(
  file: unknown,
  opts: { kinds?: readonly FileKind[]; maxBytes: number },
): Promise<AcceptedUpload> {
  if (!(file instanceof Blob)) throw new UploadError('not_a_file', 'Không nhận được tệp đính kèm.');
  const kinds = opts.kinds ?? DOCUMENT_KINDS;
  const name = typeof (file as File).name === 'string' ? (file as File).name : '';
  if (file.size === 0) throw new UploadError('empty', `Tệp “${sanitizeShown(name)}” rỗng.`);
  if (file.size > opts.maxBytes) {
    throw new UploadError(
      'too_large',
      `Tệp “${sanitizeShown(name)}” vượt quá dung lượng tối đa ${formatMb(opts.maxBytes)}.`,
    );
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes.length > opts.maxBytes) {
    throw new UploadError(
      'too_large',
      `Tệp “${sanitizeShown(name)}” vượt quá dung lượng tối đa ${formatMb(opts.maxBytes)}.`,
    );
  }
  const kind = detectFileKind(bytes);
  if (kind === null || !kinds.includes(kind)) {
    throw new UploadError(
      'bad_type',
      `Tệp “${sanitizeShown(name)}” không đúng định dạng cho phép (${kindsLabel(kinds)}); hệ thống kiểm tra nội dung tệp, không dựa vào tên tệp.`,
    );
  }
  return {
    bytes,
    kind,
    mime: KIND_INFO[kind].mime,
    originalName: sanitizeFileName(name, kind),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/** A file name safe to put in a message (the message is HTML-escaped by JSX; this only bounds it). */
function sanitizeShown(name: string): string {
  const s =
    name
      .normalize('NFC')
      .replace(/[\p{Cc}\p{Cf}]/gu, '')
      .split(/[\\/]/)
      .pop() ?? '';
  return [...s].length > 80 ? `${[...s].slice(0, 80).join('')}…` : s;
}

/** The form's file inputs with that name that hold a file (an empty <input type=file> sends an empty part). */
export function filesOf(body: Record<string, unknown>, name: string): Blob[] {
  const v = body[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.filter((x): x is Blob => x instanceof Blob && !(x.size === 0 && ((x as File).name ?? '') === ''));
}

/** Files written during a transaction, removed if it does not commit. */
export class PendingFiles {
  private paths: string[] = [];
  add(path: string): void {
    this.paths.push(path);
  }
  /** Removes every file written so far (call when the transaction rolled back). */
  discard(): void {
    for (const p of this.paths) rmSync(p, { force: true });
    this.paths = [];
  }
  /** The transaction committed: the files are kept. */
  commit(): void {
    this.paths = [];
  }
}

export interface UploadDeps {
  db: DB;
  env: Pick<Env, 'uploadDir'>;
}

const STORAGE_NAME_RE = /^[0-9a-f]{32}$/;

/** Absolute path of a stored file; refuses anything but our own generated names. */
export function storedPath(env: Pick<Env, 'uploadDir'>, storageName: string): string {
  if (!STORAGE_NAME_RE.test(storageName)) throw new Error('bad storage name');
  return join(env.uploadDir, storageName);
}

function writeDurably(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, 'wx', 0o640);
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Stores an accepted upload and inserts its `files` row; returns the row id. MUST run inside the caller's
 * (immediate) transaction; the written file is added to `pending` so the caller removes it on rollback.
 */
export function storeUpload(
  deps: UploadDeps,
  upload: AcceptedUpload,
  opts: { actorUserId: number | null; pending: PendingFiles },
): number {
  if (!deps.db.inTransaction) throw new Error('storeUpload must run inside a transaction');
  mkdirSync(deps.env.uploadDir, { recursive: true, mode: 0o750 });
  const storageName = randomBytes(16).toString('hex');
  const finalPath = storedPath(deps.env, storageName);
  const tmpPath = join(deps.env.uploadDir, `.tmp-${storageName}`);
  try {
    writeDurably(tmpPath, upload.bytes);
    renameSync(tmpPath, finalPath);
  } catch (e) {
    rmSync(tmpPath, { force: true });
    throw e;
  }
  opts.pending.add(finalPath);
  const info = deps.db
    .prepare(
      'INSERT INTO files (storage_name, original_name, mime, size, sha256, uploaded_by) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .run(storageName, upload.originalName, upload.mime, upload.bytes.length, upload.sha256, opts.actorUserId);
  return Number(info.lastInsertRowid);
}

/** Runs `fn` in one immediate transaction; files stored through `pending` are removed if it throws. */
export function runWithUploads<T>(db: DB, fn: (pending: PendingFiles) => T): T {
  const pending = new PendingFiles();
  try {
    const out = db.transaction(() => fn(pending)).immediate();
    pending.commit();
    return out;
  } catch (e) {
    pending.discard();
    throw e;
  }
}

export interface FileRow {
  id: number;
  storage_name: string;
  original_name: string;
  mime: string;
  size: number;
  sha256: string;
  uploaded_by: number | null;
  created_at: string;
}

export function getFile(db: DB, id: number): FileRow | undefined {
  return db.prepare('SELECT * FROM files WHERE id = ?').get(id) as FileRow | undefined;
}

/**
 * Removes files in the upload folder that no row names (left by a crash between rename and commit) and stale
 * temporary files, older than `minAgeMs` so a transaction in progress is never touched. Returns how many.
 */
export function sweepOrphanUploads(deps: UploadDeps, now = Date.now(), minAgeMs = 60 * 60_000): number {
  let names: string[];
  try {
    names = readdirSync(deps.env.uploadDir);
  } catch {
    return 0;
  }
  const known = deps.db.prepare('SELECT 1 FROM files WHERE storage_name = ?');
  let removed = 0;
  for (const n of names) {
    const isTmp = n.startsWith('.tmp-');
    if (!isTmp && !STORAGE_NAME_RE.test(n)) continue;
    const p = join(deps.env.uploadDir, n);
    if (now - statSync(p).mtimeMs < minAgeMs) continue;
    if (isTmp || !known.get(n)) {
      rmSync(p, { force: true });
      removed++;
    }
  }
  return removed;
}

// one Content-Disposition for every download: files/disposition.ts (the content-disposition package)
export { asciiFileName, attachmentDisposition as contentDisposition } from './disposition.ts';

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace('.', ',')} MB`;
}
