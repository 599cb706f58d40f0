// Every expert's output on every cached token, computed once. With the experts frozen (config.train
// other than 'all') and the tokens cached (data/token-cache.ts), joint fine-tuning ran each batch's
// chosen experts again on the same tokens every step, for the same numbers (the expert FFN
// forward, its GELU above all). Now the MoE layer picks the chosen rows (moeLayer's
// expertOutputs): the built-in samples' assembly (batch 64) went from 28.1 to 24.8 s, filling included. Domains the token cache leaves out
// (ratings: one token per pair) get their experts run per batch, on their few tokens.
import * as tf from '@tensorflow/tfjs';
import { allExpertOutputs } from '../model/moe/moe-layer.ts';
import type { MultiTaskModel } from '../model/multitask-model.ts';
import { recordRows, type TokenCache } from '../data/token-cache.ts';

/** Most bytes of expert outputs kept (N times the tokens' bytes); past it, no domain is precomputed. */
export const EXPERT_OUTPUT_CACHE_BYTES = 512 * 2 ** 20;
/** Cached token rows run through the experts per call while filling. */
const FILL_ROWS = 4096;

export interface ExpertOutputCache {
  tokens: TokenCache;
  experts: number;
  /** Per domain (task order), laid out as the token cache's rows, N * D numbers per token; null where the token cache has none. */
  domains: (Float32Array | null)[];
}

/**
 * Runs every expert of the model's MoE on every cached token. Null when the model has no MoE, or
 * when the outputs would pass EXPERT_OUTPUT_CACHE_BYTES (every batch then runs its experts).
 */
export function cacheExpertOutputs(model: MultiTaskModel, tokens: TokenCache): ExpertOutputCache | null {
  const mixer = model.mixer;
  if (mixer.kind !== 'moe') return null;
  const n = mixer.experts.length;
  const width = n * tokens.dim;
  const bytes = tokens.domains.reduce((a, d) => a + (d ? (d.values.length / tokens.dim) * width * 4 : 0), 0);
  if (bytes > EXPERT_OUTPUT_CACHE_BYTES) return null;
  const domains = tokens.domains.map((d) => {
    if (!d) return null;
    const rows = d.values.length / tokens.dim;
    const out = new Float32Array(rows * width);
    for (let r = 0; r < rows; r += FILL_ROWS) {
      const take = Math.min(FILL_ROWS, rows - r);
      const x = tf.tensor2d(d.values.subarray(r * tokens.dim, (r + take) * tokens.dim), [take, tokens.dim]);
      const y = allExpertOutputs(mixer.experts, x);
      out.set(y.dataSync(), r * width);
      tf.dispose([x, y]);
    }
    return out;
  });
  return { tokens, experts: n, domains };
}

/** [tokens * N, D] of these records in order (moeLayer's expertOutputs), or null when the domain is not cached. */
export function cachedExpertOutputs(cache: ExpertOutputCache, task: number, records: ArrayLike<number>): tf.Tensor2D | null {
  const d = cache.tokens.domains[task];
  const values = cache.domains[task];
  return d && values ? recordRows(d, values, cache.tokens.dim, records, cache.experts * cache.tokens.dim) : null;
}
