// The hand-written GELU kernel (electron/engine/compute/wasm/gelu.wat; its embedded binary is
// checked in wasm-constants.test.ts): on the wasm backend it gives every number exactly as the formula
// in double precision with Math.exp, rounded to float32 (the JavaScript loop it replaced), signs
// of zero, infinities and NaN included, at any length (the odd last number runs in one lane).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERF_A, ERF_P, geluWithDerivative } from '../../../electron/engine/compute/gelu.ts';
import { createRng, uniformArray } from '../../../electron/engine/rng.ts';
import { useBackend } from './backends.ts';

/** The reference: g = x Phi(x), g' = Phi(x) + x phi(x), in doubles, A&S 7.1.26 for erf. */
function reference(h: Float32Array): [Float32Array, Float32Array] {
  const [a1, a2, a3, a4, a5] = ERF_A;
  const g = new Float32Array(h.length);
  const d = new Float32Array(h.length);
  h.forEach((x, i) => {
    const z = Math.abs(x) * Math.SQRT1_2;
    const t = 1 / (1 + ERF_P * z);
    const e = Math.exp(-z * z);
    const tail = 0.5 * (((((a5 * t + a4) * t + a3) * t + a2) * t + a1) * t) * e;
    const cdf = x >= 0 ? 1 - tail : tail;
    g[i] = x * cdf;
    d[i] = cdf + x * (1 / Math.sqrt(2 * Math.PI)) * e;
  });
  return [g, d];
}

describe('GELU wasm kernel', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  for (const n of [1, 2, 7, 200_001]) {
    it(`equals the double-precision formula bit for bit (${n} numbers)`, () => {
      const u = uniformArray(createRng(n), n, 1);
      // Mostly |x| < 8, some far out where exp underflows, and the special values.
      const h = Float32Array.from(u, (v, i) => (i % 97 === 0 ? v * 60 : v * 8));
      const specials = [0, -0, 1e-30, -1e-30, 38.5, -38.5, -40, 3.4e38, -3.4e38, Infinity, -Infinity, NaN];
      if (n > specials.length) h.set(specials, 1);
      const [g, d] = reference(h);
      const [value, derivative] = tf.tidy(() => geluWithDerivative(tf.tensor1d(h))).map((t) => {
        const data = (t.dataSync() as Float32Array).slice();
        t.dispose();
        return data;
      });
      const differ = (a: Float32Array, b: Float32Array) => [...a.keys()].filter((i) => !Object.is(a[i], b[i]));
      expect(differ(value, g)).toEqual([]);
      expect(differ(derivative, d)).toEqual([]);
    });
  }
});
