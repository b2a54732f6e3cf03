/**
 * Browser test in Debian's Chromium for the leaders' overview (issue 10) on a generated two-year province: reached
 * from the navigation, sorted by a column header and refused a bad period without any script; server-drawn charts
 * beside their tables; no page-wide sideways scrolling at 360 px; axe-core without serious or critical violations,
 * no CSP violation or script error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { generateProvince } from '../../demo/generate.ts';
import { launchChromium, seriousA11yViolations, signIn, type Chromium } from './support/browser.ts';
import { startAdminServer, type AdminServer } from './support/server.ts';

let server: AdminServer;
let browserHandle: Chromium | undefined;
const problems: string[] = [];

beforeAll(async () => {
  server = await startAdminServer({
    seed: (db) => {
      generateProvince(db, { years: 2, seed: 'overview-e2e' });
      return {};
    },
  });
  browserHandle = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browserHandle?.close();
  await server?.stop();
});

/**
 * axe-core in the page; axe itself applies inline styles while it measures (the page's CSP blocks and logs them),
 * so only the messages logged during its run that say so are dropped. The page's own markup is checked apart:
 * no style attribute, style element or script.
 */
async function axe(page: Page): Promise<string[]> {
  expect(await page.locator('[style], style, script').count()).toBe(0);
  const from = problems.length;
  const violations = await seriousA11yViolations(page, true);
  await page.waitForTimeout(100);
  const during = problems.splice(from);
  problems.push(...during.filter((m) => !m.startsWith('Applying inline style violates')));
  return violations;
}

describe('leaders overview in Chromium', () => {
  it('navigation, sorting by a header, a refused period, 360 px', async () => {
    // the refused period answers 400 on purpose
    const page = await signIn(browserHandle!.context, server.url, server.user('leader'), problems, 400);
    await page.getByRole('link', { name: 'Tổng hợp theo kỳ', exact: true }).click();
    await expect.poll(() => page.textContent('h1')).toContain('Tổng hợp tình hình thực hiện nhiệm vụ');
    expect(await page.locator('#bang-don-vi tbody tr').count()).toBeGreaterThan(10);
    expect(await page.locator('figure.chart svg').count()).toBe(4);
    const violations = await axe(page);

    // the cumulative view of the agency table (a tab), then sort by its overdue column: plain links, largest first
    await page
      .getByRole('navigation', { name: 'Cách tính của bảng theo đơn vị' })
      .getByRole('link', { name: 'Lũy kế đến ngày chốt' })
      .click();
    await expect.poll(() => page.textContent('#bang-don-vi caption')).toContain('lũy kế');
    await page.locator('#bang-don-vi a[data-sort="cumulative.overdue"]').click();
    await expect.poll(() => page.url()).toContain('sort=cumulative.overdue');
    const column = await page
      .locator('#bang-don-vi thead th')
      .evaluateAll((ths) => ths.findIndex((th) => th.querySelector('a[data-sort="cumulative.overdue"]')));
    const overdue = await page
      .locator('#bang-don-vi tbody tr')
      .evaluateAll(
        (rows, i) => rows.map((r) => Number((r.children[i]?.textContent ?? '0').replaceAll('.', ''))),
        column,
      );
    expect(overdue.length).toBeGreaterThan(10);
    expect(overdue).toEqual([...overdue].sort((a, b) => b - a));

    // a custom period ending before it starts: the form comes back with the message
    await page.getByLabel('Loại kỳ').selectOption('custom');
    await page.getByLabel('Từ ngày').fill('30/06/2026');
    await page.getByLabel('Đến ngày').fill('01/06/2026');
    await page.getByRole('button', { name: 'Xem số liệu' }).click();
    await expect.poll(() => page.textContent('main')).toContain('phải sau hoặc bằng ngày bắt đầu');
    expect(await page.getByLabel('Từ ngày').inputValue()).toBe('30/06/2026');
    violations.push(...(await axe(page)));

    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(`${server.url}/admin/overview?period=ytd`);
    const [scroll, client] = (await page.evaluate(
      '[document.documentElement.scrollWidth, document.documentElement.clientWidth]',
    )) as [number, number];
    expect(scroll).toBeLessThanOrEqual(client); // wide tables scroll inside their own frame
    violations.push(...(await axe(page)));

    expect(violations).toEqual([]);
    expect(problems).toEqual([]);
  });
});
