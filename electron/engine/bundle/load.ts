// Reads a saved model folder back: as a snapshot (manifest + arrays), or as a live Bundle for
// prediction. Plain Node + @tensorflow/tfjs only.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { disposeModel, type MultiTaskModel } from '../model/multitask-model.ts';
import { checkManifest, type BundleManifest } from './manifest.ts';
import { MODEL_FILE, WEIGHTS_BASE } from './save.ts';
import { modelFromSnapshot } from './snapshot.ts';
import { readWeights, type WeightEntry } from './weights-file.ts';

export interface Bundle {
  dir: string;
  manifest: BundleManifest;
  model: MultiTaskModel;
}

export async function readSnapshot(dir: string): Promise<{ manifest: BundleManifest; weights: Map<string, WeightEntry> }> {
  const path = join(dir, MODEL_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`${dir} is not a saved model folder: cannot read ${MODEL_FILE} (${(error as Error).message})`);
  }
  const manifest = checkManifest(JSON.parse(text), path);
  return { manifest, weights: await readWeights(dir, WEIGHTS_BASE) };
}

export async function loadBundle(dir: string): Promise<Bundle> {
  const { manifest, weights } = await readSnapshot(dir);
  return { dir, manifest, model: modelFromSnapshot(manifest, weights) };
}

export function disposeBundle(bundle: Bundle): void {
  disposeModel(bundle.model);
}
