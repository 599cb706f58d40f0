// GELU with its derivative in one pass, for the expert FFN's hand-written backward pass:
// g = h * Phi(h) and g' = Phi(h) + h * phi(h) share one exp(-h^2 / 2), so the forward pass
// saves g' and the backward pass is one multiply. On wasm a kernel does it in one loop
// (compute/wasm/gelu.ts): the backend's Erf alone costs about ten times an Exp there. Other
// backends get the same values from standard ops.
import * as tf from '@tensorflow/tfjs';

export const GELU_WITH_DERIVATIVE = 'MoeGeluWithDerivative';

/** Abramowitz & Stegun 7.1.26: erf(z) = 1 - poly(t) * exp(-z^2), t = 1 / (1 + p z), |error| < 1.5e-7. */
export const ERF_P = 0.3275911;
export const ERF_A = [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429] as const;

/** Phi(x), the standard normal CDF, from tf.erf. */
export function normalCdf(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.add(tf.mul(tf.erf(tf.mul(x, Math.SQRT1_2)), 0.5), 0.5));
}

/** [GELU(h), GELU'(h)] elementwise, exact (erf) GELU to float32 rounding and erf's 1.5e-7. */
export function geluWithDerivative(h: tf.Tensor): [tf.Tensor, tf.Tensor] {
  if (h.dtype !== 'float32') throw new Error(`geluWithDerivative wants float32, got ${h.dtype}`);
  if (tf.getKernel(GELU_WITH_DERIVATIVE, tf.getBackend()) !== undefined) {
    return tf.engine().runKernel(GELU_WITH_DERIVATIVE, { x: h }, {}) as unknown as [tf.Tensor, tf.Tensor];
  }
  return tf.tidy(() => {
    const cdf = normalCdf(h);
    const density = tf.mul(tf.exp(tf.mul(tf.square(h), -0.5)), 1 / Math.sqrt(2 * Math.PI));
    return [tf.mul(h, cdf), tf.add(cdf, tf.mul(h, density))];
  });
}
