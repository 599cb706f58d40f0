// A branch checkpoint folder: a loadable bundle of the epoch's weights (model.json, weights.*),
// the best weights so far (best.bin, best.json), the trainer state (training-state.json) and the
// optimizer's state (optimizer.bin, optimizer.json: Adam's first and second moments per parameter,
// named `m:<param>` and `v:<param>`; its step counts and hyperparameters in training-state.json),
// so that a resumed run continues with the same moments, the same data order (shuffles are seeded
// per epoch) and the same early-stopping state: it ends where an uninterrupted run would.
// Parameters are named by the model (component/variable), not by tfjs's variable names, which can
// differ between processes. A checkpoint written before the optimizer was kept resumes with a
// fresh Adam.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FusedAdam } from '../compute/fused-adam.ts';
import { namedVariables, type MultiTaskModel } from '../model/multitask-model.ts';
import { readSnapshot } from '../bundle/load.ts';
import { writeBundle } from '../bundle/save.ts';
import type { ModelSnapshot } from '../bundle/snapshot.ts';
import { readWeights, writeWeights, type WeightEntry } from '../bundle/weights-file.ts';
import type { LoopState } from './trainer.ts';

export const STATE_FILE = 'training-state.json';
const BEST_BASE = 'best';
const OPTIMIZER_BASE = 'optimizer';

/** A branch's trainer state is the training loop's. */
export type BranchState = LoopState;

/** The optimizer's state keyed by the model's parameter names (see optimizerStateOf). */
export interface SavedOptimizer {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Parameter name -> its own step count. */
  steps: Record<string, number>;
  m: WeightEntry[];
  v: WeightEntry[];
}

/** The optimizer's state by the model's parameter names: a copy, or (`live`) its own moment arrays, for a write done before the next step. */
export function optimizerStateOf(model: MultiTaskModel, optimizer: FusedAdam, options: { live?: boolean } = {}): SavedOptimizer {
  const paramOf = new Map(namedVariables(model).map(([param, v]) => [v.name, { param, shape: v.shape }]));
  const state = optimizer.getState({ copy: !options.live });
  const out: SavedOptimizer = { learningRate: state.learningRate, beta1: state.beta1, beta2: state.beta2, epsilon: state.epsilon, steps: {}, m: [], v: [] };
  for (const s of state.moments) {
    const p = paramOf.get(s.name);
    if (!p) continue;
    out.steps[p.param] = s.steps;
    out.m.push({ name: p.param, shape: [...p.shape], data: s.m });
    out.v.push({ name: p.param, shape: [...p.shape], data: s.v });
  }
  return out;
}

/** Puts a saved optimizer state back, mapping the model's parameter names to this process's variables. */
export function restoreOptimizer(model: MultiTaskModel, optimizer: FusedAdam, saved: SavedOptimizer): void {
  const variableOf = new Map(namedVariables(model).map(([param, v]) => [param, v.name]));
  const v = new Map(saved.v.map((e) => [e.name, e.data]));
  const moments = saved.m.map((e) => {
    const name = variableOf.get(e.name);
    if (!name) throw new Error(`the checkpoint's optimizer state names parameter ${e.name}, which this model does not have`);
    const second = v.get(e.name);
    if (!second) throw new Error(`the checkpoint's optimizer state has no second moment for ${e.name}`);
    return { name, steps: saved.steps[e.name], m: e.data, v: second };
  });
  optimizer.setState({ learningRate: saved.learningRate, beta1: saved.beta1, beta2: saved.beta2, epsilon: saved.epsilon, moments });
}

export async function writeCheckpoint(dir: string, current: ModelSnapshot, best: readonly WeightEntry[], state: BranchState, optimizer?: SavedOptimizer): Promise<void> {
  await writeBundle(dir, current);
  await writeWeights(dir, BEST_BASE, best);
  let fileState: BranchState & { optimizer?: Omit<SavedOptimizer, 'm' | 'v'> } = state;
  if (optimizer) {
    const { m, v, ...rest } = optimizer;
    await writeWeights(dir, OPTIMIZER_BASE, [...m.map((e) => ({ ...e, name: `m:${e.name}` })), ...v.map((e) => ({ ...e, name: `v:${e.name}` }))]);
    fileState = { ...state, optimizer: rest };
  }
  await writeFile(join(dir, STATE_FILE), `${JSON.stringify(fileState, null, 2)}\n`);
}

export async function readCheckpoint(dir: string): Promise<{ current: WeightEntry[]; best: WeightEntry[]; state: BranchState; optimizer: SavedOptimizer | null }> {
  const { weights } = await readSnapshot(dir);
  const best = await readWeights(dir, BEST_BASE);
  let fileState: BranchState & { optimizer?: Omit<SavedOptimizer, 'm' | 'v'> };
  try {
    fileState = JSON.parse(await readFile(join(dir, STATE_FILE), 'utf8')) as typeof fileState;
  } catch (error) {
    throw new Error(`${dir} is not a training checkpoint: cannot read ${STATE_FILE} (${(error as Error).message})`);
  }
  const { optimizer: hyper, ...state } = fileState;
  let optimizer: SavedOptimizer | null = null;
  if (hyper && existsSync(join(dir, `${OPTIMIZER_BASE}.json`))) {
    const entries = [...(await readWeights(dir, OPTIMIZER_BASE)).values()];
    const strip = (prefix: string) => entries.filter((e) => e.name.startsWith(prefix)).map((e) => ({ ...e, name: e.name.slice(prefix.length) }));
    optimizer = { ...hyper, m: strip('m:'), v: strip('v:') };
  }
  return { current: [...weights.values()], best: [...best.values()], state, optimizer };
}
