import { defineConfig } from 'vitest/config';

// Browser tests: Debian's Chromium driven by playwright-core (scripts/ensure-chromium.ts installs it).
export default defineConfig({
  test: {
    include: ['admin/test/e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
