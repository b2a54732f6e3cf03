/** Browser test in Debian's Chromium against the real server: log in, dashboard, agency scoping by URL, log out. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, seriousA11yViolations, type Chromium } from './support/browser.ts';
import { startAdminServer, type AdminServer } from './support/server.ts';

let server: AdminServer;
let context: BrowserContext;
let browserHandle: Chromium | undefined;
const problems: string[] = [];

beforeAll(async () => {
  server = await startAdminServer();
  browserHandle = await launchChromium();
  context = browserHandle.context;
});

afterAll(async () => {
  await browserHandle?.close();
  await server?.stop();
});

function watch(page: Page): void {
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
}

async function login(page: Page, username: string, password: string): Promise<void> {
  await page.goto(`${server.url}/admin`);
  expect(page.url()).toContain('/admin/login');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(`${server.url}/admin`);
}

describe('admin sign-in in Chromium', () => {
  it('logs in, shows the dashboard, logs out', async () => {
    const page = await context.newPage();
    watch(page);
    const u = server.user('specialist');
    await login(page, u.username, u.password);
    await expect(page.locator('h1').textContent()).resolves.toBe('Tổng quan');
    expect(await seriousA11yViolations(page)).toEqual([]);
    const body = await page.locator('main').textContent();
    expect(body).toContain('Nhiệm vụ mới, chưa tiếp nhận');
    expect(body).toContain('Không thời hạn');
    // the stylesheet loaded under the CSP
    const color = await page.locator('header.top').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(color).toBe('rgb(165, 14, 14)');
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL(/\/admin\/login\?msg=logged_out/);
    expect(await page.locator('main').textContent()).toContain('Bạn đã đăng xuất.');
    await page.goto(`${server.url}/admin`);
    expect(page.url()).toContain('/admin/login');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a wrong password shows the Vietnamese message and no session', async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}/admin/login`);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel('Tên đăng nhập').fill(server.user('leader').username);
    await page.getByLabel('Mật khẩu').fill('không phải mật khẩu này');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect(page.locator('.flash-error').textContent()).resolves.toContain(
      'Tên đăng nhập hoặc mật khẩu không đúng.',
    );
    await page.close();
  });

  it("an agency user opens its own task but not another agency's by URL", async () => {
    const page = await context.newPage();
    watch(page);
    const u = server.user('agency', 1);
    await login(page, u.username, u.password);
    const own = server.tasksByAgency[u.agencyCode!]!;
    const otherCode = Object.keys(server.tasksByAgency).find((c) => c !== u.agencyCode)!;
    const other = server.tasksByAgency[otherCode]!;
    let res = await page.goto(`${server.url}/admin/tasks/${own}`);
    expect(res!.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toContain(own);
    expect(await page.locator('main').textContent()).toContain('Giao nhiệm vụ');
    res = await page.goto(`${server.url}/admin/tasks/${other}`);
    expect(res!.status()).toBe(403);
    const text = await page.locator('main').textContent();
    expect(text).toContain('Bạn không có quyền thực hiện thao tác này.');
    expect(text).not.toContain('Báo cáo chuyên đề');
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL(/\/admin\/login/);
    expect(problems.filter((p) => !p.includes('403'))).toEqual([]);
    await page.close();
  });
});
