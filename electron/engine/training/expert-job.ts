// The expert (branch) job: prepare the dataset, build or resume the branch model, train it,
// evaluate on the test split, and hand back metrics plus a `save` that writes the bundle.
// Every tensor is released before returning: `save` writes from a snapshot.
import type { ExpertConfig } from '../../../shared/config.ts';
import type { AnyLoadedDataset } from '../datasets/types.ts';
import { writeBundle } from '../bundle/save.ts';
import { assignWeights, snapshotModel } from '../bundle/snapshot.ts';
import { evaluateTask } from '../evaluation/evaluate.ts';
import { createBranchModel } from '../model/branch-model.ts';
import { disposeModel } from '../model/multitask-model.ts';
import { taskSpecOf } from '../model/task.ts';
import { trainBranch } from './branch-trainer.ts';
import { readCheckpoint } from './checkpoint.ts';
import { prepareDomain } from './domain-data.ts';
import type { TrainHooks } from './hooks.ts';

export interface ExpertJob {
  /** A resolved config (defaults filled in). */
  config: ExpertConfig;
  dataset: AnyLoadedDataset;
  /** A checkpoint folder written through hooks.checkpoint, and the epoch it holds. */
  resumeFrom?: { dir: string; epoch: number };
}

export interface ExpertResult {
  metrics: { test: Record<string, number>; validation: Record<string, number> };
  epochsRun: number;
  bestEpoch: number;
  confusion?: { labels: string[]; matrix: number[][] };
  save: (dir: string) => Promise<void>;
}

export async function trainExpert(job: ExpertJob, hooks: TrainHooks, signal: AbortSignal): Promise<ExpertResult> {
  const { config, dataset } = job;
  if (config.dataset !== dataset.name) throw new Error(`the config names dataset "${config.dataset}" but the job holds "${dataset.name}"`);
  const task = taskSpecOf(dataset);
  const data = prepareDomain(dataset, task, config.model);
  const model = createBranchModel(task, config.model, config.seed);
  try {
    let resume;
    if (job.resumeFrom) {
      const ck = await readCheckpoint(job.resumeFrom.dir);
      if (ck.state.epoch !== job.resumeFrom.epoch) throw new Error(`checkpoint ${job.resumeFrom.dir} holds epoch ${ck.state.epoch}, not ${job.resumeFrom.epoch}`);
      assignWeights(model, ck.current);
      resume = { state: ck.state, best: ck.best, optimizer: ck.optimizer };
    }
    const outcome = await trainBranch({ config, model, data, ...(resume ? { resume } : {}) }, hooks, signal);
    const test = evaluateTask(model, 0, data, 'test', config.seed);
    const snapshot = snapshotModel(model, { kind: 'expert', seed: config.seed, metrics: { [task.name]: test.metrics } });
    return {
      metrics: { test: test.metrics, validation: outcome.validation },
      epochsRun: outcome.epochsRun,
      bestEpoch: outcome.bestEpoch,
      ...(test.confusion ? { confusion: test.confusion } : {}),
      save: (dir) => writeBundle(dir, snapshot),
    };
  } finally {
    disposeModel(model);
  }
}
