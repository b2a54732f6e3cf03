/**
 * The manifest of a release: every file with its size and SHA-256, written into the release folder once the
 * release has passed its checks. A switch (build or rollback) goes live only on a release whose files still match
 * it exactly, so a release left half-deleted by a killed prune, or edited by hand, never becomes the public site.
 *
 *   checked release ──writeManifest──▶ releases/<id>/.manifest.json
 *   switch ──verifyRelease: every file present, same size, same hash, nothing added──▶ ok | problem (marked broken)
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { walk } from './site-build-common.ts';

export const MANIFEST_FILE = '.manifest.json';
/** Written into a release that failed verification: it stays out of every later switch. */
export const BROKEN_FILE = '.broken';

export interface ManifestEntry {
  path: string;
  size: number;
  sha256: string;
}

export interface ReleaseManifest {
  version: 1;
  releaseId: string;
  createdAt: string;
  files: ManifestEntry[];
  /** what the search for non-public content looked for (site-build-check.ts leakCheckHash), salted with the id */
  leakCheck?: string;
  /**
   * every page's internal links as the check read them (site-build-check.ts): the distinct targets, and per page
   * (by path) the indexes of its links' targets in order. The next build's check resolves a carried page's links
   * from here instead of reading it again (all its links resolved here; a page may be gone since).
   */
  links?: { targets: string[]; pages: Array<[string, number[]]> };
}

/** A manifest's links by page (as the check reads them), or null when it has none. */
export function linksOf(manifest: ReleaseManifest): Map<string, string[]> | null {
  if (!manifest.links) return null;
  const { targets, pages } = manifest.links;
  return new Map(pages.map(([path, idx]) => [path, idx.map((i) => targets[i]!)]));
}

/** The links of every page (a check's), kept in a manifest: null when some page's are not known. */
function linksField(links: ReadonlyMap<string, readonly string[]> | null | undefined): ReleaseManifest['links'] {
  if (!links) return undefined;
  const index = new Map<string, number>();
  const targets: string[] = [];
  const pages: Array<[string, number[]]> = [...links.keys()].sort().map((path) => [
    path,
    links.get(path)!.map((t) => {
      let i = index.get(t);
      if (i === undefined) index.set(t, (i = targets.push(t) - 1));
      return i;
    }),
  ]);
  return { targets, pages };
}

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Release files as manifest paths ("nhiem-vu/NV-2026-00001/index.html"), without the manifest and the marker. */
function releaseFiles(releaseDir: string): string[] {
  return walk(releaseDir)
    .map((f) => relative(releaseDir, f).split('\\').join('/'))
    .filter((p) => p !== MANIFEST_FILE && p !== BROKEN_FILE && p !== `${MANIFEST_FILE}.tmp`)
    .sort();
}

/**
 * Writes the manifest of a release (written whole, then renamed into place), from the entries the build's check
 * computed while reading every file, or by hashing every file.
 */
export function writeManifest(
  releaseDir: string,
  releaseId: string,
  entries?: ManifestEntry[],
  leakCheck?: string,
  /** every page's internal links, as the check read them (kept for the next build's check) */
  links?: ReadonlyMap<string, readonly string[]> | null,
): ReleaseManifest {
  const files =
    entries ??
    releaseFiles(releaseDir).map((path) => {
      const abs = join(releaseDir, path);
      return { path, size: statSync(abs).size, sha256: sha256File(abs) };
    });
  const manifest: ReleaseManifest = {
    version: 1,
    releaseId,
    createdAt: new Date().toISOString(),
    files,
    ...(leakCheck ? { leakCheck } : {}),
  };
  const kept = linksField(links);
  if (kept) manifest.links = kept;
  const tmp = join(releaseDir, `${MANIFEST_FILE}.tmp`);
  writeFileSync(tmp, JSON.stringify(manifest));
  // renamed into place: a manifest is either absent or whole
  renameSync(tmp, join(releaseDir, MANIFEST_FILE));
  return manifest;
}

