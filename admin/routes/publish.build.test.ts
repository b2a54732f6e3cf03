/**
 * One real site build through the publish page (Astro runs as a child process, ~10–40 s here): the test app's
 * three tasks (smaller than the fixture province, whose codes would collide with them) are published from the page, the build is started from the page, its progress page refreshes while it
 * runs, and afterwards the new release is live, listed, and in the build history. Only this test runs Astro;
 * the other publish-page tests stop before it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestApp } from '../test/support/admin-app.ts';
import { BUILD_STATE_FILE, lastBackgroundBuild } from '../jobs/site-rebuild.ts';

const tmp = mkdtempSync(join(tmpdir(), 'publish-build-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('publish page: a real build', () => {
  it('publishes a period and builds the public site from the page, showing progress', {
    timeout: 240_000,
  }, async () => {
    const siteRoot = join(tmp, 'site');
    mkdirSync(siteRoot);
    const t = makeTestApp({ env: { SITE_DIR: join(siteRoot, 'current') }, start: '2026-04-02T02:00:00Z' });
    const lead = await t.cookieFor('confirmer');
    expect((await t.post('/admin/publish', { period: '2026-03', as_of: '2026-03-31', note: '' }, lead)).status).toBe(
      303,
    );

    const start = await t.post('/admin/publish/build', {}, lead);
    expect(start.status).toBe(303);
    const running = await (await t.get('/admin/publish/build', lead)).text();
    expect(running).toContain('http-equiv="refresh"');
    expect(running).toContain('Đang dựng');
    // a second build while this one runs is refused
    expect((await t.post('/admin/publish/build', {}, lead)).status).toBe(409);

    while (lastBackgroundBuild(siteRoot)?.running) await new Promise((r) => setTimeout(r, 250));
    const state = lastBackgroundBuild(siteRoot)!;
    expect(state.error).toBeNull();
    const done = await (await t.get('/admin/publish/build', lead)).text();
    expect(done).toContain('Đã dựng xong');
    expect(done).not.toContain('http-equiv="refresh"');
    expect(readlinkSync(join(siteRoot, 'current'))).toBe(join('releases', state.releaseId!));
    // written beside the releases, so the other server processes show the same build (ADMIN_PROCESSES > 1)
    expect(JSON.parse(readFileSync(join(siteRoot, BUILD_STATE_FILE), 'utf8'))).toMatchObject({
      running: false,
      releaseId: state.releaseId,
      error: null,
    });
    expect(existsSync(join(siteRoot, 'current', 'index.html'))).toBe(true);
    const page = await (await t.get('/admin/publish', lead)).text();
    expect(page).toContain(state.releaseId!);
    expect(page).toContain('Đang phục vụ');
    expect(t.db.prepare('SELECT trigger, status FROM site_builds').all()).toEqual([
      { trigger: 'admin', status: 'succeeded' },
    ]);
    // the live release is served at /
    const home = await t.get('/');
    expect(home.status).toBe(200);
  });
});
