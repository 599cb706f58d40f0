// The one training loop (as nanoGPT's trainer): epochs of steps, each step's batch and loss from
// the caller, one optimizer step over the caller's parameter groups, per-epoch validation with
// early stopping and the best weights kept, a checkpoint per epoch (but the last), throttled
// progress events, cancellation between steps. It knows nothing of experts, routers or domains: a branch and an
// assembly differ only in the `TrainTask` they hand it.
import type * as tf from '@tensorflow/tfjs';
import type { TrainHooks } from './hooks.ts';
import { createProgressMeter } from './progress-meter.ts';
import type { RowLeaf } from './row-leaves.ts';
import { trainStep, yieldToEventLoop, type ParamGroup } from './train-step.ts';

export interface LoopState {
  /** Epochs completed. */
  epoch: number;
  globalStep: number;
  /** Epoch of the best validation score (0: none yet). */
  bestEpoch: number;
  bestScore: number | null;
  /** Epochs since the best one. */
  sinceBest: number;
}

export const FRESH_STATE: LoopState = { epoch: 0, globalStep: 0, bestEpoch: 0, bestScore: null, sinceBest: 0 };

/** One step's work: its size (for throughput) and its loss, computed under the gradient tape. */
export interface StepBatch {
  samples: number;
  loss: () => tf.Scalar;
  /** Lookup-table rows the step trains through leaves of their own (row-leaves.ts); trainStep disposes them. */
  leaves?: RowLeaf[];
  /** After the optimizer step: more values to log at this step (read from what `loss` saw). */
  logged?: () => Record<string, number>;
}

/** Validation after an epoch: the score early stopping compares, and the values to log. */
export interface Validation {
  score: number;
  higherIsBetter: boolean;
  metrics: Record<string, number>;
}

export interface TrainTask<Weights> {
  /** Progress phase ('train', 'finetune', 'dense') and prefix of the logged loss ('train/loss'). */
  phase: string;
  prefix: string;
  epochs: number;
  stepsPerEpoch: number;
  /** Epochs without improvement before stopping; null: never stop early. */
  patience: number | null;
  groups: ParamGroup[];
  /** The batch of step `step` (0-based) of `epoch` (1-based); `globalStep` counts steps before it. */
  batch(epoch: number, step: number, globalStep: number): StepBatch;
  /** Null when there is nothing to validate on (then the last epoch's weights are kept). Epoch 0: the starting weights. */
  validate(epoch: number): Validation | null;
  /** Copy and restore of the weights early stopping keeps. */
  copyWeights(): Weights;
  restoreWeights(w: Weights): void;
  /**
   * At each epoch's end: writes the epoch's checkpoint (current weights, best weights, loop state)
   * through hooks.checkpoint, unless `last` (no epoch follows: the job writes its model next, so
   * that checkpoint would never be read).
   */
  checkpoint(epoch: number, state: LoopState, best: Weights, last: boolean): Promise<void>;
}

export interface LoopOutcome<Weights> {
  state: LoopState;
  /** The validation of the weights kept (empty without validation). */
  validation: Record<string, number>;
  best: Weights;
}

/**
 * Runs epochs state.epoch + 1 .. task.epochs (a resume passes its checkpoint's state and best
 * weights). On return the model holds the best weights.
 */
export async function trainLoop<W>(task: TrainTask<W>, hooks: TrainHooks, signal: AbortSignal, resume?: { state: LoopState; best: W }): Promise<LoopOutcome<W>> {
  const state: LoopState = { ...(resume?.state ?? FRESH_STATE) };
  let best: W = resume ? resume.best : task.copyWeights();
  let validation: Record<string, number> = {};
  const sessionSteps = Math.max(0, task.epochs - state.epoch) * task.stepsPerEpoch;
  const meter = createProgressMeter();
  let sessionStep = 0;
  const stopped = (): boolean => task.patience !== null && state.sinceBest >= task.patience;
  if (!resume) {
    // The starting weights are a candidate too: training that only hurts (a good initialization
    // overfitted at once) ends where it started.
    const v0 = task.validate(0);
    if (v0 !== null) {
      state.bestScore = v0.score;
      hooks.metrics(0, Object.fromEntries(Object.entries(v0.metrics).map(([k, x]) => [`validation/${k}`, x])));
    }
  }

  for (let epoch = state.epoch + 1; epoch <= task.epochs && !stopped(); epoch++) {
    let lossSum = 0;
    for (let step = 0; step < task.stepsPerEpoch; step++) {
      signal.throwIfAborted();
      const batch = task.batch(epoch, step, state.globalStep);
      const loss = trainStep(batch.loss, task.groups, batch.leaves);
      lossSum += loss;
      state.globalStep++;
      sessionStep++;
      hooks.metrics(state.globalStep, { [`${task.prefix}/loss`]: loss, ...batch.logged?.() });
      if (meter.tick(batch.samples, sessionStep, step === task.stepsPerEpoch - 1)) {
        hooks.progress({ phase: task.phase, epoch, epochs: task.epochs, step: step + 1, steps: task.stepsPerEpoch, metrics: { loss }, samplesPerSec: meter.samplesPerSec(), etaSec: meter.etaSec(sessionSteps) });
      }
      await yieldToEventLoop();
    }
    state.epoch = epoch;
    const epochMetrics: Record<string, number> = { [`${task.prefix}/epoch_loss`]: lossSum / task.stepsPerEpoch };
    const v = task.validate(epoch);
    if (v !== null) {
      validation = v.metrics;
      for (const [k, x] of Object.entries(v.metrics)) epochMetrics[`validation/${k}`] = x;
      const better = state.bestScore === null || (v.higherIsBetter ? v.score > state.bestScore : v.score < state.bestScore);
      if (better) {
        state.bestScore = v.score;
        state.bestEpoch = epoch;
        state.sinceBest = 0;
        best = task.copyWeights();
      } else {
        state.sinceBest++;
      }
    } else {
      state.bestEpoch = epoch;
      best = task.copyWeights();
    }
    hooks.metrics(state.globalStep, epochMetrics);
    hooks.progress({ phase: task.phase, epoch, epochs: task.epochs, step: task.stepsPerEpoch, steps: task.stepsPerEpoch, metrics: epochMetrics, samplesPerSec: meter.samplesPerSec(), etaSec: meter.etaSec(sessionSteps) });
    await task.checkpoint(epoch, { ...state }, best, epoch === task.epochs || stopped());
  }
  if (state.epoch > 0 || resume) task.restoreWeights(best);
  // (bestEpoch 0: the starting weights were never beaten; `best` still holds them.)
  // The validation of the weights kept (the best epoch's, or a resumed run's best).
  const final = task.validate(state.epoch);
  if (final !== null) validation = final.metrics;
  return { state, validation, best };
}
