// One expert: the FFN block every domain trains alone and the MoE later mixes.
// Block: y = x + expertFfn(p, x), expertFfn = Dense(H->D)(GELU(Dense(D->H)(LayerNorm(x)))).
// Every expert uses exactly this function, so parameters trained apart stay interchangeable.
import * as tf from '@tensorflow/tfjs';
import { geluWithDerivative, normalCdf } from '../compute/gelu.ts';
import { groupedMatMul, groupedOuter } from '../compute/grouped-matmul.ts';

export interface ExpertParams {
  /** LayerNorm scale [D], init 1. */
  gamma: tf.Variable;
  /** LayerNorm shift [D], init 0. */
  beta: tf.Variable;
  /** First dense layer [D, H], glorot-uniform. */
  w1: tf.Variable;
  /** First bias [H], init 0. */
  b1: tf.Variable;
  /** Second dense layer [H, D], glorot-uniform. */
  w2: tf.Variable;
  /** Second bias [D], init 0. */
  b2: tf.Variable;
}

/** Added to the variance before the square root (as in BERT/GPT-2 LayerNorm). */
export const LAYER_NORM_EPSILON = 1e-5;

/**
 * Seeded, deterministic init: glorot-uniform weights (w1 from `seed`, w2 from `seed + 1`),
 * zero biases, unit LayerNorm scale. Variable names are `${namePrefix}/gamma` etc.; tfjs
 * refuses a second live variable with the same name, so prefixes must be unique.
 */
export function createExpertParams(dim: number, hidden: number, seed: number, namePrefix: string): ExpertParams {
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`expert dim must be a positive integer, got ${dim}`);
  if (!Number.isInteger(hidden) || hidden < 1) throw new Error(`expert hidden width must be a positive integer, got ${hidden}`);
  if (!Number.isFinite(seed)) throw new Error(`expert seed must be a finite number, got ${seed}`);
  const glorot = (rows: number, cols: number, s: number): tf.Tensor2D => {
    const limit = Math.sqrt(6 / (rows + cols));
    return tf.randomUniform([rows, cols], -limit, limit, 'float32', s);
  };
  const variable = (init: tf.Tensor, name: string): tf.Variable => {
    const v = tf.variable(init, true, `${namePrefix}/${name}`);
    init.dispose();
    return v;
  };
  return {
    gamma: variable(tf.ones([dim]), 'gamma'),
    beta: variable(tf.zeros([dim]), 'beta'),
    w1: variable(glorot(dim, hidden, seed), 'w1'),
    b1: variable(tf.zeros([hidden]), 'b1'),
    w2: variable(glorot(hidden, dim, seed + 1), 'w2'),
    b2: variable(tf.zeros([dim]), 'b2'),
  };
}

/** GELU, exact (erf) form: x * Phi(x), smooth where ReLU has a kink (the Transformer default). */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(x, normalCdf(x)));
}

/**
 * The parameter-free half of LayerNorm: (x - mean) / sqrt(var + eps) per row. Row-wise, so
 * the MoE layer computes it once for all tokens before dispatch.
 */
export function normalizeRows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, LAYER_NORM_EPSILON)));
  });
}

/**
 * The expert after normalizeRows: scale and shift, dense, GELU, dense. One custom-gradient
 * node with the backward pass written out (about 13 kernels instead of about 30 from autodiff):
 * the MoE layer runs one of these per active expert, so per-kernel overhead is what grows with
 * the expert count. Checked against autodiff of the plain composition in the tests.
 */
const ffnOnNormalized = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [xn, gamma, beta, w1, b1, w2, b2] = args.slice(0, 7) as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.Tensor2D, tf.Tensor1D, tf.Tensor2D, tf.Tensor1D];
  const save = args[7] as tf.GradSaveFunc;
  const a = tf.add(tf.mul(xn, gamma), beta) as tf.Tensor2D;
  const h = tf.add(tf.matMul(a, w1), b1) as tf.Tensor2D;
  // GELU and its derivative Phi(h) + h * phi(h) in one pass: the backward pass is one multiply.
  const [g, dGelu] = geluWithDerivative(h) as tf.Tensor2D[];
  // Saving clones each tensor; the parameters are variables, unchanged until the update, so the
  // backward pass reads them directly. xn may come from a caller's tidy that ends before it.
  save([xn, a, g, dGelu]);
  return {
    value: tf.add(tf.matMul(g, w2), b2),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sxn, sa, sg, sdGelu] = saved as tf.Tensor2D[];
      const dy2 = dy as tf.Tensor2D;
      const dW2 = tf.matMul(sg, dy2, true, false);
      const db2 = tf.sum(dy2, 0);
      const dh = tf.mul(tf.matMul(dy2, w2, false, true), sdGelu) as tf.Tensor2D;
      const dW1 = tf.matMul(sa, dh, true, false);
      const db1 = tf.sum(dh, 0);
      const da = tf.matMul(dh, w1, false, true);
      const dGamma = tf.sum(tf.mul(da, sxn), 0);
      const dBeta = tf.sum(da, 0);
      const dxn = tf.mul(da, gamma);
      return [dxn, dGamma, dBeta, dW1, db1, dW2, db2];
    },
  };
});

