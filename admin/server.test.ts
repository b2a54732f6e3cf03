/** The real entry point: refuses production without its settings; stops cleanly on SIGTERM. */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
});
