/**
 * Inside a unit, in Debian's Chromium against the real server (issue 11): in the demo agency whose head approves
 * first (Sở Xây dựng, DEMO_HEAD_APPROVAL_AGENCY), the focal point delegates the task to an officer; the officer
 * drafts the result report with a PDF; the focal point submits it and the head sends it back with a reason; the
 * focal point resubmits from the returned report, the head approves, and the Office confirms. Each step is on the
 * unit's timeline, marked internal, and the Office sees only the report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, seriousA11yViolations, signIn, type Chromium } from './support/browser.ts';
import { startAdminServer, type AdminServer } from './support/server.ts';
import type { DemoUser } from '../../auth/demo-users.ts';
import { samplePdf } from '../fixtures/files.ts';

let server: AdminServer;
let context: BrowserContext;
let browserHandle: Chromium | undefined;
const problems: string[] = [];
const AGENCY = 'SXD';

beforeAll(async () => {
  server = await startAdminServer();
  browserHandle = await launchChromium();
  context = browserHandle.context;
});

afterAll(async () => {
  await browserHandle?.close();
  await server?.stop();
});

/** The first demo user of a role in the agency under test. */
function userOf(role: DemoUser['role']): DemoUser {
  const u = server.users.find((x) => x.role === role && x.agencyCode === AGENCY);
  if (!u) throw new Error(`no demo ${role} in ${AGENCY}`);
  return u;
}

async function as(role: DemoUser['role']): Promise<Page> {
  return signIn(context, server.url, userOf(role), problems);
}

async function logout(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await page.waitForURL(/\/admin\/login/);
  await page.close();
}

/** The unread notices of the signed-in person, as the list page shows them (kind, task code, details). */
async function unreadNotices(page: Page): Promise<string> {
  await page.goto(`${server.url}/admin/thong-bao?state=unread`);
  return (await page.locator('main').textContent()) ?? '';
}

const pdf = () => ({ name: 'Dự thảo báo cáo.pdf', mimeType: 'application/pdf', buffer: Buffer.from(samplePdf()) });

