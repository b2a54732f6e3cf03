/** The real entry point: refuses production without its settings; stops cleanly on SIGTERM. */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

function run(
  env: Record<string, string>,
  onOutput?: (text: string, kill: () => void) => void,
): Promise<{ code: number | null; out: string }> {
  return new Promise((res) => {
    // node itself with tsx's loader (as scripts/cli.test.ts does): the tsx CLI would be a relaying parent that
    // SIGKILLs the server when it does not answer a relayed signal within ~30 ms on a loaded machine
    const child = spawn(process.execPath, ['--import', 'tsx', 'admin/server.ts'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: '', ORIGIN: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const on = (d: Buffer) => {
      out += d.toString();
      onOutput?.(out, () => child.kill('SIGTERM'));
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.on('exit', (code) => res({ code, out }));
  });
}

describe('admin/server.ts', () => {
  it('refuses to start in production without an https ORIGIN', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'srv-'));
    const r = await run({ NODE_ENV: 'production', DATABASE_PATH: join(dir, 'app.db'), PORT: '0' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('Thiếu ORIGIN');
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts, migrates the database and stops gracefully on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'srv-'));
    let killed = false;
    const r = await run(
      {
        NODE_ENV: 'development',
        DATABASE_PATH: join(dir, 'app.db'),
        PORT: '0',
        HOST: '127.0.0.1',
        ORIGIN: 'http://localhost:3000',
      },
      (out, kill) => {
        if (!killed && out.includes('Máy chủ quản trị đang chạy')) {
          killed = true;
          kill();
        }
      },
    );
    expect(r.out).toContain('Máy chủ quản trị đang chạy: http://127.0.0.1:');
    expect(r.out).toContain('Đã dừng máy chủ.');
    expect(r.code).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  describe('several server processes (ADMIN_PROCESSES)', () => {
    const children = (pid: number) =>
      execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
        .split('\n')
        .map((l) => Number(l.trim()))
        .filter((n) => n > 0);
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
      } catch {
        return false;
      }
    };
    // up to 25 s (a worker's start under the whole suite's load); what was seen once is kept, not asked again (a
    // second look could see the next change), and a timeout says what the server printed
    const waitFor = async (ok: () => boolean, what: string, out: () => string = () => '') => {
      let seen = ok();
      for (let i = 0; i < 500 && !seen; i++) {
        await new Promise((r) => setTimeout(r, 50));
        seen = ok();
      }
      if (!seen) throw new Error(`timed out waiting for ${what}; the server printed:\n${out()}`);
    };
    const start = async (dir: string, env: Record<string, string> = {}) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'admin/server.ts'], {
        cwd: ROOT,
        env: {
          ...process.env,
          NODE_ENV: 'development',
          DATABASE_PATH: join(dir, 'app.db'),
          PORT: '0',
          HOST: '127.0.0.1',
          ORIGIN: 'http://localhost:3000',
          SITE_DIR: join(dir, 'site', 'current'),
          ADMIN_PROCESSES: '2',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((r) => child.once('exit', r));
      await waitFor(() => /đang chạy: (http:\S+)\/admin/.test(out), 'the server to say it runs');
      const url = /đang chạy: (http:\S+)\/admin/.exec(out)![1]!;
      return { child, url, exited, out: () => out };
    };

    it('serves from two processes, restarts one that dies, stops them all on SIGTERM', {
      timeout: 60_000,
    }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'srv-'));
      try {
        const s = await start(dir);
        expect(s.out()).toContain('(2 tiến trình)');
        const workers = children(s.child.pid!);
        expect(workers).toHaveLength(2);
        for (let i = 0; i < 6; i++) expect((await fetch(`${s.url}/admin/login`)).status).toBe(200);
        // a worker that dies after its start is replaced, and the server keeps answering
        await new Promise((r) => setTimeout(r, 5_500));
        process.kill(workers[1]!, 'SIGKILL');
        await waitFor(
          () => {
            const now = children(s.child.pid!);
            return now.length === 2 && !now.includes(workers[1]!);
          },
          'a new worker',
          s.out,
        );
        await waitFor(() => s.out().includes('khởi động lại'), 'the restart to be logged', s.out);
        for (let i = 0; i < 6; i++) expect((await fetch(`${s.url}/admin/login`)).status).toBe(200);
        const now = children(s.child.pid!);
        s.child.kill('SIGTERM');
        expect(await s.exited).toBe(0);
        expect(s.out()).toContain('Đã dừng máy chủ.');
        expect(s.out().match(/Đã dừng máy chủ\./g)).toHaveLength(1); // the primary speaks for all
        await waitFor(() => now.every((p) => !alive(p)), 'every worker to stop');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('the background work runs in one process only', { timeout: 60_000 }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'srv-'));
      try {
        // a SITE_DIR that is not a `current` link: the rebuild scheduler says once that it will not run
        const s = await start(dir, { SITE_DIR: join(dir, 'public') });
        await waitFor(() => s.out().includes('Không dựng lại trang công khai theo lịch'), 'the scheduler to speak');
        await new Promise((r) => setTimeout(r, 500));
        expect(s.out().match(/Không dựng lại trang công khai theo lịch/g)).toHaveLength(1);
        s.child.kill('SIGTERM');
        expect(await s.exited).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('kill -9 of the primary leaves no server process behind', { timeout: 60_000 }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'srv-'));
      try {
        const s = await start(dir);
        const workers = children(s.child.pid!);
        expect(workers).toHaveLength(2);
        s.child.kill('SIGKILL');
        await s.exited;
        await waitFor(() => workers.every((p) => !alive(p)), 'the workers to exit');
        expect(
          await fetch(`${s.url}/admin/login`).then(
            () => 'answered',
            () => 'refused',
          ),
        ).toBe('refused');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
