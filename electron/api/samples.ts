// The built-in sample datasets shipped in resources/samples (in the installed app: the `samples`
// folder of its resources, see app-layout.ts), one per kind: added in one click on an empty home
// and by `demo`, so that everything works offline.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiError, type AddDataset, type ResponseOf } from '../../shared/contract.ts';

type AddDatasetResult = ResponseOf<'datasets.add'>;

export const BUILT_IN_SAMPLES: readonly (Omit<AddDataset, 'path'> & { file: string })[] = [
  { name: 'brown-upos', kind: 'syntax', file: 'syntax/brown-upos.conllu' },
  { name: 'spam-ham', kind: 'semantics', file: 'semantics/spam-ham.csv' },
  { name: 'textures', kind: 'texture', file: 'texture' },
  { name: 'ratings', kind: 'recommendation', file: 'recommendation/ratings.csv' },
];

/** resources/samples of this checkout (the CLI and tests); the desktop app passes its own. */
export const DEFAULT_SAMPLES_DIR = fileURLToPath(new URL('../../resources/samples/', import.meta.url));

/** One `datasets.add` request per built-in sample; fails naming every sample that is missing. */
export function sampleRequests(samplesDir = DEFAULT_SAMPLES_DIR): AddDataset[] {
  const requests = BUILT_IN_SAMPLES.map(({ file, ...rest }) => ({ ...rest, path: join(samplesDir, file) }));
  const missing = requests.filter((r) => !existsSync(r.path));
  if (missing.length > 0) {
    throw new ApiError('not_found', `built-in samples missing from ${samplesDir}: ${missing.map((r) => r.path).join(', ')}`);
  }
  return requests;
}

/** Registers the four built-in samples (again: an identical one is left as it is). */
export async function addBuiltInSamples(add: (req: AddDataset) => Promise<AddDatasetResult>, samplesDir = DEFAULT_SAMPLES_DIR): Promise<AddDatasetResult[]> {
  const results: AddDatasetResult[] = [];
  for (const req of sampleRequests(samplesDir)) results.push(await add(req));
  return results;
}
