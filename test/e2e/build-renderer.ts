// Builds the renderer for the end-to-end tests, the same way `electron-vite build` does
// (root renderer/, output out/renderer, relative asset paths), but the renderer alone: the
// tests need only the page, and the main process bundle is not theirs to wait for. Skipped
// when the output is newer than every renderer and shared source.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const PROJECT_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const RENDERER_OUT = join(PROJECT_ROOT, 'out', 'renderer');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function rendererIsStale(): boolean {
  const index = join(RENDERER_OUT, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const sources = Math.max(newestMtime(join(PROJECT_ROOT, 'renderer')), newestMtime(join(PROJECT_ROOT, 'shared')), statSync(join(PROJECT_ROOT, 'electron.vite.config.ts')).mtimeMs);
  return sources > built;
}

const LOCK = join(PROJECT_ROOT, 'out', '.renderer-build-lock');
const STALE_LOCK_MS = 5 * 60_000;

/** One build at a time across test processes (vitest runs files in parallel forks). */
async function withBuildLock(work: () => Promise<void>): Promise<void> {
  mkdirSync(join(PROJECT_ROOT, 'out'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

export async function buildRendererIfStale(): Promise<void> {
  if (!rendererIsStale()) return;
  await withBuildLock(async () => {
    // Another process may have built it while this one waited.
    if (rendererIsStale()) await buildRenderer();
  });
}

async function buildRenderer(): Promise<void> {
  await build({
    configFile: false,
    root: join(PROJECT_ROOT, 'renderer'),
    base: './',
    logLevel: 'error',
    build: {
      outDir: RENDERER_OUT,
      emptyOutDir: true,
      rollupOptions: { input: { index: join(PROJECT_ROOT, 'renderer', 'index.html') } },
    },
  });
}

// `npx node test/e2e/build-renderer.ts` builds by hand.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildRendererIfStale();
  console.log(`renderer built in ${RENDERER_OUT}`);
}
