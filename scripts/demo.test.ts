/**
 * `npm run demo` end to end as a person runs it (a one-year province and one published month to stay quick; one
 * year back from today begins after 01/07/2025, so the province is the reorganised one without former history):
 * the database is created, the summary printed, the site published and served, the printed demo accounts log in;
 * a second run reuses the data, issues new passwords (the old ones stop working) and rebuilds nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let dir: string;
let port: number;

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => res(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

interface DemoRun {
  child: ChildProcess;
  out: string;
  accounts: Map<string, string>;
}

/** Starts `npm run demo`'s script and resolves when it says it is ready (or rejects with its output). */
function startDemo(): Promise<DemoRun> {
  return new Promise((resolveRun, rejectRun) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
      env: {
        ...process.env,
        NODE_ENV: 'development',
        DATABASE_PATH: join(dir, 'app.db'),
        SITE_DIR: join(dir, 'site', 'current'),
        PORT: String(port),
        DEMO_YEARS: '1',
        DEMO_MONTHS: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const onData = (b: Buffer) => {
      out += b.toString('utf8');
      if (/Sẵn sàng sau/.test(out)) {
        const accounts = new Map<string, string>();
        for (const m of out.matchAll(/^ {2}([a-z0-9]+)\s+(\S{12,})\s{3}/gm)) accounts.set(m[1]!, m[2]!);
        resolveRun({ child, out, accounts });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => rejectRun(new Error(`demo exited ${code} before it was ready:\n${out}`)));
  });
}

async function stop(run: DemoRun): Promise<void> {
  run.child.removeAllListeners('exit');
  const exited = new Promise((r) => run.child.once('exit', r));
  run.child.kill('SIGTERM');
  await exited;
}

async function login(username: string, password: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: `http://localhost:${port}` },
    body: new URLSearchParams({ username, password }).toString(),
  });
  return res.status;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tdnv-demo-'));
  port = await freePort();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run demo', () => {
  it.each([
    ['DEMO_YEARS', '0'],
    ['DEMO_YEARS', 'mười'],
    ['DEMO_MONTHS', '2.5'],
  ])('refuses %s=%s with a Vietnamese message before writing anything', (name, value) => {
    const db = join(dir, `bad-${name}.db`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
      encoding: 'utf8',
      env: {
        ...process.env,
        NODE_ENV: 'development',
        DATABASE_PATH: db,
        SITE_DIR: join(dir, 'bad-site', 'current'),
        [name]: value,
      },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${name} phải là số nguyên`);
    expect(existsSync(db)).toBe(false);
  });

  it('creates, publishes and serves the demo province; printed accounts log in; a rerun renews the passwords', async () => {
    const first = await startDemo();
    try {
      expect(first.out).toContain('Tạo tỉnh mẫu 1 năm');
      // the 2025 reorganisation, printed; one year from today begins after it: the province as reorganised
      expect(first.out).toContain('01/07/2025: hợp nhất tỉnh Phú Lâm vào tỉnh Lam Sơn');
      expect(first.out).toContain('Từ 01/07/2025: nhiệm vụ chỉ giao cho sở, ngành, UBND cấp xã');
      expect(first.out).toContain('Giai đoạn bắt đầu sau ngày 01/07/2025');
      expect(first.out).toContain('Giải thể, chia tách từ ngày 01/07/2025: 24 đơn vị (24 UBND cấp huyện');
      expect(first.out).toMatch(/Hoàn thành đúng hạn\s+[\d.]+/);
      expect(first.out).toMatch(/kỳ \d{4}-\d{2}: [\d.]+ nhiệm vụ công khai/);
      expect(existsSync(join(dir, 'site', 'current', 'index.html')), first.out).toBe(true);
      expect([...first.accounts.keys()].sort()).toEqual([
        'chuyenvien',
        // two officers (chuyên viên đơn vị) and a head of unit (thủ trưởng) for each demo agency
        'chuyenvien1a',
        'chuyenvien1b',
        'chuyenvien2a',
        'chuyenvien2b',
        'chuyenvien3a',
        'chuyenvien3b',
        'donvi1',
        'donvi2',
        'donvi3',
        'lanhdao',
        'quantri',
        'thutruong1',
        'thutruong2',
        'thutruong3',
        'tocongtac',
      ]);
      for (const [user, password] of first.accounts) expect(await login(user, password), user).toBe(303);
      const home = await fetch(`http://127.0.0.1:${port}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('Theo dõi nhiệm vụ UBND tỉnh giao');
    } finally {
      await stop(first);
    }

    const second = await startDemo();
    try {
      expect(second.out).toContain('Dùng cơ sở dữ liệu có sẵn');
      expect(second.out).toContain('không có kỳ mới');
      expect(second.out).toContain('không dựng lại');
      const old = first.accounts.get('chuyenvien')!;
      const renewed = second.accounts.get('chuyenvien')!;
      expect(renewed).not.toBe(old);
      expect(await login('chuyenvien', old)).toBe(401);
      expect(await login('chuyenvien', renewed)).toBe(303);
    } finally {
      await stop(second);
    }
  }, 240_000);

  it('serves the national roll-up the first run built at /toan-quoc/, and a rerun with nothing new keeps it', async () => {
    const run = await startDemo();
    try {
      expect(run.out).toContain('Tổng hợp toàn quốc (/toan-quoc/) đã có và không có kỳ mới; không dựng lại.');
      const index = await fetch(`http://127.0.0.1:${port}/toan-quoc/`);
      expect(index.status).toBe(200);
      const html = await index.text();
      for (const code of ['ha-son', 'kim-giang', 'lam-son']) expect(html).toContain(`data-province="${code}"`);
      const period = /href="bao-cao\/(\d{4}-\d{2})\/"/.exec(html)?.[1];
      expect(period, html).toBeDefined();
      const page = await (await fetch(`http://127.0.0.1:${port}/toan-quoc/bao-cao/${period}/`)).text();
      // the demo province's figures link to its own report page on the demo's origin
      expect(page).toContain(`href="http://localhost:${port}/bao-cao/${period}/"`);
      expect((await fetch(`http://127.0.0.1:${port}/bao-cao/${period}/`)).status).toBe(200);
    } finally {
      await stop(run);
    }
  }, 120_000);
});
