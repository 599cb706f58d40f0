// The hand-written sum-rows kernel (electron/engine/compute/wasm/sum-rows.wat) behind Sum over
// leading axes on wasm (its embedded binary is checked in wasm-constants.test.ts): every sum is
// the JavaScript loop's bit for bit, for even and odd widths, one and two leading axes.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, uniformArray } from '../../../electron/engine/rng.ts';
import { useBackend } from './backends.ts';

/** The reference: each column summed in float64, row after row, rounded once to float32. */
function sumRows(x: Float32Array, out: Float32Array, rows: number, width: number): void {
  const acc = new Float64Array(width);
  for (let r = 0; r < rows; r++) for (let j = 0; j < width; j++) acc[j] += x[r * width + j];
  for (let j = 0; j < width; j++) out[j] = acc[j];
}

describe('sum-rows wasm kernel', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  for (const [shape, leading] of [[[3001, 64], 1], [[3001, 3], 1], [[777, 1], 1], [[40, 50, 7], 2], [[5, 256, 4], 1]] as [number[], number][]) {
    it(`sums [${shape.join(', ')}] over its ${leading} leading ax${leading === 1 ? 'is' : 'es'} as the JavaScript loop does, bit for bit`, () => {
      expect(tf.getBackend()).toBe('wasm');
      const size = shape.reduce((a, b) => a * b, 1);
      // Values over many magnitudes, so that the order and precision of the sums show.
      const x = Float32Array.from(uniformArray(createRng(size), size, 1), (u, i) => u * 10 ** ((i % 11) - 5));
      const rows = shape.slice(0, leading).reduce((a, b) => a * b, 1);
      const expected = new Float32Array(size / rows);
      sumRows(x, expected, rows, size / rows);
      const axes = Array.from({ length: leading }, (_, i) => i);
      const out = tf.tidy(() => tf.sum(tf.tensor(x, shape), axes));
      expect(out.shape).toEqual(shape.slice(leading));
      const got = out.dataSync() as Float32Array;
      out.dispose();
      expect(new Uint32Array(got.buffer, got.byteOffset, got.length)).toEqual(new Uint32Array(expected.buffer));
      // Not vacuous: a float32 running sum in another order would differ somewhere.
      const float32Order = new Float32Array(size / rows);
      for (let r = 0; r < rows; r++) for (let j = 0; j < float32Order.length; j++) float32Order[j] = Math.fround(float32Order[j] + x[r * float32Order.length + j]);
      expect(Array.from(float32Order)).not.toEqual(Array.from(expected));
    });
  }
});
