// The built-in sample datasets shipped in resources/samples, one per kind, registered on first
// launch and by `demo` so that everything works offline.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddDataset } from '../../shared/contract.ts';

export const BUILT_IN_SAMPLES: readonly (Omit<AddDataset, 'path'> & { file: string })[] = [
  { name: 'brown-upos', kind: 'syntax', file: 'syntax/brown-upos.conllu' },
  { name: 'spam-ham', kind: 'semantics', file: 'semantics/spam-ham.csv' },
  { name: 'textures', kind: 'texture', file: 'texture' },
  { name: 'ratings', kind: 'recommendation', file: 'recommendation/ratings.csv' },
];

/** resources/samples of this checkout (the CLI and tests) or of the packaged app (given by the host). */
export const DEFAULT_SAMPLES_DIR = fileURLToPath(new URL('../../resources/samples/', import.meta.url));

export function sampleRequests(samplesDir = DEFAULT_SAMPLES_DIR): AddDataset[] {
  return BUILT_IN_SAMPLES.map(({ file, ...rest }) => ({ ...rest, path: join(samplesDir, file) })).filter((s) => existsSync(s.path));
}

/** First launch of the desktop app: an empty home gets the built-in samples, so there is something to try. */
export async function registerSamplesIfEmpty(add: (req: AddDataset) => Promise<unknown>, isEmpty: boolean, samplesDir = DEFAULT_SAMPLES_DIR): Promise<void> {
  if (!isEmpty) return;
  for (const req of sampleRequests(samplesDir)) await add(req);
}
