/**
 * The checks a release passes before it may go live: every internal link resolves to a file of the release, and
 * nothing non-public (canary markers, confidential task codes, confidential titles) is in it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { DB } from '../db/open.ts';
import { slugify } from '../../site/lib/format.ts';
import type { StoredSnapshot as Snapshot, StoredSnapshotHeader as SnapshotHeader } from './schema.ts';

/** Every file under dir (absolute paths). */
export function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

const TEXT_FILE = /\.(html|json|xml|csv|js|css|txt|svg)$/;

export interface CheckReport {
  pages: number;
  files: number;
  brokenLinks: string[];
  leaks: string[];
}

/**
 * Every internal link (href/src starting with "/") resolves to a file of the release; none of the forbidden
 * strings (canary markers, confidential task codes) appears in any text file.
 */
export function checkRelease(
  releaseDir: string,
  forbidden: string[],
  forbiddenCodes: Set<string>,
  /** folders whose files use another code namespace (a former province's archive: its own, unprefixed codes) */
  namespaces: ReadonlyArray<{ dir: string; codes: Set<string> }> = [],
): CheckReport {
  const files = walk(releaseDir);
  const set = new Set(files.map((f) => `/${relative(releaseDir, f).split('\\').join('/')}`));
  const brokenLinks: string[] = [];
  const leaks: string[] = [];
  const checkedTargets = new Map<string, boolean>();
  let pages = 0;
  const attr = /(?:href|src)="(\/[^"#?]*)/g;
  // a whole task code, prefixes included: a former province's BD-NV-2025-01403 (issue 12) is not this province's
  // NV-2025-01403
  const code = /(?<![A-Za-z0-9-])(?:[A-Z]{1,6}-)+\d{4}-\d{3,6}(?![0-9])/g;
  for (const f of files) {
    if (!TEXT_FILE.test(f)) continue;
    const text = readFileSync(f, 'utf8');
    const rel = `/${relative(releaseDir, f)}`;
    if (f.endsWith('.html')) {
      pages++;
      for (const m of text.matchAll(attr)) {
        const target = decodeURI(m[1]!);
        let ok = checkedTargets.get(target);
        if (ok === undefined) {
          ok = target.endsWith('/')
            ? set.has(`${target}index.html`)
            : set.has(target) || set.has(`${target}/index.html`);
          checkedTargets.set(target, ok);
        }
        if (!ok && brokenLinks.length < 50) brokenLinks.push(`${rel} → ${target}`);
      }
    }
    for (const s of forbidden) if (s && text.includes(s)) leaks.push(`${rel} chứa "${s}"`);
    const codes = namespaces.find((n) => rel.startsWith(n.dir))?.codes ?? forbiddenCodes;
    if (codes.size > 0) {
      for (const m of text.matchAll(code)) if (codes.has(m[0])) leaks.push(`${rel} chứa mã nhiệm vụ mật ${m[0]}`);
    }
  }
  return { pages, files: files.length, brokenLinks, leaks };
}

/**
 * Checks a built release against the database's confidential tasks: their codes in no output file, their titles
 * not in the site input. Returns the problems found (Vietnamese), with the check report.
 */
export function checkReleaseAgainst(
  db: DB,
  releaseDir: string,
  latestSnapshot: Snapshot,
  periods: SnapshotHeader[],
  forbidden: string[],
): { report: CheckReport; problems: string[] } {
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
  const report = checkRelease(
    releaseDir,
    forbidden,
    new Set(confidential.map((c) => c.code)),
    formerNamespaces(db, confidential),
  );
  const problems = [...report.brokenLinks.map((l) => `liên kết hỏng: ${l}`), ...report.leaks, ...titleLeaks];
  if (!existsSync(join(releaseDir, 'index.html'))) problems.push('thiếu trang chủ index.html');
  return { report, problems };
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
