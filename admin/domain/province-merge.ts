/**
 * Province merger (issue 12; DESIGN.md §1 "whole provinces' histories are joined"): another province's whole
 * database of this product brought into this one, with nothing lost and nothing half-done.
 *
 *   attach the other database read-only ─▶ plan + refusals (province-merge-preview.ts)
 *     ─▶ check and copy its upload files into a temporary folder (hash and size checked against `files`)
 *     ─▶ one immediate transaction here: copy (province-merge-copy.ts), verify the side-by-side counts
 *        (province-merge-checks.ts), audit row, rename the files into the upload folder ─▶ commit
 *
 * A dry run stops after the plan and the file check, and writes nothing. A failure anywhere rolls the transaction
 * back and removes every file it placed; the other database is only ever opened read-only.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { writeAudit } from '../audit/audit.ts';
import type { DB } from '../db/open.ts';
import type { IsoDate } from './dates.ts';
import { checkNothingLost, sideBySide, tally, type SideBySideRow } from './province-merge-checks.ts';
import { copyProvince } from './province-merge-copy.ts';
import { ProvinceMergeError, type ProvinceMergeOptions } from './province-merge-input.ts';
import { attachSource, planProvinceMerge, type ProvincePlan } from './province-merge-preview.ts';

export { ProvinceMergeError } from './province-merge-input.ts';

export interface MergeProvinceDeps {
  db: DB;
  /** the target's file path (to refuse merging a database into itself) */
  dbPath: string;
  uploadDir: string;
}

export interface MergeProvinceRun {
  dryRun: boolean;
  today: IsoDate;
  now: Date;
  onProgress?: (msg: string) => void;
  /** a dry run checks each file's SHA-256 ('hash', the default) or only its size ('size': the admin page, which
   * must not read gigabytes of attachments on the server's thread) */
  verifyFiles?: 'hash' | 'size';
}

export interface MergeProvinceResult {
  dryRun: boolean;
  plan: ProvincePlan;
  /** after = what the merged database holds (a dry run: what it would hold) */
  rows: SideBySideRow[];
  warnings: string[];
  tasksMoved: number;
  filesCopied: number;
  provinceId: number | null;
}

interface SourceFile {
  id: number;
  storage_name: string;
  original_name: string;
  size: number;
  sha256: string;
}

/**
 * The other province's stored files, each present with the size its row records; with `hash`, also its SHA-256
 * (read as a stream: ten years of attachments do not fit in memory). Refused by name otherwise.
 */
function checkSourceFiles(db: DB, uploads: string, hash: boolean): Array<SourceFile & { path: string }> {
  const rows = db
    .prepare('SELECT id, storage_name, original_name, size, sha256 FROM src.files ORDER BY id')
    .all() as SourceFile[];
  return rows.map((f) => {
    const path = join(uploads, f.storage_name);
    if (!/^[0-9a-f]{32}$/.test(f.storage_name) || !existsSync(path))
      throw new ProvinceMergeError(
        'missing_file',
        `Thiếu tệp đính kèm “${f.original_name}” (${f.storage_name}) trong thư mục ${uploads}; hãy chỉ đúng thư mục bằng --from-uploads.`,
      );
    checkFile(path, f, hash);
    return { ...f, path };
  });
}

function checkFile(path: string, f: SourceFile, hash: boolean): void {
  if (statSync(path).size !== f.size || (hash && sha256OfFile(path) !== f.sha256))
    throw new ProvinceMergeError(
      'file_changed',
      `Tệp đính kèm “${f.original_name}” (${f.storage_name}) không khớp dung lượng hoặc SHA-256 đã ghi; không hợp nhất.`,
    );
}

function sha256OfFile(path: string): string {
  const h = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) h.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

