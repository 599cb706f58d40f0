// Writes a saved model folder: model.json, weights.bin, weights.json (see manifest.ts and
// weights-file.ts). The same snapshot always gives byte-identical files.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelSnapshot } from './snapshot.ts';
import { writeWeights } from './weights-file.ts';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_BASE = 'weights';

export async function writeBundle(dir: string, snapshot: ModelSnapshot): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, MODEL_FILE), `${JSON.stringify(snapshot.manifest, null, 2)}\n`);
  await writeWeights(dir, WEIGHTS_BASE, snapshot.weights);
}
