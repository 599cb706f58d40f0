// Trains one branch model alone: Adam, minibatches shuffled by the seed (one permutation per
// epoch), early stopping on the validation selection metric with the best weights kept, a
// checkpoint each epoch, cancellation between steps. Knows nothing of MoE or of the host.
import type { ExpertConfig } from '../../../shared/config.ts';
import { snapshotModel, copyWeights, assignWeights } from '../bundle/snapshot.ts';
import type { WeightEntry } from '../bundle/weights-file.ts';
import { evaluateTask } from '../evaluation/evaluate.ts';
import { headLoss } from '../model/heads.ts';
import { forward, namedVariables, type MultiTaskModel } from '../model/multitask-model.ts';
import { createRng, deriveSeed, permutation } from '../rng.ts';
import { headKindOf, selectionMetric } from '../model/task.ts';
import { optimizerStateOf, restoreOptimizer, writeCheckpoint, type BranchState, type SavedOptimizer } from './checkpoint.ts';
import { buildBatch, type DomainData } from './domain-data.ts';
import type { TrainHooks } from './hooks.ts';
import { createProgressMeter } from './progress-meter.ts';
import { trainStep, yieldToEventLoop } from './train-step.ts';
import { FusedAdam } from '../compute/fused-adam.ts';

export interface BranchTrainInput {
  config: ExpertConfig;
  model: MultiTaskModel;
  data: DomainData;
  /** Resume: weights are already in the model; continue after state.epoch. */
  resume?: { state: BranchState; best: WeightEntry[]; optimizer?: SavedOptimizer | null };
}

export interface BranchTrainOutcome {
  epochsRun: number;
  bestEpoch: number;
  validation: Record<string, number>;
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
  const stepsPerEpoch = Math.ceil(train.length / config.batch_size);
  const variables = namedVariables(model).map(([, v]) => v);
  const optimizer = new FusedAdam(config.learning_rate);
  if (input.resume?.optimizer) restoreOptimizer(model, optimizer, input.resume.optimizer);
  const state: BranchState = input.resume ? { ...input.resume.state } : { epoch: 0, globalStep: 0, bestEpoch: 0, bestScore: null, sinceBest: 0 };
  let best: WeightEntry[] = input.resume ? input.resume.best : copyWeights(model);
  let validation: Record<string, number> = {};
  const firstEpoch = state.epoch + 1;
  const sessionSteps = Math.max(0, config.epochs - state.epoch) * stepsPerEpoch;
  const meter = createProgressMeter();
  let sessionStep = 0;
  const stopped = (): boolean => hasValidation && state.sinceBest >= config.patience;

  try {
    for (let epoch = firstEpoch; epoch <= config.epochs && !stopped(); epoch++) {
      const order = epochOrder(config.seed, epoch, train.length);
      const negatives = createRng(deriveSeed(config.seed, 'negatives', epoch));
      let lossSum = 0;
      for (let step = 0; step < stepsPerEpoch; step++) {
        signal.throwIfAborted();
        const ids = order.subarray(step * config.batch_size, (step + 1) * config.batch_size).map((i) => train[i]);
        const batch = buildBatch(data, ids, negatives);
        const loss = trainStep(() => {
          const r = forward(model, [{ task: 0, input: batch.input }], { training: true, noiseSeed: 0 });
          return headLoss(kind, r.outputs[0], batch.targets, task.rating);
        }, [{ optimizer, variables }]);
        lossSum += loss;
        state.globalStep++;
        sessionStep++;
        hooks.metrics(state.globalStep, { 'train/loss': loss });
        if (meter.tick(ids.length, sessionStep, step === stepsPerEpoch - 1)) {
          hooks.progress({ phase: 'train', epoch, epochs: config.epochs, step: step + 1, steps: stepsPerEpoch, metrics: { loss }, samplesPerSec: meter.samplesPerSec(), etaSec: meter.etaSec(sessionSteps) });
        }
        await yieldToEventLoop();
      }
      const epochMetrics: Record<string, number> = { 'train/epoch_loss': lossSum / stepsPerEpoch };
      state.epoch = epoch;
      if (hasValidation) {
        validation = evaluateTask(model, 0, data, 'validation', config.seed).metrics;
        for (const [k, v] of Object.entries(validation)) epochMetrics[`validation/${k}`] = v;
        const score = validation[select.name];
        const better = state.bestScore === null || (select.higherIsBetter ? score > state.bestScore : score < state.bestScore);
        if (better) {
          state.bestScore = score;
          state.bestEpoch = epoch;
          state.sinceBest = 0;
          best = copyWeights(model);
        } else {
          state.sinceBest++;
        }
      } else {
        state.bestEpoch = epoch;
        best = copyWeights(model);
      }
      hooks.metrics(state.globalStep, epochMetrics);
      hooks.progress({ phase: 'train', epoch, epochs: config.epochs, step: stepsPerEpoch, steps: stepsPerEpoch, metrics: epochMetrics, samplesPerSec: meter.samplesPerSec(), etaSec: meter.etaSec(sessionSteps) });
      const current = snapshotModel(model, { kind: 'expert', seed: config.seed });
      const bestNow = best;
      const stateNow = { ...state };
      const optimizerNow = optimizerStateOf(model, optimizer);
      await hooks.checkpoint(epoch, (dir) => writeCheckpoint(dir, current, bestNow, stateNow, optimizerNow));
    }
  } finally {
    optimizer.dispose();
  }
  if (state.epoch > 0 || input.resume) assignWeights(model, best);
  if (hasValidation) validation = evaluateTask(model, 0, data, 'validation', config.seed).metrics;
  return { epochsRun: state.epoch, bestEpoch: state.bestEpoch, validation };
}
