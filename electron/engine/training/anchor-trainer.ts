// An anchor (the dense multi-task model behind a shared encoder) as a task of the training loop:
// mixed batches over its domains (temperature sampling), loss = sum over the batch's domains of
// (their share of the batch) * task loss (+ the biased-MF penalty), Adam over every variable,
// early stopping on the mean validation selection metric across domains, checkpoints between epochs.
import * as tf from '@tensorflow/tfjs';
import type { ResolvedAnchorConfig } from '../../../shared/config.ts';
import { createMixedSampler } from '../assembly/mixed-sampler.ts';
import { assignWeights, copyWeights, snapshotModel } from '../bundle/snapshot.ts';
import type { WeightEntry } from '../bundle/weights-file.ts';
import { FusedAdam } from '../compute/fused-adam.ts';
import { buildBatch, type Batch, type DomainData } from '../data/domain-data.ts';
import { evaluateTask } from '../evaluation/evaluate.ts';
import { headLoss } from '../model/heads.ts';
import { forward, lookupTableNames, namedVariables, type MultiTaskModel } from '../model/multitask-model.ts';
import { headKindOf, selectionMetric } from '../model/task.ts';
import { createRng, deriveSeed } from '../rng.ts';
import { writeCheckpoint } from './checkpoint.ts';
import type { TrainHooks } from './hooks.ts';
import { textRowLeaves } from './row-leaves.ts';
import { trainLoop } from './trainer.ts';

export interface AnchorTrainOutcome {
  epochsRun: number;
  bestEpoch: number;
  /** Validation metrics of the weights kept, `${dataset}/${metric}`. */
  validation: Record<string, number>;
}

export async function trainAnchorModel(config: ResolvedAnchorConfig, model: MultiTaskModel, data: readonly DomainData[], hooks: TrainHooks, signal: AbortSignal): Promise<AnchorTrainOutcome> {
  const domains = model.tasks.map((t) => t.name);
  const sampler = createMixedSampler(
    data.map((d) => d.splits.train.length),
    config.batch_size,
    config.temperature,
    config.seed,
  );
  const negatives = createRng(deriveSeed(config.seed, 'anchor-negatives'));
  const optimizer = new FusedAdam(config.learning_rate, { rowSparse: lookupTableNames(model) });
  const validated = data.map((d, i) => (d.splits.validation.length > 0 ? i : -1)).filter((i) => i >= 0);
  const variables = namedVariables(model).map(([, v]) => v);
  const trainable = new Set(variables);
  try {
    const outcome = await trainLoop<WeightEntry[]>(
      {
        phase: 'anchor',
        prefix: 'train',
        epochs: config.epochs,
        stepsPerEpoch: Math.max(1, Math.ceil(data.reduce((a, d) => a + d.splits.train.length, 0) / config.batch_size)),
        patience: config.patience,
        groups: [{ optimizer, variables }],
        batch() {
          const mixed = sampler.next();
          const batches: Batch[] = mixed.map((p) => buildBatch(data[p.domain], p.rows.map((r) => data[p.domain].splits.train[r]), negatives));
          const { parts, leaves } = textRowLeaves(model, mixed.map((p, i) => ({ task: p.domain, input: batches[i].input })), trainable);
          return {
            samples: mixed.reduce((a, p) => a + p.rows.length, 0),
            leaves,
            loss: () => {
              const r = forward(model, parts, { training: true, noiseSeed: 0 });
              const losses = mixed.map((p, i) => {
                const spec = model.tasks[p.domain];
                return tf.mul(headLoss(headKindOf(spec), r.outputs[i], batches[i].targets, spec.rating), p.rows.length / config.batch_size);
              });
              if (r.penalty !== null && config.l2 > 0) losses.push(tf.mul(r.penalty, config.l2));
              return tf.addN(losses) as tf.Scalar;
            },
          };
        },
        validate() {
          if (validated.length === 0) return null;
          const metrics: Record<string, number> = {};
          let score = 0;
          for (const i of validated) {
            const m = evaluateTask(model, i, data[i], 'validation', config.seed).metrics;
            for (const [k, v] of Object.entries(m)) metrics[`${domains[i]}/${k}`] = v;
            // One score across domains: each domain's selection metric, signed so that higher is better.
            const select = selectionMetric(model.tasks[i]);
            score += (select.higherIsBetter ? m[select.name] : -m[select.name]) / validated.length;
          }
          return { score, higherIsBetter: true, metrics };
        },
        copyWeights: () => copyWeights(model),
        restoreWeights: (w) => assignWeights(model, w),
        async checkpoint(epoch, state, best, last) {
          // Read when written (see TrainHooks.checkpoint).
          if (!last) await hooks.checkpoint(epoch, (dir) => writeCheckpoint(dir, snapshotModel(model, { kind: 'anchor', seed: config.seed }), best, state));
        },
      },
      hooks,
      signal,
    );
    return { epochsRun: outcome.state.epoch, bestEpoch: outcome.state.bestEpoch, validation: outcome.validation };
  } finally {
    optimizer.dispose();
  }
}
