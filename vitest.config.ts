import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup.ts'],
    // Forks: native addons (better-sqlite3, onnxruntime, rtc-node) stay out of worker threads.
    pool: 'forks',
    // vitest defaults to cores - 1 (one worker on our 2-core machines), but many files wait on child
    // processes, PostgreSQL or an S3 server: three workers halve the wall time there.
    maxWorkers: 3,
  },
});
