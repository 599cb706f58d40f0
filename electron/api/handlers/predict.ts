// Prediction from a stored run's model (the playground). Loaded models are cached per run;
// the standalone runtime in electron/engine/bundle does the work, exactly as for an export.
import { ApiError, type ParsedRequestOf } from '../../../shared/contract.ts';
import { IMAGE_SIZE } from '../../../shared/domain.ts';
import { loadBundle, predict, type Bundle } from '../../engine/bundle/index.ts';
import { readImageFile } from '../../engine/datasets/image.ts';
import type { Store } from '../../store/index.ts';
import { modelCheck, verifyFiles, type FileCheck } from '../integrity.ts';
import type { Training } from '../training.ts';
import { getRun } from './runs.ts';

const cache = new Map<string, Promise<Bundle>>();

/** A run's loaded model; its files are checked against their recorded hashes when it is first loaded. */
export function bundleFor(dir: string, check: FileCheck | null = null): Promise<Bundle> {
  const cached = cache.get(dir);
  if (cached) return cached;
  const loading = verifyFiles(check ? [check] : []).then(() => loadBundle(dir));
  cache.set(dir, loading);
  loading.catch(() => cache.delete(dir));
  return loading;
}

export async function toModelInput(input: ParsedRequestOf<'predict'>['input']): Promise<Parameters<typeof predict>[2]> {
  if ('text' in input) return { text: input.text };
  if ('user' in input) return { user: input.user, item: input.item };
  if ('imagePath' in input) {
    try {
      return { pixels: (await readImageFile(input.imagePath)).pixels };
    } catch (error) {
      throw new ApiError('invalid_input', `${input.imagePath}: ${(error as Error).message}`, [{ file: input.imagePath, line: null, message: (error as Error).message }]);
    }
  }
  const pixels = new Uint8Array(Buffer.from(input.pixels, 'base64'));
  if (pixels.length !== IMAGE_SIZE * IMAGE_SIZE * 3) throw new ApiError('invalid_input', `pixels must hold ${IMAGE_SIZE}x${IMAGE_SIZE}x3 bytes, got ${pixels.length}`);
  return { pixels };
}

export async function predictFromRun(store: Store, training: Training, req: ParsedRequestOf<'predict'>) {
  const run = getRun(store, req.id);
  if (run.status !== 'completed') throw new ApiError('invalid_input', `run ${req.id} is ${run.status}; only completed runs predict`);
  const bundle = await bundleFor(training.modelDirOf(run), modelCheck(store, run.id));
  try {
    return predict(bundle, req.task, await toModelInput(req.input));
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError('invalid_input', (error as Error).message);
  }
}
