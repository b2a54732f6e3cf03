import { defineConfig } from 'vitest/config';

// Unit and route tests sit beside the code (name.test.ts); browser tests live in admin/test/e2e and have
// their own config (admin/test/vitest.e2e.config.ts) because they need Debian's Chromium.
export default defineConfig({
  test: {
    include: ['admin/**/*.test.ts', 'scripts/**/*.test.ts', 'site/**/*.test.ts'],
    exclude: ['admin/test/e2e/**', 'node_modules/**', 'data/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
