/**
 * Public search (issue 14) on the ten-year province: the index (site/lib/search-index.ts: a manifest, one set file
 * per term, detail chunks) built from the newest month's snapshot (previewSnapshot: the same snapshot publishPeriod
 * freezes, nothing written), and the browser's own engine (site/public/js/search.js) run in Node over it.
 * - first search transfer (gzip): the files a fresh visitor's first query downloads (manifest, its terms' set
 *   files, the detail chunks of the first page), gzip at zlib's default level as the admin server compresses public
 *   files. Measured over a sweep of thousands of queries drawn from the data (search-sweep.ts: every word, every
 *   run of two and three words of the titles and agency names, pairs and triples of the commonest words, agency
 *   names and codes, task codes, single characters, garbage), reported as its maximum (target ≤ 60 KB), 95th
 *   percentile and median, and per kind of query; whole titles (15–25 words pasted) are their own figure. The
 *   queries of before are printed too;
 * - the single-file index of before (every task in one JSON) as the control;
 * - query time: Node on this machine, not a throttled phone (search-phone.bench.ts measures that): a first query
 *   (manifest and files parsed, downloads instant) and a repeated one. Medians of 5 runs.
 */
import { gzipSync } from 'node:zlib';
import { previewSnapshot } from '../../admin/publication/publish.ts';
import { CATEGORIES } from '../../admin/publication/schema.ts';
import { buildSearchIndex } from '../../site/lib/search-index.ts';
import { browserSearch } from '../../site/lib/search-node.ts';
import { searchIndexFiles } from '../../site/lib/search-index.ts';
import { sweepQueries } from './search-sweep.ts';
import type { BenchContext, BenchResult } from './types.ts';

const TYPICAL = ['so tai chinh', 'y te'];
const OTHERS = ['ke hoach dau tu', 'benh vien', 'cong an', 'ngan sach', 'ubnd huyen cam lo', 'chuyen doi so'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * p)] ?? 0;
const kb = (bytes: number) => Number((bytes / 1024).toFixed(1));

export default async function searchBench(ctx: BenchContext): Promise<BenchResult[]> {
  const snapshot = previewSnapshot(ctx.db, ctx.asOf.slice(0, 7), ctx.asOf);
  const t0 = performance.now();
  const index = buildSearchIndex(snapshot.agencies, snapshot.tasks);
  const buildMs = performance.now() - t0;
  const files = searchIndexFiles(index);
  const gz = new Map([...files].map(([p, body]) => [p, gzipSync(body).length]));
  const cost = (paths: readonly string[]) => [...new Set(paths)].reduce((sum, p) => sum + (gz.get(p) ?? 0), 0);
  // the index of before issue 14, for comparison: every task in one file
  const agencyIndex = new Map(snapshot.agencies.map((a, i) => [a.code, i]));
  const single = JSON.stringify({
    v: 1,
    statuses: index.manifest.statuses,
    agencies: index.manifest.agencies,
    tasks: snapshot.tasks.map((t) => [
      t.code,
      t.title,
      agencyIndex.get(t.leadAgency) ?? 0,
      CATEGORIES.indexOf(t.status),
    ]),
  });
  ctx.log(
    `search: ${snapshot.tasks.length} tasks, ${index.manifest.words.length} words, ${index.sets.length} set files, ` +
      `${index.chunks.length} detail chunks, manifest ${kb(cost(['/tim-kiem/chi-muc.json']))} KB gzip, ` +
      `all files ${kb(cost([...files.keys()]))} KB gzip, built in ${Math.round(buildMs)} ms`,
  );

  const parsed = new Map<string, unknown>();
  const firstSearch = async (q: string) => {
    const { engine, fetched } = browserSearch(files, { parsed });
    const res = await engine.search(q);
    return { res, fetched, bytes: cost(fetched) };
  };
  const sample = snapshot.tasks[Math.floor(snapshot.tasks.length / 2)]!.code;
  const named = new Map<string, number>();
  for (const q of [...TYPICAL, ...OTHERS, sample]) {
    const { res, fetched, bytes } = await firstSearch(q);
    named.set(q, bytes);
    ctx.log(
      `search: "${q}": ${res.agencies.length} agencies, ${res.total} tasks, ${fetched.length} files, ${kb(bytes)} KB gzip`,
    );
  }

  const sweepStart = performance.now();
  const byKind = new Map<string, Array<{ q: string; bytes: number }>>();
  for (const { kind, q } of sweepQueries(snapshot.agencies, snapshot.tasks)) {
    const { bytes } = await firstSearch(q);
    if (!byKind.has(kind)) byKind.set(kind, []);
    byKind.get(kind)!.push({ q, bytes });
  }
  const sweep = [...byKind].filter(([kind]) => kind !== 'whole title').flatMap(([, rs]) => rs);
  const titles = byKind.get('whole title') ?? [];
  for (const [kind, rs] of byKind) {
    const worst = rs.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    const bytes = rs.map((r) => r.bytes);
    ctx.log(
      `search sweep: ${kind}: ${rs.length} queries, max ${kb(worst.bytes)} KB ("${worst.q.slice(0, 80)}"), ` +
        `p95 ${kb(percentile(bytes, 0.95))} KB, median ${kb(median(bytes))} KB`,
    );
  }
  const sweepBytes = sweep.map((r) => r.bytes);
  const titleBytes = titles.map((r) => r.bytes);
  ctx.log(
    `search sweep: ${sweep.length} queries (whole titles apart) in ${Math.round((performance.now() - sweepStart) / 1000)} s: ` +
      `max ${kb(Math.max(...sweepBytes))} KB, p95 ${kb(percentile(sweepBytes, 0.95))} KB, median ${kb(median(sweepBytes))} KB`,
  );

  const first: number[] = [];
  const repeated: number[] = [];
  for (let run = 0; run < 5; run++) {
    for (const q of TYPICAL) {
      const { engine } = browserSearch(files);
      let t = performance.now();
      await engine.search(q);
      first.push(performance.now() - t);
      t = performance.now();
      await engine.search(q);
      repeated.push(performance.now() - t);
    }
  }

  return [
    {
      name: 'search.firstTransferKB.sweepMax',
      value: kb(Math.max(...sweepBytes)),
      unit: 'KB',
      target: '≤ 60 KB',
    },
    { name: 'search.firstTransferKB.sweepP95', value: kb(percentile(sweepBytes, 0.95)), unit: 'KB' },
    { name: 'search.firstTransferKB.sweepMedian', value: kb(median(sweepBytes)), unit: 'KB' },
    { name: 'search.firstTransferKB.sweepQueries', value: sweep.length, unit: 'queries' },
    { name: 'search.firstTransferKB.wholeTitleMax', value: kb(Math.max(...titleBytes)), unit: 'KB' },
    { name: 'search.firstTransferKB.wholeTitleP95', value: kb(percentile(titleBytes, 0.95)), unit: 'KB' },
    ...[...named].map(([q, bytes]) => ({
      name: `search.firstTransferKB.${q === sample ? 'taskCode' : q.replace(/ /g, '-')}`,
      value: kb(bytes),
      unit: 'KB',
    })),
    { name: 'search.singleFileIndexKB', value: kb(gzipSync(single).length), unit: 'KB' },
    { name: 'search.indexFiles', value: files.size, unit: 'files' },
    { name: 'search.firstQueryMs.node', value: Number(median(first).toFixed(1)), unit: 'ms' },
    { name: 'search.repeatQueryMs.node', value: Number(median(repeated).toFixed(2)), unit: 'ms' },
  ];
}
