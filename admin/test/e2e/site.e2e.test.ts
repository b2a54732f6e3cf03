/**
 * The public site in Debian's Chromium, served with the strict CSP: axe-core (no serious or critical violation)
 * on home, an agency, a task, a report and search; no CSP violation; charts render; tables readable without
 * JavaScript; no horizontal scrolling at 360 px; search without diacritics; remembered display preferences.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openDatabase } from '../../db/open.ts';
import { buildFixtureProvince, FIXTURE_PERIODS } from '../fixtures/province.ts';
import { publishPeriod } from '../../publication/publish.ts';
import { buildSite, REPO_ROOT } from '../../publication/site-build.ts';
import { serveStatic } from './support/site.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const AXE = readFileSync(join(REPO_ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const PAGES = {
  home: '/',
  agency: '/co-quan/stc/',
  task: '/nhiem-vu/NV-2026-00003/',
  report: '/bao-cao/2026-03/',
  search: '/tim-kiem/',
  activity: '/muc-do-cap-nhat/',
  openData: '/du-lieu-mo/',
};

let tmp: string;
let browser: Browser;
let server: Awaited<ReturnType<typeof serveStatic>>;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'site-e2e-'));
  const db = openDatabase(join(tmp, 'app.db'));
  buildFixtureProvince(db);
  for (const p of FIXTURE_PERIODS) publishPeriod(db, { ...p, now: new Date('2026-04-05T03:00:00Z') });
  await buildSite({ db, siteDir: join(tmp, 'site'), trigger: 'test' });
  db.close();
  server = await serveStatic(join(tmp, 'site', 'current'));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ], // launch() always starts from a fresh temporary profile
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Scrolls to the bottom in viewport steps, as a reader would, then back to the top; waits for the network. */
async function scrollThrough(page: Page): Promise<void> {
  await page.evaluate(async () => {
    for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight / 2) {
      window.scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 30));
    }
    window.scrollTo(0, 0);
  });
  await page.waitForLoadState('networkidle');
}

async function open(page: Page, path: string): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  await page.addInitScript(() => {
    (window as unknown as { __csp: string[] }).__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const res = await page.goto(server.url + path, { waitUntil: 'networkidle' });
  expect(res?.status()).toBe(200);
  // bring every lazily drawn chart in, so its script runs under the CSP before violations are collected
  await scrollThrough(page);
  violations.push(...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)));
  return violations;
}

describe('public site in Chromium', () => {
  for (const [name, path] of Object.entries(PAGES)) {
    it(`${name}: no serious or critical axe violation, no CSP violation`, async () => {
      const page = await browser.newPage();
      const csp = await open(page, path);
      expect(csp).toEqual([]);
      // evaluated through the DevTools protocol, so the page's CSP does not block the injected axe source
      await page.evaluate(AXE);
      const result = (await page.evaluate(() =>
        (window as unknown as { axe: { run: (o: unknown) => Promise<unknown> } }).axe.run({
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
        }),
      )) as { violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> };
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      await page.close();
    });
  }

  it('the CSP check itself catches an inline script (control)', async () => {
    writeFileSync(
      join(tmp, 'site', 'current', 'csp-control.html'),
      '<!doctype html><title>x</title><script>document.title = "ran"</script>',
    );
    const page = await browser.newPage();
    const csp = await open(page, '/csp-control.html');
    expect(csp.length).toBeGreaterThan(0);
    expect(await page.title()).toBe('x');
    await page.close();
    rmSync(join(tmp, 'site', 'current', 'csp-control.html'));
  });

  it('draws the charts from the tables on the home and agency pages', async () => {
    const page = await browser.newPage();
    await open(page, '/');
    // charts load lazily as their tables come near the viewport: scroll through the page like a reader
    await scrollThrough(page);
    await page.waitForFunction(() => Number(document.documentElement.dataset.chartsRendered ?? 0) >= 3);
    expect(await page.locator('canvas').count()).toBeGreaterThanOrEqual(3);
    await open(page, '/co-quan/stc/');
    await scrollThrough(page);
    await page.waitForFunction(() => Number(document.documentElement.dataset.chartsRendered ?? 0) >= 2);
    await page.close();
  });

  it('reads the numbers in tables with JavaScript disabled', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    expect(await page.locator('canvas').count()).toBe(0);
    // the four-status table of the year to date; the cumulative cards (rules version 2)
    const row = page.locator('table tbody tr', { hasText: 'Đang thực hiện quá hạn' }).first();
    await expect(row.locator('td').first().textContent()).resolves.toBe('2');
    expect(await page.locator('[data-testid="onTimeRate"]').textContent()).toBe('25,0%');
    await page.goto(`${server.url}/co-quan/`);
    expect(await page.locator('table tbody tr').count()).toBe(3);
    await context.close();
  });

  it('fits a 360 px wide screen without horizontal scrolling', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    for (const path of Object.values(PAGES)) {
      await page.goto(server.url + path, { waitUntil: 'networkidle' });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, path).toBeLessThanOrEqual(360);
    }
    await page.close();
  });

  it('finds "Sở Tài chính" from "so tai chinh"', async () => {
    const page = await browser.newPage();
    await open(page, '/tim-kiem/');
    await page.fill('#q', 'so tai chinh');
    await page.click('#search-form button');
    await expect(
      page.locator('#search-results a', { hasText: 'Sở Tài chính' }).first().getAttribute('href'),
    ).resolves.toBe('/co-quan/stc/');
    await page.fill('#q', 'ke hoach dau tu');
    await page.click('#search-form button');
    await expect(page.locator('#search-results a').first().textContent()).resolves.toContain('NV-2026-00003');
    await page.close();
  });

  it('high-contrast mode also passes axe on the home page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.click('#display-tools [data-contrast]');
    await page.evaluate(AXE);
    const result = (await page.evaluate(() =>
      (window as unknown as { axe: { run: (o: unknown) => Promise<unknown> } }).axe.run({
        runOnly: { type: 'tag', values: ['wcag2aa'] },
      }),
    )) as { violations: Array<{ id: string; impact: string }> };
    expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual(
      [],
    );
    await context.close();
  });

  it('prints a report without navigation or charts', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/bao-cao/2026-03/`, { waitUntil: 'networkidle' });
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav.main').isVisible()).toBe(false);
    expect(await page.locator('.chart-box').first().isVisible()).toBe(false);
    expect(await page.locator('table').first().isVisible()).toBe(true);
    await page.close();
  });

  it('remembers the font size and high-contrast choices', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.click('#display-tools [data-size="lg"]');
    await page.click('#display-tools [data-contrast]');
    await page.goto(`${server.url}/co-quan/`);
    const cls = await page.evaluate(() => document.documentElement.className);
    expect(cls).toContain('fs-lg');
    expect(cls).toContain('hc');
    expect(await page.getAttribute('#display-tools [data-size="lg"]', 'aria-pressed')).toBe('true');
    await context.close();
  });
});
