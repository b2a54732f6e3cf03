import { DEFAULT_NOTICE_WAITING_DAYS, noticeWaitingDays } from '../domain/settings.ts';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { makeTestApp, TEST_ORIGIN, type TestApp } from '../test/support/admin-app.ts';
import { samplePdf, samplePng } from '../test/fixtures/files.ts';
import { previewSnapshot } from '../publication/index.ts';
import { startRebuildScheduler } from '../jobs/site-rebuild.ts';
import { readSettings } from '../domain/settings.ts';
import type { Role } from '../auth/permissions.ts';

const VALID = {
  provinceName: 'Ủy ban nhân dân tỉnh Lam Sơn',
  officeName: 'Văn phòng UBND tỉnh Lam Sơn',
  address: '01 Đại lộ Lê Lợi, TP. Thanh Hóa',
  phone: '0237 3852 123',
  email: 'vanphong@lamson.gov.vn',
  website: 'https://vpubnd.lamson.gov.vn',
  rebuildCron: '0 7 6 * *',
  noticeWaitingDays: '7',
};

function send(
  t: TestApp,
  cookie: string,
  fields: Record<string, string>,
  logo?: { name: string; bytes: Uint8Array<ArrayBuffer> },
): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (logo) form.append('logo', new File([logo.bytes], logo.name));
  return Promise.resolve(
    t.app.request('/admin/settings', { method: 'POST', headers: { origin: TEST_ORIGIN, cookie }, body: form }),
  );
}
const rows = (t: TestApp) => JSON.stringify(t.db.prepare('SELECT * FROM settings ORDER BY key').all());
const uploads = (t: TestApp) => readdirSync(t.env.uploadDir).length;

describe('settings page', () => {
  it('administrator only; other roles get 403 and nothing is written', async () => {
    const t = makeTestApp();
    expect((await t.get('/admin/settings', await t.cookieFor('admin'))).status).toBe(200);
    for (const role of ['agency', 'specialist', 'confirmer', 'leader'] as Role[]) {
      const cookie = await t.cookieFor(role);
      expect((await t.get('/admin/settings', cookie)).status).toBe(403);
      expect((await send(t, cookie, VALID)).status).toBe(403);
    }
    expect(rows(t)).toBe('[]');
  });

  it('saves, audits the changes, and the next publication carries the new names; the scheduler picks up the cron', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    const res = await send(t, admin, VALID);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/settings?msg=settings_saved');
    expect(readSettings(t.db)).toMatchObject(VALID);
    const snap = previewSnapshot(t.db, '2026-02', '2026-02-28', t.clock.now);
    expect(snap.province).toBe('Ủy ban nhân dân tỉnh Lam Sơn');
    expect(snap.office).toBe('Văn phòng UBND tỉnh Lam Sơn');
    const audit = JSON.parse(
      (t.db.prepare("SELECT details FROM audit_log WHERE action = 'settings.update'").get() as { details: string })
        .details,
    );
    expect(audit.changes.provinceName).toEqual(['', 'Ủy ban nhân dân tỉnh Lam Sơn']);
    const page = await (await t.get('/admin/settings', admin)).text();
    expect(page).toContain('Lần dựng kế tiếp: 06/03/2026 07:00');

    const scheduler = startRebuildScheduler({ db: t.db, siteRoot: '/nonexistent', log: () => {}, pollMs: 3_600_000 });
    try {
      expect(scheduler.current()).toBe('0 7 6 * *');
      expect((await send(t, admin, { ...VALID, rebuildCron: '' })).status).toBe(303);
      scheduler.reload();
      expect(scheduler.current()).toBe('');
    } finally {
      scheduler.stop();
    }
    // saving the same values again writes no audit row
    const before = (
      t.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'settings.update'").get() as { n: number }
    ).n;
    expect((await send(t, admin, { ...VALID, rebuildCron: '' })).status).toBe(303);
    expect(
      (t.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'settings.update'").get() as { n: number }).n,
    ).toBe(before);
  });

  const bad: Array<[Partial<typeof VALID>, RegExp]> = [
    [{ provinceName: '' }, /Cần nhập tên cơ quan/],
    [{ email: 'khong-phai-email' }, /thư điện tử không hợp lệ/],
    [{ website: 'javascript:alert(1)' }, /phải bắt đầu bằng https:\/\//],
    [{ phone: 'gọi tôi' }, /Số điện thoại chỉ gồm/],
    [{ rebuildCron: '* * * * *' }, /dày hơn 1 lần mỗi giờ/],
    [{ rebuildCron: '0 6 * * * *' }, /đúng 5 trường/],
    [{ officeName: 'Văn phòng\u0000UBND' }, /ký tự điều khiển/],
    [{ address: 'x'.repeat(301) }, /tối đa 300 ký tự/],
    [{ noticeWaitingDays: '0' }, /Số ngày chờ phải là số nguyên từ 1 đến 90/],
    [{ noticeWaitingDays: 'năm' }, /Số ngày chờ phải là số nguyên từ 1 đến 90/],
  ];
  for (const [change, message] of bad) {
    it(`refuses ${JSON.stringify(change).slice(0, 60)} with a clear message, writing nothing`, async () => {
      const t = makeTestApp();
      const res = await send(t, await t.cookieFor('admin'), { ...VALID, ...change });
      expect(res.status).toBe(422);
      expect(await res.text()).toMatch(message);
      expect(rows(t)).toBe('[]');
    });
  }

  it('the notice threshold is read by the notice job; empty means the default', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    expect(noticeWaitingDays(t.db)).toBe(DEFAULT_NOTICE_WAITING_DAYS);
    expect((await send(t, admin, VALID)).status).toBe(303);
    expect(noticeWaitingDays(t.db)).toBe(7);
    expect(await (await t.get('/admin/settings', admin)).text()).toContain(
      'name="noticeWaitingDays" type="text" value="7"',
    );
    expect((await send(t, admin, { ...VALID, noticeWaitingDays: '' })).status).toBe(303);
    expect(noticeWaitingDays(t.db)).toBe(DEFAULT_NOTICE_WAITING_DAYS);
  });

  it('any field content: saved only when valid, never a 500 (property)', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    const keys = Object.keys(VALID) as Array<keyof typeof VALID>;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...keys), fc.string({ maxLength: 120 }), async (key, value) => {
        const before = rows(t);
        const res = await send(t, admin, { ...VALID, [key]: value });
        expect([303, 422]).toContain(res.status);
        if (res.status === 422) expect(rows(t)).toBe(before);
      }),
      { numRuns: 60 },
    );
  });

  it('logo: an image checked by content, served publicly; a disguised file is refused and leaves nothing', async () => {
    const t = makeTestApp();
    const admin = await t.cookieFor('admin');
    const filesBefore = uploads(t);
    const refused = await send(t, admin, VALID, { name: 'logo.png', bytes: samplePdf() });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('không đúng định dạng cho phép');
    expect(rows(t)).toBe('[]');
    expect(uploads(t)).toBe(filesBefore);

    const png = samplePng(8, 8);
    expect((await send(t, admin, VALID, { name: 'biểu trưng.png', bytes: png })).status).toBe(303);
    const logo = await t.get('/admin/settings/logo'); // anonymous
    expect(logo.status).toBe(200);
    expect(logo.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await logo.arrayBuffer()).equals(Buffer.from(png))).toBe(true);
    expect(await (await t.get('/admin/settings', admin)).text()).toContain('src="/admin/settings/logo"');

    expect((await send(t, admin, { ...VALID, remove_logo: '1' })).status).toBe(303);
    expect((await t.get('/admin/settings/logo')).status).toBe(404);
  });
});
