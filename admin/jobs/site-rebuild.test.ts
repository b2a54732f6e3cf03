import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db/open.ts';
import {
  BUILD_STATE_FILE,
  checkRebuildCron,
  lastBackgroundBuild,
  nextRebuild,
  REBUILD_CRON_SETTING,
  siteBuildRoot,
  startRebuildScheduler,
} from './site-rebuild.ts';

describe('rebuild schedule', () => {
  const cases: Array<[string, RegExp | null]> = [
    ['', null],
    ['0 6 * * *', null],
    ['30 7 6 * *', null],
    ['0 6 * * 1-5', null],
    ['0 */2 * * *', null],
    ['* * * * *', /dày hơn 1 lần mỗi giờ/],
    ['*/30 * * * *', /dày hơn 1 lần mỗi giờ/],
    ['0 6 * * * *', /đúng 5 trường/],
    ['0 6 * *', /đúng 5 trường/],
    ['61 6 * * *', /không hợp lệ/],
    ['0 25 * * *', /không hợp lệ/],
    ['hằng ngày', /đúng 5 trường/],
    ['0 6 31 2 *', /không bao giờ|không hợp lệ/],
  ];
  for (const [expr, problem] of cases) {
    it(`"${expr}" → ${problem ? 'refused' : 'accepted'}`, () => {
      const r = checkRebuildCron(expr);
      if (problem) expect(r).toMatch(problem);
      else expect(r).toBeNull();
    });
  }

  it('computes the next run in Asia/Ho_Chi_Minh', () => {
    // 06:00 in Hà Nội is 23:00 UTC the day before
    expect(nextRebuild('0 6 * * *', new Date('2026-03-02T02:00:00Z'))!.toISOString()).toBe('2026-03-02T23:00:00.000Z');
    expect(nextRebuild('* * * * *')).toBeNull();
  });

  it('the build root is the folder holding the served `current` link', () => {
    expect(siteBuildRoot({ siteDir: '/srv/site/current' })).toBe('/srv/site');
  });

  it('the server scheduler follows the setting: picks up a new value, ignores an invalid one, stops on empty', () => {
    const db = openDatabase(':memory:');
    const logs: string[] = [];
    const s = startRebuildScheduler({ db, siteRoot: '/nonexistent', log: (m) => logs.push(m), pollMs: 3_600_000 });
    try {
      expect(s.current()).toBe('');
      db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(REBUILD_CRON_SETTING, '0 6 * * *');
      s.reload();
      expect(s.current()).toBe('0 6 * * *');
      db.prepare('UPDATE settings SET value = ? WHERE key = ?').run('* * * * *', REBUILD_CRON_SETTING);
      s.reload();
      expect(logs.at(-1)).toMatch(/không hợp lệ, bỏ qua/);
      db.prepare('UPDATE settings SET value = ? WHERE key = ?').run('', REBUILD_CRON_SETTING);
      s.reload();
      expect(s.current()).toBe('');
    } finally {
      s.stop();
    }
  });
});

describe('site folder configuration', () => {
  it('builds from the server only when SITE_DIR is the `current` link of a build folder', async () => {
    const { siteRootProblem } = await import('./site-rebuild.ts');
    expect(siteRootProblem({ siteDir: 'data/site/current' })).toBeNull();
    expect(siteRootProblem({ siteDir: '/nonexistent-site-dir' })).toMatch(/phải là liên kết "current"/);
  });
});

describe('the last background build, seen from every server process', () => {
  const stored = (root: string, state: Record<string, unknown>) =>
    writeFileSync(join(root, BUILD_STATE_FILE), JSON.stringify(state));
  const base = {
    trigger: 'admin',
    startedAt: '2026-12-01T08:00:00.000Z',
    finishedAt: null,
    progress: [{ phase: 'pages', message: 'Đang dựng trang' }],
    releaseId: null,
    pages: null,
    error: null,
  };

  it('shows a build another process started, running while its process holds the lock, cut off when it died', () => {
    const root = mkdtempSync(join(tmpdir(), 'build-state-'));
    try {
      expect(lastBackgroundBuild(root)).toBeNull();
      stored(root, { ...base, running: true });
      writeFileSync(join(root, 'build.lock'), JSON.stringify({ pid: process.pid, startedAt: base.startedAt }));
      const running = lastBackgroundBuild(root)!;
      expect(running.running).toBe(true);
      expect(running.startedAt.toISOString()).toBe(base.startedAt);
      expect(running.progress.at(-1)?.message).toBe('Đang dựng trang');
      // the lock's owner is gone (a pid no process has): the build was cut off
      writeFileSync(join(root, 'build.lock'), JSON.stringify({ pid: 2 ** 22 + 7, startedAt: base.startedAt }));
      const cut = lastBackgroundBuild(root)!;
      expect(cut.running).toBe(false);
      expect(cut.error).toMatch(/bị ngắt giữa chừng/);
      stored(root, { ...base, running: false, finishedAt: '2026-12-01T08:01:00.000Z', releaseId: 'r1', pages: 12 });
      expect(lastBackgroundBuild(root)).toMatchObject({ running: false, releaseId: 'r1', pages: 12, error: null });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a half-written or foreign state file is as if no build was recorded', () => {
    const root = mkdtempSync(join(tmpdir(), 'build-state-'));
    try {
      writeFileSync(join(root, BUILD_STATE_FILE), '{"trigger":"admin","startedAt":"2026-12');
      expect(lastBackgroundBuild(root)).toBeNull();
      stored(root, { ...base, startedAt: 'hôm qua', running: true });
      expect(lastBackgroundBuild(root)).toBeNull();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
