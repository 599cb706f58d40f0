// Task heads on top of the (mixed) tokens, and their training losses:
//   token_softmax  (syntax)          logits per token over the tags
//   pooled_softmax (semantics, texture) mean of a sample's tokens -> logits over the classes
//   rating         (explicit recommendation) one value per pair; rating = mean + scale * value
//   logistic       (implicit recommendation) one logit per pair: P(interaction)
import * as tf from '@tensorflow/tfjs';
import { segmentSum } from '../compute/segment-sum.ts';
import { glorotVariable, zerosVariable } from './init.ts';
import type { Rng } from '../rng.ts';
import type { HeadKind, RatingScale } from './task.ts';

export interface HeadParams {
  /** [D, outputs]: glorot-uniform; zeros for rating heads (see createHead). */
  w: tf.Variable;
  /** [outputs], zeros. */
  b: tf.Variable;
}

/** Outputs per row: the class count for softmax heads, 1 for rating and logistic heads. */
export function headOutputs(kind: HeadKind, classes: number): number {
  return kind === 'token_softmax' || kind === 'pooled_softmax' ? classes : 1;
}

export function createHead(rng: Rng, kind: HeadKind, dim: number, classes: number): HeadParams {
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`head dim must be a positive integer, got ${dim}`);
  if ((kind === 'token_softmax' || kind === 'pooled_softmax') && !(Number.isInteger(classes) && classes >= 2)) {
    throw new Error(`a ${kind} head needs at least 2 classes, got ${classes}`);
  }
  const outputs = headOutputs(kind, classes);
  // A rating head starts at zero so that the untrained model predicts exactly its biases (the
  // closed-form baseline predictor, bias-init.ts): training then only learns what they miss, and
  // early stopping (which validates the starting weights) never ends worse than the baseline.
  const w = kind === 'rating' ? zerosVariable([dim, outputs]) : glorotVariable(rng, dim, outputs);
  return { w, b: zerosVariable([outputs]) };
}

/**
 * Head output rows: [tokens, C] for token_softmax, [samples, C] for pooled_softmax (mean over each
 * sample's tokens, `tokenSample` giving the sample of every token), [pairs, 1] otherwise.
 */
export function headForward(kind: HeadKind, p: HeadParams, tokens: tf.Tensor2D, tokenSample: Int32Array, samples: number): tf.Tensor2D {
  return tf.tidy(() => {
    if (kind !== 'pooled_softmax') return tf.add(tf.matMul(tokens, p.w as tf.Tensor2D), p.b) as tf.Tensor2D;
    const counts = new Float32Array(samples);
    for (const s of tokenSample) counts[s] += 1;
    const inv = counts.map((c) => (c > 0 ? 1 / c : 0));
    const pooled = tf.mul(segmentSum(tokens, tokenSample, samples), tf.tensor2d(inv, [samples, 1])) as tf.Tensor2D;
    return tf.add(tf.matMul(pooled, p.w as tf.Tensor2D), p.b) as tf.Tensor2D;
  });
}

/** What a head is trained against: class indices per output row, or target values per row. */
export type HeadTargets = { classes: Int32Array } | { values: Float32Array };

/**
 * Mean loss over the output rows: softmax cross-entropy (softmax heads), squared error in units of
 * the rating scale (rating), binary cross-entropy on the logit (logistic).
 */
export function headLoss(kind: HeadKind, output: tf.Tensor2D, targets: HeadTargets, rating: RatingScale | null): tf.Scalar {
  return tf.tidy(() => {
    if (kind === 'token_softmax' || kind === 'pooled_softmax') {
      if (!('classes' in targets)) throw new Error(`a ${kind} head is trained on class targets`);
      const onehot = tf.oneHot(tf.tensor1d(targets.classes, 'int32'), output.shape[1]);
      return tf.losses.softmaxCrossEntropy(onehot, output) as tf.Scalar;
    }
    if (!('values' in targets)) throw new Error(`a ${kind} head is trained on value targets`);
    const y = tf.reshape(output, [-1]);
    if (kind === 'logistic') return tf.losses.sigmoidCrossEntropy(tf.tensor1d(targets.values), y) as tf.Scalar;
    if (rating === null) throw new Error('a rating head needs the rating scale');
    const normalized = targets.values.map((v) => (v - rating.mean) / rating.scale);
    return tf.mean(tf.square(tf.sub(y, tf.tensor1d(normalized)))) as tf.Scalar;
  });
}
