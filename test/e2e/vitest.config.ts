// The end-to-end project: real Chromium against `serve`. Include it from the root config as a
// project (`projects: ['test/e2e/vitest.config.ts', ...]`) or run it alone:
//   npx vitest run --config test/e2e/vitest.config.ts
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    name: 'e2e',
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    // One browser flow at a time: they train models, and timing checks need a quiet machine.
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 180_000,
  },
});
