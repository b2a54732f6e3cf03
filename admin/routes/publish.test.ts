import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestApp, type TestApp } from '../test/support/admin-app.ts';
import { lastBackgroundBuild } from '../jobs/site-rebuild.ts';
import { writeManifest } from '../publication/site-release-manifest.ts';
import { parsePeriodInput } from './publish.tsx';
import type { Role } from '../auth/permissions.ts';

const tmp = mkdtempSync(join(tmpdir(), 'publish-route-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

let n = 0;
/** A test app whose public site lives in its own folder (SITE_DIR = <root>/current, as in production). */
function app(): TestApp & { siteRoot: string } {
  const siteRoot = join(tmp, `site-${++n}`);
  mkdirSync(siteRoot, { recursive: true });
  return Object.assign(makeTestApp({ env: { SITE_DIR: join(siteRoot, 'current') } }), { siteRoot });
}
const count = (t: TestApp, sql: string) => (t.db.prepare(sql).get() as { n: number }).n;
const audits = (t: TestApp, action: string) =>
  count(t, `SELECT count(*) AS n FROM audit_log WHERE action = '${action}'`);

describe('publish page: access', () => {
  it('only the working group / office lead; others get 403 and nothing happens', async () => {
    const t = app();
    const lead = await t.cookieFor('confirmer');
    expect((await t.get('/admin/publish', lead)).status).toBe(200);
    expect(await (await t.get('/admin', lead)).text()).toContain('href="/admin/publish"');
    for (const role of ['admin', 'specialist', 'leader', 'agency'] as Role[]) {
      const cookie = await t.cookieFor(role);
      expect((await t.get('/admin/publish', cookie)).status).toBe(403);
      expect((await t.get('/admin/publish/preview?period=02/2026&as_of=28/02/2026', cookie)).status).toBe(403);
      expect((await t.get('/admin/publish/build', cookie)).status).toBe(403);
      expect(
        (await t.post('/admin/publish', { period: '2026-02', as_of: '2026-02-28', note: '' }, cookie)).status,
      ).toBe(403);
      expect((await t.post('/admin/publish/build', {}, cookie)).status).toBe(403);
      expect((await t.post('/admin/publish/rollback', {}, cookie)).status).toBe(403);
    }
    expect(count(t, 'SELECT count(*) AS n FROM publications')).toBe(0);
    expect(count(t, 'SELECT count(*) AS n FROM site_builds')).toBe(0);
  });
});

describe('publish page: preview and publish', () => {
  it('previews totals and the per-agency table without writing anything', async () => {
    const t = app();
    const lead = await t.cookieFor('confirmer');
    const res = await t.get('/admin/publish/preview?period=02/2026&as_of=28/02/2026', lead);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Kỳ 02/2026 — số liệu tính đến ngày 28/02/2026');
    expect(html).toContain('3 nhiệm vụ công khai');
    for (const name of ['Sở Tài chính (STC)', 'Sở Y tế (SYT)', 'UBND huyện X (UBND-HX)']) expect(html).toContain(name);
    expect(html).toContain('Công bố kỳ này');
    expect(count(t, 'SELECT count(*) AS n FROM publications')).toBe(0);
  });

  const bad: Array<[string, RegExp]> = [
    ['period=13/2026&as_of=28/02/2026', /Kỳ công bố không hợp lệ/],
    ['period=02/2026&as_of=30/02/2026', /Ngày chốt số liệu không hợp lệ/],
    ['period=02/2026&as_of=15/01/2026', /nằm trước kỳ 2026-02/],
    ['period=03/2026&as_of=31/03/2026', /ở tương lai/], // the test clock is 02/03/2026
    ['period=%3Cscript%3E&as_of=%27%20OR%201%3D1', /Kỳ công bố không hợp lệ/],
    ['', /Kỳ công bố không hợp lệ/],
  ];
  for (const [query, message] of bad) {
    it(`refuses a preview with "${query}" clearly`, async () => {
      const t = app();
      const res = await t.get(`/admin/publish/preview?${query}`, await t.cookieFor('confirmer'));
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toMatch(message);
      expect(html).not.toContain('<script>');
    });
  }

  it('publishes; publishing again needs a correction note (đính chính); each is audited', async () => {
    const t = app();
    const lead = await t.cookieFor('confirmer');
    const first = await t.post('/admin/publish', { period: '2026-02', as_of: '2026-02-28', note: '' }, lead);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/admin/publish?msg=publication_published');
    expect(t.db.prepare('SELECT period, revision, as_of, created_by FROM publications').all()).toEqual([
      { period: '2026-02', revision: 1, as_of: '2026-02-28', created_by: t.users.confirmer.id },
    ]);
    expect(audits(t, 'publication.publish')).toBe(1);

    const preview = await (await t.get('/admin/publish/preview?period=2026-02&as_of=28/02/2026', lead)).text();
    expect(preview).toContain('Kỳ này đã công bố bản 1');
    expect(preview).toContain('Công bố bản đính chính (bản 2)');

    const refused = await t.post('/admin/publish', { period: '2026-02', as_of: '2026-02-28', note: '   ' }, lead);
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('cần ghi rõ nội dung đính chính');
    expect(count(t, 'SELECT count(*) AS n FROM publications')).toBe(1);

    const corrected = await t.post(
      '/admin/publish',
      { period: '2026-02', as_of: '2026-02-28', note: 'Đính chính số liệu của Sở Y tế' },
      lead,
    );
    expect(corrected.status).toBe(303);
    expect(t.db.prepare('SELECT revision, note FROM publications ORDER BY id').all()).toEqual([
      { revision: 1, note: '' },
      { revision: 2, note: 'Đính chính số liệu của Sở Y tế' },
    ]);
    expect(audits(t, 'publication.correct')).toBe(1);
    const page = await (await t.get('/admin/publish', lead)).text();
    expect(page).toContain('Đính chính số liệu của Sở Y tế');
    expect(page).toContain('2 bản công bố');
  });

  it('refuses a hostile publish post, writing nothing', async () => {
    const t = app();
    const lead = await t.cookieFor('confirmer');
    for (const form of [
      { period: '2026-2x', as_of: '2026-02-28' },
      { period: '2026-02', as_of: '2026-02-31' },
      { period: '2026-02', as_of: '2026-02-28', note: 'x'.repeat(2050) },
      { period: "2026-02'; DROP TABLE publications;--", as_of: '2026-02-28' },
    ] as Array<Record<string, string>>) {
      const res = await t.post('/admin/publish', form, lead);
      expect(res.status).toBe(422);
      expect(await res.text()).toContain('Có lỗi cần sửa');
    }
    expect(count(t, 'SELECT count(*) AS n FROM publications')).toBe(0);
  });

  it('reads periods as mm/yyyy or yyyy-mm', () => {
    expect(parsePeriodInput('3/2026')).toBe('2026-03');
    expect(parsePeriodInput('2026-03')).toBe('2026-03');
    expect(parsePeriodInput('2026-13')).toBeNull();
    expect(parsePeriodInput('00/2026')).toBeNull();
    expect(parsePeriodInput('2026/03')).toBeNull();
  });
});

describe('publish page: builds and rollback', () => {
  it('refuses a second build while another one holds the lock (another process), and shows it running', async () => {
    const t = app();
    const sleeper = spawn('sleep', ['30']);
    children.push(sleeper);
    writeFileSync(
      join(t.siteRoot, 'build.lock'),
      JSON.stringify({ pid: sleeper.pid, startedAt: new Date().toISOString() }),
    );
    const lead = await t.cookieFor('confirmer');
    const res = await t.post('/admin/publish/build', {}, lead);
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('Đang có một lần dựng trang khác chạy');
    expect(count(t, 'SELECT count(*) AS n FROM site_builds')).toBe(0);
    expect(audits(t, 'site.build_refused')).toBe(1);
    const progress = await (await t.get('/admin/publish/build', lead)).text();
    expect(progress).toContain('<meta http-equiv="refresh" content="3"/>');
    expect(await (await t.get('/admin/publish', lead)).text()).toContain('Đang dựng trang công khai');
    sleeper.kill('SIGKILL');
  });

  it('runs a build in the background and reports its failure (nothing published yet) without touching the live site', async () => {
    const t = app();
    const lead = await t.cookieFor('confirmer');
    const res = await t.post('/admin/publish/build', {}, lead);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/publish/build?msg=build_started');
    for (let i = 0; i < 100 && lastBackgroundBuild(t.siteRoot)?.running; i++)
      await new Promise((r) => setTimeout(r, 20));
    const html = await (await t.get('/admin/publish/build', lead)).text();
    expect(html).toContain('thất bại');
    expect(html).toContain('Chưa có kỳ nào được công bố');
    expect(html).not.toContain('http-equiv="refresh"');
    expect(t.db.prepare('SELECT trigger, status FROM site_builds').all()).toEqual([
      { trigger: 'admin', status: 'failed' },
    ]);
    expect(audits(t, 'site.build_start')).toBe(1);
    expect(audits(t, 'site.build_failed')).toBe(1);
  });

  it('rolls back to the previous successful release, then refuses when there is none older', async () => {
    const t = app();
    for (const id of ['20260301-010000-aaaa', '20260302-010000-bbbb']) {
      mkdirSync(join(t.siteRoot, 'releases', id), { recursive: true });
      writeFileSync(join(t.siteRoot, 'releases', id, 'index.html'), `<h1>${id}</h1>`);
      writeManifest(join(t.siteRoot, 'releases', id), id); // a checked release: switches verify it
      t.db
        .prepare("INSERT INTO site_builds (release_id, trigger, status, pages) VALUES (?, 'cli', 'succeeded', 1)")
        .run(id);
    }
    symlinkSync(join('releases', '20260302-010000-bbbb'), join(t.siteRoot, 'current'));
    const lead = await t.cookieFor('confirmer');
    const page = await (await t.get('/admin/publish', lead)).text();
    expect(page).toContain('Quay lại bản trước');
    expect(page).toContain('Đang phục vụ');
    const res = await t.post('/admin/publish/rollback', {}, lead);
    expect(res.status).toBe(303);
    expect(readlinkSync(join(t.siteRoot, 'current'))).toBe(join('releases', '20260301-010000-aaaa'));
    expect(audits(t, 'site.rollback')).toBe(1);
    const again = await t.post('/admin/publish/rollback', {}, lead);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Không có bản nào cũ hơn');
    expect(readlinkSync(join(t.siteRoot, 'current'))).toBe(join('releases', '20260301-010000-aaaa'));
  });
});

describe('publish page: configuration', () => {
  it('refuses to build or roll back when SITE_DIR is not a `current` link (nothing written next to it)', async () => {
    const t = makeTestApp(); // SITE_DIR=/nonexistent-site-dir
    const lead = await t.cookieFor('confirmer');
    for (const path of ['/admin/publish/build', '/admin/publish/rollback']) {
      const res = await t.post(path, {}, lead);
      expect(res.status).toBe(409);
      expect(await res.text()).toContain('phải là liên kết');
    }
    expect(count(t, 'SELECT count(*) AS n FROM site_builds')).toBe(0);
  });
});

describe('publish page: atomicity', () => {
  it('the publication and its audit row commit together (a failing audit write leaves no publication)', async () => {
    const t = app();
    const lead = await t.cookieFor('confirmer');
    t.db.exec(`CREATE TEMP TRIGGER audit_fails BEFORE INSERT ON audit_log WHEN NEW.action = 'publication.publish'
               BEGIN SELECT RAISE(ABORT, 'simulated crash'); END`);
    const res = await t.post('/admin/publish', { period: '2026-02', as_of: '2026-02-28', note: '' }, lead);
    expect(res.status).toBe(500);
    expect(count(t, 'SELECT count(*) AS n FROM publications')).toBe(0);
  });
});