describe('an officer drafts, the head sends back, the focal point resubmits, the Office confirms', () => {
  let code = '';
  let officerName = '';

  it('the focal point delegates the task to an officer', async () => {
    code = server.tasksByAgency[AGENCY]!;
    officerName = `Chuyên viên A, ${userOf('officer').agencyName}`;
    const page = await as('agency');
    await page.goto(`${server.url}/admin/tasks/${code}`);
    const form = page.locator('#action-delegate');
    await form.getByLabel(officerName).check();
    await form.getByLabel('Nội dung giao việc (không bắt buộc)').fill('Chủ trì soạn báo cáo chuyên đề');
    await form.getByRole('button', { name: 'Giao việc' }).click();
    await page.waitForURL(/msg=task_delegated/);
    const main = await page.locator('main').textContent();
    expect(main).toContain('Chuyên viên được giao');
    expect(main).toContain('Chủ trì soạn báo cáo chuyên đề');
    await logout(page);
  });

  it('the officer sees only that task and drafts the report with a PDF', async () => {
    // the 403 below is provoked on purpose
    const page = await signIn(context, server.url, userOf('officer'), problems, 403);
    await page.goto(`${server.url}/admin/tasks`);
    const listed = await page.locator('main table a[href^="/admin/tasks/NV-"]').allTextContents();
    expect(listed).toEqual([code]);
    const other = Object.entries(server.tasksByAgency).find(([a]) => a !== AGENCY)![1];
    expect((await page.goto(`${server.url}/admin/tasks/${other}`))!.status()).toBe(403);
    await page.goto(`${server.url}/admin/tasks/${code}`);
    // the header's bell carries the officer's unread "delegated to me" notice
    expect(await page.locator('.notice-bell').getAttribute('aria-label')).toBe('Thông báo 1 chưa đọc');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await page.locator('#action-report').count()).toBe(0); // the focal point or the head submits
    const form = page.locator('#action-draft');
    await form.getByLabel('Kết quả thực hiện (dự thảo)').fill('Đã khảo sát 14 công trình; kiến nghị 3 nội dung.');
    await form.locator('input[type=file]').setInputFiles(pdf());
    await form.getByRole('button', { name: 'Lưu dự thảo' }).click();
    await page.waitForURL(/msg=task_draft_saved/);
    expect(await page.locator('main').textContent()).toContain('Chuyên viên soạn dự thảo báo cáo kết quả');
    await logout(page);
  });

  it('the focal point submits the draft; the head sends it back with a reason', async () => {
    let page = await as('agency');
    // the officer's draft told the focal point
    const drafted = await unreadNotices(page);
    expect(drafted).toContain('Chuyên viên gửi dự thảo báo cáo');
    expect(drafted).toContain(code);
    await page.goto(`${server.url}/admin/tasks/${code}`);
    const form = page.locator('#action-report');
    expect(await form.getByLabel('Kết quả thực hiện').inputValue()).toBe(
      'Đã khảo sát 14 công trình; kiến nghị 3 nội dung.',
    );
    expect(await form.getByLabel('Dự thảo báo cáo.pdf').isChecked()).toBe(true);
    await form.getByRole('button', { name: 'Gửi báo cáo kết quả' }).click();
    await page.waitForURL(/msg=task_unit_submitted/);
    expect(await page.locator('main').textContent()).toContain('Đang chờ thủ trưởng duyệt');
    await logout(page);

    page = await as('head');
    // the submission told the head
    expect(await unreadNotices(page)).toContain('Chờ thủ trưởng đơn vị duyệt');
    await page.goto(`${server.url}/admin/tasks/${code}`);
    expect(await seriousA11yViolations(page)).toEqual([]);
    const back = page.locator('#action-send-back-report');
    await back.getByLabel('Lý do trả lại').fill('Bổ sung kinh phí dự kiến cho từng kiến nghị.');
    await back.getByRole('button', { name: 'Trả lại cán bộ đầu mối' }).click();
    await page.waitForURL(/msg=task_unit_sent_back/);
    expect(await page.locator('main').textContent()).toContain('Thủ trưởng đơn vị trả lại');
    await logout(page);
  });

  it('the focal point resubmits from the returned report and the head approves', async () => {
    let page = await as('agency');
    // the sending back told the focal point, with its reason
    const returned = await unreadNotices(page);
    expect(returned).toContain('Thủ trưởng đơn vị trả lại');
    expect(returned).toContain('Lý do: Bổ sung kinh phí dự kiến cho từng kiến nghị.');
    await page.goto(`${server.url}/admin/tasks/${code}`);
    expect(await page.locator('#timeline + .table-wrap').textContent()).toContain(
      'Bổ sung kinh phí dự kiến cho từng kiến nghị.',
    );
    const form = page.locator('#action-report');
    await form.getByLabel('Kết quả thực hiện').fill('Đã khảo sát 14 công trình; kiến nghị 3 nội dung, kèm kinh phí.');
    expect(await form.getByLabel('Dự thảo báo cáo.pdf').isChecked()).toBe(true);
    await form.getByRole('button', { name: 'Gửi báo cáo kết quả' }).click();
    await page.waitForURL(/msg=task_unit_submitted/);
    await logout(page);

    page = await as('head');
    await page.goto(`${server.url}/admin/tasks/${code}`);
    await page.locator('#action-approve-report').getByRole('button', { name: 'Duyệt, gửi Văn phòng' }).click();
    await page.waitForURL(/msg=task_unit_approved/);
    expect(await page.locator('.task-facts').textContent()).toContain('đã báo cáo, chờ xác nhận');
    await logout(page);
  });

  it('the Office sees the report (not the internal steps) and confirms it', async () => {
    const page = await signIn(context, server.url, server.user('confirmer'), problems);
    // the approved report told the working group; nothing internal reached it
    const waiting = await unreadNotices(page);
    expect(waiting).toContain('Báo cáo kết quả chờ xác nhận');
    expect(waiting).toContain(code);
    expect(waiting).not.toContain('thủ trưởng');
    await page.goto(`${server.url}/admin/tasks/${code}`);
    const timeline = (await page.locator('#timeline + .table-wrap').textContent()) ?? '';
    expect(timeline).toContain('kèm kinh phí');
    expect(timeline).not.toContain('Bổ sung kinh phí dự kiến');
    expect(timeline).not.toContain('Trình thủ trưởng');
    expect(
      await page.locator('#timeline + .table-wrap').getByRole('link', { name: 'Dự thảo báo cáo.pdf' }).count(),
    ).toBe(1);
    await page.locator('#action-confirm').getByRole('button', { name: 'Xác nhận hoàn thành' }).click();
    await page.waitForURL(/msg=task_confirmed/);
    expect(await page.locator('.task-facts').textContent()).toContain('Hoàn thành đúng hạn');
    await logout(page);
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
