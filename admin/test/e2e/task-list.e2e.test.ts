/**
 * Browser test in Debian's Chromium for finding tasks (issue 4): the dashboard's cards lead to the filtered task
 * list; the filter form (no JavaScript needed) with a text search without diacritics and a past as-of date; sorting
 * by a column header; an invalid date shown as a Vietnamese error; the Excel export downloads; the activity page.
 * Every page: axe-core without serious or critical violations, no CSP violation or script error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { startAdminServer, type AdminServer } from './support/server.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server: AdminServer;
let context: BrowserContext;
let profile: string;
const problems: string[] = [];

beforeAll(async () => {
  server = await startAdminServer();
  profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await server?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function axe(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as {
    violations: Array<{ id: string; impact: string | null; nodes: unknown[] }>;
  };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${page.url()}: ${v.id} (${v.nodes.length})`);
}

async function signedIn(role: 'specialist' | 'agency'): Promise<Page> {
  await context.clearCookies();
  const page = await context.newPage();
  page.on('console', (m) => {
    // the invalid filter answers 400 on purpose; anything else (a CSP refusal, a script error) is a problem
    if (m.type() === 'error' && !/status of 400/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  const u = server.user(role);
  await page.goto(`${server.url}/admin/login`);
  await page.getByLabel('Tên đăng nhập').fill(u.username);
  await page.getByLabel('Mật khẩu').fill(u.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(`${server.url}/admin`);
  return page;
}

describe('finding tasks in Chromium', () => {
  it('dashboard → list → filter → sort → export; errors in Vietnamese; activity', { timeout: 120_000 }, async () => {
    const page = await signedIn('specialist');
    const violations = await axe(page);
    // the default seed: three tasks without deadline, none acknowledged
    await page.locator('a[data-list="new"]').click();
    await page.waitForURL(/\/admin\/tasks\?/);
    expect(await page.locator('[data-total]').getAttribute('data-total')).toBe('3');
    violations.push(...(await axe(page)));

    await page.goto(`${server.url}/admin/tasks`);
    await page.getByLabel('Từ khoá (không cần dấu)').fill('so tai chinh');
    await page.getByRole('button', { name: 'Lọc' }).click();
    await page.waitForURL(/q=so\+tai\+chinh/);
    expect(await page.locator('table.task-list tbody tr').count()).toBe(1);
    expect(await page.locator('table.task-list tbody').innerText()).toContain('Sở Tài chính');

    await page.goto(`${server.url}/admin/tasks`);
    await page.getByRole('link', { name: 'Mã', exact: true }).click();
    await page.waitForURL(/sort=code/);
    const codes = await page.locator('table.task-list tbody tr td:first-child').allInnerTexts();
    expect(codes).toEqual([...codes].sort());
    expect(await page.locator('th[aria-sort="ascending"]').count()).toBe(1);

    await page.getByRole('textbox', { name: 'Tính đến ngày' }).fill('31/02/2026');
    await page.getByRole('button', { name: 'Lọc' }).click();
    await page.waitForLoadState();
    expect(await page.locator('.flash-error').innerText()).toContain('không phải ngày hợp lệ');
    violations.push(...(await axe(page)));

    await page.goto(`${server.url}/admin/tasks`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Excel (.xlsx)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^Danh sách nhiệm vụ đến ngày \d\d-\d\d-\d{4}\.xlsx$/);

    await page.goto(`${server.url}/admin/activity`);
    expect(await page.locator('tr[data-agency]').count()).toBe(3);
    violations.push(...(await axe(page)));
    expect(violations).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('an agency user finds only its own tasks', { timeout: 60_000 }, async () => {
    const page = await signedIn('agency');
    await page.goto(`${server.url}/admin/tasks`);
    expect(await page.locator('table.task-list tbody tr').count()).toBe(1);
    await page.goto(`${server.url}/admin/activity`);
    expect(await page.locator('tr[data-agency]').count()).toBe(1);
    expect(problems).toEqual([]);
  });
});