export type Verification = { ok: true; files: number } | { ok: false; problem: string };

const examples = (list: string[]) =>
  list.length === 0 ? '' : ` (ví dụ ${list.slice(0, 3).join(', ')}${list.length > 3 ? ', …' : ''})`;

/**
 * Checks a release against its manifest: a missing or unreadable manifest, a broken marker, a missing file, a
 * size or hash that differs, or a file the manifest does not list all fail it. Returns the problem in Vietnamese.
 */
export function verifyRelease(
  releaseDir: string,
  {
    hashes = true,
    unwrittenSinceManifest = false,
  }: {
    /** false: presence and sizes only, for a release whose every file this process listed and hashed moments ago */
    hashes?: boolean;
    /**
     * true: a file not written since the manifest was (its modification time is older) is taken as hashed; any
     * later write (an edit, a truncation, a replacement) has it hashed again. For keeping the live release when
     * nothing changed: reading every byte of a large release would cost more than the build saves.
     */
    unwrittenSinceManifest?: boolean;
  } = {},
): Verification {
  if (!existsSync(releaseDir)) return { ok: false, problem: 'thư mục của bản không còn' };
  if (existsSync(join(releaseDir, BROKEN_FILE))) {
    let reason = '';
    try {
      reason = (JSON.parse(readFileSync(join(releaseDir, BROKEN_FILE), 'utf8')) as { reason?: string }).reason ?? '';
    } catch {
      /* marker without a readable reason */
    }
    return { ok: false, problem: `đã bị đánh dấu hỏng${reason ? ` (${reason})` : ''}` };
  }
  let manifest: ReleaseManifest;
  try {
    manifest = JSON.parse(readFileSync(join(releaseDir, MANIFEST_FILE), 'utf8')) as ReleaseManifest;
    if (manifest.version !== 1 || !Array.isArray(manifest.files)) throw new Error('format');
  } catch (err) {
    return {
      ok: false,
      problem:
        (err as NodeJS.ErrnoException).code === 'ENOENT'
          ? `không có bảng kê tệp ${MANIFEST_FILE} (bản chưa được kiểm tra xong hoặc đã bị xóa dở)`
          : `bảng kê tệp ${MANIFEST_FILE} bị hỏng`,
    };
  }
  const missing: string[] = [];
  const changed: string[] = [];
  const listed = new Set<string>();
  const manifestWritten = unwrittenSinceManifest ? Date.parse(manifest.createdAt) : 0;
  for (const f of manifest.files) {
    listed.add(f.path);
    const abs = join(releaseDir, f.path);
    let size: number;
    let mtimeMs: number;
    try {
      ({ size, mtimeMs } = statSync(abs));
    } catch {
      missing.push(f.path);
      continue;
    }
    const unwritten = unwrittenSinceManifest && mtimeMs < manifestWritten;
    // the size first: a truncated file fails without being read
    if (size !== f.size || (hashes && !unwritten && sha256File(abs) !== f.sha256)) changed.push(f.path);
  }
  // (the build that just hashed every file also listed every file: no second walk)
  const extra = hashes ? releaseFiles(releaseDir).filter((p) => !listed.has(p)) : [];
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`thiếu ${missing.length} tệp${examples(missing)}`);
  if (changed.length > 0) problems.push(`${changed.length} tệp bị thay đổi${examples(changed)}`);
  if (extra.length > 0) problems.push(`${extra.length} tệp lạ không có trong bảng kê${examples(extra)}`);
  return problems.length === 0
    ? { ok: true, files: manifest.files.length }
    : { ok: false, problem: problems.join('; ') };
}

/** Marks a release broken (a file inside it), so no later switch considers it. Best effort: it may be half gone. */
export function markBroken(releaseDir: string, reason: string): void {
  try {
    writeFileSync(join(releaseDir, BROKEN_FILE), JSON.stringify({ reason, at: new Date().toISOString() }));
  } catch {
    /* the folder is gone: it is no candidate either */
  }
}
