/**
 * The province-merger preview page through the app (issue 12): administrators only; the dry run's plan and counts
 * side by side; a refusal shown beside its field with a 422; nothing written either way.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../test/support/admin-app.ts';
import { dumpHash, makeProvincePair, type ProvincePair } from '../test/support/province-pair.ts';

let pair: ProvincePair;
let t: TestApp;
let otherDump: string;

beforeAll(() => {
  pair = makeProvincePair();
  otherDump = dumpHash(pair.otherPath);
  t = makeTestApp({ start: '2026-12-01T03:00:00Z' });
});
afterAll(() => rmSync(pair.dir, { recursive: true, force: true }));

const rowCounts = () =>
  t.db
    .prepare(
      'SELECT (SELECT count(*) FROM tasks) AS t, (SELECT count(*) FROM task_events) AS e, (SELECT count(*) FROM agencies) AS a',
    )
    .get();

const page = async (who: 'admin' | 'specialist', query: Record<string, string>) =>
  t.app.request(`/admin/province-merge?${new URLSearchParams(query)}`, {
    headers: { cookie: await t.cookieFor(who) },
  });

describe('GET /admin/province-merge', () => {
  it('is for administrators only', async () => {
    const res = await page('specialist', {});
    expect(res.status).toBe(403);
  });

  it('shows the dry run of a path on the server and writes nothing', async () => {
    const before = rowCounts();
    const map = join(pair.dir, 'page-map.csv');
    writeFileSync(map, 'STC,STC\n');
    const res = await page('admin', { from: pair.otherPath, prefix: 'bd', on: '01/07/2025', map });
    const html = await res.text();
    expect(res.status, html).toBe(200);
    expect(html).toContain('Chạy thử: Tỉnh Lam Sơn (đến 30/06/2025)');
    const stc = t.db.prepare("SELECT name FROM agencies WHERE code = 'STC'").get() as { name: string };
    expect(html).toMatch(new RegExp(`BD-STC Sở Tài chính</td>\\s*<td>STC ${stc.name}</td>`));
    expect(html).toContain('Sau (dự kiến)');
    expect(html).toContain(
      `npm run merge-province -- --from ${pair.otherPath} --prefix BD --on 2025-07-01 --map ${map}`,
    );
    expect(rowCounts()).toEqual(before);
    expect(dumpHash(pair.otherPath)).toBe(otherDump);
  });

  it('shows a refusal beside its field with a 422', async () => {
    const before = rowCounts();
    const map = join(pair.dir, 'page-bad.csv');
    writeFileSync(map, 'STC,STC\nKHONG-CO,STC\n');
    const res = await page('admin', { from: pair.otherPath, prefix: 'BD', on: '01/07/2025', map });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Dòng 2 của tệp ánh xạ');
    const bad = await page('admin', { from: join(pair.dir, 'khong-co.db'), on: '01/07/2025' });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('Không tìm thấy tệp cơ sở dữ liệu');
    const date = await page('admin', { from: pair.otherPath, on: '31/02/2025' });
    expect(date.status).toBe(422);
    expect(await date.text()).toContain('Ngày hợp nhất “31/02/2025” không hợp lệ');
    expect(rowCounts()).toEqual(before);
  });
});
