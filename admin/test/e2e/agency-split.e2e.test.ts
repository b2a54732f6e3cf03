/**
 * Browser test of the split preview (issue 12, Tests) in Debian's Chromium: the administrator opens a district,
 * types a sector mapping, re-computes, chooses a successor for the row the mapping leaves open, applies, and sees
 * the district ended and each task with its successor. axe-core without serious or critical violations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, seriousA11yViolations, signIn, type Chromium } from './support/browser.ts';
import { startAdminServer, type AdminServer } from './support/server.ts';
import type { DB } from '../../db/open.ts';
import { createTask } from '../../domain/tasks.ts';
import { formatDateVi, today } from '../../domain/dates.ts';

let server: AdminServer;
let browserHandle: Chromium | undefined;
const problems: string[] = [];

/** A district with three open tasks (land, roads, no sector), two communes and a department. */
function seed(db: DB): Record<string, string> {
  const ins = db.prepare('INSERT INTO agencies (code, name, kind) VALUES (?, ?, ?)');
  const district = Number(ins.run('UBND-HX', 'UBND huyện X', 'district').lastInsertRowid);
  for (const [code, name, kind] of [
    ['STC', 'Sở Tài chính', 'department'],
    ['XA-1', 'UBND xã Một', 'commune'],
    ['XA-2', 'UBND xã Hai', 'commune'],
  ] as const)
    ins.run(code, name, kind);
  const sec = db.prepare('INSERT INTO sectors (code, name) VALUES (?, ?)');
  const dat = Number(sec.run('DD', 'Đất đai').lastInsertRowid);
  const gt = Number(sec.run('GT', 'Giao thông').lastInsertRowid);
  const out: Record<string, string> = {};
  for (const [key, title, sectorId] of [
    ['land', 'Giải phóng mặt bằng khu tái định cư', dat],
    ['road', 'Sửa đường liên xã', gt],
    ['general', 'Báo cáo tổng kết năm', null],
  ] as const) {
    const id = createTask(db, {
      title,
      leadAgencyId: district,
      sectorId,
      assignedOn: today(),
      deadline: null,
      noDeadlineReason: 'Thường xuyên',
    });
    out[key] = (db.prepare('SELECT code FROM tasks WHERE id = ?').get(id) as { code: string }).code;
  }
  return out;
}

beforeAll(async () => {
  server = await startAdminServer({ seed });
  browserHandle = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browserHandle?.close();
  await server?.stop();
});

describe('agency split in Chromium', () => {
  it('preview, choose a successor for a row, apply: the tasks move and the district ends', {
    timeout: 120_000,
  }, async () => {
    const codes = server.tasksByAgency;
    const page = await signIn(browserHandle!.context, server.url, server.user('admin'), problems, 422);
    const violations: string[] = [];
    await page.getByRole('link', { name: 'Đơn vị' }).click();
    await page.getByRole('link', { name: 'UBND huyện X' }).click();
    await page.getByRole('link', { name: 'Chia tách' }).click();
    expect(await page.textContent('main')).toContain('Nhiệm vụ đang thực hiện (3)');
    violations.push(...(await seriousA11yViolations(page, true)));

    await page.getByLabel('Bảng ánh xạ lĩnh vực → đơn vị tiếp nhận').fill('DD,XA-1\nGT,XA-2\nSTC');
    await page.getByRole('button', { name: 'Tính lại đề xuất' }).click();
    await expect.poll(() => page.textContent('main')).toContain('Đã tính lại đề xuất');
    const row = (key: string) => page.getByLabel(`Đơn vị tiếp nhận nhiệm vụ ${codes[key]}`);
    expect(await row('land').inputValue()).not.toBe('');
    expect(await row('general').inputValue()).toBe('');
    expect(await page.textContent('main')).toContain('1 nhiệm vụ chưa có đơn vị tiếp nhận');

    // applying with a row left open is refused, naming the task, and keeps what was chosen
    await page.getByLabel('Lý do (căn cứ quyết định)').fill('Quyết định 55/QĐ-UBND sắp xếp đơn vị hành chính');
    await page.getByRole('button', { name: 'Thực hiện chia tách' }).click();
    await expect.poll(() => page.textContent('main')).toContain(`chưa có đơn vị tiếp nhận: ${codes.general}`);
    violations.push(...(await seriousA11yViolations(page, true)));

    // the administrator changes the road row and chooses the open one, then applies
    await row('road').selectOption({ label: 'Sở Tài chính (STC)' });
    await row('general').selectOption({ label: 'UBND xã Hai (XA-2)' });
    await page.getByRole('button', { name: 'Thực hiện chia tách' }).click();
    await expect.poll(() => page.textContent('main')).toContain('Đã chia tách đơn vị');
    expect(await page.textContent('main')).toContain(`Đã giải thể từ ngày ${formatDateVi(today())}`);

    // the agencies list counts each successor's open task; the Office sees who leads each task now
    await page.goto(`${server.url}/admin/agencies`);
    const openOf = async (name: string) =>
      (await page.getByRole('row').filter({ hasText: name }).locator('td').nth(6).textContent())?.trim();
    expect([await openOf('UBND xã Một'), await openOf('UBND xã Hai'), await openOf('Sở Tài chính')]).toEqual([
      '1',
      '1',
      '1',
    ]);
    expect(await openOf('UBND huyện X')).toBe('0');
    const office = await signIn(browserHandle!.context, server.url, server.user('specialist'), problems);
    for (const [key, name] of [
      ['land', 'UBND xã Một'],
      ['road', 'Sở Tài chính'],
      ['general', 'UBND xã Hai'],
    ] as const) {
      await office.goto(`${server.url}/admin/tasks/${codes[key]}`);
      expect(await office.textContent('main')).toContain(
        `Chuyển nhiệm vụ do chia tách UBND huyện X; ${name} tiếp nhận.`,
      );
    }
    expect(violations).toEqual([]);
    expect(problems).toEqual([]);
  });
});
