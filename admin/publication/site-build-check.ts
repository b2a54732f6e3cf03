/**
 * The checks a release passes before it may go live: every internal link resolves to a file of the release, and
 * nothing non-public (canary markers, confidential task codes, confidential titles) is in it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { DB } from '../db/open.ts';
import { slugify } from '../../site/lib/format.ts';
import type { StoredSnapshot as Snapshot, StoredSnapshotHeader as SnapshotHeader } from './schema.ts';
import { BROKEN_FILE, MANIFEST_FILE, type ManifestEntry } from './site-release-manifest.ts';
import { walk } from './site-build-common.ts';
import { findInFile, type PreChecked, preChecked, searchRulesOf, TEXT_FILE } from './site-build-check-file.ts';

export { walk } from './site-build-common.ts';

export interface CheckReport {
  pages: number;
  files: number;
  brokenLinks: string[];
  leaks: string[];
  /** every file with its size and SHA-256 (the release's manifest is written from them) */
  entries: ManifestEntry[];
  /** carried-over files whose bytes no longer match the source release's manifest */
  damaged: string[];
  /** files searched for what must not be public (the others are byte for byte a checked file of the source) */
  scanned: number;
  /** every page's internal links (kept in the manifest for the next build), or null when some were not read */
  links: Map<string, string[]> | null;
}

/** The same inode as the source's file at this path, of the size its manifest says, not written since it was hashed. */
function unchangedSince(file: string, source: CheckSource, path: string, before: ManifestEntry): boolean {
  try {
    const st = statSync(file);
    const was = statSync(join(source.dir, path));
    return st.ino === was.ino && st.dev === was.dev && st.size === before.size && st.mtimeMs < source.hashedAt;
  } catch {
    return false;
  }
}

export interface CheckSource {
  /** the source release's folder, and when its manifest was written (every file hashed before) */
  dir: string;
  hashedAt: number;
  /** the source release's manifest entries by path */
  entries: ReadonlyMap<string, ManifestEntry>;
  /** paths hard-linked from the source, with their size and hash as the carrying read them: they must still be
   * the source's manifest's */
  carried: ReadonlyMap<string, { size: number; sha256: string }>;
  /** the forbidden strings and codes changed since the source was checked: search every file again */
  scanAll: boolean;
  /** the source's pages' internal links, as its check read them (its manifest), if it kept them */
  links: ReadonlyMap<string, readonly string[]> | null;
}

/**
 * One pass over every file of the release: its SHA-256 (for the manifest), every internal link (href/src starting
 * with "/") resolves to a file of the release, and none of the forbidden strings (canary markers, confidential task
 * codes) appears in a text file that is new, i.e. not byte for byte the same file of the source release, which
 * passed the same search (issue 14: the canary over every new file, the links over the whole release).
 */
