/**
 * What the release check (site-build-check.ts) finds in one file: its size and SHA-256, the internal links of a
 * page and what must not be public in a text file. One function for both ways a file is looked at: during the
 * check, and ahead of it while Astro still renders (preCheckWhileWriting), so both find the very same things.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { walk } from './site-build-common.ts';

export const TEXT_FILE = /\.(html|json|xml|csv|js|css|txt|svg)$/;

const ATTR = /(?:href|src)="(\/[^"#?]*)/g;
// a whole task code, prefixes included: a former province's BD-NV-2025-01403 (issue 12) is not this province's
// NV-2025-01403
const CODE = /(?<![A-Za-z0-9-])(?:[A-Z]{1,6}-)+\d{4}-\d{3,6}(?![0-9])/g;

export interface FileFindings {
  size: number;
  sha256: string;
  /** the internal links' targets (decoded), when asked */
  links: string[] | null;
  /** what must not be public, as the check reports it (`"canary"`, `mã nhiệm vụ mật NV-…`), when asked */
  found: string[] | null;
}

/** What must not be public: the forbidden strings, and the confidential codes of the file's namespace. */
export interface SearchRules {
  forbidden: readonly string[];
  codesOf: (path: string) => ReadonlySet<string>;
}

/** The search rules of a release check: a file under a namespace's folder is searched for that one's codes. */
export function searchRulesOf(
  forbidden: readonly string[],
  codes: ReadonlySet<string>,
  namespaces: ReadonlyArray<{ dir: string; codes: ReadonlySet<string> }>,
): SearchRules {
  return { forbidden, codesOf: (path) => namespaces.find((n) => `/${path}`.startsWith(n.dir))?.codes ?? codes };
}

/** Looks at one file's bytes: links if `links`, the search if `search` (a text file's only). */
export function findInFile(
  bytes: Buffer,
  path: string,
  rules: SearchRules,
  want: { links: boolean; search: boolean },
): FileFindings {
  const out: FileFindings = {
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    links: null,
    found: null,
  };
  if (!TEXT_FILE.test(path) || (!want.links && !want.search)) return out;
  const text = bytes.toString('utf8');
  if (want.links && path.endsWith('.html')) out.links = Array.from(text.matchAll(ATTR), (m) => decodeURI(m[1]!));
  if (want.search) {
    const found: string[] = [];
    for (const s of rules.forbidden) if (s && text.includes(s)) found.push(`"${s}"`);
    const codes = rules.codesOf(path);
    if (codes.size > 0) for (const m of text.matchAll(CODE)) if (codes.has(m[0])) found.push(`mã nhiệm vụ mật ${m[0]}`);
    out.found = found;
  }
  return out;
}

/** Files looked at ahead of the check, with the file's identity then: used only if the file is still that one. */
export type PreChecked = Map<string, { ino: number; size: number; mtimeMs: number; findings: FileFindings }>;

/** The findings of `file` (release path `path`) made ahead, if the file is the one they were made of. */
export function preChecked(pre: PreChecked | null, file: string, path: string): FileFindings | null {
  const known = pre?.get(path);
  if (!known) return null;
  const st = statSync(file, { throwIfNoEntry: false });
  return st && st.ino === known.ino && st.size === known.size && st.mtimeMs === known.mtimeMs ? known.findings : null;
}

/**
 * Looks at the files Astro has finished writing into `dir` (links and search, both), for `ms` at most: the check
 * after Astro then only confirms each is unchanged (its inode, size and time written), instead of reading them all
 * once Astro is done (≈ 1 s of a rebuild, while the thread had nothing to do during Astro's seconds). A file is
 * taken only if it was last written over `settledMs` ago and is the same before and after it is read (size, time);
 * anything written after is looked at again by the check itself.
 */
export function preCheckWhileWriting(
  dir: string,
  pre: PreChecked,
  rules: SearchRules,
  ms: number,
  settledMs = 200,
): void {
  const until = Date.now() + ms;
  for (const file of walk(dir)) {
    if (Date.now() > until) return;
    const path = relative(dir, file).split('\\').join('/');
    if (pre.has(path)) continue;
    try {
      const st = statSync(file);
      if (st.mtimeMs > Date.now() - settledMs) continue;
      const bytes = readFileSync(file);
      const after = statSync(file);
      if (bytes.length !== st.size || after.size !== st.size || after.mtimeMs !== st.mtimeMs || after.ino !== st.ino)
        continue;
      pre.set(path, {
        ino: st.ino,
        size: st.size,
        mtimeMs: st.mtimeMs,
        findings: findInFile(bytes, path, rules, { links: true, search: true }),
      });
    } catch {
      // gone or malformed (a link decodeURI refuses): left to the check, which reports it as before
    }
  }
}
