import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Suites that share the local Postgres server create their own databases, so files can run in parallel.
    pool: 'forks',
  },
});
