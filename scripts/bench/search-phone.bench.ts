/**
 * Public search on a slow phone (issue 14): the browser's own engine (site/public/js/search.js) in Debian's
 * Chromium with Lighthouse's mobile throttling — CPU 4× slower, and its "slow 4G" network (150 ms round trip,
 * 1.6 Mbit/s down, 750 kbit/s up) — over the ten-year province's index, served gzip-compressed by a small local
 * server with the search page's form. Each run is a fresh page with an empty cache: the first query (downloads and
 * search), then queries whose files are loaded (the answer time a person typing sees; target ≤ 50 ms), a
 * refinement that needs two more set files and other detail chunks, and the next page of its hits ("Xem thêm");
 * then rare combinations, each the first query of a fresh page. Times from the form's submit (or the click) to the
 * answer in the page, medians of 5 runs. The same queries in Node without throttling are the control
 * (search.bench.ts).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { previewSnapshot } from '../../admin/publication/publish.ts';
import { buildSearchIndex } from '../../site/lib/search-index.ts';
import { searchIndexFiles } from '../../site/lib/search-index.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../admin/test/e2e/support/browser.ts';
import type { BenchContext, BenchResult } from './types.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const FIRST = 'so tai chinh';
/** queries after the first whose chunks it loaded: the same again, and a shorter one */
const THEN = ['so tai chinh', 'tai chinh'];
/** a refinement that needs set files and detail chunks the first query did not load */
const REFINED = 'so tai chinh ngan sach';
/** rare combinations of common words, each the first query of a fresh page (their hits spread over ten years) */
const RARE = ['chuyen doi so', 'ubnd huyen cam lo ngan sach', 'benh vien tinh hinh', 'cong an dat dai'];

const PAGE = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Tìm kiếm</title></head><body>
<form id="search-form"><input id="q" name="q"><button>Tìm</button></form>
<p id="search-status"></p><div id="search-results"></div><script src="/js/search.js"></script>
<script src="/js/search-page.js"></script></body></html>`;

export default async function searchPhoneBench(ctx: BenchContext): Promise<BenchResult[]> {
  const snapshot = previewSnapshot(ctx.db, ctx.asOf.slice(0, 7), ctx.asOf);
  const files = searchIndexFiles(buildSearchIndex(snapshot.agencies, snapshot.tasks));
  for (const js of ['search.js', 'search-page.js'])
    files.set(`/js/${js}`, readFileSync(new URL(`../../site/public/js/${js}`, import.meta.url), 'utf8'));
  files.set('/tim-kiem/', PAGE);
  const gz = new Map([...files].map(([p, body]) => [p, gzipSync(body)]));
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const body = gz.get(path);
    if (!body) return void res.writeHead(404).end();
    const type = path.endsWith('.js') ? 'text/javascript' : path.endsWith('/') ? 'text/html' : 'application/json';
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'content-encoding': 'gzip' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tim-kiem/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  const first: number[] = [];
  const then: number[] = [];
  const refined: number[] = [];
  const more: number[] = [];
  const rare = new Map<string, number[]>(RARE.map((q) => [q, []]));
  // a fresh page with an empty cache under Lighthouse's mobile throttling
  const freshPage = async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: (1638.4 * 1024) / 8,
      uploadThroughput: (750 * 1024) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.goto(url);
    return { context, page };
  };
  // submit → answer, timed in the page (performance.now), so the bench's own process does not count
  const ask = (page: Page, q: string) =>
    page.evaluate(
      (query) =>
        new Promise<number>((resolve) => {
          const status = document.getElementById('search-status')!;
          const input = document.getElementById('q') as HTMLInputElement;
          status.textContent = '';
          const t0 = performance.now();
          const seen = new MutationObserver(() => {
            if (status.textContent?.startsWith('Tìm thấy')) {
              seen.disconnect();
              resolve(performance.now() - t0);
            }
          });
          seen.observe(status, { childList: true, characterData: true, subtree: true });
          input.value = query;
          (document.getElementById('search-form') as HTMLFormElement).requestSubmit();
        }),
      q,
    );
  // click "Xem thêm" → the next page's rows in the list
  const nextPage = (page: Page) =>
    page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const list = document.getElementById('search-tasks');
          const button = document.getElementById('search-more') as HTMLButtonElement | null;
          if (!list || !button) return reject(new Error('no next page'));
          const before = list.children.length;
          const t0 = performance.now();
          const seen = new MutationObserver(() => {
            if (list.children.length > before) {
              seen.disconnect();
              resolve(performance.now() - t0);
            }
          });
          seen.observe(list, { childList: true });
          button.click();
        }),
    );
  try {
    for (let run = 0; run < 5; run++) {
      const { context, page } = await freshPage();
      first.push(await ask(page, FIRST));
      for (const q of THEN) then.push(await ask(page, q));
      refined.push(await ask(page, REFINED));
      more.push(await nextPage(page));
      await context.close();
      for (const q of RARE) {
        const fresh = await freshPage();
        rare.get(q)!.push(await ask(fresh.page, q));
        await fresh.context.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  const f = Math.round(median(first));
  const t = Number(median(then).toFixed(1));
  const r = Math.round(median(refined));
  const m = Math.round(median(more));
  const runs = (xs: number[]) => xs.map(Math.round).join(', ');
  ctx.log(
    `search on a slow phone (4× CPU, slow 4G): first query "${FIRST}" ${f} ms (${runs(first)}), ` +
      `then ${THEN.map((q) => `"${q}"`).join(', ')}: ${t} ms (${then.map((x) => x.toFixed(0)).join(', ')}); ` +
      `refined "${REFINED}" ${r} ms (${runs(refined)}); its next page ${m} ms (${runs(more)})`,
  );
  for (const [q, xs] of rare)
    ctx.log(`search on a slow phone: rare "${q}" as a first query ${Math.round(median(xs))} ms (${runs(xs)})`);
  const rareWorst = Math.max(...[...rare.values()].map(median));
  return [
    { name: 'search.phone.firstQueryMs (downloads included)', value: f, unit: 'ms' },
    { name: 'search.phone.queryMs (files loaded)', value: t, unit: 'ms', target: '≤ 50 ms' },
    { name: 'search.phone.refinedQueryMs (two more set files and chunks)', value: r, unit: 'ms' },
    { name: 'search.phone.nextPageMs', value: m, unit: 'ms' },
    { name: 'search.phone.rareFirstQueryMs (slowest of the rare)', value: Math.round(rareWorst), unit: 'ms' },
  ];
}
