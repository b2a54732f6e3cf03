/**
 * The search page's script (site/public/js/search-page.js over search.js) in Debian's Chromium, over the index of a
 * generated two-year province served as the site serves it: the first page of hits with the exact count, "Xem thêm"
 * appending the next pages in code order until every hit is shown, only the shown hits' detail chunks downloaded,
 * and bad input answered without an error.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openDatabase } from '../../db/open.ts';
import { generateProvince } from '../../demo/generate.ts';
import { foldVietnamese } from '../../domain/text.ts';
import { previewSnapshot } from '../../publication/publish.ts';
import type { PublicTask } from '../../publication/schema.ts';
import { buildSearchIndex } from '../../../site/lib/search-index.ts';
import { searchIndexFiles } from '../../../site/lib/search-index.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './support/browser.ts';

const PAGE = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Tìm kiếm</title></head><body>
<form id="search-form"><input id="q" name="q"><button>Tìm</button></form>
<p id="search-status"></p><div id="search-results"></div><script src="/js/search.js"></script>
<script src="/js/search-page.js"></script></body></html>`;

let browser: Browser;
let server: Server;
let url: string;
let tasks: PublicTask[];
let names: Map<string, string>;
const requested: string[] = [];

beforeAll(async () => {
  const db = openDatabase(':memory:');
  const summary = generateProvince(db, { years: 2, seed: 'search-page', endDate: '2026-10-31' });
  const snapshot = previewSnapshot(db, summary.to.slice(0, 7), summary.to, new Date('2026-11-05T03:00:00Z'));
  db.close();
  tasks = snapshot.tasks;
  names = new Map(snapshot.agencies.map((a) => [a.code, a.name]));
  const files = searchIndexFiles(buildSearchIndex(snapshot.agencies, snapshot.tasks));
  for (const js of ['search.js', 'search-page.js'])
    files.set(`/js/${js}`, readFileSync(new URL(`../../../site/public/js/${js}`, import.meta.url), 'utf8'));
  files.set('/tim-kiem/', PAGE);
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requested.push(path);
    const body = files.get(path);
    if (body === undefined) return void res.writeHead(404).end();
    const type = path.endsWith('.js') ? 'text/javascript' : path.endsWith('/') ? 'text/html' : 'application/json';
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8` }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tim-kiem/`;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  server?.close();
});

/** The codes of the tasks whose folded "code title agency" holds every term, in code order. */
function expectedCodes(q: string): string[] {
  const terms = foldVietnamese(q).split(' ').filter(Boolean);
  return tasks
    .filter((t) => {
      const text = foldVietnamese(`${t.code} ${t.title} ${names.get(t.leadAgency) ?? ''}`);
      return terms.every((term) => text.includes(term));
    })
    .map((t) => t.code);
}

async function searchFor(page: Page, q: string) {
  // the previous answer's status must not pass for this one's
  await page.evaluate(() => {
    document.getElementById('search-status')!.textContent = '';
  });
  await page.fill('#q', q);
  await page.click('#search-form button');
  await page.waitForFunction(() => document.getElementById('search-status')?.textContent?.startsWith('Tìm thấy'));
}

const shownCodes = (page: Page) =>
  page.$$eval('#search-tasks a', (as) => as.map((a) => (a.textContent ?? '').split(' — ')[0]));

describe('the search page in Chromium', () => {
  it('shows ten hits with the exact count, and "Xem thêm" the next ones in code order', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    const q = 'ngan sach';
    const want = expectedCodes(q);
    expect(want.length).toBeGreaterThan(20);
    requested.length = 0;
    await searchFor(page, q);
    const count = new Intl.NumberFormat('vi-VN').format(want.length);
    await expect(page.textContent('#search-status')).resolves.toContain(`${count} nhiệm vụ`);
    expect(await shownCodes(page)).toEqual(want.slice(0, 10));
    // the manifest, the terms' set files and the detail chunks of ten hits, nothing more
    const chunks = requested.filter((p) => /\/chi-muc\/\d+-/.test(p));
    expect(chunks.length).toBeLessThanOrEqual(10);
    await page.click('#search-more');
    await page.waitForFunction(() => document.querySelectorAll('#search-tasks li').length === 20);
    expect(await shownCodes(page)).toEqual(want.slice(0, 20));
    await expect(page.textContent('#search-more')).resolves.toContain(`đã hiện 20/${count}`);
    await page.close();
  });

  it('shows every hit of a small answer and no button', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    const code = tasks[tasks.length - 1]!.code;
    await searchFor(page, code.toLowerCase());
    expect(await shownCodes(page)).toEqual([code]);
    await expect(page.locator('#search-more').count()).resolves.toBe(0);
    await page.close();
  });

  it('answers bad input without an error: punctuation only, a very long query, nothing found', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    for (const q of ['!!!', `${'so tai chinh '.repeat(200)}`, 'xyz khong co']) {
      await searchFor(page, q);
      await expect(page.textContent('#search-status')).resolves.toMatch(/^Tìm thấy/);
    }
    await expect(page.textContent('#search-status')).resolves.toContain('0 nhiệm vụ');
    await page.fill('#q', '   ');
    await page.click('#search-form button');
    await expect(page.textContent('#search-status')).resolves.toBe('Nhập từ khóa để tìm.');
    expect(errors).toEqual([]);
    await page.close();
  });
});
