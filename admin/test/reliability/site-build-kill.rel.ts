/**
 * Kills of `npm run site:build` (the CLI and its Astro child, as systemd or Ctrl-C would), ROUNDS times, at
 * random moments and while it prunes old releases (DESIGN.md §7: a failed or killed build never replaces the live
 * site). Builds keep two releases, so every build that completes removes one. After each kill:
 * - the live site (`current`) matches its manifest and has its key pages;
 * - `npm run site:rollback` either switches to an older release that matches its manifest or refuses in
 *   Vietnamese, and the live site is complete afterwards either way.
 * A last build must succeed and leave no work folder and no half-removed release.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../db/open.ts';
import { publishPeriod } from '../../publication/publish.ts';
import { verifyRelease } from '../../publication/site-release-manifest.ts';
import { buildFixtureProvince, FIXTURE_PERIODS } from '../fixtures/province.ts';
import { ROOT, say, seededRandom, tempDir } from './support.ts';

const ROUNDS = Number(process.env.RELIABILITY_BUILD_ROUNDS ?? 8);
const NAME = 'kill site:build';
const KEY_PAGES = ['index.html', 'du-lieu-mo/index.html', 'phuong-phap/index.html', '404.html', 'sitemap.xml'];

let dir: string;
let dbPath: string;
let siteDir: string;
const children: ChildProcess[] = [];

const cli = (script: string, extra: string[] = []) => [
  '--import',
  'tsx',
  script,
  '--db',
  dbPath,
  '--site-dir',
  siteDir,
  ...extra,
];

/** A build; full by default (every page rendered: an unchanged build would keep the live release and be instant). */
function runBuild(full = true): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, cli('scripts/site-build.ts', ['--keep', '2', ...(full ? ['--full'] : [])]), {
    cwd: ROOT,
    detached: true, // its own process group: the CLI and Astro are killed together
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

/** Problems of the live site (empty: complete). */
function liveProblems(): string[] {
  const current = join(siteDir, 'current');
  if (!existsSync(current)) return ['không có trang công khai (current)'];
  const problems: string[] = [];
  const v = verifyRelease(current);
  if (!v.ok) problems.push(`bản đang phục vụ ${readlinkSync(current)}: ${v.problem}`);
  for (const p of KEY_PAGES) if (!existsSync(join(current, p))) problems.push(`thiếu ${p}`);
  return problems;
}

beforeAll(() => {
  dir = tempDir('site-kill');
  dbPath = join(dir, 'app.db');
  siteDir = join(dir, 'site');
  const db = openDatabase(dbPath);
  buildFixtureProvince(db);
  for (const p of FIXTURE_PERIODS) publishPeriod(db, { ...p, now: new Date('2026-04-05T03:00:00Z') });
  db.close();
});

afterAll(() => {
  // a failed assertion must not leave a build running: stop every group still alive
  for (const c of children) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    try {
      process.kill(-c.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

it(`${ROUNDS} lần dừng site:build đột ngột (cả lúc xóa bản cũ): trang công khai luôn đầy đủ, quay lại an toàn`, async () => {
  const rnd = seededRandom(NAME);
  const started = Date.now();
  // two complete builds first: something to prune and something to go back to
  let buildMs = 0;
  for (let i = 0; i < 2; i++) {
    const t0 = Date.now();
    const b = runBuild();
    expect(await b.exited, b.output()).toBe(0);
    buildMs = Date.now() - t0;
  }
  say(NAME, `2 bản dựng đầu tiên xong; một lần dựng mất ~${(buildMs / 1000).toFixed(1)} s`);
  const outcomes = { killed: 0, duringPrune: 0, finished: 0, rolledBack: 0, refused: 0 };
  for (let round = 1; round <= ROUNDS; round++) {
    const duringPrune = round % 2 === 1;
    const b = runBuild();
    const kill = () => {
      try {
        process.kill(-b.child.pid!, 'SIGKILL');
      } catch {
        /* exited meanwhile */
      }
    };
    let moment: string;
    if (duringPrune) {
      // as soon as the build announces a removal (0–4 ms later): inside the rename-then-delete
      const delay = Math.floor(rnd() * 5);
      moment = `khi xóa bản cũ (+${delay} ms)`;
      const onData = (d: Buffer) => {
        if (!d.toString().includes('Xóa bản cũ')) return;
        b.child.stdout!.off('data', onData);
        if (delay === 0) kill();
        else setTimeout(kill, delay);
      };
      b.child.stdout!.on('data', onData);
    } else {
      const delay = Math.floor((0.05 + rnd() * 0.85) * buildMs);
      moment = `sau ${delay} ms`;
      setTimeout(kill, delay);
    }
    const code = await b.exited;
    if (code === 0) outcomes.finished++;
    else {
      outcomes.killed++;
      if (duringPrune && b.output().includes('Xóa bản cũ')) outcomes.duringPrune++;
    }
    const afterKill = liveProblems();
    expect(afterKill, `vòng ${round} sau khi dừng:\n${b.output()}`).toEqual([]);

    const before = readlinkSync(join(siteDir, 'current'));
    const rb = spawnSync(process.execPath, cli('scripts/site-rollback.ts'), { cwd: ROOT, encoding: 'utf8' });
    const after = readlinkSync(join(siteDir, 'current'));
    if (rb.status === 0) {
      outcomes.rolledBack++;
      expect(after, rb.stdout).not.toBe(before);
    } else {
      outcomes.refused++;
      expect(rb.stderr, rb.stdout + rb.stderr).toMatch(/^Lỗi: Không (có|còn) bản nào cũ hơn bản đang chạy/);
      expect(after).toBe(before);
    }
    const afterRollback = liveProblems();
    expect(afterRollback, `vòng ${round} sau khi quay lại: ${rb.stdout}${rb.stderr}`).toEqual([]);
    say(
      NAME,
      `vòng ${round}/${ROUNDS}: dừng ${moment} → ${code === 0 ? 'bản dựng đã xong trước' : 'đã dừng giữa chừng'}; ` +
        `trang công khai đầy đủ; quay lại: ${rb.status === 0 ? rb.stdout.trim() : rb.stderr.trim().slice(0, 160)}`,
    );
  }
  // the next build clears what the killed ones left
  const last = runBuild();
  expect(await last.exited, last.output()).toBe(0);
  expect(readdirSync(join(siteDir, 'work'))).toEqual([]);
  expect(readdirSync(join(siteDir, 'releases')).filter((n) => n.startsWith('.'))).toEqual([]);
  expect(liveProblems()).toEqual([]);
  expect(outcomes.killed).toBeGreaterThanOrEqual(Math.min(5, ROUNDS));
  say(
    NAME,
    `TỔNG KẾT: ${ROUNDS} vòng, ${outcomes.killed} lần dừng giữa chừng (${outcomes.duringPrune} khi đang xóa bản cũ), ` +
      `${outcomes.finished} bản dựng đã xong trước; quay lại ${outcomes.rolledBack} lần, từ chối ${outcomes.refused} lần; ` +
      `trang công khai luôn đầy đủ, ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
});

it(`${ROUNDS} lần dừng site:build dựng lại một phần (sau một bản đính chính): trang công khai luôn đầy đủ`, async () => {
  const rnd = seededRandom(`${NAME} incremental`);
  let killed = 0;
  let buildMs = 0;
  const db = openDatabase(dbPath);
  try {
    for (let round = 1; round <= ROUNDS + 1; round++) {
      // a correction of the last period: new inputs, the same tasks, so most files are carried over
      publishPeriod(db, {
        ...FIXTURE_PERIODS[1],
        note: `Đính chính lần ${round}`,
        now: new Date('2026-04-06T03:00:00Z'),
      });
      const live = readlinkSync(join(siteDir, 'current'));
      const t0 = Date.now();
      const b = runBuild(false);
      if (round === 1) {
        // the first one runs to the end: its duration sets the kill moments
        expect(await b.exited, b.output()).toBe(0);
        buildMs = Date.now() - t0;
        expect(b.output()).toMatch(/tệp dùng lại/);
        continue;
      }
      const delay = Math.floor((0.05 + rnd() * 0.9) * buildMs);
      const timer = setTimeout(() => {
        try {
          process.kill(-b.child.pid!, 'SIGKILL');
        } catch {
          /* exited meanwhile */
        }
      }, delay);
      const code = await b.exited;
      clearTimeout(timer);
      if (code !== 0) {
        killed++;
        // killed before the switch: the live release stays; killed after it announced the switch (while it
        // pruned or exited), the new release may already be live, and nothing else may be
        const switched = /chuyển trang công khai sang bản (\S+?)…/.exec(b.output());
        const allowed = switched ? [live, `releases/${switched[1]}`] : [live];
        expect(allowed, b.output()).toContain(readlinkSync(join(siteDir, 'current')));
      }
      expect(liveProblems(), `vòng ${round} (dừng sau ${delay} ms):\n${b.output()}`).toEqual([]);
      say(
        NAME,
        `dựng một phần, vòng ${round - 1}/${ROUNDS}: dừng sau ${delay} ms → ${code === 0 ? 'đã xong trước' : 'đã dừng giữa chừng'}; trang công khai đầy đủ`,
      );
    }
  } finally {
    db.close();
  }
  const last = runBuild(false);
  expect(await last.exited, last.output()).toBe(0);
  expect(readdirSync(join(siteDir, 'work'))).toEqual([]);
  expect(liveProblems()).toEqual([]);
  expect(killed).toBeGreaterThanOrEqual(Math.min(3, ROUNDS));
});
