// A branch (one expert) as a task of the training loop: minibatches shuffled by the seed (one
// permutation per epoch), the head's loss plus the biased-MF L2 penalty, Adam, early stopping on
// the validation selection metric, checkpoints between epochs.
import * as tf from '@tensorflow/tfjs';
import type { ResolvedExpertConfig } from '../../../shared/config.ts';
import { snapshotModel, copyWeights, assignWeights } from '../bundle/snapshot.ts';
import type { WeightEntry } from '../bundle/weights-file.ts';
import { evaluateTask } from '../evaluation/evaluate.ts';
import { headLoss } from '../model/heads.ts';
import { components, forward, lookupTableNames, type MultiTaskModel } from '../model/multitask-model.ts';
import { createRng, deriveSeed, permutation } from '../rng.ts';
import { headKindOf, selectionMetric } from '../model/task.ts';
import { optimizerStateOf, restoreOptimizer, writeCheckpoint, type SavedOptimizer } from './checkpoint.ts';
import { buildBatch, type DomainData } from '../data/domain-data.ts';
import { cachedTokens, cacheFrozenTokens } from '../data/token-cache.ts';
import type { TrainHooks } from './hooks.ts';
import { textRowLeaves } from './row-leaves.ts';
import { trainLoop, type LoopState } from './trainer.ts';
import { FusedAdam } from '../compute/fused-adam.ts';

export interface BranchTrainInput {
  config: ResolvedExpertConfig;
  model: MultiTaskModel;
  data: DomainData;
  /** Resume: weights are already in the model; continue after state.epoch. */
  resume?: { state: LoopState; best: WeightEntry[]; optimizer?: SavedOptimizer | null };
}

export interface BranchTrainOutcome {
  epochsRun: number;
  bestEpoch: number;
  validation: Record<string, number>;
}

/**
 * What a branch trains: every variable, or, against an anchor (config.anchor), all but the
 * encoder's: the anchor's encoder stays frozen, so every expert of one anchor keeps its tokens.
 */
export function trainableVariables(model: MultiTaskModel, anchored: boolean): tf.Variable[] {
  return components(model)
    .filter((c) => !(anchored && c.kind === 'encoder'))
    .flatMap((c) => Object.values(c.variables));
}

/** Epoch e's minibatch order over the training records (also after a resume). */
export function epochOrder(seed: number, epoch: number, n: number): Int32Array {
  return permutation(createRng(deriveSeed(seed, 'shuffle', epoch)), n);
}

export async function trainBranch(input: BranchTrainInput, hooks: TrainHooks, signal: AbortSignal): Promise<BranchTrainOutcome> {
  const { config, model, data } = input;
  const task = model.tasks[0];
  const kind = headKindOf(task);
  const select = selectionMetric(task);
  const train = data.splits.train;
  const hasValidation = data.splits.validation.length > 0;
  const optimizer = new FusedAdam(config.learning_rate, { rowSparse: lookupTableNames(model) });
  // A resumed run continues with the optimizer's moments as they were (checkpoint.ts).
  if (input.resume?.optimizer) restoreOptimizer(model, optimizer, input.resume.optimizer);
  let order: Int32Array = new Int32Array(0);
  let negatives = createRng(0);
  // Against an anchor the encoder is frozen: each training record's tokens are computed once
  // (token dropout acts on them afterwards, as on freshly encoded ones).
  const frozen = config.anchor !== null ? cacheFrozenTokens(model, [data]) : null;
  const variables = trainableVariables(model, config.anchor !== null);
  const trainable = new Set(variables);
  try {
    const outcome = await trainLoop<WeightEntry[]>(
      {
        phase: 'train',
        prefix: 'train',
        epochs: config.epochs,
        stepsPerEpoch: Math.ceil(train.length / config.batch_size),
        patience: config.patience,
        groups: [{ optimizer, variables }],
        batch(epoch, step) {
          if (step === 0) {
            order = epochOrder(config.seed, epoch, train.length);
            negatives = createRng(deriveSeed(config.seed, 'negatives', epoch));
          }
          const ids = order.subarray(step * config.batch_size, (step + 1) * config.batch_size).map((i) => train[i]);
          const batch = buildBatch(data, ids, negatives);
          const sparse = textRowLeaves(model, [{ task: 0, input: batch.input }], trainable);
          return {
            samples: ids.length,
            leaves: sparse.leaves,
            loss: () => {
              const dropout = { rate: config.dropout, seed: deriveSeed(config.seed, 'dropout', epoch, step) };
              const tokens = (frozen && cachedTokens(frozen, 0, ids)) ?? undefined;
              const r = forward(model, [{ ...sparse.parts[0], tokens }], { training: true, noiseSeed: 0, dropout });
              const loss = headLoss(kind, r.outputs[0], batch.targets, task.rating);
              return r.penalty === null || config.l2 === 0 ? loss : (tf.add(loss, tf.mul(r.penalty, config.l2)) as tf.Scalar);
            },
          };
        },
        validate() {
          if (!hasValidation) return null;
          const metrics = evaluateTask(model, 0, data, 'validation', config.seed).metrics;
          return { score: metrics[select.name], higherIsBetter: select.higherIsBetter, metrics };
        },
        copyWeights: () => copyWeights(model),
        restoreWeights: (w) => assignWeights(model, w),
        async checkpoint(epoch, state, best, last) {
          // Read when written (see TrainHooks.checkpoint): the moments without a copy.
          if (!last) await hooks.checkpoint(epoch, (dir) => writeCheckpoint(dir, snapshotModel(model, { kind: 'expert', seed: config.seed }), best, state, optimizerStateOf(model, optimizer, { live: true })));
        },
      },
      hooks,
      signal,
      input.resume,
    );
    return { epochsRun: outcome.state.epoch, bestEpoch: outcome.state.bestEpoch, validation: outcome.validation };
  } finally {
    optimizer.dispose();
  }
}
