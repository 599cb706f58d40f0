// The hand-written segment-sum kernel (electron/engine/compute/wasm/segment-sum.wat) behind
// UnsortedSegmentSum on wasm (its embedded binary is checked in wasm-constants.test.ts): every sum is the
// JavaScript loop's bit for bit, for rows of whole vectors, of a tail only and of both, with
// repeated and skipped (negative, too large) segments.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, uniformArray } from '../../../electron/engine/rng.ts';
import { useBackend } from './backends.ts';

/** The reference: each row added into its segment in row order, float32 by float32 (a double sum rounded to float32). */
function sumFloat(xs: Float32Array, ids: Int32Array, target: Float32Array, rows: number, inner: number, numSegments: number): void {
  for (let r = 0; r < rows; r++) {
    const s = ids[r];
    if (s < 0 || s >= numSegments) continue;
    for (let j = 0; j < inner; j++) target[s * inner + j] += xs[r * inner + j];
  }
}

describe('segment-sum wasm kernel', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  for (const inner of [64, 3, 7, 1]) {
    it(`sums rows of ${inner} into segments as the JavaScript loop does, bit for bit`, () => {
      expect(tf.getBackend()).toBe('wasm');
      const rows = 3001;
      const segments = 257;
      const rng = createRng(inner);
      // Values over many magnitudes, so that float32 rounding shows in every sum.
      // (uniformArray draws from [-1, 1).)
      const x = Float32Array.from(uniformArray(rng, rows * inner, 1), (u, i) => u * 10 ** ((i % 9) - 4));
      // Ids in [-3, segments + 3): some rows skipped, most segments summed several times.
      const ids = Int32Array.from(uniformArray(rng, rows, 1), (u) => Math.floor(((u + 1) / 2) * (segments + 6)) - 3);
      const expected = new Float32Array(segments * inner);
      sumFloat(x, ids, expected, rows, inner, segments);
      const out = tf.tidy(() => tf.unsortedSegmentSum(tf.tensor2d(x, [rows, inner]), tf.tensor1d(ids, 'int32'), segments));
      const got = out.dataSync() as Float32Array;
      out.dispose();
      expect(new Uint32Array(got.buffer, got.byteOffset, got.length)).toEqual(new Uint32Array(expected.buffer));
      // Not vacuous: skipped ids and repeated segments both occur.
      expect(ids.some((s) => s < 0) && ids.some((s) => s >= segments)).toBe(true);
      expect(new Set(ids).size).toBeLessThan(rows / 5);
    });
  }
});
