// The auto-tune search space and its seeded order of trials. Trial 0 is always the config as given
// (data-derived defaults), so tuning never chooses something that validated worse than the
// defaults; then distinct random points of the grid below, in an order fixed by the seed.
import type { ExpertConfigInput } from '../../../shared/config.ts';
import { createRng, deriveSeed, permutation } from '../rng.ts';

/**
 * The grid: learning rate (Adam), the expert's hidden width as a multiple of the token width, and
 * most epochs (early stopping still ends sooner). The token width itself is not tuned: experts
 * mix only when they share it. Chosen around the defaults (0.003, 2-4x, 12).
 */
export const TUNE_GRID = {
  learning_rate: [0.001, 0.002, 0.003, 0.005, 0.01],
  hidden_per_dim: [2, 4, 8],
  epochs: [8, 12, 20],
} as const;

/** Config overrides of trial 1, 2, ... (trial 0 is the base config itself), at most `count`, for token width `dim`. */
export function tuneTrials(seed: number, count: number, dim: number): Partial<ExpertConfigInput>[] {
  const points: Partial<ExpertConfigInput>[] = [];
  for (const learning_rate of TUNE_GRID.learning_rate) {
    for (const k of TUNE_GRID.hidden_per_dim) {
      for (const epochs of TUNE_GRID.epochs) points.push({ learning_rate, epochs, model: { dim, hidden: k * dim } });
    }
  }
  const order = permutation(createRng(deriveSeed(seed, 'tune')), points.length);
  return Array.from(order.subarray(0, Math.max(0, Math.min(count, points.length))), (i) => points[i]);
}
