// Every wasm kernel this project adds or replaces (electron/engine/compute/wasm-kernels.ts)
// against the cpu backend's result on the same inputs.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { geluWithDerivative } from '../../../electron/engine/compute/gelu.ts';
import { groupedMatMul, groupedOuter, hasGroupedKernels } from '../../../electron/engine/compute/grouped-matmul.ts';
import { useBackend } from './backends.ts';

interface Result {
  shape: number[];
  dtype: string;
  values: number[];
}

async function on(backend: 'cpu' | 'wasm', f: () => tf.Tensor | tf.Tensor[]): Promise<Result[]> {
  await useBackend(backend);
  return tf.tidy(() => {
    const out = f();
    return (Array.isArray(out) ? out : [out]).map((t) => ({ shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync() as ArrayLike<number>) }));
  });
}

/** Runs f on cpu and on wasm; values must agree to `tol` (0 = exactly), shapes exactly. */
async function sameOnBoth(f: () => tf.Tensor | tf.Tensor[], tol = 0): Promise<Result[]> {
  const cpu = await on('cpu', f);
  const wasm = await on('wasm', f);
  expect(wasm.map((r) => r.shape)).toEqual(cpu.map((r) => r.shape));
  wasm.forEach((r, i) => {
    if (tol === 0) expect(r.values).toEqual(cpu[i].values);
    else r.values.forEach((v, j) => expect(Math.abs(v - cpu[i].values[j])).toBeLessThanOrEqual(tol));
  });
  return wasm;
}

const ints = (n: number, mod: number, seed: number): number[] => Array.from({ length: n }, (_, i) => (i * 7 + seed) % mod);
const floats = (shape: number[], seed: number): tf.Tensor => tf.randomNormal(shape, 0, 1, 'float32', seed);

