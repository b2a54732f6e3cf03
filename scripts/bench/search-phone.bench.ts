/**
 * Public search on a slow phone (issue 14): the browser's own engine (site/public/js/search.js) in Debian's
 * Chromium with Lighthouse's mobile throttling — CPU 4× slower, and its "slow 4G" network (150 ms round trip,
 * 1.6 Mbit/s down, 750 kbit/s up) — over the ten-year province's index, served gzip-compressed by a small local
 * server with the search page's form. Each run is a fresh page with an empty cache: the first query (downloads and
 * search), then queries whose chunks are loaded (the answer time a person typing sees; target ≤ 50 ms), and a
 * refinement that needs more chunks (rare combinations walk more of the index, each chunk a round trip).
 * Times from the form's submit to the answer in the page, medians of 5 runs. The same queries in Node without
 * throttling are the control (search.bench.ts).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { previewSnapshot } from '../../admin/publication/publish.ts';
import { buildSearchIndex } from '../../site/lib/search-index.ts';
import { indexFiles } from '../../site/lib/search-node.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../admin/test/e2e/support/browser.ts';
import type { BenchContext, BenchResult } from './types.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const FIRST = 'so tai chinh';
/** queries after the first whose chunks it loaded: the same again, and a shorter one */
const THEN = ['so tai chinh', 'tai chinh'];
/** a refinement that needs chunks the first query did not load (rare combinations walk more of the index) */
const REFINED = 'so tai chinh ngan sach';

const PAGE = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Tìm kiếm</title></head><body>
<form id="search-form"><input id="q" name="q"><button>Tìm</button></form>
<p id="search-status"></p><div id="search-results"></div><script src="/js/search.js"></script></body></html>`;

export default async function searchPhoneBench(ctx: BenchContext): Promise<BenchResult[]> {
  const snapshot = previewSnapshot(ctx.db, ctx.asOf.slice(0, 7), ctx.asOf);
  const files = indexFiles(buildSearchIndex(snapshot.agencies, snapshot.tasks));
  files.set('/js/search.js', readFileSync(new URL('../../site/public/js/search.js', import.meta.url), 'utf8'));
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
  try {
    for (let run = 0; run < 5; run++) {
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
      // submit → answer, timed in the page (performance.now), so the bench's own process does not count
      const ask = (q: string) =>
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
      first.push(await ask(FIRST));
      for (const q of THEN) then.push(await ask(q));
      refined.push(await ask(REFINED));
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  const f = Math.round(median(first));
  const t = Number(median(then).toFixed(1));
  const r = Math.round(median(refined));
  ctx.log(
    `search on a slow phone (4× CPU, slow 4G): first query "${FIRST}" ${f} ms (${first.map(Math.round).join(', ')}), ` +
      `then ${THEN.map((q) => `"${q}"`).join(', ')}: ${t} ms (${then.map((x) => x.toFixed(0)).join(', ')}); ` +
      `refined "${REFINED}" ${r} ms (${refined.map(Math.round).join(', ')})`,
  );
  return [
    { name: 'search.phone.firstQueryMs (downloads included)', value: f, unit: 'ms' },
    { name: 'search.phone.queryMs (chunks loaded)', value: t, unit: 'ms', target: '≤ 50 ms' },
    { name: 'search.phone.refinedQueryMs (more chunks to load)', value: r, unit: 'ms' },
  ];
}
