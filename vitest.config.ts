import { defineConfig } from 'vitest/config';

// Two projects: `node` (unit and integration tests in plain Node, the project's Node 24; tfjs
// is single-threaded per file, so two forks spread files over both cores) and `e2e` (real
// Chromium against `serve`, one flow at a time). `npm test` runs them one after the other so the
// browser's timing checks see a quiet machine.
export default defineConfig({
  test: {
    // Vitest's default leaves one core free (one fork on this 2-core machine): two took the node
    // project from 957 s to 705 s here, the CLI tests' child processes included. The e2e project
    // still runs one file at a time (fileParallelism: false).
    maxWorkers: 2,
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