/** Copies a file and flushes it to disk (the copy is checked against the row's hash afterwards). */
function copyDurably(from: string, to: string): void {
  copyFileSync(from, to, constants.COPYFILE_EXCL);
  const fd = openSync(to, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function mergeProvince(
  deps: MergeProvinceDeps,
  options: ProvinceMergeOptions,
  run: MergeProvinceRun,
): MergeProvinceResult {
  const { db } = deps;
  const progress = run.onProgress ?? (() => {});
  const source = attachSource(db, options.fromPath, deps.dbPath);
  let tmpDir: string | null = null;
  const placed: string[] = [];
  try {
    const plan = planProvinceMerge(db, source, options, run.today);
    progress(`kiểm tra xong: ${plan.rows.tasks} nhiệm vụ, ${plan.rows.task_events} sự kiện của ${plan.provinceName}`);
    const before = tally(db, 'main', db, plan.lastDay);
    const former = tally(db, 'src', source.db, plan.lastDay);
    // a dry run reads every file once to check its hash; the merger checks the copies it made instead
    const files = checkSourceFiles(
      db,
      options.fromUploads ?? join(dirname(options.fromPath), 'uploads'),
      run.dryRun && run.verifyFiles !== 'size',
    );
    progress(`đã kiểm tra ${files.length} tệp đính kèm`);
    if (run.dryRun) {
      const expected = sideBySide(before, former, before, plan.openTasksMoved).map((r) => ({
        ...r,
        after: r.expected,
      }));
      return {
        dryRun: true,
        plan,
        rows: expected,
        warnings: [],
        tasksMoved: plan.openTasksMoved,
        filesCopied: 0,
        provinceId: null,
      };
    }

    // the bytes first, under new names in a temporary folder of the same file system (renamed at the end)
    mkdirSync(deps.uploadDir, { recursive: true, mode: 0o750 });
    tmpDir = join(deps.uploadDir, `.merge-${randomBytes(8).toString('hex')}`);
    mkdirSync(tmpDir, { mode: 0o750 });
    const storageNames = new Map<number, string>();
    for (const f of files) {
      const name = randomBytes(16).toString('hex');
      copyDurably(f.path, join(tmpDir, name));
      checkFile(join(tmpDir, name), f, true);
      storageNames.set(f.id, name);
    }
    const sourceSha = sha256OfFile(options.fromPath);
    const staging = tmpDir;

    const out = db
      .transaction(() => {
        const provinceId = Number(
          db
            .prepare(
              `INSERT INTO former_provinces (prefix, name, joined_on, last_day, source_file, source_sha256, imported_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(
              plan.prefix,
              plan.provinceName,
              plan.on,
              plan.lastDay,
              options.fromPath,
              sourceSha,
              run.now.toISOString(),
            ).lastInsertRowid,
        );
        const copied = copyProvince(db, { plan, provinceId, storageNames, onProgress: progress });
        const after = tally(db, 'main', db, plan.lastDay);
        const rows = sideBySide(before, former, after, copied.tasksMoved);
        const warnings = checkNothingLost(rows);
        db.prepare('UPDATE former_provinces SET counts = ? WHERE id = ?').run(
          JSON.stringify({ before, former, after }),
          provinceId,
        );
        writeAudit(db, {
          at: run.now,
          actor: 'system',
          action: 'province.merge',
          targetType: 'former_province',
          targetId: provinceId,
          details: {
            name: plan.provinceName,
            prefix: plan.prefix,
            on: plan.on,
            source: options.fromPath,
            sourceSha256: sourceSha,
            tasks: plan.rows.tasks,
            events: plan.rows.task_events,
            files: files.length,
            tasksMoved: copied.tasksMoved,
          },
        });
        // last, so a refusal above leaves no file behind; a failed commit removes them below
        for (const name of storageNames.values()) {
          const to = join(deps.uploadDir, name);
          renameSync(join(staging, name), to);
          placed.push(to);
        }
        return { provinceId, rows, warnings, tasksMoved: copied.tasksMoved };
      })
      .immediate();
    return { dryRun: false, plan, ...out, filesCopied: files.length };
  } catch (e) {
    for (const p of placed) rmSync(p, { force: true });
    throw e;
  } finally {
    if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
    source.close();
  }
}
