/**
 * The public search index (issue 14): a manifest, one file per set of words a query term can match, and the
 * tasks' details in small chunks, so a first search downloads a few small files whatever it asks.
 *
 *   manifest /tim-kiem/chi-muc.json       agencies, status labels, every task code (compact), the vocabulary (every
 *                                         folded word of the tasks' titles and lead agencies' names, with the number
 *                                         of tasks holding it), the detail chunks' names, the release's salt
 *   sets     /tim-kiem/chi-muc/t-<h>.json  for every substring s of a word of the vocabulary, the tasks whose text
 *                                         has a word containing s (site/lib/search-postings.ts); one file per
 *                                         distinct set of words, named by a hash of the salt and those words
 *   details  /tim-kiem/chi-muc/<n>-<salt>.json   CHUNK_SIZE tasks each, in code order: [title, agency, status]
 *
 * The search is unchanged (site/public/js/search.js): every folded query term must be a substring of the task's
 * folded "code title agency-name"; agencies match on "name code"; hits come in code order. A term without spaces
 * is a substring of that text exactly when it is a substring of one of its space-separated words, so a term's
 * hits are the tasks of one set file (the words containing it, found in the vocabulary) plus the codes containing
 * it (found in the manifest). The browser intersects the terms' sets, rarest first (by the vocabulary's counts),
 * six files fetched at once, and loads the details of the shown page (ten hits) only. A set also lists the words
 * all its tasks hold: a long query's common words inside one of those need no file once its rarer words have been
 * fetched. The salt (a hash of the whole index) is in every name, so a cached file never meets the manifest of
 * another release. Results are exact: admin/publication/search-index.test.ts compares them with a search over
 * every task.
 */
import { createHash } from 'node:crypto';
import { foldVietnamese } from '../../admin/domain/text.ts';
import type { Category } from '../../admin/domain/status.ts';
import { CATEGORIES, STATUS_LABELS } from '../../admin/publication/schema.ts';
import { slugify } from './format.ts';
import { ALPHABET, decodeSteps, encodeSet, encodeSteps, setFile } from './search-postings.ts';

/** Tasks per detail chunk: ≈ 1.5 KB gzip, so a page of hits spread over ten years costs ≈ 15 KB. */
export const CHUNK_SIZE = 64;

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

/**
 * Codes as runs of one prefix and digit width: [prefix, digits, first number, steps], the steps from each number to
 * the next as one string (search-postings.ts encodeSteps: "AAAB…", mostly "A" for +1, which gzip folds away); a
 * code without trailing digits is [code, 0].
 */
export type CodeRun = [string, number] | [string, number, number, string];

export interface SearchManifest {
  v: 3;
  /** a hash of the whole index, in every file name */
  salt: string;
  statuses: string[];
  /** [code, name, slug] */
  agencies: Array<[string, string, string]>;
  /** number of public tasks; task i is in detail chunk floor(i / size) */
  count: number;
  size: number;
  codes: CodeRun[];
  /** file names of the detail chunks under /tim-kiem/chi-muc/ */
  chunks: string[];
  /** the vocabulary, sorted */
  words: string[];
  /** for each word, about how many tasks hold it: character k of ALPHABET for 1.2^k (the rarest terms go first) */
  df: string;
}

/** One detail chunk: [title, agency index, status index] per task, in code order. */
export interface SearchChunk {
  tasks: Array<[string, number, number]>;
}

/** One set file: the encoded set of task indices (search-postings.ts). */
export interface SearchSet {
  p: string;
  /**
   * the words (vocabulary indices) every task of the set holds: a query term inside one of them needs no file once
   * the hits are within this set (a long query's common words)
   */
  w?: number[];
}

export interface SearchIndex {
  manifest: SearchManifest;
  chunks: Array<{ file: string; body: SearchChunk }>;
  sets: Array<{ file: string; body: SearchSet }>;
}

const MAX_SAFE_DIGITS = 15;

/** Splits codes into runs of one prefix and one digit width, so ten years of codes cost a few kilobytes. */
export function encodeCodes(codes: readonly string[]): CodeRun[] {
  const runs: Array<[string, number] | [string, number, number, number[]]> = [];
  let current: [string, number, number, number[]] | null = null;
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
      current[3].push(n - last);
    } else {
      current = [prefix, digits.length, n, []];
      runs.push(current);
    }
    last = n;
  }
  return runs.map((r) => (r.length === 2 ? r : [r[0], r[1], r[2], encodeSteps(r[3])]));
}

/** The inverse of encodeCodes (the browser's copy is in search.js). */
export function decodeCodes(runs: readonly CodeRun[]): string[] {
  const out: string[] = [];
  for (const run of runs) {
    if (run.length === 2) {
      out.push(run[0]);
      continue;
    }
    const [prefix, width, first, steps] = run;
    let n = first;
    out.push(prefix + String(n).padStart(width, '0'));
    for (const d of decodeSteps(steps)) {
      n += d;
      out.push(prefix + String(n).padStart(width, '0'));
    }
  }
  return out;
}

/** The text a task is searched in, exactly as the browser folds it. */
export function taskSearchText(code: string, title: string, agencyName: string): string {
  return foldVietnamese(`${code} ${title} ${agencyName}`);
}

/** Each word's tasks (ascending), over the folded words of title and lead agency's name. */
function wordPostings(agencies: readonly SearchAgency[], rows: ReadonlyArray<[string, number, number]>) {
  const agencyWords = agencies.map((a) => foldVietnamese(a.name).split(' ').filter(Boolean));
  const postings = new Map<string, number[]>();
  for (const [i, [title, agency]] of rows.entries()) {
    for (const words of [foldVietnamese(title).split(' '), agencyWords[agency] ?? []])
      for (const w of words) {
        if (!w) continue;
        let list = postings.get(w);
        if (!list) postings.set(w, (list = []));
        // a word twice in one task's text is one entry (the lists grow in task order)
        if (list[list.length - 1] !== i) list.push(i);
      }
  }
  return postings;
}

