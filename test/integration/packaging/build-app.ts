// The electron-vite build the packaging check reads: main (with the training worker) and preload
// are rebuilt with the project's electron.vite.config.ts when a source is newer than them, the
// renderer the way the end-to-end tests build it (one build serves both).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_OUTPUT } from '../../../electron/api/app-layout.ts';
import { buildRendererIfStale, PROJECT_ROOT } from '../../e2e/build-renderer.ts';

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

export function mainIsStale(): boolean {
  const outputs = [BUILD_OUTPUT.main, BUILD_OUTPUT.worker, BUILD_OUTPUT.preload].map((p) => join(PROJECT_ROOT, p));
  if (outputs.some((p) => !existsSync(p))) return true;
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  const sources = ['electron', 'shared', 'package.json', 'electron.vite.config.ts'].map((p) => newestMtime(join(PROJECT_ROOT, p)));
  return Math.max(...sources) > built;
}

export async function buildAppIfStale(): Promise<void> {
  if (mainIsStale()) {
    const { resolveConfig } = await import('electron-vite');
    const { build } = await import('vite');
    process.env.NODE_ENV_ELECTRON_VITE = 'production';
    const resolved = await resolveConfig({ configFile: join(PROJECT_ROOT, 'electron.vite.config.ts'), logLevel: 'error' }, 'build', 'production');
    const config = resolved.config;
    if (!config?.main || !config.preload) throw new Error('electron.vite.config.ts has no main or preload build');
    await build(config.main);
    await build(config.preload);
  }
  await buildRendererIfStale();
}
