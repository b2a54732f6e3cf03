/**
 * The browser's search engine (site/public/js/search.js) run in Node over an index held in memory, for the test
 * that compares it with a search over every task and for the search benchmark (transfer and query time).
 */
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import type { SearchIndex } from './search-index.ts';

/** [code, title, agency index, status index] */
export type SearchRow = [string, string, number, number];

export interface SearchAnswer {
  agencies: Array<[string, string, string]>;
  tasks: SearchRow[];
}

export interface BrowserSearch {
  search(q: string): Promise<SearchAnswer>;
  limit: number;
}

interface SearchGlobal {
  TdnvSearch: {
    create(fetchJson: (path: string) => Promise<unknown>, base: string): BrowserSearch;
    fold(s: string): string;
  };
}

const source = readFileSync(new URL('../public/js/search.js', import.meta.url), 'utf8');

/** The files of an index by their public path, as the site serves them. */
export function indexFiles(index: SearchIndex): Map<string, string> {
  const files = new Map([['/tim-kiem/chi-muc.json', JSON.stringify(index.manifest)]]);
  for (const c of [...index.chunks, ...index.agencyChunks])
    files.set(`/tim-kiem/chi-muc/${c.file}`, JSON.stringify(c.body));
  return files;
}

/** A fresh engine (an empty cache, as on a first visit) over the files; `fetched` lists what it downloaded. */
export function browserSearch(files: Map<string, string>): { engine: BrowserSearch; fetched: string[] } {
  const context: Partial<SearchGlobal> = {};
  runInNewContext(source, context);
  const fetched: string[] = [];
  const engine = context.TdnvSearch!.create((path) => {
    fetched.push(path);
    const text = files.get(path);
    return text === undefined ? Promise.reject(new Error(`404 ${path}`)) : Promise.resolve(JSON.parse(text));
  }, '/tim-kiem/');
  return { engine, fetched };
}

/** Bytes the paths cost with gzip (the admin server compresses public files at zlib's default level). */
export function gzipBytes(files: Map<string, string>, paths: readonly string[]): number {
  let total = 0;
  for (const p of new Set(paths)) total += gzipSync(files.get(p) ?? '').length;
  return total;
}