/** expertFfn on rows already passed through normalizeRows (the scale and shift are applied here). */
export function expertFfnNormalized(p: ExpertParams, normalized: tf.Tensor2D): tf.Tensor2D {
  return ffnOnNormalized(normalized, p.gamma, p.beta, p.w1, p.b1, p.w2, p.b2) as tf.Tensor2D;
}

/**
 * Every expert's FFN at once on rows grouped by expert (the MoE layer's batched path): the
 * parameters stacked per kind ([G, D, H], [G, H, D], [G, H], ...), one grouped matmul for all
 * experts in each of the two dense layers forward and the four products backward, and the
 * scale, shift, bias and GELU steps on all rows together. Same values and gradients as
 * ffnOnNormalized run group by group. rowExpert [R] is the group (0..G-1) of each row.
 */
function groupedFfnOnNormalized(sizes: number[], rowExpert: tf.Tensor1D) {
  const groups = sizes.length;
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xn, gamma, beta, w1, b1, w2, b2] = args.slice(0, 7) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor3D, tf.Tensor2D, tf.Tensor3D, tf.Tensor2D];
    const save = args[7] as tf.GradSaveFunc;
    const gammaRows = tf.gather(gamma, rowExpert);
    const a = tf.add(tf.mul(xn, gammaRows), tf.gather(beta, rowExpert)) as tf.Tensor2D;
    const h = groupedMatMul(a, w1, sizes, { bias: b1 });
    const [g, dGelu] = geluWithDerivative(h) as tf.Tensor2D[];
    // The stacked weights and the row groups are intermediate tensors (not variables): saved for
    // the backward pass, which runs after the caller's tidy has ended.
    save([xn, a, g, dGelu, gammaRows, w1, w2, rowExpert]);
    return {
      value: groupedMatMul(g, w2, sizes, { bias: b2 }),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sxn, sa, sg, sdGelu, sGammaRows] = saved as tf.Tensor2D[];
        const [sw1, sw2] = saved.slice(5, 7) as tf.Tensor3D[];
        const rowGroup = saved[7] as tf.Tensor1D;
        const dy2 = dy as tf.Tensor2D;
        const dW2 = groupedOuter(sg, dy2, sizes);
        const db2 = tf.unsortedSegmentSum(dy2, rowGroup, groups);
        const dh = tf.mul(groupedMatMul(dy2, sw2, sizes, { transposeB: true }), sdGelu) as tf.Tensor2D;
        const dW1 = groupedOuter(sa, dh, sizes);
        const db1 = tf.unsortedSegmentSum(dh, rowGroup, groups);
        const da = groupedMatMul(dh, sw1, sizes, { transposeB: true });
        const dGamma = tf.unsortedSegmentSum(tf.mul(da, sxn), rowGroup, groups);
        const dBeta = tf.unsortedSegmentSum(da, rowGroup, groups);
        const dxn = tf.mul(da, sGammaRows);
        return [dxn, dGamma, dBeta, dW1, db1, dW2, db2];
      },
    };
  });
}

/**
 * expertFfnNormalized of each expert on its own rows, for all experts in one pass: `normalized`
 * [R, D] holds the rows grouped by expert, rowsPerExpert[e] rows for experts[e] in order.
 * Experts without rows are left out (no gradient reaches them, as when they are not called).
 * The stacking of the parameters is part of the differentiated computation, so gradients reach
 * each expert's own variables.
 */
export function groupedExpertFfnNormalized(experts: ExpertParams[], normalized: tf.Tensor2D, rowsPerExpert: ArrayLike<number>): tf.Tensor2D {
  if (rowsPerExpert.length !== experts.length) throw new Error(`rowsPerExpert has ${rowsPerExpert.length} entries for ${experts.length} experts`);
  return tf.tidy(() => {
    const active: ExpertParams[] = [];
    const sizes: number[] = [];
    for (let e = 0; e < experts.length; e++) {
      if (rowsPerExpert[e] > 0) {
        active.push(experts[e]);
        sizes.push(rowsPerExpert[e]);
      }
    }
    const rows = sizes.reduce((x, y) => x + y, 0);
    if (rows !== normalized.shape[0]) throw new Error(`rowsPerExpert adds up to ${rows}, but there are ${normalized.shape[0]} rows`);
    if (rows === 0) return tf.zeros([0, normalized.shape[1]]);
    const rowExpert = new Int32Array(rows);
    let start = 0;
    sizes.forEach((size, g) => {
      rowExpert.fill(g, start, start + size);
      start += size;
    });
    const stack = (pick: (p: ExpertParams) => tf.Variable): tf.Tensor => tf.stack(active.map(pick));
    const ffn = groupedFfnOnNormalized(sizes, tf.tensor1d(rowExpert, 'int32'));
    return ffn(normalized, stack((p) => p.gamma), stack((p) => p.beta), stack((p) => p.w1), stack((p) => p.b1), stack((p) => p.w2), stack((p) => p.b2)) as tf.Tensor2D;
  });
}

/** FFN(LN(x)) for rows x [R, D] -> [R, D], WITHOUT the residual (the block is x + expertFfn(p, x)). */
export function expertFfn(p: ExpertParams, x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => expertFfnNormalized(p, normalizeRows(x)));
}

/** Trainable variables in a fixed order (gamma, beta, w1, b1, w2, b2). */
export function expertVariables(p: ExpertParams): tf.Variable[] {
  return [p.gamma, p.beta, p.w1, p.b1, p.w2, p.b2];
}
