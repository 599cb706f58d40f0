// Grouped matrix products for the MoE layer: the rows of `a` come grouped by expert (group g is
// rows start_g .. start_g + sizes[g]) and each group is multiplied with its own matrix of a
// stacked [G, K, M] tensor, in one op for all groups (as MegaBlocks' grouped GEMM: no padding,
// no dropped row). A backend with the kernels registered (wasm: compute/wasm/grouped-matmul.ts)
// runs them; any other backend gets the same result from standard ops, the GShard way: rows
// packed into a zero-padded [G, C, K] buffer (C = the largest group), one batched matMul, rows
// unpacked. Not differentiable on their own: callers use them inside a tf.customGrad.
import * as tf from '@tensorflow/tfjs';

export const GROUPED_MATMUL = 'MoeGroupedMatMul';
export const GROUPED_OUTER = 'MoeGroupedOuter';

export interface GroupedMatMulAttrs {
  /** Rows per group, in group order; sums to the rows of `a`. */
  groupSizes: number[];
  /** b is [G, M, K] and each group multiplies with its transpose. */
  transposeB: boolean;
}

function checkSizes(rows: number, groups: number, sizes: readonly number[]): void {
  if (sizes.length !== groups) throw new Error(`groupSizes has ${sizes.length} entries for ${groups} groups`);
  let total = 0;
  for (const s of sizes) {
    if (!(Number.isInteger(s) && s >= 0)) throw new Error(`group sizes must be integers >= 0, got ${s}`);
    total += s;
  }
  if (total !== rows) throw new Error(`group sizes add up to ${total}, but there are ${rows} rows`);
}

/** True where the current backend runs the grouped kernels itself (no padding). */
export function hasGroupedKernels(): boolean {
  const backend = tf.getBackend();
  return tf.getKernel(GROUPED_MATMUL, backend) !== undefined && tf.getKernel(GROUPED_OUTER, backend) !== undefined;
}

/**
 * out[r] = a[r] · b[g] (+ bias[g]) for every row r of group g: a [R, K], b [G, K, M]
 * ([G, M, K] with transposeB), bias [G, M] -> [R, M].
 */
export function groupedMatMul(a: tf.Tensor2D, b: tf.Tensor3D, groupSizes: number[], opts: { transposeB?: boolean; bias?: tf.Tensor2D } = {}): tf.Tensor2D {
  const transposeB = opts.transposeB ?? false;
  const [rows, inner] = a.shape;
  const [groups, bRows, bCols] = b.shape;
  const [k, m] = transposeB ? [bCols, bRows] : [bRows, bCols];
  checkSizes(rows, groups, groupSizes);
  if (k !== inner) throw new Error(`groupedMatMul: a is [${a.shape.join(', ')}] but b's groups are [${k}, ${m}]`);
  if (opts.bias !== undefined && (opts.bias.shape[0] !== groups || opts.bias.shape[1] !== m)) {
    throw new Error(`groupedMatMul: bias must be [${groups}, ${m}], got [${opts.bias.shape.join(', ')}]`);
  }
  if (tf.getKernel(GROUPED_MATMUL, tf.getBackend()) !== undefined) {
    const inputs: tf.NamedTensorMap = opts.bias === undefined ? { a, b } : { a, b, bias: opts.bias };
    const attrs: GroupedMatMulAttrs = { groupSizes, transposeB };
    return tf.engine().runKernel(GROUPED_MATMUL, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor2D;
  }
  return tf.tidy(() => {
    const { pack, unpack, capacity } = packingIndices(groupSizes);
    if (rows === 0) return tf.zeros([0, m]);
    const packed = tf.reshape(tf.gather(tf.concat([a, tf.zeros([1, inner])], 0), pack), [groups, capacity, inner]);
    let product: tf.Tensor = tf.matMul(packed, b, false, transposeB);
    if (opts.bias !== undefined) product = tf.add(product, tf.reshape(opts.bias, [groups, 1, m]));
    return tf.gather(tf.reshape(product, [groups * capacity, m]), unpack) as tf.Tensor2D;
  });
}

/**
 * out[g] = a_g^T · d_g for each group: a [R, K], d [R, M] -> [G, K, M] (zeros for an empty
 * group). The weight gradient of groupedMatMul.
 */
export function groupedOuter(a: tf.Tensor2D, d: tf.Tensor2D, groupSizes: number[]): tf.Tensor3D {
  const [rows, k] = a.shape;
  const m = d.shape[1];
  if (d.shape[0] !== rows) throw new Error(`groupedOuter: a has ${rows} rows, d has ${d.shape[0]}`);
  checkSizes(rows, groupSizes.length, groupSizes);
  if (tf.getKernel(GROUPED_OUTER, tf.getBackend()) !== undefined) {
    return tf.engine().runKernel(GROUPED_OUTER, { a, d }, { groupSizes } as unknown as tf.NamedAttrMap) as tf.Tensor3D;
  }
  return tf.tidy(() => {
    const groups = groupSizes.length;
    const { pack, capacity } = packingIndices(groupSizes);
    if (rows === 0) return tf.zeros([groups, k, m]);
    const packA = tf.reshape(tf.gather(tf.concat([a, tf.zeros([1, k])], 0), pack), [groups, capacity, k]);
    const packD = tf.reshape(tf.gather(tf.concat([d, tf.zeros([1, m])], 0), pack), [groups, capacity, m]);
    return tf.matMul(packA, packD, true, false);
  });
}

/**
 * Gather indices between grouped rows and a [G, C] padded buffer: `pack` [G*C] is the row of
 * each slot (R, one past the last row, for a padding slot), `unpack` [R] the slot of each row.
 */
function packingIndices(groupSizes: readonly number[]): { pack: tf.Tensor1D; unpack: tf.Tensor1D; capacity: number } {
  const groups = groupSizes.length;
  const capacity = Math.max(1, ...groupSizes);
  const rows = groupSizes.reduce((x, y) => x + y, 0);
  const pack = new Int32Array(groups * capacity).fill(rows);
  const unpack = new Int32Array(rows);
  let start = 0;
  groupSizes.forEach((size, g) => {
    for (let i = 0; i < size; i++) {
      pack[g * capacity + i] = start + i;
      unpack[start + i] = g * capacity + i;
    }
    start += size;
  });
  return { pack: tf.tensor1d(pack, 'int32'), unpack: tf.tensor1d(unpack, 'int32'), capacity };
}
