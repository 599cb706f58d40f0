// Builds the three Electron targets. Dependencies stay external in main (loaded from node_modules
// at run time), which keeps native better-sqlite3 and the optional @tensorflow/tfjs-node out of
// the bundle; the sandboxed preload must be CommonJS. The training worker is a second main entry
// with a fixed name (out/main/worker.js) that electron/api/app-layout.ts points at in both
// development and the packaged app.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: { index: resolve(root, 'electron/main/index.ts'), worker: resolve(root, 'electron/api/jobs/worker.ts') },
        external: ['@tensorflow/tfjs-node'],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
});
