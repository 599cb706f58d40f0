// The anchor job: one shared encoder per modality, trained first (issue 10). Prepare the datasets
// with the anchor's shapes, build the dense multi-task model, train it (a task of the one training
// loop, anchor-trainer.ts), evaluate each domain on its test split, and hand back a `save` that
// writes the bundle (kind anchor). Experts that name the run then take its encoder, frozen.
import * as tf from '@tensorflow/tfjs';
import type { AnchorConfig, ResolvedAnchorConfig } from '../../../shared/config.ts';
import type { Modality } from '../../../shared/domain.ts';
import { writeBundle } from '../bundle/save.ts';
import { snapshotModel } from '../bundle/snapshot.ts';
import { prepareDomain } from '../data/domain-data.ts';
import type { AnyLoadedDataset } from '../datasets/types.ts';
import { evaluateTask } from '../evaluation/evaluate.ts';
import { anchorShapes, createAnchorModel, modalityOf } from '../model/anchor-model.ts';
import { fitRatingBiases } from '../model/bias-init.ts';
import type { InteractionEncoderParams } from '../model/encoders/interaction-encoder.ts';
import { disposeModel } from '../model/multitask-model.ts';
import { taskSpecOf } from '../model/task.ts';
import { trainAnchorModel } from './anchor-trainer.ts';
import type { TrainHooks } from './hooks.ts';

export interface AnchorJob {
  config: AnchorConfig;
  /** The config's datasets, in its order. */
  datasets: AnyLoadedDataset[];
}

export interface AnchorResult {
  /** The config with the shape derived from the data: what the run records. */
  config: ResolvedAnchorConfig;
  modality: Modality;
  /** Dataset name -> metric -> value on each test split (the anchor's own heads: for reference). */
  metrics: { test: Record<string, Record<string, number>>; validation: Record<string, number> };
  epochsRun: number;
  bestEpoch: number;
  save: (dir: string) => Promise<void>;
}

export async function trainAnchor(job: AnchorJob, hooks: TrainHooks, signal: AbortSignal): Promise<AnchorResult> {
  const names = job.datasets.map((d) => d.name);
  if (names.join('\0') !== job.config.datasets.join('\0')) throw new Error(`the anchor config names datasets [${job.config.datasets.join(', ')}] but the job holds [${names.join(', ')}]`);
  const modality = modalityOf(job.datasets);
  const shapes = anchorShapes(job.config.model, job.datasets);
  const config: ResolvedAnchorConfig = { ...job.config, model: shapes.shape };
  const tasks = job.datasets.map((d, i) => taskSpecOf(d, shapes.tasks[i]));
  const data = job.datasets.map((d, i) => prepareDomain(d, tasks[i], tasks[i].shape));
  const model = createAnchorModel(tasks, config.model, config.seed);
  try {
    // Explicit ratings (one dataset: exact ids) start from the baseline biases, as an expert does.
    const rating = tasks[0].rating;
    const p = data[0].prepared;
    if (tasks.length === 1 && rating !== null && p.modality === 'interaction') {
      const enc = model.encoders[modality].params as InteractionEncoderParams;
      const [userRows, itemRows] = [enc.user_bias.shape[0] as number, enc.item_bias.shape[0] as number];
      const fit = fitRatingBiases(p.users, p.items, p.ratings, job.datasets[0].split, userRows, itemRows, rating.mean, rating.scale);
      tf.tidy(() => {
        enc.user_bias.assign(tf.tensor2d(fit.user, [userRows, 1]));
        enc.item_bias.assign(tf.tensor2d(fit.item, [itemRows, 1]));
      });
    }
    const outcome = await trainAnchorModel(config, model, data, hooks, signal);
    const test = Object.fromEntries(tasks.map((t, i) => [t.name, evaluateTask(model, i, data[i], 'test', config.seed).metrics]));
    const snapshot = snapshotModel(model, { kind: 'anchor', seed: config.seed, metrics: test });
    return { config, modality, metrics: { test, validation: outcome.validation }, epochsRun: outcome.epochsRun, bestEpoch: outcome.bestEpoch, save: (dir) => writeBundle(dir, snapshot) };
  } finally {
    disposeModel(model);
  }
}
