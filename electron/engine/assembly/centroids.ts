// Encoder tokens of a domain (before the MoE layer) for the centroid router init: their mean, and
// an evenly strided sample of them for the router calibration (router-fit.ts).
import * as tf from '@tensorflow/tfjs';
import { encode } from '../model/encoders/encoder.ts';
import type { MultiTaskModel } from '../model/multitask-model.ts';
import { buildBatch, type DomainData } from '../data/domain-data.ts';

/**
 * Training records used per domain (the first ones of the split: deterministic, bounded cost).
 * Fixed, not config: a mean over 256 records' tokens (thousands of tokens for text and images)
 * moves by well under its own spread when more records are added.
 */
export const CENTROID_SAMPLES = 256;
/** Tokens kept per domain for the router calibration (fixed for the same reason). */
export const FIT_TOKENS = 512;

export interface DomainTokens {
  /** [D] mean token. */
  mean: Float32Array;
  /** [rows, D] row-major, at most FIT_TOKENS rows spread evenly over the tokens seen. */
  sample: Float32Array;
}

export function domainTokens(model: MultiTaskModel, task: number, data: DomainData, maxSamples = CENTROID_SAMPLES, batchSize = 64): DomainTokens {
  const dim = model.shape.dim;
  const records = data.splits.train.subarray(0, maxSamples);
  const encoder = model.encoders[model.taskEncoder[task]];
  const chunks: Float32Array[] = [];
  for (let start = 0; start < records.length; start += batchSize) {
    const batch = buildBatch(data, records.subarray(start, start + batchSize), null);
    const t = tf.tidy(() => encode(encoder, batch.input));
    chunks.push((t.dataSync() as Float32Array).slice());
    t.dispose();
  }
  const rows = chunks.reduce((a, c) => a + c.length, 0) / dim;
  const all = new Float32Array(rows * dim);
  let o = 0;
  for (const c of chunks) {
    all.set(c, o);
    o += c.length;
  }
  const mean = new Float32Array(dim);
  const sum = new Float64Array(dim);
  for (let r = 0; r < rows; r++) for (let i = 0; i < dim; i++) sum[i] += all[r * dim + i];
  for (let i = 0; i < dim; i++) mean[i] = rows > 0 ? sum[i] / rows : 0;
  const keep = Math.min(rows, FIT_TOKENS);
  const sample = new Float32Array(keep * dim);
  for (let k = 0; k < keep; k++) {
    const r = Math.floor((k * rows) / keep);
    sample.set(all.subarray(r * dim, (r + 1) * dim), k * dim);
  }
  return { mean, sample };
}
