// Token dropout: inverted (kept features scaled by 1 / (1 - rate)), the same mask for the same
// seed (replay is exact on every backend), a new one for another seed, and nothing at inference.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dropTokenFeatures } from '../../../electron/engine/model/multitask-model.ts';
import { useBackend } from './setup-backend.ts';

beforeAll(useBackend);

describe('token dropout', () => {
  it('zeroes about `rate` of the features and scales the rest; seeded; off at inference', () => {
    const x = tf.ones([200, 50]) as tf.Tensor2D;
    const a = dropTokenFeatures(x, { training: true, noiseSeed: 0, dropout: { rate: 0.2, seed: 7 } }).dataSync();
    const zeros = a.filter((v) => v === 0).length / a.length;
    expect(zeros).toBeGreaterThan(0.18);
    expect(zeros).toBeLessThan(0.22);
    expect(new Set(a.filter((v) => v !== 0))).toEqual(new Set([Math.fround(1 / 0.8)]));
    expect(Array.from(dropTokenFeatures(x, { training: true, noiseSeed: 0, dropout: { rate: 0.2, seed: 7 } }).dataSync())).toEqual(Array.from(a));
    expect(Array.from(dropTokenFeatures(x, { training: true, noiseSeed: 0, dropout: { rate: 0.2, seed: 8 } }).dataSync())).not.toEqual(Array.from(a));
    expect(dropTokenFeatures(x, { training: false, noiseSeed: 0, dropout: { rate: 0.2, seed: 7 } })).toBe(x);
    expect(dropTokenFeatures(x, { training: true, noiseSeed: 0, dropout: { rate: 0, seed: 7 } })).toBe(x);
    tf.dispose(x);
  });
});
