// The end-to-end project: real Chromium against `serve`. Include it from the root config as a
// project (`projects: ['test/e2e/vitest.config.ts', ...]`) or run it alone:
//   npx vitest run --config test/e2e/vitest.config.ts
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'e2e',
    // The repository root, as `test.root`: Vitest reads a project's root from here, not from
    // Vite's `root`, when the root config includes this file.
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    // One browser flow at a time: they train models, and timing checks need a quiet machine.
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 180_000,
  },
});
