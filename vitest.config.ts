import { defineConfig } from 'vitest/config';

// Two projects: `node` (unit and integration tests in plain Node, the project's Node 24; tfjs
// is single-threaded per file; `npm test` gives the node project two forks, as Vitest's default
// leaves one of two cores idle: 957 s -> 705 s here) and `e2e` (real
// Chromium against `serve`, one flow at a time). `npm test` runs them one after the other so the
// browser's timing checks see a quiet machine.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          pool: 'forks',
        },
      },
      'test/e2e/vitest.config.ts',
    ],
  },
});
