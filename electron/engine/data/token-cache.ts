// The tokens of frozen encoders, computed once per training record. Joint fine-tuning trains the
// gate and the heads (and the dense baseline its FFN) while every encoder stays as assembled, so
// encoding each batch again gave the same numbers every step: on the built-in samples that was a
// quarter of the assembly's time. An expert trained against an anchor (its encoder frozen) uses
// it too (training/branch-trainer.ts). Text and image domains are cached (many tokens per record);
// ratings are one cheap token per pair, and implicit batches draw new negative pairs every step.
import * as tf from '@tensorflow/tfjs';
import { buildBatch, type DomainData } from './domain-data.ts';
import { encode, tokenSamples } from '../model/encoders/encoder.ts';
import type { MultiTaskModel } from '../model/multitask-model.ts';

/** Most bytes of tokens kept (about 6,000 texts of 126 words at D = 64 take 194 MB); past it, domains encode per batch. */
export const TOKEN_CACHE_BYTES = 256 * 2 ** 20;
/** Records encoded per call while filling the cache. */
const FILL_BATCH = 64;

export interface DomainTokens {
  /** Tokens of every cached record, concatenated [rows, D]. */
  values: Float32Array;
  /** Per record of the dataset: first token row, and rows (0: not a training record). */
  start: Int32Array;
  count: Int32Array;
}

export interface TokenCache {
  dim: number;
  /** Per domain (task order); null where the domain encodes per batch. */
  domains: (DomainTokens | null)[];
}

/** Encodes every training record of the text and image domains once, within TOKEN_CACHE_BYTES. */
export function cacheFrozenTokens(model: MultiTaskModel, data: readonly DomainData[]): TokenCache {
  const dim = model.shape.dim;
  let bytes = 0;
  const domains = data.map((d, task) => {
    if (d.prepared.modality === 'interaction') return null;
    const encoder = model.encoders[model.taskEncoder[task]];
    const train = d.splits.train;
    const records = d.prepared.modality === 'text' ? d.prepared.features.length : d.prepared.pixels.length;
    const start = new Int32Array(records);
    const count = new Int32Array(records);
    const chunks: Float32Array[] = [];
    let rows = 0;
    for (let b = 0; b < train.length; b += FILL_BATCH) {
      const ids = train.subarray(b, b + FILL_BATCH);
      const { input } = buildBatch(d, ids, null);
      const samples = tokenSamples(input, model.tasks[task].shape.patch);
      // Read outside the tidy: tidy walks what its callback returns, element by element for an array.
      const t = encode(encoder, input);
      chunks.push(t.dataSync() as Float32Array);
      t.dispose();
      for (const s of samples) count[ids[s]]++;
      for (const id of ids) {
        start[id] = rows;
        rows += count[id];
      }
      if (bytes + rows * dim * 4 > TOKEN_CACHE_BYTES) return null;
    }
    bytes += rows * dim * 4;
    const values = new Float32Array(rows * dim);
    let o = 0;
    for (const c of chunks) {
      values.set(c, o);
      o += c.length;
    }
    return { values, start, count };
  });
  return { dim, domains };
}

/** [tokens, D] of these records in order (as one encode of their batch gives), or null when the domain is not cached. */
export function cachedTokens(cache: TokenCache, task: number, records: ArrayLike<number>): tf.Tensor2D | null {
  const d = cache.domains[task];
  return d ? recordRows(d, d.values, cache.dim, records) : null;
}

/**
 * The rows of these records in order, from values laid out as the domain's tokens ([token rows *
 * perToken] numbers, a token's numbers contiguous), as a [token rows * perToken / width, width] tensor.
 */
export function recordRows(d: DomainTokens, values: Float32Array, width: number, records: ArrayLike<number>, perToken = width): tf.Tensor2D {
  let rows = 0;
  for (let i = 0; i < records.length; i++) rows += d.count[records[i]];
  const out = new Float32Array(rows * perToken);
  let o = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    const from = d.start[r] * perToken;
    const n = d.count[r] * perToken;
    out.set(values.subarray(from, from + n), o);
    o += n;
  }
  return tf.tensor2d(out, [(rows * perToken) / width, width]);
}
