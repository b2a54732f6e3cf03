/**
 * /toan-quoc/: the national roll-up folder beside the public release (admin/rollup/served.ts), served through the
 * admin app as the release is: only once it exists, with the public site's headers, gzip, no listing and no way out
 * of the folder; a folder address without its trailing slash is redirected (the roll-up's links are relative).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { makeTestApp, type TestApp } from '../test/support/admin-app.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A site folder with a public release in current/ and, unless `withRollup` is false, a roll-up in toan-quoc/. */
function site(withRollup = true): { t: TestApp; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'served-'));
  dirs.push(root);
  mkdirSync(join(root, 'current'));
  writeFileSync(join(root, 'current', 'index.html'), '<!doctype html><title>Tỉnh</title><h1>Trang của tỉnh</h1>');
  writeFileSync(join(root, 'current', '404.html'), '<h1>Trang không tồn tại (release)</h1>');
  writeFileSync(join(root, 'secret.txt'), 'secret');
  if (withRollup) rollup(root);
  return { t: makeTestApp({ env: { SITE_DIR: join(root, 'current') } }), root };
}

function rollup(root: string): void {
  const out = join(root, 'toan-quoc');
  mkdirSync(join(out, 'bao-cao', '2026-05'), { recursive: true });
  mkdirSync(join(out, 'css'));
  mkdirSync(join(out, 'du-lieu-mo'));
  writeFileSync(
    join(out, 'index.html'),
    `<!doctype html><title>Tổng hợp toàn quốc</title>${'<p>Cộng các tỉnh</p>'.repeat(100)}`,
  );
  writeFileSync(join(out, 'bao-cao', '2026-05', 'index.html'), '<h1>So sánh các tỉnh, tháng 5/2026</h1>');
  writeFileSync(join(out, 'css', 'site.css'), 'body{}');
  writeFileSync(join(out, 'du-lieu-mo', 'danh-muc.json'), '{"provinces":[]}');
}

describe('/toan-quoc/', () => {
  it('serves the roll-up with the public release’s headers', async () => {
    const { t } = site();
    const res = await t.get('/toan-quoc/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('Tổng hợp toàn quốc');
    const page = await t.get('/toan-quoc/bao-cao/2026-05/');
    expect(await page.text()).toContain('So sánh các tỉnh, tháng 5/2026');
    expect((await t.get('/toan-quoc/css/site.css')).headers.get('content-type')).toMatch(/^text\/css/);
    expect((await t.get('/toan-quoc/du-lieu-mo/danh-muc.json')).headers.get('content-type')).toMatch(
      /^application\/json/,
    );
    const home = await t.get('/');
    for (const h of [
      'cache-control',
      'content-security-policy',
      'x-frame-options',
      'x-content-type-options',
      'referrer-policy',
    ])
      expect(res.headers.get(h), h).toBe(home.headers.get(h));
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const gz = await t.app.request('/toan-quoc/', { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString('utf8')).toContain('Cộng các tỉnh');
    const head = await t.app.request('/toan-quoc/', { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('redirects a folder without its trailing slash, so relative links stay inside the roll-up', async () => {
    const { t } = site();
    for (const [from, to] of [
      ['/toan-quoc', '/toan-quoc/'],
      ['/toan-quoc/bao-cao/2026-05', '/toan-quoc/bao-cao/2026-05/'],
      ['/toan-quoc/bao-cao/2026-05?x=1', '/toan-quoc/bao-cao/2026-05/?x=1'],
    ] as const) {
      const res = await t.get(from);
      expect(res.status, from).toBe(301);
      expect(res.headers.get('location'), from).toBe(to);
    }
  });

  it('404 for what is not there; no listing; nothing outside the folder', async () => {
    const { t } = site();
    mkdirSync(join(t.env.siteDir, '..', 'toan-quoc', 'empty'));
    for (const p of [
      '/toan-quoc/khong-co.html',
      '/toan-quoc/khong-co',
      '/toan-quoc/empty/',
      '/toan-quoc/../secret.txt',
      '/toan-quoc/%2e%2e/secret.txt',
      '/toan-quoc/..%2fsecret.txt',
      '/toan-quoc/%2e%2e%2fsecret.txt',
      '/toan-quoc//etc/passwd',
    ]) {
      const res = await t.get(p);
      expect(res.status, p).toBe(404);
      expect(await res.text(), p).not.toContain('secret');
    }
    expect(await (await t.get('/toan-quoc/khong-co.html')).text()).toContain('Trang không tồn tại (release)');
  });

  it('is served only once it exists (the demo builds it after the server may have started)', async () => {
    const { t, root } = site(false);
    const before = await t.get('/toan-quoc/');
    expect(before.status).toBe(404);
    expect(await before.text()).toContain('Trang không tồn tại (release)');
    expect((await t.get('/toan-quoc')).status).toBe(404);
    rollup(root);
    const after = await t.get('/toan-quoc/');
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('Tổng hợp toàn quốc');
    // the province's own site is untouched
    expect(await (await t.get('/')).text()).toContain('Trang của tỉnh');
  });
});
