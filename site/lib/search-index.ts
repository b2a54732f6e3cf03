/**
 * The public search index, built in parts so the first search downloads little (issue 14): a manifest and chunks.
 *
 *   manifest /tim-kiem/chi-muc.json      agencies, status labels, every task code (compact), the words with the
 *                                        chunks they occur in, the chunk file names
 *   chunks   /tim-kiem/chi-muc/<n>-<hash>.json   CHUNK_SIZE tasks each, in code order: [title, agency, status]
 *            /tim-kiem/chi-muc/a<agency>-<n>-<hash>.json   the same tasks again, by lead agency
 *
 * The search itself is unchanged (site/public/js/search.js): every folded query term must be a substring of the
 * task's folded "code title agency-name"; agencies match on "name code"; the first 200 tasks in code order are shown.
 * A term without spaces is a substring of that text exactly when it is a substring of one of its space-separated
 * words, so the browser finds the chunks that can hold a hit from the manifest alone (the words containing the
 * term, the codes containing it), and checks the full text only in those chunks, in order, until 200 hits. When
 * the query's words are all in some agencies' names and nothing else can match, the hits are exactly those
 * agencies' tasks, read from their own files (a small unit's 200 first tasks are spread over years of code order). Each
 * chunk's name carries its content hash, so a cached chunk never meets the manifest of another release.
 */
import { createHash } from 'node:crypto';
import { foldVietnamese } from '../../admin/domain/text.ts';
import type { Category } from '../../admin/domain/status.ts';
import { CATEGORIES, STATUS_LABELS } from '../../admin/publication/schema.ts';
import { slugify } from './format.ts';

/** Tasks per chunk: ≈ 3–4 KB gzip on the demo province, so a typical first search loads one or two. */
export const CHUNK_SIZE = 500;

export interface SearchAgency {
  code: string;
  name: string;
}

export interface SearchTask {
  code: string;
  title: string;
  leadAgency: string;
  status: Category;
}

/** Codes as runs: [prefix, digits, first number, delta, delta, …]; a code without trailing digits is [code, 0]. */
export type CodeRun = [string, number, ...number[]];

export interface SearchManifest {
  v: 2;
  statuses: string[];
  /** [code, name, slug] */
  agencies: Array<[string, string, string]>;
  /** per agency, the chunks holding its tasks (a base-32 bit set): a term in an agency's name finds those */
  agencyChunks: string[];
  /** number of public tasks; task i is in chunk floor(i / size) */
  count: number;
  size: number;
  codes: CodeRun[];
  /** file names of the chunks under /tim-kiem/chi-muc/ */
  chunks: string[];
  /** every folded word of the tasks' titles, with the chunks it occurs in (a base-32 bit set) */
  words: Array<[string, string]>;
  /** per agency, its number of tasks and the files of its own tasks (AgencyChunk), for a search by its name */
  agencyCounts: number[];
  agencyFiles: string[][];
}

/** One chunk: [title, agency index, status index] per task, in code order. */
export interface SearchChunk {
  tasks: Array<[string, number, number]>;
}

/** One agency's tasks, CHUNK_SIZE a file, in code order: [task index, title, status index]. */
export interface AgencyChunk {
  tasks: Array<[number, string, number]>;
}

export interface SearchIndex {
  manifest: SearchManifest;
  chunks: Array<{ file: string; body: SearchChunk }>;
  agencyChunks: Array<{ file: string; body: AgencyChunk }>;
}

const named = <T>(prefix: string, body: T) => ({
  file: `${prefix}-${createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 10)}.json`,
  body,
});

const MAX_SAFE_DIGITS = 15;

/** Splits codes into runs of one prefix and one digit width, so ten years of codes cost a few kilobytes. */
export function encodeCodes(codes: readonly string[]): CodeRun[] {
  const runs: CodeRun[] = [];
  let current: CodeRun | null = null;
  let last = 0;
  for (const code of codes) {
    const m = /^([\s\S]*?)(\d{1,15})$/.exec(code);
    const digits = m?.[2] ?? '';
    const prefix = m ? (m[1] ?? '') : code;
    if (!m || digits.length > MAX_SAFE_DIGITS) {
      runs.push([code, 0]);
      current = null;
      continue;
    }
    const n = Number(digits);
    if (current && current[0] === prefix && current[1] === digits.length) {
      current.push(n - last);
    } else {
      current = [prefix, digits.length, n];
      runs.push(current);
    }
    last = n;
  }
  return runs;
}

