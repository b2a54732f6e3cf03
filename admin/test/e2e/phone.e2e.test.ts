/**
 * The admin on a phone (issue 11): at 360 px CSS width the dashboard, the task list, a task page and the document
 * entry form fit the viewport (nothing makes the page scroll sideways: wide tables scroll inside their own box),
 * table cells are never narrower than their longest word (the "one word per line" breakage), and axe-core finds no
 * serious or critical violation. Also the calendar feed page and the audit log. Screenshots go to /tmp/phone-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, seriousA11yViolations, signIn, type Chromium } from './support/browser.ts';
import { startAdminServer, type AdminServer } from './support/server.ts';
import type { DB } from '../../db/open.ts';
import { appendEvent, createTask } from '../../domain/tasks.ts';
import { addDays, today } from '../../domain/dates.ts';

const WIDTH = 360;

let server: AdminServer;
let context: BrowserContext;
let browserHandle: Chromium | undefined;
const problems: string[] = [];

/** Long Vietnamese names and titles, deadlines past and future, a document, coordinators and a few events. */
function seed(db: DB): Record<string, string> {
  const ins = db.prepare('INSERT INTO agencies (code, name, kind) VALUES (?, ?, ?)');
  const names: Array<[string, string]> = [
    ['STC', 'Sở Tài chính'],
    ['SNNMT', 'Sở Nông nghiệp và Môi trường'],
    ['BQLKCN', 'Ban Quản lý các Khu công nghiệp tỉnh'],
    ['XPVA', 'Ủy ban nhân dân xã Phước Vĩnh An'],
  ];
  const ids = names.map(([code, name]) => Number(ins.run(code, name, 'department').lastInsertRowid));
  const leader = Number(
    db.prepare("INSERT INTO leaders (name, title) VALUES ('Nguyễn Văn Thành', 'Phó Chủ tịch UBND tỉnh')").run()
      .lastInsertRowid,
  );
  const t = today();
  const doc = Number(
    db
      .prepare(
        "INSERT INTO documents (number, doc_type, issued_on, signer_id, summary) VALUES ('1147/UBND-KSTT', 'Công văn', ?, ?, 'Về việc đẩy nhanh tiến độ giải ngân vốn đầu tư công và tháo gỡ khó khăn cho doanh nghiệp')",
      )
      .run(addDays(t, -40), leader).lastInsertRowid,
  );
  const out: Record<string, string> = {};
  const titles = [
    'Rà soát, đề xuất phương án sắp xếp lại các đơn vị sự nghiệp công lập trực thuộc theo Nghị quyết 19-NQ/TW',
    'Tham mưu UBND tỉnh ban hành kế hoạch chuyển đổi số trong lĩnh vực nông nghiệp và phát triển nông thôn',
    'Báo cáo tình hình thu hút đầu tư, tiến độ triển khai các dự án trong khu công nghiệp',
    'Kiểm tra, xử lý dứt điểm các trường hợp lấn chiếm đất công trên địa bàn xã',
  ];
  titles.forEach((title, i) => {
    const id = createTask(db, {
      title,
      content:
        'Nội dung chi tiết của nhiệm vụ, gồm nhiều đoạn văn bản dài để kiểm tra việc xuống dòng trên điện thoại.',
      documentId: doc,
      leadAgencyId: ids[i]!,
      coordinatorIds: ids.filter((_, j) => j !== i).slice(0, 2),
      leaderId: leader,
      assignedOn: addDays(t, -30),
      deadline: i % 2 === 0 ? addDays(t, -5) : addDays(t, 20),
      starred: i === 0,
    });
    appendEvent(db, id, { kind: 'received', occurredOn: addDays(t, -29) });
    appendEvent(db, id, { kind: 'progress', occurredOn: addDays(t, -10), note: 'Đã hoàn thành 60% khối lượng.' });
    out[names[i]![0]] = (db.prepare('SELECT code FROM tasks WHERE id = ?').get(id) as { code: string }).code;
  });
  return out;
}

beforeAll(async () => {
  server = await startAdminServer({ seed });
  browserHandle = await launchChromium();
  context = browserHandle.context;
}, 60_000);

afterAll(async () => {
  await browserHandle?.close();
  await server?.stop();
});

interface Layout {
  scrollWidth: number;
  /** elements sticking out of the viewport that are not inside a box that scrolls sideways */
  overflowing: string[];
  /** table cells narrower than their longest word */
  squeezedCells: string[];
  tables: number;
}

