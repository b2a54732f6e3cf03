/**
 * Browser test in Debian's Chromium for finding tasks (issue 4): the dashboard's cards lead to the filtered task
 * list; the filter form (no JavaScript needed) with a text search without diacritics and a past as-of date; sorting
 * by a column header; an invalid date shown as a Vietnamese error; the Excel export downloads; the activity page.
 * Every page: axe-core without serious or critical violations, no CSP violation or script error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, seriousA11yViolations, signIn, type Chromium } from './support/browser.ts';
import { startAdminServer, type AdminServer } from './support/server.ts';

let server: AdminServer;
let context: BrowserContext;
let browserHandle: Chromium | undefined;
const problems: string[] = [];

beforeAll(async () => {
  server = await startAdminServer();
  browserHandle = await launchChromium({ acceptDownloads: true });
  context = browserHandle.context;
}, 60_000);

afterAll(async () => {
  await browserHandle?.close();
  await server?.stop();
});

/** Signed in as the demo user of `role`; refused forms answer 400 on purpose. */
function signedIn(role: 'specialist' | 'agency'): Promise<Page> {
  return signIn(context, server.url, server.user(role), problems, 400);
}

describe('finding tasks in Chromium', () => {
  it('dashboard → list → filter → sort → export; errors in Vietnamese; activity', { timeout: 120_000 }, async () => {
    const page = await signedIn('specialist');
    const violations = await seriousA11yViolations(page, true);
    // the default seed: three tasks without deadline, none acknowledged
    await page.locator('a[data-list="new"]').click();
    await page.waitForURL(/\/admin\/tasks\?/);
    expect(await page.locator('[data-total]').getAttribute('data-total')).toBe('3');
    violations.push(...(await seriousA11yViolations(page, true)));

    await page.goto(`${server.url}/admin/tasks`);
    await page.getByLabel('Từ khoá (không cần dấu)').fill('so tai chinh');
    await page.getByRole('button', { name: 'Lọc' }).click();
    await page.waitForURL(/q=so\+tai\+chinh/);
    expect(await page.locator('table.task-list tbody tr').count()).toBe(1);
    expect(await page.locator('table.task-list tbody').textContent()).toContain('Sở Tài chính');

    await page.goto(`${server.url}/admin/tasks`);
    await page.getByRole('link', { name: 'Mã', exact: true }).click();
    await page.waitForURL(/sort=code/);
    const codes = await page.locator('table.task-list tbody tr td:first-child').allInnerTexts();
    expect(codes).toEqual([...codes].sort());
    expect(await page.locator('th[aria-sort="ascending"]').count()).toBe(1);

    await page.getByRole('textbox', { name: 'Tính đến ngày' }).fill('31/02/2026');
    await page.getByRole('button', { name: 'Lọc' }).click();
    await page.waitForLoadState();
    expect(await page.locator('.flash-error').textContent()).toContain('không phải ngày hợp lệ');
    violations.push(...(await seriousA11yViolations(page, true)));

    await page.goto(`${server.url}/admin/tasks`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Excel (.xlsx)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^Danh sách nhiệm vụ đến ngày \d\d-\d\d-\d{4}\.xlsx$/);

    await page.goto(`${server.url}/admin/activity`);
    expect(await page.locator('tr[data-agency]').count()).toBe(3);
    violations.push(...(await seriousA11yViolations(page, true)));
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
