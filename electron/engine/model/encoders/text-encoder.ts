// Text encoder: hashed word + n-gram embeddings averaged per word, then a context window of
// `context` neighbours on each side (concatenated, one dense layer: a convolution of width
// 2 * context + 1 written as a matmul, because the wasm backend has no conv filter gradient) ->
// one token of width D per word.
//
// Tokens are kept flat ([words in the batch, D], no padding): the neighbours come from gathers
// over the batch's word rows with a zero row for "outside the text", which equals zero-padding
// each text and taking three shifted slices.
import * as tf from '@tensorflow/tfjs';
import { segmentSum } from '../../compute/segment-sum.ts';
import { gelu } from '../expert.ts';
import { glorotVariable, normalVariable, zerosVariable } from '../init.ts';
import type { Rng } from '../../rng.ts';
import type { TextFeatures } from '../text-features.ts';

export interface TextEncoderParams {
  /** Feature embedding [buckets, D], normal(0, 0.1). */
  embedding: tf.Variable;
  /** Context window [(2 * context + 1) * D, D] (left neighbours, self, right neighbours), glorot-uniform. */
  context_w: tf.Variable;
  /** [D], zeros. */
  context_b: tf.Variable;
}

export interface TextInput {
  modality: 'text';
  samples: number;
  /** Word rows in the batch (= tokens). */
  tokens: number;
  /** [F] bucket of every feature of every word. */
  featureIds: Int32Array;
  /** [F] word row of each feature. */
  featureToken: Int32Array;
  /** [W] 1 / number of features of the word. */
  tokenInvCount: Float32Array;
  /**
   * [2 * context][W]: for offsets -context..-1 then 1..context, the row of the word at that offset
   * in the same text, or W (the zero row) past the text's edge.
   */
  neighbours: Int32Array[];
  /** [W] sample of each word row. */
  tokenSample: Int32Array;
  /**
   * The embedding rows this batch reads, as a table of their own (training/row-leaves.ts): when
   * set, featureIds index these rows instead of the encoder's whole table.
   */
  rows?: tf.Tensor2D;
}

export function createTextEncoder(rng: Rng, buckets: number, dim: number, context: number): TextEncoderParams {
  if (!Number.isInteger(buckets) || buckets < 1) throw new Error(`text encoder buckets must be a positive integer, got ${buckets}`);
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`text encoder dim must be a positive integer, got ${dim}`);
  if (!Number.isInteger(context) || context < 0) throw new Error(`text encoder context must be a non-negative integer, got ${context}`);
  return { embedding: normalVariable(rng, [buckets, dim], 0.1), context_w: glorotVariable(rng, (2 * context + 1) * dim, dim), context_b: zerosVariable([dim]) };
}

/** Neighbour words on each side that an encoder's context window reads. */
export function contextOf(p: TextEncoderParams): number {
  return ((p.context_w.shape[0] as number) / (p.embedding.shape[1] as number) - 1) / 2;
}

/** Packs featurized texts into one flat batch for a window of `context` words on each side. */
export function buildTextInput(samples: readonly TextFeatures[], context: number): TextInput {
  let tokens = 0;
  let features = 0;
  for (const s of samples) {
    tokens += s.words.length;
    for (const f of s.features) features += f.length;
  }
  const featureIds = new Int32Array(features);
  const featureToken = new Int32Array(features);
  const tokenInvCount = new Float32Array(tokens);
  const offsets = [...Array.from({ length: context }, (_, i) => i - context), ...Array.from({ length: context }, (_, i) => i + 1)];
  const neighbours = offsets.map(() => new Int32Array(tokens));
  const tokenSample = new Int32Array(tokens);
  let row = 0;
  let f = 0;
  samples.forEach((s, sample) => {
    const first = row;
    const last = row + s.words.length - 1;
    for (const ids of s.features) {
      featureIds.set(ids, f);
      featureToken.fill(row, f, f + ids.length);
      f += ids.length;
      tokenInvCount[row] = ids.length > 0 ? 1 / ids.length : 0;
      offsets.forEach((o, k) => {
        neighbours[k][row] = row + o < first || row + o > last ? tokens : row + o;
      });
      tokenSample[row] = sample;
      row++;
    }
  });
  return { modality: 'text', samples: samples.length, tokens, featureIds, featureToken, tokenInvCount, neighbours, tokenSample };
}

/** [tokens, D]: mean feature embedding + GELU(context window). */
export function encodeText(p: TextEncoderParams, input: TextInput): tf.Tensor2D {
  return tf.tidy(() => {
    const dim = p.embedding.shape[1] as number;
    const emb = tf.gather(input.rows ?? p.embedding, tf.tensor1d(input.featureIds, 'int32'));
    const summed = segmentSum(emb as tf.Tensor2D, input.featureToken, input.tokens);
    const words = tf.mul(summed, tf.tensor2d(input.tokenInvCount, [input.tokens, 1])) as tf.Tensor2D;
    const padded = tf.concat([words, tf.zeros([1, dim])], 0);
    const side = (k: number): tf.Tensor => tf.gather(padded, tf.tensor1d(input.neighbours[k], 'int32'));
    const half = input.neighbours.length / 2;
    if (half !== contextOf(p)) throw new Error(`text input built for ${half} neighbours per side, encoder reads ${contextOf(p)}`);
    const window = tf.concat([...Array.from({ length: half }, (_, k) => side(k)), words, ...Array.from({ length: half }, (_, k) => side(half + k))], 1);
    return tf.add(words, gelu(tf.add(tf.matMul(window as tf.Tensor2D, p.context_w as tf.Tensor2D), p.context_b))) as tf.Tensor2D;
  });
}
