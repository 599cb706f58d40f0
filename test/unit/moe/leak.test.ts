// No tensor outlives a training step: tensor count unchanged across forward + backward + Adam
// update, and a plain forward leaves exactly the four tensors it returns.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExpertParams, expertVariables } from '../../../electron/engine/model/expert.ts';
import { moeLayer, type MoeOptions } from '../../../electron/engine/model/moe/moe-layer.ts';
import { useBackend } from './backends.ts';

function backendBuffers(): number {
  return (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
}

describe('tensor leaks', () => {
  const T = 32;
  let x: tf.Tensor2D;
  let target: tf.Tensor2D;
  let router: tf.Variable;
  let experts: ReturnType<typeof createExpertParams>[];
  beforeAll(async () => {
    await useBackend('wasm');
    x = tf.randomNormal([T, 8], 0, 1, 'float32', 1) as tf.Tensor2D;
    target = tf.randomNormal([T, 8], 0, 1, 'float32', 2) as tf.Tensor2D;
    router = tf.variable(tf.randomNormal([8, 4], 0, 1, 'float32', 3), true, 'leak/router');
    experts = Array.from({ length: 4 }, (_, e) => createExpertParams(8, 16, e, `leak/e${e}`));
  });
  afterAll(() => {
    tf.dispose([x, target, router, ...experts.flatMap(expertVariables)]);
  });

  for (const opts of [
    { topK: 2, capacityFactor: 0.75, noiseStd: 0.5, training: true, noiseSeed: 1, dispatch: 'grouped' },
    { topK: 2, capacityFactor: 0.75, noiseStd: 0.5, training: true, noiseSeed: 1, dispatch: 'per-expert' },
    { topK: 1, capacityFactor: null, noiseStd: 0, training: false, noiseSeed: 0, dispatch: 'grouped' },
    { topK: 1, capacityFactor: null, noiseStd: 0, training: false, noiseSeed: 0, dispatch: 'per-expert' },
  ] satisfies MoeOptions[]) {
    it(`a training step with tf.train.adam leaves the tensor count unchanged (top-${opts.topK}, ${opts.dispatch})`, () => {
      const optimizer = tf.train.adam(0.01);
      const step = (i: number): void => {
        const loss = optimizer.minimize(() => {
          const out = moeLayer(x, router as tf.Variable<tf.Rank.R2>, experts, { ...opts, noiseSeed: i });
          return tf.addN([tf.losses.meanSquaredError(target, out.output), tf.mul(out.loadBalanceLoss, 0.01), tf.mul(out.zLoss, 0.001)]) as tf.Scalar;
        }, true);
        loss?.dispose();
      };
      step(0); // creates Adam's moment slots
      const before = tf.memory().numTensors;
      // The backend's own buffer count also catches kernel temporaries (the wasm kernel fixes make some).
      const buffersBefore = backendBuffers();
      step(1);
      step(2);
      expect(tf.memory().numTensors).toBe(before);
      expect(backendBuffers()).toBe(buffersBefore);
      optimizer.dispose();
    });
  }

  it('a forward pass leaves only the four returned tensors, disposed by the caller', () => {
    const before = tf.memory().numTensors;
    const out = moeLayer(x, router as tf.Variable<tf.Rank.R2>, experts, { topK: 2, capacityFactor: 1, noiseStd: 1, training: true, noiseSeed: 3 });
    expect(tf.memory().numTensors).toBe(before + 4);
    tf.dispose([out.output, out.loadBalanceLoss, out.zLoss, out.logits]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