export function checkRelease(
  releaseDir: string,
  forbidden: string[],
  forbiddenCodes: Set<string>,
  /** folders whose files use another code namespace (a former province's archive: its own, unprefixed codes) */
  namespaces: ReadonlyArray<{ dir: string; codes: Set<string> }> = [],
  source: CheckSource | null = null,
  /** every file the build put into the release (it need not be listed again by walking 30,000 folders) */
  listed: readonly string[] | null = null,
  /** files of the release checked by another pass (checkAhead): links may point to them */
  present: readonly string[] = [],
  /** files looked at while Astro wrote them (preCheckWhileWriting), by release path */
  pre: PreChecked | null = null,
): CheckReport {
  const rels = listed
    ? [...new Set(listed)]
    : walk(releaseDir).map((f) => relative(releaseDir, f).split('\\').join('/'));
  const files = rels.map((r) => join(releaseDir, r));
  const set = new Set([...rels, ...present].map((r) => `/${r}`));
  const brokenLinks: string[] = [];
  const leaks: string[] = [];
  const entries: ManifestEntry[] = [];
  const damaged: string[] = [];
  const checkedTargets = new Map<string, boolean>();
  // One file linked at two paths (the latest period's open data again under /du-lieu-mo/moi-nhat/) is read, hashed
  // and searched once: by inode, size and time written, within this check and its search rules.
  const seen = new Map<string, { sha256: string; size: number; found: string[] | null }>();
  let pages = 0;
  let scanned = 0;
  // every file of the source is in this release too: whatever resolved there resolves here
  const linksKnown = source !== null && [...source.entries.keys()].every((p) => set.has(`/${p}`));
  const searchRules = searchRulesOf(forbidden, forbiddenCodes, namespaces);
  // every page's links (for the manifest: the next build resolves carried pages from them), null once one is unknown
  let pageLinks: Map<string, string[]> | null = new Map();
  /** a file not read again: a page's links from the source's manifest (checked if `check`), if it kept them */
  const fromSource = (path: string, isHtml: boolean, there: readonly string[] | null, check: boolean) => {
    if (there) resolve(path, there, check);
    else if (isHtml) pageLinks = null;
  };
  /** keeps a page's links and, if `check`, reports those that do not resolve to a file of the release */
  const resolve = (path: string, targets: readonly string[], check: boolean) => {
    pageLinks?.set(path, targets as string[]);
    if (!check) return;
    for (const target of targets) {
      let ok = checkedTargets.get(target);
      if (ok === undefined) {
        ok = target.endsWith('/') ? set.has(`${target}index.html`) : set.has(target) || set.has(`${target}/index.html`);
        checkedTargets.set(target, ok);
      }
      if (!ok && brokenLinks.length < 50) brokenLinks.push(`/${path} → ${target}`);
    }
  };
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    const path = rels[i]!;
    if (path === MANIFEST_FILE || path === BROKEN_FILE) continue;
    const before = source?.entries.get(path);
    const isHtml = f.endsWith('.html');
    if (isHtml) pages++;
    // A file linked from the cache (open data, share images) that is the source's very file, unmodified since the
    // source's manifest hashed it, keeps that hash (a full build links the same cached file). Carried pages come
    // with what carrying found (site-build-plan.ts carryFiles): they must match the source's manifest.
    const searched = !source?.scanAll || !TEXT_FILE.test(f);
    // the links a page had in the source, where they all resolved: read from its manifest, not from the page
    const linksThere = isHtml ? (source?.links?.get(path) ?? null) : null;
    if (before && source && !source.carried.has(path) && searched && unchangedSince(f, source, path, before)) {
      entries.push(before);
      if (!isHtml || linksKnown || linksThere) {
        fromSource(path, isHtml, linksThere, !linksKnown);
        continue;
      }
    }
    const carried = source?.carried.get(path);
    if (carried) {
      entries.push({ path, ...carried });
      if (before?.sha256 !== carried.sha256 || before.size !== carried.size) damaged.push(path);
      else if ((!isHtml || linksKnown || linksThere) && !(source!.scanAll && TEXT_FILE.test(f))) {
        fromSource(path, isHtml, linksThere, !linksKnown);
        continue;
      }
    }
    const codes = searchRules.codesOf(path);
    let inode: string | null = null;
    if (!isHtml) {
      const st = statSync(f);
      inode = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${namespaces.findIndex((n) => n.codes === codes)}`;
      const known = seen.get(inode);
      const same = known && before !== undefined && before.sha256 === known.sha256 && before.size === known.size;
      const scan = known && TEXT_FILE.test(f) && (!same || source!.scanAll);
      // a file not searched at its first path is read again here if it must be searched at this one
      if (known && (!scan || known.found !== null)) {
        if (entries.at(-1)?.path !== path) entries.push({ path, size: known.size, sha256: known.sha256 });
        if (scan) {
          scanned++;
          for (const what of known.found!) leaks.push(`/${path} chứa ${what}`);
        }
        continue;
      }
    }
    // looked at ahead, while Astro wrote it (site-build-check-file.ts), if it is still that file
    const ahead = preChecked(pre, f, path);
    const bytes = ahead ? null : readFileSync(f);
    const sha256 = ahead ? ahead.sha256 : createHash('sha256').update(bytes!).digest('hex');
    const size = ahead ? ahead.size : bytes!.length;
    const memo = inode ? { sha256, size, found: null as string[] | null } : null;
    if (inode && memo) seen.set(inode, memo);
    if (entries.at(-1)?.path !== path) entries.push({ path, size, sha256 });
    const same = before !== undefined && before.sha256 === sha256 && before.size === size;
    if (!TEXT_FILE.test(f)) continue;
    const scan = !same || source!.scanAll;
    // a page byte for byte the source's has the links it had there, where they all resolved
    const parseLinks = isHtml && !(same && linksKnown && linksThere);
    // not parsed: a page byte for byte the source's, whose links (all resolved there) its manifest kept
    if (!parseLinks && isHtml) resolve(path, linksThere!, false);
    if (!parseLinks && !scan) continue;
    const rel = `/${path}`;
    const findings = ahead ?? findInFile(bytes!, path, searchRules, { links: parseLinks, search: scan });
    if (parseLinks) resolve(path, findings.links ?? [], true);
    if (!scan) continue;
    scanned++;
    const found = findings.found ?? [];
    for (const what of found) leaks.push(`${rel} chứa ${what}`);
    if (memo) memo.found = found;
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { pages, files: entries.length, brokenLinks, leaks, entries, damaged, scanned, links: pageLinks };
}

function mergeReports(a: CheckReport, b: CheckReport): CheckReport {
  const entries = [...a.entries, ...b.entries].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  return {
    pages: a.pages + b.pages,
    files: entries.length,
    brokenLinks: [...a.brokenLinks, ...b.brokenLinks],
    leaks: [...a.leaks, ...b.leaks],
    entries,
    damaged: [...a.damaged, ...b.damaged],
    scanned: a.scanned + b.scanned,
    // the part checked ahead holds no page
    links: a.links && b.links ? new Map([...a.links, ...b.links]) : null,
  };
}

/** What the search for non-public content looked for, as a hash salted with the release (kept in its manifest). */
export function leakCheckHash(
  releaseId: string,
  forbidden: string[],
  codes: Set<string>,
  namespaces: ReadonlyArray<{ dir: string; codes: Set<string> }>,
): string {
  const what = JSON.stringify([
    [...forbidden].sort(),
    [...codes].sort(),
    namespaces.map((n) => [n.dir, [...n.codes].sort()]),
  ]);
  return createHash('sha256').update(`${releaseId}\0${what}`).digest('hex');
}

/** What must not be public, from the database: confidential task codes (per namespace), and titles in the input. */
export interface LeakRules {
  forbidden: string[];
  codes: Set<string>;
  namespaces: Array<{ dir: string; codes: Set<string> }>;
  /** confidential titles found in the site input (problems already) */
  titleLeaks: string[];
}

export function leakRules(db: DB, latestSnapshot: Snapshot, periods: SnapshotHeader[], forbidden: string[]): LeakRules {
  const confidential = db.prepare('SELECT code, title FROM tasks WHERE confidential = 1').all() as Array<{
    code: string;
    title: string;
  }>;
  // Titles reach pages only through the site input. A confidential title that no public task shares must not be
  // in it (a title shared with a public task, e.g. "Báo cáo tình hình …", identifies nothing).
  const publicTitleRows = db.prepare('SELECT DISTINCT title FROM tasks WHERE confidential = 0').all() as Array<{
    title: string;
  }>;
  const sharedTitles = new Set(publicTitleRows.map((r) => r.title));
  const inputTitles = new Set(latestSnapshot.tasks.map((t) => t.title));
  for (const p of periods) {
    for (const list of [p.change?.newlyCompleted, p.change?.newlyOverdue, p.change?.extended])
      for (const c of list ?? []) inputTitles.add(c.title);
  }
  const titleLeaks = confidential
    .filter((c) => !sharedTitles.has(c.title) && inputTitles.has(c.title))
    .map((c) => `tên nhiệm vụ mật ${c.code} có trong dữ liệu dựng trang`);
  const codes = new Set(confidential.map((c) => c.code));
  return { forbidden, codes, namespaces: formerNamespaces(db, confidential), titleLeaks };
}

/** The leak rules' hash for a release (kept in its manifest): equal hashes, equal searches. */
export function leakCheckOf(releaseId: string, rules: LeakRules): string {
  return leakCheckHash(releaseId, rules.forbidden, rules.codes, rules.namespaces);
}

/** The release its unchanged files come from, for an incremental build. */
export interface AgainstSource {
  id: string;
  dir: string;
  hashedAt: number;
  leakCheck: string | undefined;
  entries: ReadonlyMap<string, ManifestEntry>;
  carried: ReadonlyMap<string, { size: number; sha256: string }>;
  /** its pages' links, from its manifest (null: it kept none) */
  links: ReadonlyMap<string, readonly string[]> | null;
}

/** Part of a release checked ahead (while Astro renders): those files' report, merged into the final check's. */
export interface CheckedAhead {
  paths: string[];
  report: CheckReport;
}

function checkWith(
  releaseDir: string,
  rules: LeakRules,
  source: AgainstSource | null,
  listed: readonly string[] | null,
  present: readonly string[] = [],
  pre: PreChecked | null = null,
): CheckReport {
  const { forbidden, codes, namespaces } = rules;
  // files unchanged since the source need no new search only when it searched for the very same things
  const scanAll = !source || source.leakCheck !== leakCheckOf(source.id, rules);
  return checkRelease(releaseDir, forbidden, codes, namespaces, source && { ...source, scanAll }, listed, present, pre);
}

/** The search rules of a release check (for the files looked at while Astro writes them: produceRelease). */
export function searchRulesOfLeaks(rules: LeakRules) {
  return searchRulesOf(rules.forbidden, rules.codes, rules.namespaces);
}

/**
 * Checks files already in the release that hold no links (open data, share images: no HTML), the same way the
 * final check would: hashes for the manifest and the leak search. The build runs it while Astro renders.
 */
export function checkAhead(
  releaseDir: string,
  rules: LeakRules,
  source: AgainstSource | null,
  paths: string[],
): CheckedAhead {
  if (paths.some((p) => p.endsWith('.html'))) throw new Error('a page is checked with the whole release');
  return { paths, report: checkWith(releaseDir, rules, source && { ...source, carried: new Map() }, paths) };
}

/**
 * Checks a built release against the database's confidential tasks: their codes in no output file, their titles
 * not in the site input. Returns the problems found (Vietnamese), with the check report (merged with the part
 * checked ahead).
 */
export function checkReleaseAgainst(
  releaseDir: string,
  rules: LeakRules,
  /** this release's id and, for an incremental build, the release its unchanged files come from */
  releaseId: string,
  source: AgainstSource | null = null,
  listed: readonly string[] | null = null,
  ahead: CheckedAhead | null = null,
  /** Astro's pages looked at while it wrote them (site-build-check-file.ts preCheckWhileWriting) */
  pre: PreChecked | null = null,
): { report: CheckReport; problems: string[]; leakCheck: string } {
  const rest = checkWith(releaseDir, rules, source, listed, ahead?.paths ?? [], pre);
  const report = ahead ? mergeReports(rest, ahead.report) : rest;
  const problems = [...report.brokenLinks.map((l) => `liên kết hỏng: ${l}`), ...report.leaks, ...rules.titleLeaks];
  if (!existsSync(join(releaseDir, 'index.html'))) problems.push('thiếu trang chủ index.html');
  return { report, problems, leakCheck: leakCheckOf(releaseId, rules) };
}

/**
 * A former province's archive (/luu-tru/<slug>/, site-archive.ts) holds its frozen snapshots with its own task
 * codes, unprefixed: there, its confidential tasks are the forbidden codes, not this province's (which may share
 * numbers with its public ones).
 */
function formerNamespaces(db: DB, confidential: ReadonlyArray<{ code: string }>) {
  const provinces = db.prepare('SELECT prefix, name FROM former_provinces').all() as Array<{
    prefix: string | null;
    name: string;
  }>;
  return provinces.map((p) => {
    const prefix = p.prefix ? `${p.prefix}-` : '';
    const codes = new Set(
      confidential.filter((c) => prefix !== '' && c.code.startsWith(prefix)).map((c) => c.code.slice(prefix.length)),
    );
    return { dir: `/luu-tru/${slugify(p.prefix ?? p.name)}/`, codes };
  });
}
