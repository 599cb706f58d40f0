import { defineConfig } from 'vitest/config';

// Unit and integration tests run in plain Node (the project's Node 24); end-to-end tests drive
// real Chromium against `serve`. TensorFlow.js work is single-threaded per file, so the
// default fork pool spreads files over both cores.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
