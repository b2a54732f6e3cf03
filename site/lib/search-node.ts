/**
 * The browser's search engine (site/public/js/search.js) run in Node over an index held in memory, for the test
 * that compares it with a search over every task and for the search benchmark (transfer and query time).
 */
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';

/** [code, title, agency index, status index] */
export type SearchRow = [string, string, number, number];

export interface SearchAnswer {
  agencies: Array<[string, string, string]>;
  /** number of hits */
  total: number;
  /** the first page of hits */
  tasks: SearchRow[];
  /** page p of the hits (PAGE a page, in code order); only its details are downloaded */
  page(p: number): Promise<SearchRow[]>;
  pages: number;
}

export interface BrowserSearch {
  search(q: string): Promise<SearchAnswer>;
  /** hits a page */
  page: number;
}

interface SearchGlobal {
  TdnvSearch: {
    create(fetchJson: (path: string) => Promise<unknown>, base: string): BrowserSearch;
    fold(s: string): string;
  };
}

const source = readFileSync(new URL('../public/js/search.js', import.meta.url), 'utf8');

let loaded: SearchGlobal | null = null;
/** The script, run once: each create() is a fresh engine with its own cache (the script keeps no other state). */
function engineGlobal(): SearchGlobal {
  if (!loaded) {
    const context: Partial<SearchGlobal> = {};
    runInNewContext(source, context);
    loaded = context as SearchGlobal;
  }
  return loaded;
}

export interface BrowserSearchOptions {
  /** answer each download on a later turn of the event loop, so that downloads asked for together overlap */
  overlap?: boolean;
  /** parsed files shared between engines (the engine never changes what it is given) */
  parsed?: Map<string, unknown>;
}

/**
 * A fresh engine (an empty cache, as on a first visit) over the files; `fetched` lists what it downloaded,
 * `maxInFlight` the most downloads it waited for at once (with `overlap`).
 */
export function browserSearch(
  files: Map<string, string>,
  options: BrowserSearchOptions = {},
): { engine: BrowserSearch; fetched: string[]; maxInFlight: () => number } {
  const fetched: string[] = [];
  let inFlight = 0;
  let most = 0;
  const parse = (path: string, text: string) => {
    if (!options.parsed) return JSON.parse(text) as unknown;
    if (!options.parsed.has(path)) options.parsed.set(path, JSON.parse(text));
    return options.parsed.get(path);
  };
  const engine = engineGlobal().TdnvSearch.create((path) => {
    fetched.push(path);
    const text = files.get(path);
    if (text === undefined) return Promise.reject(new Error(`404 ${path}`));
    if (!options.overlap) return Promise.resolve(parse(path, text));
    most = Math.max(most, ++inFlight);
    return new Promise((resolve) =>
      setImmediate(() => {
        inFlight--;
        resolve(parse(path, text));
      }),
    );
  }, '/tim-kiem/');
  return { engine, fetched, maxInFlight: () => most };
}

/** Bytes the paths cost with gzip (the admin server compresses public files at zlib's default level). */
export function gzipBytes(files: Map<string, string>, paths: readonly string[]): number {
  let total = 0;
  for (const p of new Set(paths)) total += gzipSync(files.get(p) ?? '').length;
  return total;
}
