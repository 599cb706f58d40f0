// The expert (branch) job: prepare the dataset, build or resume the branch model, train it,
// evaluate on the test split, and hand back metrics plus a `save` that writes the bundle.
// Every tensor is released before returning: `save` writes from a snapshot.
import type { ExpertConfig, ResolvedExpertConfig } from '../../../shared/config.ts';
import { resolveExpertConfig } from '../model/derive-shape.ts';
import type { AnyLoadedDataset } from '../datasets/types.ts';
import { writeBundle } from '../bundle/save.ts';
import { assignWeights, snapshotModel } from '../bundle/snapshot.ts';
import { evaluateTask } from '../evaluation/evaluate.ts';
import { createBranchModel } from '../model/branch-model.ts';
import * as tf from '@tensorflow/tfjs';
import { disposeModel, type MultiTaskModel } from '../model/multitask-model.ts';
import { fitRatingBiases } from '../model/bias-init.ts';
import type { InteractionEncoderParams } from '../model/encoders/interaction-encoder.ts';
import { taskSpecOf } from '../model/task.ts';
import { trainBranch } from './branch-trainer.ts';
import { readCheckpoint } from './checkpoint.ts';
import { prepareDomain, type DomainData } from '../data/domain-data.ts';
import type { TrainHooks } from './hooks.ts';
import { MODALITY_OF } from '../../../shared/domain.ts';
import { anchoredShape, loadAnchorEncoder, loadAnchorFfn, readAnchorEncoder, type AnchorEncoder } from './anchored-branch.ts';

export interface ExpertJob {
  /** A resolved config (defaults filled in). */
  /** Null model fields are derived from the dataset (derive-shape.ts). */
  config: ExpertConfig;
  dataset: AnyLoadedDataset;
  /** A checkpoint folder written through hooks.checkpoint, and the epoch it holds. */
  resumeFrom?: { dir: string; epoch: number };
  /** config.anchor set: the anchor run's saved bundle, whose encoder the expert trains against, frozen. */
  anchorDir?: string;
}

export interface ExpertResult {
  /** The config with the model shape derived from the data: what the run records. */
  config: ResolvedExpertConfig;
  metrics: { test: Record<string, number>; validation: Record<string, number> };
  epochsRun: number;
  bestEpoch: number;
  confusion?: { labels: string[]; matrix: number[][] };
  save: (dir: string) => Promise<void>;
}

export async function trainExpert(job: ExpertJob, hooks: TrainHooks, signal: AbortSignal): Promise<ExpertResult> {
  const { dataset } = job;
  if (job.config.dataset !== dataset.name) throw new Error(`the config names dataset "${job.config.dataset}" but the job holds "${dataset.name}"`);
  let config = resolveExpertConfig(job.config, dataset);
  let anchor: AnchorEncoder | null = null;
  if (config.anchor !== null) {
    if (job.anchorDir === undefined) throw new Error(`the config names anchor run ${config.anchor} but the job holds no anchor bundle`);
    anchor = await readAnchorEncoder(job.anchorDir, config.anchor, dataset.kind);
    config = { ...config, model: anchoredShape(config.model, anchor, dataset.name, MODALITY_OF[dataset.kind], job.config.model.hidden !== null) };
  }
  const task = taskSpecOf(dataset, config.model);
  const data = prepareDomain(dataset, task, config.model);
  const model = createBranchModel(task, config.model, config.seed);
  try {
    let resume;
    // The anchor's encoder holds its own rating biases; a branch of its own starts from the baseline's.
    if (anchor !== null) {
      loadAnchorEncoder(model, anchor);
      loadAnchorFfn(model, anchor);
    } else if (!job.resumeFrom) initRatingBiases(model, data, dataset.split);
    if (job.resumeFrom) {
      const ck = await readCheckpoint(job.resumeFrom.dir);
      if (ck.state.epoch !== job.resumeFrom.epoch) throw new Error(`checkpoint ${job.resumeFrom.dir} holds epoch ${ck.state.epoch}, not ${job.resumeFrom.epoch}`);
      assignWeights(model, ck.current);
      resume = { state: ck.state, best: ck.best, optimizer: ck.optimizer };
    }
    const outcome = await trainBranch({ config, model, data, ...(resume ? { resume } : {}) }, hooks, signal);
    const test = evaluateTask(model, 0, data, 'test', config.seed);
    const snapshot = snapshotModel(model, { kind: 'expert', seed: config.seed, metrics: { [task.name]: test.metrics }, anchorRunId: config.anchor });
    return {
      config,
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

/** Explicit ratings: the encoder's user and item biases start at the baseline predictor's (bias-init.ts). */
function initRatingBiases(model: MultiTaskModel, data: DomainData, split: Uint8Array): void {
  const task = model.tasks[0];
  const p = data.prepared;
  if (task.rating === null || p.modality !== 'interaction') return;
  const enc = model.encoders[model.taskEncoder[0]].params as InteractionEncoderParams;
  const [userRows, itemRows] = [enc.user_bias.shape[0] as number, enc.item_bias.shape[0] as number];
  const fit = fitRatingBiases(p.users, p.items, p.ratings, split, userRows, itemRows, task.rating.mean, task.rating.scale);
  tf.tidy(() => {
    enc.user_bias.assign(tf.tensor2d(fit.user, [userRows, 1]));
    enc.item_bias.assign(tf.tensor2d(fit.item, [itemRows, 1]));
  });
}