describe('wasm kernels equal the cpu backend', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('UnsortedSegmentSum: float32, ids out of range (negative and >= numSegments) skipped', async () => {
    const ids = [0, 3, -1, 2, 5, 0, 3, 1, 4, -7];
    const [r] = await sameOnBoth(() => tf.unsortedSegmentSum(floats([10, 3, 2], 1), tf.tensor1d(ids, 'int32'), 4), 1e-6);
    expect(r.shape).toEqual([4, 3, 2]);
    expect(r.dtype).toBe('float32');
  });

  it('UnsortedSegmentSum: int32 (wasm keeps int32, as TensorFlow does; cpu returns float32)', async () => {
    const x = () => tf.tensor2d(ints(12, 9, 2), [6, 2], 'int32');
    const [r] = await sameOnBoth(() => tf.unsortedSegmentSum(x(), tf.tensor1d([1, 1, 0, 9, 2, -1], 'int32'), 3));
    // Rows: [2,0] [7,5] [3,1] [8,6] [4,2] [0,7] -> segment 0: [3,1], 1: [2,0]+[7,5], 2: [4,2]
    expect(r.values).toEqual([3, 1, 9, 5, 4, 2]);
    expect(r.dtype).toBe('int32');
  });

  it('UnsortedSegmentSum as the gradient of gather (an embedding lookup trains)', async () => {
    // Summation order differs between the backends: float32 rounding only.
    await sameOnBoth(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor1d([3, 0, 3, 1, 3], 'int32')), floats([5, 4], 9))))(floats([6, 4], 8)), 1e-6);
  });

  it('GatherV2: rows, inner axes, short and long slices, int32 and bool', async () => {
    const idx = () => tf.tensor1d([4, 0, 4, 2], 'int32');
    await sameOnBoth(() => [
      tf.gather(floats([5, 20], 1), idx()),
      tf.gather(floats([5, 3], 2), idx()),
      tf.gather(floats([2, 5, 3], 3), idx(), 1),
      tf.gather(floats([3, 5], 4), idx(), -1),
      tf.gather(tf.tensor2d(ints(15, 11, 1), [5, 3], 'int32'), tf.tensor2d([[1, 2], [4, 0]], [2, 2], 'int32')),
      tf.gather(tf.tensor1d([true, false, true, false, false], 'bool'), idx()),
      tf.gather(floats([0, 3], 5), tf.tensor1d([], 'int32')),
    ]);
  });

  it('GatherV2: batchDims goes to the original kernel; an out-of-range index is an error on both', async () => {
    await sameOnBoth(() => tf.gather(floats([2, 4, 3], 6), tf.tensor2d([[0, 3], [2, 2]], [2, 2], 'int32'), 1, 1));
    await useBackend('wasm');
    expect(() => tf.tidy(() => tf.gather(floats([3, 2], 7), tf.tensor1d([0, 3], 'int32')).dataSync())).toThrow(/not in \[0, 2\]/);
  });

  it('Slice: contiguous and strided, ranks 1 to 5, size -1, int32 and bool', async () => {
    await sameOnBoth(() => [
      tf.slice(floats([10], 1), [3], [4]),
      tf.slice(floats([6, 5], 2), [2, 0], [3, 5]),
      tf.slice(floats([6, 5], 3), [1, 2], [4, 2]),
      tf.slice(floats([4, 5, 6], 4), [1, 1, 2], [2, -1, 3]),
      tf.slice(floats([3, 4, 5, 2], 5), [1, 0, 2, 1], [2, 3, 2, 1]),
      tf.slice(floats([2, 3, 2, 3, 2], 6), [1, 1, 0, 1, 0], [1, 2, 2, 2, 2]),
      tf.slice(tf.tensor2d(ints(20, 13, 3), [4, 5], 'int32'), [1, 1], [2, 3]),
      tf.slice(tf.tensor1d([true, false, true, true], 'bool'), [1], [2]),
      tf.slice(floats([3, 3], 7), [1, 1], [0, 2]),
    ]);
  });

  it('SplitV: by sizes (one of them 0) and by count, along rows and columns', async () => {
    await sameOnBoth(() => [
      ...tf.split(floats([9, 4], 1), [2, 0, 4, 3], 0),
      ...tf.split(floats([3, 6], 2), 3, 1),
      ...tf.split(floats([2, 6, 2], 3), [1, 5], 1),
    ]);
  });

  it('BatchMatMul with every transpose combination, batched and broadcast', async () => {
    const a = () => floats([7, 5], 1);
    const b = () => floats([5, 3], 2);
    await sameOnBoth(() => [
      tf.matMul(a(), b()),
      tf.matMul(tf.transpose(a()), b(), true, false),
      tf.matMul(a(), tf.transpose(b()), false, true),
      tf.matMul(tf.transpose(a()), tf.transpose(b()), true, true),
      tf.matMul(floats([2, 5, 7], 3), floats([2, 3, 5], 4), true, true),
      tf.matMul(floats([2, 4, 5], 5), floats([1, 3, 5], 6), false, true),
      // A transposed A wider than B: computed as (B^T A)^T, batched and broadcast.
      tf.matMul(floats([2, 6, 7], 7), floats([1, 6, 3], 8), true, false),
    ], 1e-5);
  });

  it('A^T B with a wide A, computed as (B^T A)^T, equals the product with A transposed first, bit for bit', async () => {
    await useBackend('wasm');
    tf.tidy(() => {
      const a = floats([300, 96], 9);
      const b = floats([300, 17], 10);
      expect(Array.from(tf.matMul(a, b, true, false).dataSync())).toEqual(Array.from(tf.matMul(tf.transpose(a), b).dataSync()));
    });
  });

  it('_FusedMatMul (bias, relu) with transposes, and its gradients', async () => {
    await sameOnBoth(() => {
      const a = floats([5, 7], 1);
      const b = floats([3, 5], 2);
      const bias = floats([3], 3);
      const f = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => tf.sum(tf.fused.matMul({ a: x as tf.Tensor2D, b: y as tf.Tensor2D, transposeA: true, transposeB: true, bias: z, activation: 'relu' }));
      return [tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, transposeA: true, transposeB: true, bias, activation: 'relu' }), ...tf.grads(f)([a, b, bias])];
    }, 1e-5);
  });

  it('Unpack: every axis, through views', async () => {
    await sameOnBoth(() => [...tf.unstack(floats([3, 4, 5], 1)), ...tf.unstack(floats([3, 4, 5], 2), 1), ...tf.unstack(floats([3, 4, 5], 3), 2), ...tf.unstack(tf.tensor2d(ints(6, 5, 1), [2, 3], 'int32'))]);
  });

  it('grouped matmul and outer product (wasm kernels) equal the padded batched matMul (cpu fallback)', async () => {
    await useBackend('wasm');
    expect(hasGroupedKernels()).toBe(true);
    await useBackend('cpu');
    expect(hasGroupedKernels()).toBe(false);
    // Empty groups first, inside and last; one single-row group; K < M and K > M for the outer product.
    const sizes = [0, 3, 0, 5, 1, 7, 0];
    const [rows, k, m] = [16, 6, 10];
    const results = await sameOnBoth(() => {
      const a = floats([rows, k], 1) as tf.Tensor2D;
      const w = floats([sizes.length, k, m], 2) as tf.Tensor3D;
      const bias = floats([sizes.length, m], 3) as tf.Tensor2D;
      const d = floats([rows, m], 4) as tf.Tensor2D;
      const narrow = floats([rows, 3], 5) as tf.Tensor2D;
      return [groupedMatMul(a, w, sizes), groupedMatMul(a, w, sizes, { bias }), groupedMatMul(d, w, sizes, { transposeB: true }), groupedOuter(a, d, sizes), groupedOuter(a, narrow, sizes)];
    }, 1e-5);
    expect(results.map((r) => r.shape)).toEqual([[rows, m], [rows, m], [rows, k], [7, k, m], [7, k, 3]]);
    // Empty groups' products are exactly zero (the wasm output memory is not zeroed by itself).
    expect(results[3].values.slice(0, k * m).every((v) => v === 0)).toBe(true);
    expect(results[3].values.slice(6 * k * m).every((v) => v === 0)).toBe(true);
    // Group 1 (rows 0..2) against a plain matMul of those rows.
    const plain = await on('cpu', () => tf.matMul(tf.slice(floats([rows, k], 1), [0, 0], [3, k]), tf.reshape(tf.slice(floats([sizes.length, k, m], 2), [1, 0, 0], [1, k, m]), [k, m])));
    plain[0].values.forEach((v, i) => expect(Math.abs(v - results[0].values[i])).toBeLessThanOrEqual(1e-5));
  });

  it('grouped kernels: no rows at all, and refused shapes', async () => {
    await sameOnBoth(() => [groupedMatMul(tf.zeros([0, 4]) as tf.Tensor2D, floats([2, 4, 3], 1) as tf.Tensor3D, [0, 0]), groupedOuter(tf.zeros([0, 4]) as tf.Tensor2D, tf.zeros([0, 3]) as tf.Tensor2D, [0, 0])]);
    await useBackend('wasm');
    expect(() => tf.tidy(() => groupedMatMul(floats([5, 4], 1) as tf.Tensor2D, floats([2, 4, 3], 2) as tf.Tensor3D, [2, 2]))).toThrow('group sizes add up to 4, but there are 5 rows');
    expect(() => tf.tidy(() => groupedMatMul(floats([5, 4], 1) as tf.Tensor2D, floats([2, 3, 3], 2) as tf.Tensor3D, [2, 3]))).toThrow("groupedMatMul: a is [5, 4] but b's groups are [3, 3]");
  });

  it('grouped kernels leave no tensor and no backend buffer behind', async () => {
    await useBackend('wasm');
    const a = floats([12, 8], 1) as tf.Tensor2D;
    const w = floats([3, 8, 5], 2) as tf.Tensor3D;
    const d = floats([12, 5], 3) as tf.Tensor2D;
    const buffers = (): number => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    const before = [tf.memory().numTensors, buffers()];
    for (let i = 0; i < 3; i++) tf.dispose([groupedMatMul(a, w, [4, 0, 8]), groupedMatMul(d, w, [4, 0, 8], { transposeB: true }), groupedOuter(a, d, [4, 0, 8]), groupedOuter(d, a, [4, 0, 8])]);
    expect([tf.memory().numTensors, buffers()]).toEqual(before);
    tf.dispose([a, w, d]);
  });

  it('GELU with its derivative (the SIMD kernel, gelu.wat) equals erf GELU and autodiff of it, to 1e-6', async () => {
    const h = () => tf.concat([tf.mul(floats([200], 1), 3), tf.tensor1d([0, -0, 1, -1, 8, -8, 30, -30, 1e-8])]);
    const [value, derivative] = await sameOnBoth(() => geluWithDerivative(h()), 1e-6);
    // Against the definition x * Phi(x) with tf.erf, and its derivative by autodiff, on cpu.
    const exact = await on('cpu', () => {
      const f = (x: tf.Tensor) => tf.mul(x, tf.add(tf.mul(tf.erf(tf.mul(x, Math.SQRT1_2)), 0.5), 0.5));
      return [f(h()), tf.grad(f)(h())];
    });
    value.values.forEach((v, i) => expect(Math.abs(v - exact[0].values[i])).toBeLessThanOrEqual(1e-6));
    derivative.values.forEach((v, i) => expect(Math.abs(v - exact[1].values[i])).toBeLessThanOrEqual(1e-6));
    expect(value.values.slice(-9, -3)).toEqual([expect.closeTo(0, 12), expect.closeTo(0, 12), expect.closeTo(0.8413447, 6), expect.closeTo(-0.1586553, 6), 8, expect.closeTo(0, 12)]);
  });

  it('Identity shares the data: a clone outlives its original, and the memory goes with the last owner', async () => {
    await sameOnBoth(() => [tf.clone(floats([3, 4], 1)), tf.clone(tf.tensor1d([1, 2, 3], 'int32')), tf.clone(tf.tensor1d([true, false], 'bool'))]);
    await useBackend('wasm');
    const buffers = (): number => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    const before = buffers();
    const a = tf.tensor1d([1, 2, 3]);
    const b = a.clone();
    expect(buffers()).toBe(before + 1);
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3]);
    b.dispose();
    expect(buffers()).toBe(before);
  });

  it('Sum over leading axes (bias gradients) row by row; other axes, int32 and keepDims as the backend', async () => {
    for (const [shape, axis, keepDims] of [[[300, 17], 0, false], [[300, 17], [0], true], [[4, 50, 6], [1, 0], false], [[4, 50, 6], -3, true]] as [number[], number | number[], boolean][]) {
      await sameOnBoth(() => tf.sum(floats(shape, 3), axis, keepDims), 1e-4);
    }
    // Not leading, all axes, int32: the original kernel.
    await sameOnBoth(() => [tf.sum(floats([30, 7], 4), 1), tf.sum(floats([30, 7], 5)), tf.sum(tf.tensor2d(ints(60, 9, 1), [20, 3], 'int32'), 0)], 1e-4);
    // As the gradient of a broadcast bias add.
    await sameOnBoth(() => tf.grad((b: tf.Tensor) => tf.sum(tf.mul(tf.add(floats([64, 5], 6), b), floats([64, 5], 7))))(tf.zeros([5])), 1e-4);
  });
});
