// segmentSum against TensorFlow's unsortedSegmentSum: the same sums, the same gradient (its own,
// with the negative-id mask, which valid ids never use), no tensor left behind, bad ids refused.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../electron/engine/compute/backend.ts';
import { segmentSum } from '../../../electron/engine/compute/segment-sum.ts';

beforeAll(async () => {
  await initBackend();
});

describe('segmentSum', () => {
  it('sums rows by segment and back-propagates as unsortedSegmentSum does', () => {
    const x = tf.randomNormal([7, 3], 0, 1, 'float32', 5) as tf.Tensor2D;
    // Segment 2 of 4 gets no row; segment 0 gets three.
    const ids = new Int32Array([0, 3, 0, 1, 3, 0, 1]);
    const weights = tf.randomNormal([4, 3], 0, 1, 'float32', 6);
    const ours = (v: tf.Tensor) => tf.sum(tf.mul(segmentSum(v as tf.Tensor2D, ids, 4), weights)) as tf.Scalar;
    const theirs = (v: tf.Tensor) => tf.sum(tf.mul(tf.unsortedSegmentSum(v, tf.tensor1d(ids, 'int32'), 4), weights)) as tf.Scalar;
    const value = tf.tidy(() => segmentSum(x, ids, 4).arraySync());
    expect(value).toEqual(tf.tidy(() => tf.unsortedSegmentSum(x, tf.tensor1d(ids, 'int32'), 4).arraySync()));
    expect((value as number[][])[2]).toEqual([0, 0, 0]);
    const count = tf.memory().numTensors;
    const [a, b] = tf.tidy(() => [tf.grad(ours)(x).arraySync(), tf.grad(theirs)(x).arraySync()]);
    expect(tf.memory().numTensors).toBe(count);
    expect(a).toEqual(b);
    // Each row's gradient is its segment's weight row.
    expect((a as number[][])[1]).toEqual((weights.arraySync() as number[][])[3]);
    expect(() => segmentSum(x, new Int32Array([0, 1, 2, 3, 4, 0, 0]), 4)).toThrow(/id 4 outside \[0, 4\)/);
    tf.dispose([x, weights]);
  });
});
