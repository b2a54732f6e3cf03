/**
 * The right of reply in Debian's Chromium against the real server (issue 13): the head of Sở Tài chính answers its
 * published figures, the head of Sở Y tế too; the office lead approves the first and declines the second with a
 * reason, rebuilds the public site from the publish page, and the approved reply is on the agency's public page while
 * the declined one is nowhere (nor on its own agency's page); the unit sees the decision and its reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, seriousA11yViolations, signIn, type Chromium } from './support/browser.ts';
import { startAdminServer, type AdminServer } from './support/server.ts';
import type { DB } from '../../db/open.ts';
import { addDays, addMonths, endOfMonth, today } from '../../domain/dates.ts';
import { createTask } from '../../domain/tasks.ts';
import { publishPeriod } from '../../publication/publish.ts';

let server: AdminServer;
let context: BrowserContext;
let browserHandle: Chromium | undefined;
const problems: string[] = [];
const lastMonth = addMonths(`${today().slice(0, 7)}-01`, -1).slice(0, 7);
const APPROVED = 'Sở Tài chính đã hoàn thành hai nhiệm vụ quá hạn vào ngày cuối tháng.';
const DECLINED = 'Ý kiến của Sở Y tế không được công khai ZQX';

function seed(db: DB): Record<string, string> {
  const ins = db.prepare('INSERT INTO agencies (code, name, kind) VALUES (?, ?, ?)');
  const out: Record<string, string> = {};
  for (const [code, name] of [
    ['STC', 'Sở Tài chính'],
    ['SYT', 'Sở Y tế'],
    ['SXD', 'Sở Xây dựng'],
  ] as const) {
    const id = Number(ins.run(code, name, 'department').lastInsertRowid);
    const taskId = createTask(db, {
      title: `Báo cáo chuyên đề của ${name}`,
      leadAgencyId: id,
      assignedOn: addDays(today(), -60),
      deadline: addDays(today(), 60),
    });
    out[code] = (db.prepare('SELECT code FROM tasks WHERE id = ?').get(taskId) as { code: string }).code;
  }
  publishPeriod(db, { period: lastMonth, asOf: endOfMonth(lastMonth) });
  return out;
}

beforeAll(async () => {
  server = await startAdminServer({ seed });
  browserHandle = await launchChromium();
  context = browserHandle.context;
}, 120_000);

afterAll(async () => {
  await browserHandle?.close();
  await server?.stop();
});

const headOf = (code: string) => server.users.find((u) => u.role === 'head' && u.agencyCode === code)!;

async function reply(page: Page, text: string): Promise<void> {
  await page.getByRole('link', { name: 'Ý kiến về số liệu', exact: true }).click();
  await page.getByLabel('Nội dung ý kiến').fill(text);
  await page.getByRole('button', { name: 'Gửi ý kiến' }).click();
  await page.waitForURL(/msg=reply_submitted/);
  expect(await page.locator('main').textContent()).toContain('Chờ Văn phòng xem xét');
}

describe('a unit answers its published figures', () => {
  it('two heads reply; the office lead approves one, declines the other with a reason', async () => {
    let page = await signIn(context, server.url, headOf('STC'), problems);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await reply(page, APPROVED);
    expect(await seriousA11yViolations(page)).toEqual([]);
    page = await signIn(context, server.url, headOf('SYT'), problems);
    await reply(page, DECLINED);

    page = await signIn(context, server.url, server.user('confirmer'), problems);
    await page.getByRole('link', { name: 'Ý kiến đơn vị', exact: true }).click();
    expect(await seriousA11yViolations(page)).toEqual([]);
    const stc = page.locator('section.reply', { hasText: 'Sở Tài chính' });
    await stc.getByRole('button', { name: 'Đồng ý công khai' }).click();
    await page.waitForURL(/msg=reply_approved/);
    const syt = page.locator('section.reply', { hasText: 'Sở Y tế' });
    await syt.getByLabel('Lý do không công khai').fill('Nội dung chưa đúng số liệu đã công bố');
    await syt.getByRole('button', { name: 'Không công khai' }).click();
    await page.waitForURL(/msg=reply_declined/);
    expect(await page.locator('main').textContent()).toContain('Nội dung chưa đúng số liệu đã công bố');

    // the unit sees the decision and its reason
    page = await signIn(context, server.url, headOf('SYT'), problems);
    await page.goto(`${server.url}/admin/y-kien`);
    expect(await page.locator('main').textContent()).toContain('lý do: Nội dung chưa đúng số liệu đã công bố');
  });

  it('after a rebuild the approved reply is public, the declined one nowhere', async () => {
    const page = await signIn(context, server.url, server.user('confirmer'), problems);
    await page.goto(`${server.url}/admin/publish`);
    await page.getByRole('button', { name: 'Dựng lại trang công khai' }).click();
    await expect.poll(async () => (await fetch(`${server.url}/co-quan/stc/`)).status, { timeout: 120_000 }).toBe(200);
    const stc = await (await fetch(`${server.url}/co-quan/stc/`)).text();
    expect(stc).toContain(APPROVED);
    for (const path of ['/co-quan/syt/', `/bao-cao/${lastMonth}/`, '/du-lieu-mo/y-kien.csv', '/atom.xml']) {
      const body = await (await fetch(`${server.url}${path}`)).text();
      expect(body, path).not.toContain('ZQX');
    }
    expect(await (await fetch(`${server.url}/bao-cao/${lastMonth}/`)).text()).toContain(APPROVED);
    expect(problems, problems.join('\n')).toEqual([]);
  }, 150_000);
});
