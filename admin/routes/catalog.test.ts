import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeTestApp, type TestApp } from '../test/support/admin-app.ts';
import type { Role } from '../auth/permissions.ts';

const rows = (t: TestApp, table: 'leaders' | 'sectors') => t.db.prepare(`SELECT * FROM ${table} ORDER BY id`).all();

describe('leaders and sectors', () => {
  it('administrator only: other roles get 403 and nothing is written', async () => {
    const t = makeTestApp();
    expect((await t.get('/admin/catalog', await t.cookieFor('admin'))).status).toBe(200);
    for (const role of ['agency', 'specialist', 'confirmer', 'leader'] as Role[]) {
      const cookie = await t.cookieFor(role);
      expect((await t.get('/admin/catalog', cookie)).status).toBe(403);
      expect(
        (await t.post('/admin/catalog/leaders', { name: 'Nguyễn Văn A', title: 'Chủ tịch UBND tỉnh' }, cookie)).status,
      ).toBe(403);
      expect((await t.post('/admin/catalog/sectors', { code: 'YT', name: 'Y tế' }, cookie)).status).toBe(403);
    }
    expect(rows(t, 'leaders')).toEqual([]);
    expect(rows(t, 'sectors')).toEqual([]);
  });

  it('creates, edits and deactivates leaders; a second active Chủ tịch is refused', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    expect(
      (await t.post('/admin/catalog/leaders', { name: 'Nguyễn Văn Thắng', title: 'Chủ tịch UBND tỉnh' }, admin)).status,
    ).toBe(303);
    expect(
      (await t.post('/admin/catalog/leaders', { name: 'Lê Thị Hạnh', title: 'Phó Chủ tịch UBND tỉnh' }, admin)).status,
    ).toBe(303);
    const second = await t.post('/admin/catalog/leaders', { name: 'Trần Văn B', title: 'chu tich ubnd tinh' }, admin);
    expect(second.status).toBe(422);
    expect(await second.text()).toContain('Đã có Chủ tịch đang hoạt động (Nguyễn Văn Thắng)');
    expect(rows(t, 'leaders')).toHaveLength(2);
    // the chairman leaves office: deactivated, then a new one can be added
    expect((await t.post('/admin/catalog/leaders/1/deactivate', {}, admin)).status).toBe(303);
    expect(
      (await t.post('/admin/catalog/leaders', { name: 'Trần Văn B', title: 'Chủ tịch UBND tỉnh' }, admin)).status,
    ).toBe(303);
    // reactivating the former one would make two
    const back = await t.post('/admin/catalog/leaders/1/activate', {}, admin);
    expect(back.status).toBe(422);
    expect(t.db.prepare('SELECT active FROM leaders WHERE id = 1').get()).toEqual({ active: 0 });
    expect(
      (
        await t.post(
          '/admin/catalog/leaders/2',
          { name: 'Lê Thị Hồng Hạnh', title: 'Phó Chủ tịch Thường trực UBND tỉnh' },
          admin,
        )
      ).status,
    ).toBe(303);
    expect(t.db.prepare('SELECT name, title FROM leaders WHERE id = 2').get()).toEqual({
      name: 'Lê Thị Hồng Hạnh',
      title: 'Phó Chủ tịch Thường trực UBND tỉnh',
    });
    const actions = (
      t.db.prepare("SELECT action FROM audit_log WHERE target_type = 'leader' ORDER BY id").all() as Array<{
        action: string;
      }>
    ).map((r) => r.action);
    expect(actions).toEqual(['leader.create', 'leader.create', 'leader.deactivate', 'leader.create', 'leader.update']);
    expect((await t.get('/admin/catalog/leaders/99', admin)).status).toBe(404);
  });

  it('sectors: duplicate code refused whatever its case; deactivate keeps old tasks', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    expect((await t.post('/admin/catalog/sectors', { code: 'yt', name: 'Y tế' }, admin)).status).toBe(303);
    const dup = await t.post('/admin/catalog/sectors', { code: 'YT', name: 'Y tế dự phòng' }, admin);
    expect(dup.status).toBe(422);
    expect(await dup.text()).toContain('Mã lĩnh vực YT đã được dùng');
    t.db.prepare('UPDATE tasks SET sector_id = 1').run();
    expect((await t.post('/admin/catalog/sectors/1/deactivate', {}, admin)).status).toBe(303);
    expect(t.db.prepare('SELECT active FROM sectors WHERE id = 1').get()).toEqual({ active: 0 });
    expect((t.db.prepare('SELECT count(*) AS n FROM tasks WHERE sector_id = 1').get() as { n: number }).n).toBe(3);
    const html = await (await t.get('/admin/catalog', admin)).text();
    expect(html).toContain('Ngừng sử dụng');
  });

  it('malformed input gets a message and writes nothing (property)', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    const junk = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('', '   ', 'a', 'x'.repeat(400), 'Y\u0007T', '<b>x</b>', 'A B'),
    );
    await fc.assert(
      fc.asyncProperty(junk, junk, async (code, name) => {
        const before = rows(t, 'sectors').length;
        const res = await t.post('/admin/catalog/sectors', { code, name }, admin);
        expect([303, 422]).toContain(res.status);
        expect(rows(t, 'sectors').length).toBe(before + (res.status === 303 ? 1 : 0));
        if (res.status === 422) expect(await res.text()).toContain('Có lỗi cần sửa');
      }),
      { numRuns: 50 },
    );
  });
});