/** Measures the page as laid out (runs in the page; no style is injected, so the CSP is untouched). */
function measure(page: Page): Promise<Layout> {
  return page.evaluate((width) => {
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    const scrollsSideways = (el: Element | null): boolean => {
      for (let e = el; e && e !== document.body; e = e.parentElement) {
        const ox = getComputedStyle(e).overflowX;
        if (ox === 'auto' || ox === 'scroll' || ox === 'hidden') return true;
      }
      return false;
    };
    const overflowing: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if ((r.right > width + 0.5 || r.left < -0.5) && !scrollsSideways(el.parentElement)) {
        if (!el.closest('.skip')) overflowing.push(describe(el));
      }
    }
    const canvas = document.createElement('canvas').getContext('2d')!;
    const squeezedCells: string[] = [];
    const cells = Array.from(document.querySelectorAll('td, th'));
    for (const cell of cells) {
      // column names kept out of sight for screen readers when rows are stacked as cards
      if (cell.getBoundingClientRect().width < 2) continue;
      const style = getComputedStyle(cell);
      canvas.font = style.font;
      const words = (cell.textContent ?? '').split(/\s+/).filter(Boolean);
      if (words.length === 0) continue;
      const longest = Math.max(...words.map((w) => canvas.measureText(w).width));
      const inner =
        cell.getBoundingClientRect().width -
        Number.parseFloat(style.paddingLeft) -
        Number.parseFloat(style.paddingRight);
      if (inner + 1 < Math.min(longest, 200))
        squeezedCells.push(`${describe(cell)} ${inner.toFixed(0)} < ${longest.toFixed(0)}`);
    }
    return {
      scrollWidth: document.documentElement.scrollWidth,
      overflowing: overflowing.slice(0, 20),
      squeezedCells: squeezedCells.slice(0, 20),
      tables: document.querySelectorAll('table').length,
    };
  }, WIDTH);
}

async function check(page: Page, name: string): Promise<Layout> {
  await page.setViewportSize({ width: WIDTH, height: 740 });
  await page.waitForLoadState('load');
  await page.screenshot({ path: `/tmp/phone-${name}.png`, fullPage: true });
  const m = await measure(page);
  expect.soft(m.overflowing, `${name}: elements outside the viewport`).toEqual([]);
  expect.soft(m.scrollWidth, `${name}: page scroll width`).toBeLessThanOrEqual(WIDTH);
  expect.soft(m.squeezedCells, `${name}: cells narrower than a word`).toEqual([]);
  expect.soft(await seriousA11yViolations(page, true), `${name}: axe`).toEqual([]);
  return m;
}

describe('the admin at 360 px', () => {
  it('dashboard, task list, task page and document entry fit a phone', { timeout: 120_000 }, async () => {
    const page = await signIn(context, server.url, server.user('specialist'), problems);
    await check(page, 'dashboard');
    await page.goto(`${server.url}/admin/tasks`);
    const list = await check(page, 'task-list');
    expect(list.tables).toBeGreaterThan(0);
    await page.goto(`${server.url}/admin/tasks/${server.tasksByAgency.STC}`);
    await check(page, 'task-page');
    await page.goto(`${server.url}/admin/documents/new`);
    await check(page, 'document-new');
    // the coordinating agencies' filter works at this width too (document-form.js)
    await page.getByLabel('Tìm đơn vị phối hợp').first().fill('so nong nghiep');
    const visible = page.locator('fieldset.task-block').first().locator('label.checklist-item:visible');
    expect(await visible.allInnerTexts()).toEqual(['Sở Nông nghiệp và Môi trường']);
    await check(page, 'document-new-filtered');

    const agency = await signIn(context, server.url, server.user('agency'), problems);
    await check(agency, 'dashboard-agency');
    await agency.goto(`${server.url}/admin/tasks`);
    await check(agency, 'task-list-agency');
    // the calendar feed's page shows a 52-character token URL once: it wraps instead of widening the page
    await agency.goto(`${server.url}/admin/lich`);
    await agency.getByRole('button', { name: 'Bật lịch riêng' }).click();
    await agency.waitForLoadState('load');
    expect(await agency.locator('.secret').textContent()).toMatch(/\/admin\/lich\/[a-z2-7]{52}\.ics$/);
    await check(agency, 'calendar');

    const admin = await signIn(context, server.url, server.user('admin'), problems);
    await admin.goto(`${server.url}/admin/audit`);
    await check(admin, 'audit');
    expect(problems).toEqual([]);
  });
});
