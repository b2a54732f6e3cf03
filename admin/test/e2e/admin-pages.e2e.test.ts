/**
 * Browser test in Debian's Chromium for the administration pages (issue 4): agencies (a merger through the form),
 * leaders and sectors, settings; the import page (check then confirm a CSV); the publish page (preview, publish).
 * Every page: axe-core without serious or critical violations, no CSP violation or script error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, seriousA11yViolations, signIn, type Chromium } from './support/browser.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAdminServer, type AdminServer } from './support/server.ts';
import { addDays, formatDateVi, today } from '../../domain/dates.ts';

let server: AdminServer;
let context: BrowserContext;
let browserHandle: Chromium | undefined;
let files: string;
const problems: string[] = [];

beforeAll(async () => {
  files = mkdtempSync(join(tmpdir(), 'admin-pages-'));
  server = await startAdminServer({ env: { SITE_DIR: join(files, 'site', 'current') } });
  browserHandle = await launchChromium();
  context = browserHandle.context;
}, 60_000);

afterAll(async () => {
  await browserHandle?.close();
  await server?.stop();
  if (files) rmSync(files, { recursive: true, force: true });
});

/** Signed in as the demo user of `role`; refused forms answer 422 on purpose. */
function signedIn(role: 'admin' | 'specialist' | 'confirmer'): Promise<Page> {
  return signIn(context, server.url, server.user(role), problems, 422);
}

describe('administration pages in Chromium', () => {
  it('agencies: merge Sở Xây dựng into Sở Tài chính through the form; catalogue and settings pages', {
    timeout: 120_000,
  }, async () => {
    const page = await signedIn('admin');
    const violations: string[] = [];
    await page.getByRole('link', { name: 'Đơn vị' }).click();
    violations.push(...(await seriousA11yViolations(page, true)));
    await page.getByRole('link', { name: 'Sở Xây dựng' }).click();
    violations.push(...(await seriousA11yViolations(page, true)));
    await page.getByLabel('Đơn vị kế thừa').selectOption({ label: 'Sở Tài chính (STC)' });
    await page.getByLabel('Ngày hợp nhất (dd/mm/yyyy)').fill(formatDateVi(today()));
    await page.getByLabel('Lý do (căn cứ quyết định)').fill('Quyết định số 12/QĐ-UBND');
    await page.getByRole('button', { name: 'Hợp nhất' }).click();
    await expect.poll(() => page.textContent('main')).toContain('Đã hợp nhất đơn vị');
    expect(await page.textContent('main')).toContain('vào Sở Tài chính');
    // a refused merger shows its message next to the field
    await page.goto(`${server.url}/admin/agencies`);
    await page.getByRole('link', { name: 'Sở Y tế' }).click();
    await page.getByLabel('Đơn vị kế thừa').selectOption({ label: 'Sở Tài chính (STC)' });
    await page.getByLabel('Ngày hợp nhất (dd/mm/yyyy)').fill(formatDateVi(addDays(today(), 5)));
    await page.getByLabel('Lý do (căn cứ quyết định)').fill('Quyết định số 12/QĐ-UBND');
    await page.getByRole('button', { name: 'Hợp nhất' }).click();
    expect(await page.textContent('main')).toContain('ở tương lai');
    violations.push(...(await seriousA11yViolations(page, true)));

    await page.getByRole('link', { name: 'Lãnh đạo & lĩnh vực' }).click();
    violations.push(...(await seriousA11yViolations(page, true)));
    await page.getByRole('link', { name: 'Thêm lãnh đạo' }).click();
    await page.getByLabel('Họ và tên').fill('Nguyễn Văn Thắng');
    await page.getByLabel('Chức vụ').fill('Chủ tịch UBND tỉnh');
    await page.getByRole('button', { name: 'Thêm' }).click();
    expect(await page.textContent('main')).toContain('Đã lưu.');
    violations.push(...(await seriousA11yViolations(page, true)));

    await page.getByRole('link', { name: 'Cấu hình' }).click();
    violations.push(...(await seriousA11yViolations(page, true)));
    await page.getByLabel('Tên cơ quan giao nhiệm vụ').fill('Ủy ban nhân dân tỉnh Lam Sơn');
    await page.getByLabel('Tên Văn phòng theo dõi').fill('Văn phòng UBND tỉnh Lam Sơn');
    await page.getByLabel('Lịch dựng lại (cron, giờ Việt Nam)').fill('* * * * *');
    await page.getByRole('button', { name: 'Lưu cấu hình' }).click();
    expect(await page.textContent('main')).toContain('dày hơn 1 lần mỗi giờ');
    await page.getByLabel('Lịch dựng lại (cron, giờ Việt Nam)').fill('0 6 * * *');
    await page.getByRole('button', { name: 'Lưu cấu hình' }).click();
    expect(await page.textContent('main')).toContain('Đã lưu cấu hình');
    expect(await page.textContent('main')).toContain('Lần dựng kế tiếp');
    violations.push(...(await seriousA11yViolations(page, true)));
    expect(violations).toEqual([]);
    await page.close();
  });

  it('import: check a CSV, see the summary, confirm', { timeout: 60_000 }, async () => {
    const page = await signedIn('specialist');
    await page.getByRole('link', { name: 'Nhập dữ liệu' }).click();
    const violations = await seriousA11yViolations(page, true);
    const d = today();
    const csv = join(files, 'nhiem-vu.csv');
    writeFileSync(
      csv,
      `Tên nhiệm vụ,Đơn vị chủ trì,Ngày giao,Thời hạn\nKiểm tra an toàn thực phẩm dịp Tết,SYT,${formatDateVi(d)},${formatDateVi(addDays(d, 30))}\n`,
    );
    await page.getByLabel(/Tệp dữ liệu/).setInputFiles(csv);
    await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
    expect(await page.textContent('main')).toContain('1 nhiệm vụ sẽ được nhập');
    violations.push(...(await seriousA11yViolations(page, true)));
    await page.getByRole('button', { name: /Xác nhận nhập 1 nhiệm vụ/ }).click();
    expect(await page.textContent('main')).toContain('Đã nhập các nhiệm vụ trong tệp');
    expect(violations).toEqual([]);
    await page.close();
  });

  it('publish: preview the current month to today and publish it', { timeout: 60_000 }, async () => {
    const page = await signedIn('confirmer');
    await page.getByRole('link', { name: 'Công bố' }).click();
    const violations = await seriousA11yViolations(page, true);
    const d = today();
    await page.getByLabel('Kỳ công bố (mm/yyyy)').fill(`${d.slice(5, 7)}/${d.slice(0, 4)}`);
    await page.getByLabel('Số liệu tính đến ngày (dd/mm/yyyy)').fill(formatDateVi(d));
    await page.getByRole('button', { name: 'Xem trước số liệu' }).click();
    expect(await page.textContent('main')).toContain('Theo đơn vị');
    violations.push(...(await seriousA11yViolations(page, true)));
    await page.getByRole('button', { name: 'Công bố kỳ này' }).click();
    expect(await page.textContent('main')).toContain('Đã công bố kỳ số liệu');
    expect(await page.textContent('main')).toContain('1 bản công bố');
    violations.push(...(await seriousA11yViolations(page, true)));
    expect(violations).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
