// How a job reports: progress events, logged metric curves, routing statistics and checkpoints.
// The host (worker wrapper, CLI, tests) implements these; the engine never writes a store.
import type { RoutingStats } from '../model/moe/routing-stats.ts';

export interface ProgressEvent {
  /** 'train' (branch), 'finetune' (assembly fine-tuning), 'dense' (dense baseline training). */
  phase: string;
  /** 1-based epoch being run (0 before the first). */
  epoch: number;
  epochs: number;
  /** Steps done in this epoch. */
  step: number;
  /** Steps per epoch. */
  steps: number;
  metrics: Record<string, number>;
  samplesPerSec: number;
  etaSec: number | null;
}

export interface TrainHooks {
  progress(p: ProgressEvent): void;
  /** Logged curves ('train/loss', 'validation/accuracy', 'train/lb_loss', ...) at a global step. */
  metrics(step: number, values: Record<string, number>): void;
  /** Assemblies only: split 'train' while fine-tuning, 'test' at evaluation. */
  routing(step: number, split: string, domains: string[], stats: RoutingStats): void;
  /**
   * After each epoch but the last; `saveTo(dir)` writes that epoch's checkpoint (weights and
   * trainer state) into dir, if the host finds one due (the worker paces them:
   * api/jobs/checkpoint-pacer.ts). It reads the live model and optimizer, so a hook that saves awaits it before returning:
   * training waits for the hook, and nothing is copied for a hook that does not save.
   */
  checkpoint(epoch: number, saveTo: (dir: string) => Promise<void>): Promise<void>;
}

/** Hooks that drop everything (tests, internal baselines). */
export const silentHooks: TrainHooks = {
  progress: () => undefined,
  metrics: () => undefined,
  routing: () => undefined,
  checkpoint: async () => undefined,
};
