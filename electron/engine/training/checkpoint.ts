// A branch checkpoint folder: a loadable bundle of the epoch's weights (model.json, weights.*),
// the best weights so far (best.bin, best.json) and the trainer state (training-state.json).
// Optimizer state is NOT kept: a resumed run continues with a fresh Adam (moments restart at 0),
// the same data order (shuffles are seeded per epoch) and the same early-stopping state.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSnapshot } from '../bundle/load.ts';
import { writeBundle } from '../bundle/save.ts';
import type { ModelSnapshot } from '../bundle/snapshot.ts';
import { readWeights, writeWeights, type WeightEntry } from '../bundle/weights-file.ts';
import type { LoopState } from './trainer.ts';

export const STATE_FILE = 'training-state.json';
const BEST_BASE = 'best';

/** A branch's trainer state is the training loop's. */
export type BranchState = LoopState;

export async function writeCheckpoint(dir: string, current: ModelSnapshot, best: readonly WeightEntry[], state: BranchState): Promise<void> {
  await writeBundle(dir, current);
  await writeWeights(dir, BEST_BASE, best);
  await writeFile(join(dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

export async function readCheckpoint(dir: string): Promise<{ current: WeightEntry[]; best: WeightEntry[]; state: BranchState }> {
  const { weights } = await readSnapshot(dir);
  const best = await readWeights(dir, BEST_BASE);
  let state: BranchState;
  try {
    state = JSON.parse(await readFile(join(dir, STATE_FILE), 'utf8')) as BranchState;
  } catch (error) {
    throw new Error(`${dir} is not a training checkpoint: cannot read ${STATE_FILE} (${(error as Error).message})`);
  }
  return { current: [...weights.values()], best: [...best.values()], state };
}
