// Calibration of a centroid-initialized router: a short, deterministic softmax regression of the
// router columns on "which domain does this token come from" (domains weighted equally), starting
// from the centroid columns. Mean tokens alone separate domains poorly when token norms differ
// across modalities (image patches are far larger than word vectors) and the router has no bias;
// the fit makes the router prefer each domain's own expert from the first step.
import * as tf from '@tensorflow/tfjs';

// Fixed, not config: a convex softmax fit on a few hundred tokens per domain that converges well
// within 150 full-batch steps at this rate on every sample and test set here; more only costs time.
export const ROUTER_FIT_STEPS = 150;
export const ROUTER_FIT_LR = 0.05;

/**
 * Returns W [D, N] fitted from `init`: `tokens[d]` are sample tokens ([rows, D] row-major) of the
 * domain of expert d (null: no data, its column only takes part as a competitor). Columns with
 * index < `firstTrainable` stay fixed (add-an-expert keeps the parent's columns).
 */
export function fitRouter(init: Float32Array, dim: number, tokens: readonly (Float32Array | null)[], firstTrainable = 0, steps = ROUTER_FIT_STEPS): Float32Array {
  const n = tokens.length;
  if (init.length !== dim * n) throw new Error(`router init has ${init.length} values, expected ${dim} x ${n}`);
  if (firstTrainable >= n || steps === 0) return init.slice();
  const domains = tokens.flatMap((t, d) => (t === null || t.length === 0 ? [] : [d]));
  if (domains.length < 2) return init.slice();
  const full = tf.tensor2d(init, [dim, n]);
  const fixed = firstTrainable > 0 ? tf.slice(full, [0, 0], [dim, firstTrainable]) : null;
  const free = tf.tidy(() => tf.variable(tf.slice(full, [0, firstTrainable], [dim, n - firstTrainable]), true));
  const xs = domains.map((d) => tf.tensor2d(tokens[d] as Float32Array, [(tokens[d] as Float32Array).length / dim, dim]));
  const ys = domains.map((d, i) => tf.tidy(() => tf.oneHot(tf.fill([xs[i].shape[0]], d, 'int32') as tf.Tensor1D, n)));
  const optimizer = tf.train.adam(ROUTER_FIT_LR);
  try {
    for (let s = 0; s < steps; s++) {
      optimizer.minimize(() => {
        const w = fixed === null ? free : tf.concat([fixed, free], 1);
        const losses = xs.map((x, i) => tf.losses.softmaxCrossEntropy(ys[i], tf.matMul(x, w as tf.Tensor2D)));
        return tf.div(tf.addN(losses), losses.length) as tf.Scalar;
      }, false, [free]);
    }
    return tf.tidy(() => (fixed === null ? free : tf.concat([fixed, free], 1)).dataSync() as Float32Array).slice();
  } finally {
    optimizer.dispose();
    tf.dispose([full, free, ...xs, ...ys]);
    if (fixed !== null) fixed.dispose();
  }
}
