// Router auxiliary losses, returned unweighted: the trainer multiplies by its coefficients.
import * as tf from '@tensorflow/tfjs';

/**
 * Fraction of tokens whose chosen top-1 expert is i ([N], sums to 1). A constant of the
 * loss: selection is not differentiable (Switch Transformer, eq. 5).
 */
export function top1Fractions(topIndices: Int32Array, tokens: number, experts: number, k: number): Float32Array {
  const f = new Float32Array(experts);
  if (tokens === 0) return f;
  for (let t = 0; t < tokens; t++) f[topIndices[t * k]] += 1;
  for (let e = 0; e < experts; e++) f[e] /= tokens;
  return f;
}

/**
 * Switch load-balancing loss N * sum_i f_i * P_i, with f_i the top-1 fractions (constant) and
 * P_i the mean router probability of expert i (differentiable). Equals 1 when routing is uniform.
 */
export function loadBalanceLoss(probs: tf.Tensor2D, fractions: Float32Array): tf.Scalar {
  return tf.tidy(() => {
    const experts = probs.shape[1];
    const meanProb = tf.mean(probs, 0);
    return tf.mul(tf.sum(tf.mul(meanProb, tf.tensor1d(fractions))), experts) as tf.Scalar;
  });
}

/** ST-MoE router z-loss mean_t(logsumexp_i(logits[t, i])^2): keeps router logits small. */
export function routerZLoss(logits: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.square(tf.logSumExp(logits, 1))) as tf.Scalar);
}
