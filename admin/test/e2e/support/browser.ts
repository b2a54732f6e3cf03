/**
 * Debian's Chromium for the browser tests (playwright-core, no browser download): a fresh profile per test file,
 * the flags this closed network needs, and axe-core run inside the page.
 */
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A persistent context on a new empty profile, removed by close(). */
export async function launchChromium(options: { acceptDownloads?: boolean } = {}): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    ...options,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core in the page (page.evaluate runs outside the page's CSP); serious and critical violations only. */
export async function seriousA11yViolations(page: Page, withUrl = false): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as {
    violations: Array<{ id: string; impact: string | null; nodes: unknown[] }>;
  };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${withUrl ? `${page.url()}: ` : ''}${v.id} (${v.nodes.length})`);
}

/**
 * A fresh page signed in through the login form (cookies of any earlier user cleared). Console errors and page
 * errors go to `problems`, except HTTP statuses the test provokes on purpose (`expectedStatus`, e.g. 400 or 422).
 */
export async function signIn(
  context: BrowserContext,
  baseUrl: string,
  user: { username: string; password: string },
  problems: string[],
  expectedStatus?: number,
): Promise<Page> {
  await context.clearCookies();
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' && !(expectedStatus !== undefined && m.text().includes(`status of ${expectedStatus}`)))
      problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${baseUrl}/admin/login`);
  await page.getByLabel('Tên đăng nhập').fill(user.username);
  await page.getByLabel('Mật khẩu').fill(user.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(`${baseUrl}/admin`);
  return page;
}
