/**
 * Browser tests drive Debian's Chromium (Playwright's own browser download cannot work offline here).
 * Installs it with apt-get when missing and we are root; otherwise says what to do and exits non-zero.
 */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (existsSync(CHROMIUM_PATH)) {
  console.log(`Chromium: ${CHROMIUM_PATH} (có sẵn)`);
} else if (process.getuid?.() === 0) {
  console.log('Chromium chưa có: cài bằng apt-get (gói chromium của Debian)…');
  execFileSync('apt-get', ['update'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium', 'fonts-noto-core'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  console.log(`Chromium: đã cài ${CHROMIUM_PATH}`);
} else {
  console.error(
    `Không tìm thấy Chromium tại ${CHROMIUM_PATH}. Cài bằng: sudo apt-get install chromium (hoặc đặt CHROMIUM_PATH).`,
  );
  process.exit(1);
}