/** The inverse of encodeCodes (the browser's copy is in search.js). */
export function decodeCodes(runs: readonly CodeRun[]): string[] {
  const out: string[] = [];
  for (const [prefix, width, ...nums] of runs) {
    if (width === 0) {
      out.push(prefix);
      continue;
    }
    let n = 0;
    for (const [i, d] of nums.entries()) {
      n = i === 0 ? d : n + d;
      out.push(prefix + String(n).padStart(width, '0'));
    }
  }
  return out;
}

/** A bit set over the chunks as base-32 digits, five chunks a digit, lowest chunk first. */
function encodeBits(set: ReadonlySet<number>, n: number): string {
  let s = '';
  for (let i = 0; i < n; i += 5) {
    let v = 0;
    for (let b = 0; b < 5; b++) if (set.has(i + b)) v |= 1 << b;
    s += v.toString(32);
  }
  return s;
}

/** The text a task is searched in, exactly as the browser folds it. */
export function taskSearchText(code: string, title: string, agencyName: string): string {
  return foldVietnamese(`${code} ${title} ${agencyName}`);
}

export function buildSearchIndex(agencies: readonly SearchAgency[], tasks: readonly SearchTask[]): SearchIndex {
  const agencyIndex = new Map(agencies.map((a, i) => [a.code, i]));
  const statusIndex = new Map(CATEGORIES.map((c, i) => [c, i]));
  const chunkCount = Math.ceil(tasks.length / CHUNK_SIZE);
  const wordChunks = new Map<string, Set<number>>();
  const agencyChunks = agencies.map(() => new Set<number>());
  const bodies: SearchChunk[] = Array.from({ length: chunkCount }, () => ({ tasks: [] }));
  const own: AgencyChunk['tasks'][] = agencies.map(() => []);
  for (const [i, t] of tasks.entries()) {
    const chunk = Math.floor(i / CHUNK_SIZE);
    // an agency missing from the list falls back to the first one, as the single-file index did
    const agency = agencyIndex.get(t.leadAgency) ?? 0;
    bodies[chunk]!.tasks.push([t.title, agency, statusIndex.get(t.status) ?? 0]);
    agencyChunks[agency]?.add(chunk);
    own[agency]?.push([i, t.title, statusIndex.get(t.status) ?? 0]);
    for (const w of foldVietnamese(t.title).split(' ')) {
      if (!w) continue;
      let set = wordChunks.get(w);
      if (!set) wordChunks.set(w, (set = new Set()));
      set.add(chunk);
    }
  }
  const chunks = bodies.map((body, i) => named(String(i), body));
  const byAgency = own.map((rows, a) => {
    const parts: Array<{ file: string; body: AgencyChunk }> = [];
    for (let k = 0; k < rows.length; k += CHUNK_SIZE)
      parts.push(named(`a${a}-${k / CHUNK_SIZE}`, { tasks: rows.slice(k, k + CHUNK_SIZE) }));
    return parts;
  });
  const words = [...wordChunks.keys()]
    .sort()
    .map((w): [string, string] => [w, encodeBits(wordChunks.get(w)!, chunkCount)]);
  return {
    manifest: {
      v: 2,
      statuses: CATEGORIES.map((c) => STATUS_LABELS[c]),
      agencies: agencies.map((a) => [a.code, a.name, slugify(a.code)]),
      agencyChunks: agencyChunks.map((set) => encodeBits(set, chunkCount)),
      count: tasks.length,
      size: CHUNK_SIZE,
      codes: encodeCodes(tasks.map((t) => t.code)),
      chunks: chunks.map((c) => c.file),
      words,
      agencyCounts: own.map((rows) => rows.length),
      agencyFiles: byAgency.map((parts) => parts.map((p) => p.file)),
    },
    chunks,
    agencyChunks: byAgency.flat(),
  };
}

const memo = new WeakMap<readonly SearchTask[], SearchIndex>();

/** The index of one build, computed once for the manifest and every chunk endpoint. */
export function searchIndexOf(site: { agencies: readonly SearchAgency[]; tasks: readonly SearchTask[] }): SearchIndex {
  let index = memo.get(site.tasks);
  if (!index) memo.set(site.tasks, (index = buildSearchIndex(site.agencies, site.tasks)));
  return index;
}
