// The expert block: seeded deterministic init, shapes and messages, and its hand-written
// gradient against autodiff of the plain composition (LayerNorm -> dense -> GELU -> dense).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createExpertParams, expertFfn, expertVariables, gelu } from '../../../electron/engine/model/expert.ts';
import { TEST_BACKENDS, useBackend, worstRatio } from './backends.ts';
import { plainExpertFfn } from './dense-reference.ts';

describe.each(TEST_BACKENDS)('expert FFN on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  it('the same seed gives the same parameters; glorot limits; zero biases, unit scale', () => {
    const a = createExpertParams(6, 10, 42, `${backend}/seed-a`);
    const b = createExpertParams(6, 10, 42, `${backend}/seed-b`);
    const c = createExpertParams(6, 10, 43, `${backend}/seed-c`);
    expect(Array.from(a.w1.dataSync())).toEqual(Array.from(b.w1.dataSync()));
    expect(Array.from(a.w2.dataSync())).toEqual(Array.from(b.w2.dataSync()));
    expect(Array.from(a.w1.dataSync())).not.toEqual(Array.from(c.w1.dataSync()));
    const limit = Math.sqrt(6 / 16);
    expect(Math.max(...Array.from(a.w1.dataSync()).map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(a.w1.shape).toEqual([6, 10]);
    expect(a.w2.shape).toEqual([10, 6]);
    expect(Array.from(a.gamma.dataSync())).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(a.b1.dataSync())).toEqual(new Array(10).fill(0));
    expect(expertVariables(a).map((v) => v.name)).toEqual(['gamma', 'beta', 'w1', 'b1', 'w2', 'b2'].map((n) => `${backend}/seed-a/${n}`));
    tf.dispose([a, b, c].flatMap(expertVariables));
  });

  it('refuses a bad shape with a precise message', () => {
    expect(() => createExpertParams(0, 4, 1, 'bad')).toThrow('expert dim must be a positive integer, got 0');
    expect(() => createExpertParams(4, 2.5, 1, 'bad')).toThrow('expert hidden width must be a positive integer, got 2.5');
  });

  it('GELU(x) = x * Phi(x): GELU(1) = 0.8413447, GELU(-1) = -0.1586553, GELU(0) = 0', () => {
    const y = gelu(tf.tensor1d([1, -1, 0]));
    expect(Array.from(y.dataSync())).toEqual([expect.closeTo(0.8413447, 5), expect.closeTo(-0.1586553, 5), 0]);
    y.dispose();
  });

  it('value and gradients (x and all six parameters) equal autodiff of the plain composition', () => {
    const p = createExpertParams(8, 12, 5, `${backend}/grad`);
    expertVariables(p).forEach((v, i) => tf.tidy(() => v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.3, 'float32', 50 + i)))));
    const x = tf.randomNormal([10, 8], 0, 1, 'float32', 7) as tf.Tensor2D;
    const probe = tf.randomNormal([10, 8], 0, 1, 'float32', 8);
    const gradsOf = (f: (x: tf.Tensor2D) => tf.Tensor2D): Float32Array[] => {
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(f(x), probe)) as tf.Scalar, expertVariables(p));
      const gx = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(f(xi as tf.Tensor2D), probe)))(x);
      const out = [gx, ...expertVariables(p).map((v) => grads[v.name])].map((g) => (g.dataSync() as Float32Array).slice());
      tf.dispose([gx, ...Object.values(grads)]);
      return out;
    };
    const mine = gradsOf((xi) => expertFfn(p, xi));
    const plain = gradsOf((xi) => plainExpertFfn(p, xi));
    mine.forEach((g, i) => expect(worstRatio(g, plain[i], 1e-5, 0), `gradient ${i}`).toBeLessThanOrEqual(1));
    const y1 = expertFfn(p, x);
    const y2 = plainExpertFfn(p, x);
    expect(worstRatio(y1.dataSync(), y2.dataSync(), 1e-5, 0)).toBeLessThanOrEqual(1);
    tf.dispose([x, probe, y1, y2, ...expertVariables(p)]);
  });
});
