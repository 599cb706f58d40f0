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

/**
 * ST-MoE router z-loss mean_t(logsumexp_i(logits[t, i])^2): keeps router logits small.
 * Gradient written out, 2 lse_t / T * softmax(logits)[t, i]: autodiff of logSumExp goes through
 * the gradient of max, an Equal broadcast over [T, N] that on wasm cost more (26 ms at N = 32)
 * than the rest of the router together.
 */
export function routerZLoss(logits: tf.Tensor2D): tf.Scalar {
  return zLoss(logits) as tf.Scalar;
}

const zLoss = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const logits = args[0] as tf.Tensor2D;
  const save = args[1] as tf.GradSaveFunc;
  const lse = tf.logSumExp(logits, 1, true);
  save([logits, lse]);
  return {
    value: tf.mean(tf.square(lse)),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [l, s] = saved;
      const tokens = l.shape[0];
      return [tf.mul(tf.exp(tf.sub(l, s)), tf.mul(s, tf.mul(dy, 2 / tokens)))];
    },
  };
});
