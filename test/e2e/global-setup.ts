// Before the end-to-end files: the renderer must be built (and current) and Chromium present.
import { existsSync } from 'node:fs';
import { buildRendererIfStale } from './build-renderer.ts';
import { CHROMIUM_PATH } from './chromium.ts';

export default async function setup(): Promise<void> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`end-to-end tests need the system Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`);
  await buildRendererIfStale();
}
