import { defineConfig } from 'vitest/config';

// The reliability suite (npm run test:reliability): kill -9 of the server during writes, kills of the site build,
// and a load test, against real processes on loopback ports. Files are *.rel.ts, so the normal `vitest run`
// (which includes *.test.ts) never picks them up. One file at a time: each measures processes it starts itself.
export default defineConfig({
  test: {
    include: ['admin/test/reliability/**/*.rel.ts'],
    testTimeout: 400_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: 'forks',
    reporters: ['default'],
  },
});
