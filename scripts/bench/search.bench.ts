/**
 * Public search (issue 14) on the ten-year province: the index in parts (site/lib/search-index.ts) built from the
 * newest month's snapshot (previewSnapshot: the same snapshot publishPeriod freezes, nothing written), and the
 * browser's own engine (site/public/js/search.js) run in Node over it.
 * - first search transfer (gzip): the manifest and the chunks a fresh visitor's first query downloads, gzip at
 *   zlib's default level as the admin server compresses public files; the headline figure is the larger of the two
 *   typical queries "so tai chinh" and "y te" (target ≤ 60 KB), each query of the table is printed too, and the
 *   largest of the table is its own figure (rarer agencies and words spread over the years load more chunks);
 * - the single-file index of before (every task in one JSON) as the control;
 * - query time: Node on this machine, not a throttled phone (Lighthouse's mobile CPU throttling is 4×; it is not
 *   measured here): a first query (manifest and chunks parsed and folded, downloads instant) and a repeated one.
 *   Medians of 5 runs.
 */
import { gzipSync } from 'node:zlib';
import { previewSnapshot } from '../../admin/publication/publish.ts';
import { CATEGORIES } from '../../admin/publication/schema.ts';
import { buildSearchIndex } from '../../site/lib/search-index.ts';
import { browserSearch, gzipBytes, indexFiles } from '../../site/lib/search-node.ts';
import type { BenchContext, BenchResult } from './types.ts';

const TYPICAL = ['so tai chinh', 'y te'];
const OTHERS = ['ke hoach dau tu', 'benh vien', 'cong an', 'ngan sach', 'ubnd huyen cam lo', 'chuyen doi so'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const kb = (bytes: number) => Number((bytes / 1024).toFixed(1));

export default async function searchBench(ctx: BenchContext): Promise<BenchResult[]> {
  const snapshot = previewSnapshot(ctx.db, ctx.asOf.slice(0, 7), ctx.asOf);
  const t0 = performance.now();
  const index = buildSearchIndex(snapshot.agencies, snapshot.tasks);
  const buildMs = performance.now() - t0;
  const files = indexFiles(index);
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
    `search: ${snapshot.tasks.length} tasks, ${index.chunks.length} chunks, manifest ${kb(gzipBytes(files, ['/tim-kiem/chi-muc.json']))} KB gzip, built in ${Math.round(buildMs)} ms`,
  );

  const sample = snapshot.tasks[Math.floor(snapshot.tasks.length / 2)]!.code;
  const transfer = new Map<string, number>();
  for (const q of [...TYPICAL, ...OTHERS, sample]) {
    const { engine, fetched } = browserSearch(files);
    const res = await engine.search(q);
    transfer.set(q, gzipBytes(files, fetched));
    ctx.log(
      `search: "${q}": ${res.agencies.length} agencies, ${res.tasks.length} tasks, ${fetched.length} files, ${kb(transfer.get(q)!)} KB gzip`,
    );
  }

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

  const typical = Math.max(...TYPICAL.map((q) => transfer.get(q)!));
  return [
    { name: 'search.firstTransferKB', value: kb(typical), unit: 'KB', target: '≤ 60 KB' },
    { name: 'search.firstTransferKB.widestOfTable', value: kb(Math.max(...transfer.values())), unit: 'KB' },
    ...[...transfer].map(([q, bytes]) => ({
      name: `search.firstTransferKB.${q === sample ? 'taskCode' : q.replace(/ /g, '-')}`,
      value: kb(bytes),
      unit: 'KB',
    })),
    { name: 'search.singleFileIndexKB', value: kb(gzipSync(single).length), unit: 'KB' },
    {
      name: 'search.firstQueryMs.node',
      value: Number(median(first).toFixed(1)),
      unit: 'ms',
      target: '≤ 50 ms (phone not measured)',
    },
    { name: 'search.repeatQueryMs.node', value: Number(median(repeated).toFixed(2)), unit: 'ms' },
  ];
}
