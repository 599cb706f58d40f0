// Interaction encoder: user and item ids hashed into id buckets ("u:" + user, "i:" + item) ->
// two embedding tables -> one token per (user, item) = dense over [user, item, user * item].
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

export function createInteractionEncoder(rng: Rng, buckets: number, dim: number): InteractionEncoderParams {
  if (!Number.isInteger(buckets) || buckets < 1) throw new Error(`interaction encoder id buckets must be a positive integer, got ${buckets}`);
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`interaction encoder dim must be a positive integer, got ${dim}`);
  return { user: normalVariable(rng, [buckets, dim], 0.1), item: normalVariable(rng, [buckets, dim], 0.1), w: glorotVariable(rng, 3 * dim, dim), b: zerosVariable([dim]) };
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
