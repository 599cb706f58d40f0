// Interaction encoder: user and item rows (exact ids or hashed, see id-vocab.ts) -> two embedding
// tables -> one token per (user, item) = dense over [user, item, user * item]. It also holds the
// user and item biases of biased matrix factorization (r = mu + b_u + b_i + f(p_u, q_i)), which
// carry most of the signal in rating data: the model adds them to the head's output (forward).
import * as tf from '@tensorflow/tfjs';
import { hashBucket } from '../hash.ts';
import { glorotVariable, normalVariable, zerosVariable } from '../init.ts';
import type { Rng } from '../../rng.ts';

export interface InteractionEncoderParams {
  /** [id_buckets, D], normal(0, 0.1). */
  user: tf.Variable;
  /** [id_buckets, D], normal(0, 0.1). */
  item: tf.Variable;
  /** [3D, D], glorot-uniform. */
  w: tf.Variable;
  b: tf.Variable;
  /** [user rows, 1] and [item rows, 1], zeros. */
  user_bias: tf.Variable;
  item_bias: tf.Variable;
}

export interface InteractionInput {
  modality: 'interaction';
  samples: number;
  /** [samples] user bucket. */
  user: Int32Array;
  /** [samples] item bucket. */
  item: Int32Array;
}

export function userBucket(user: string, buckets: number): number {
  return hashBucket(`u:${user}`, buckets);
}

export function itemBucket(item: string, buckets: number): number {
  return hashBucket(`i:${item}`, buckets);
}

export function createInteractionEncoder(rng: Rng, userRows: number, itemRows: number, dim: number): InteractionEncoderParams {
  for (const [what, rows] of [['user', userRows], ['item', itemRows]] as const) {
    if (!Number.isInteger(rows) || rows < 1) throw new Error(`interaction encoder ${what} rows must be a positive integer, got ${rows}`);
  }
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`interaction encoder dim must be a positive integer, got ${dim}`);
  return {
    user: normalVariable(rng, [userRows, dim], 0.1),
    item: normalVariable(rng, [itemRows, dim], 0.1),
    w: glorotVariable(rng, 3 * dim, dim),
    b: zerosVariable([dim]),
    user_bias: zerosVariable([userRows, 1]),
    item_bias: zerosVariable([itemRows, 1]),
  };
}

export function buildInteractionInput(user: Int32Array, item: Int32Array): InteractionInput {
  if (user.length !== item.length) throw new Error(`interaction input has ${user.length} users but ${item.length} items`);
  return { modality: 'interaction', samples: user.length, user, item };
}

/** [samples, D]. */
export function encodeInteraction(p: InteractionEncoderParams, input: InteractionInput): tf.Tensor2D {
  return tf.tidy(() => {
    const u = tf.gather(p.user, tf.tensor1d(input.user, 'int32')) as tf.Tensor2D;
    const i = tf.gather(p.item, tf.tensor1d(input.item, 'int32')) as tf.Tensor2D;
    return tf.add(tf.matMul(tf.concat([u, i, tf.mul(u, i)], 1) as tf.Tensor2D, p.w as tf.Tensor2D), p.b) as tf.Tensor2D;
  });
}

/** [samples, 1]: b_u + b_i of each pair, added to the head's output. */
export function interactionBias(p: InteractionEncoderParams, input: InteractionInput): tf.Tensor2D {
  return tf.tidy(() => tf.add(tf.gather(p.user_bias, tf.tensor1d(input.user, 'int32')), tf.gather(p.item_bias, tf.tensor1d(input.item, 'int32'))) as tf.Tensor2D);
}

/**
 * The L2 penalty of biased MF on what a batch touches: mean over pairs of
 * |p_u|^2 + |q_i|^2 + b_u^2 + b_i^2 (rows seen more often are penalized more often, as in SGD MF).
 */
export function interactionPenalty(p: InteractionEncoderParams, input: InteractionInput): tf.Scalar {
  return tf.tidy(() => {
    const u = tf.tensor1d(input.user, 'int32');
    const i = tf.tensor1d(input.item, 'int32');
    const rows = tf.concat([tf.gather(p.user, u), tf.gather(p.item, i), tf.gather(p.user_bias, u), tf.gather(p.item_bias, i)], 1);
    return tf.div(tf.sum(tf.square(rows)), input.samples) as tf.Scalar;
  });
}