/** Every distinct set of vocabulary words that some substring of a word is contained in (indices ascending). */
function substringWordSets(words: readonly string[]): number[][] {
  const bySubstring = new Map<string, number[]>();
  for (const [w, word] of words.entries()) {
    const seen = new Set<string>();
    for (let i = 0; i < word.length; i++)
      for (let j = i + 1; j <= word.length; j++) {
        const s = word.slice(i, j);
        if (seen.has(s)) continue;
        seen.add(s);
        let list = bySubstring.get(s);
        if (!list) bySubstring.set(s, (list = []));
        list.push(w);
      }
  }
  const distinct = new Map<string, number[]>();
  for (const list of bySubstring.values()) distinct.set(list.join(','), list);
  return [...distinct.values()];
}

export function buildSearchIndex(agencies: readonly SearchAgency[], tasks: readonly SearchTask[]): SearchIndex {
  const agencyIndex = new Map(agencies.map((a, i) => [a.code, i]));
  const statusIndex = new Map(CATEGORIES.map((c, i) => [c, i]));
  // an agency missing from the list falls back to the first one, as the single-file index did
  const rows = tasks.map((t): [string, number, number] => [
    t.title,
    agencyIndex.get(t.leadAgency) ?? 0,
    statusIndex.get(t.status) ?? 0,
  ]);
  const postings = wordPostings(agencies, rows);
  const words = [...postings.keys()].sort();
  const n = tasks.length;
  const wordSets = substringWordSets(words);
  const firstWords = new Map<number, number[]>();
  const wordLists = words.map((w) => postings.get(w)!);
  /** the words every task of the set holds: those of its first task whose tasks include all of the set's */
  const impliedBy = (sorted: readonly number[]): number[] => {
    const first = sorted[0]!;
    let own = firstWords.get(first);
    if (!own) {
      own = [];
      for (const [w, list] of wordLists.entries()) if (list.includes(first)) own.push(w);
      firstWords.set(first, own);
    }
    return own.filter((w) => {
      const list = wordLists[w]!;
      if (list.length < sorted.length) return false;
      // both ascending: walk the word's tasks once, stop at the first task of the set it lacks
      let k = 0;
      for (const i of sorted) {
        while (k < list.length && list[k]! < i) k++;
        if (list[k] !== i) return false;
      }
      return true;
    });
  };
  const marks = new Uint8Array(n);
  const encoded = wordSets.map((ws) => {
    const lists = ws.map((w) => postings.get(words[w]!)!);
    let sorted = lists[0]!;
    if (lists.length > 1) {
      sorted = [];
      for (const list of lists) for (const i of list) marks[i] = 1;
      for (let i = 0; i < n; i++) if (marks[i]) sorted.push(i);
      marks.fill(0);
    }
    const body: SearchSet = { p: encodeSet(sorted, n) };
    const implied = sorted.length > 0 ? impliedBy(sorted) : [];
    if (implied.length) body.w = implied;
    return { words: ws, body };
  });
  const chunkBodies: SearchChunk[] = [];
  for (let k = 0; k < n; k += CHUNK_SIZE) chunkBodies.push({ tasks: rows.slice(k, k + CHUNK_SIZE) });
  const codes = encodeCodes(tasks.map((t) => t.code));
  const content = { agencies, codes, chunkBodies, sets: encoded.map((e) => e.body), words };
  const salt = createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 10);
  const sets = encoded.map((e) => ({ file: setFile(salt, e.words), body: e.body }));
  if (new Set(sets.map((s) => s.file)).size !== sets.length)
    throw new Error('Chỉ mục tìm kiếm: hai tập từ trùng tên tệp (va chạm hàm băm).');
  const chunks = chunkBodies.map((body, k) => ({ file: `${k}-${salt}.json`, body }));
  return {
    manifest: {
      v: 3,
      salt,
      statuses: CATEGORIES.map((c) => STATUS_LABELS[c]),
      agencies: agencies.map((a) => [a.code, a.name, slugify(a.code)]),
      count: n,
      size: CHUNK_SIZE,
      codes,
      chunks: chunks.map((c) => c.file),
      words,
      df: words
        .map((w) => ALPHABET[Math.min(63, Math.round(Math.log(postings.get(w)!.length) / Math.log(1.2)))])
        .join(''),
    },
    chunks,
    sets,
  };
}

const memo = new WeakMap<readonly SearchTask[], SearchIndex>();

/** The index of one build, computed once for the manifest and every file endpoint. */
export function searchIndexOf(site: { agencies: readonly SearchAgency[]; tasks: readonly SearchTask[] }): SearchIndex {
  let index = memo.get(site.tasks);
  if (!index) memo.set(site.tasks, (index = buildSearchIndex(site.agencies, site.tasks)));
  return index;
}

/**
 * The files of an index by their public path, exactly as the site serves them: written into each release by the
 * build (admin/publication/site-build-produce.ts), not rendered by Astro (as routes, ≈ 2 ms each: a third of a
 * rebuild's Astro time for ≈ 940 files of data).
 */
export function searchIndexFiles(index: SearchIndex): Map<string, string> {
  const files = new Map([['/tim-kiem/chi-muc.json', JSON.stringify(index.manifest)]]);
  for (const c of [...index.chunks, ...index.sets]) files.set(`/tim-kiem/chi-muc/${c.file}`, JSON.stringify(c.body));
  return files;
}
