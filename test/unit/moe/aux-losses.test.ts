// Load-balancing and z-loss on a tiny example whose numbers are worked out by hand.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createExpertParams, expertVariables } from '../../../electron/engine/model/expert.ts';
import { loadBalanceLoss, routerZLoss, top1Fractions } from '../../../electron/engine/model/moe/aux-losses.ts';
import { moeLayer } from '../../../electron/engine/model/moe/moe-layer.ts';
import { useBackend } from './backends.ts';

// Three tokens, two experts. With x = I3 the logits are the rows of W:
//   t0: [0, ln 3] -> probs [1/4, 3/4], logsumexp ln 4, top-1 expert 1
//   t1: [ln 3, 0] -> probs [3/4, 1/4], logsumexp ln 4, top-1 expert 0
//   t2: [ln 7, 0] -> probs [7/8, 1/8], logsumexp ln 8, top-1 expert 0
// f = [2/3, 1/3]; P = mean probs = [5/8, 3/8]
// load balance = N * sum f_i P_i = 2 * (2/3 * 5/8 + 1/3 * 3/8) = 13/12 = 1.0833333
// z-loss = ((ln 4)^2 + (ln 4)^2 + (ln 8)^2) / 3 = (1.9218121 + 1.9218121 + 4.3240771) / 3 = 2.7225671
const LOGITS = [
  [0, Math.log(3)],
  [Math.log(3), 0],
  [Math.log(7), 0],
];
const LOAD_BALANCE = 13 / 12;
const Z_LOSS = 2.7225671;

describe('router auxiliary losses', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('top-1 fractions, load balance and z-loss equal the hand-computed values', () => {
    const f = top1Fractions(Int32Array.from([1, 0, 0]), 3, 2, 1);
    expect(Array.from(f)).toEqual([expect.closeTo(2 / 3, 7), expect.closeTo(1 / 3, 7)]);
    const logits = tf.tensor2d(LOGITS);
    const lb = loadBalanceLoss(tf.softmax(logits), f);
    const z = routerZLoss(logits);
    expect(lb.dataSync()[0]).toBeCloseTo(LOAD_BALANCE, 6);
    expect(z.dataSync()[0]).toBeCloseTo(Z_LOSS, 6);
    tf.dispose([logits, lb, z]);
  });

  it('uniform routing gives a load-balancing loss of exactly 1', () => {
    const probs = tf.fill([4, 4], 0.25) as tf.Tensor2D;
    const lb = loadBalanceLoss(probs, top1Fractions(Int32Array.from([0, 1, 2, 3]), 4, 4, 1));
    expect(lb.dataSync()[0]).toBeCloseTo(1, 6);
    tf.dispose([probs, lb]);
  });

  it('moeLayer returns the same numbers, the routing read back and the combine weights', () => {
    const x = tf.eye(3) as tf.Tensor2D;
    const w = tf.tensor2d(LOGITS);
    const experts = [createExpertParams(3, 4, 1, 'aux/e0'), createExpertParams(3, 4, 2, 'aux/e1')];
    const top1 = moeLayer(x, w, experts, { topK: 1, capacityFactor: null, noiseStd: 0, training: false, noiseSeed: 0 });
    expect(top1.loadBalanceLoss.dataSync()[0]).toBeCloseTo(LOAD_BALANCE, 6);
    expect(top1.zLoss.dataSync()[0]).toBeCloseTo(Z_LOSS, 6);
    expect(Array.from(top1.routing.topIndices)).toEqual([1, 0, 0]);
    // k = 1: the weight is the router probability (Switch).
    expect(Array.from(top1.routing.topWeights)).toEqual([0.75, 0.75, 0.875].map((v) => expect.closeTo(v, 6)));
    expect(Array.from(top1.routing.probs)).toEqual([0.25, 0.75, 0.75, 0.25, 0.875, 0.125].map((v) => expect.closeTo(v, 6)));
    expect(Array.from(top1.routing.rowsPerExpert)).toEqual([2, 1]);
    // k = 2 over two experts: renormalizing over both gives the probabilities, best first.
    const top2 = moeLayer(x, w, experts, { topK: 2, capacityFactor: null, noiseStd: 0, training: false, noiseSeed: 0 });
    expect(Array.from(top2.routing.topIndices)).toEqual([1, 0, 0, 1, 0, 1]);
    expect(Array.from(top2.routing.topWeights)).toEqual([0.75, 0.25, 0.75, 0.25, 0.875, 0.125].map((v) => expect.closeTo(v, 6)));
    // f comes from the top-1 choice only, so the loss is the same for k = 2.
    expect(top2.loadBalanceLoss.dataSync()[0]).toBeCloseTo(LOAD_BALANCE, 6);
    tf.dispose([x, w, top1.output, top1.logits, top1.loadBalanceLoss, top1.zLoss, top2.output, top2.logits, top2.loadBalanceLoss, top2.zLoss, ...experts.flatMap(expertVariables)]);
  });

  it('the load-balancing gradient w.r.t. the logits is N * f_i * dP_i/dlogits (hand-computed for t0)', () => {
    // d lb / d logit[t, j] = (N / T) * p_tj * (f_j - sum_i f_i p_ti).
    // t0: p = [1/4, 3/4], sum f p = 2/3 * 1/4 + 1/3 * 3/4 = 5/12
    //   j=0: (2/3) * 1/4 * (2/3 - 5/12) = 1/24 = 0.0416667; j=1: (2/3) * 3/4 * (1/3 - 5/12) = -1/24
    const logits = tf.tensor2d(LOGITS);
    const f = top1Fractions(Int32Array.from([1, 0, 0]), 3, 2, 1);
    const g = tf.grad((l: tf.Tensor) => loadBalanceLoss(tf.softmax(l) as tf.Tensor2D, f))(logits);
    const row0 = Array.from(g.dataSync()).slice(0, 2);
    expect(row0).toEqual([expect.closeTo(1 / 24, 6), expect.closeTo(-1 / 24, 6)]);
    tf.dispose([logits, g]);
  });

  it('the z-loss gradient (written out) equals autodiff of mean(logsumexp^2), also for large logits', () => {
    const logits = tf.tidy(() => tf.concat([tf.randomNormal([6, 5], 0, 2, 'float32', 4), tf.fill([1, 5], 40), tf.tensor2d([[90, -90, 0, 1, 2]])]));
    const mine = tf.grad((l: tf.Tensor) => tf.mul(routerZLoss(l as tf.Tensor2D), 3))(logits);
    const plain = tf.grad((l: tf.Tensor) => tf.mul(tf.mean(tf.square(tf.logSumExp(l, 1))), 3))(logits);
    const [a, b] = [mine.dataSync(), plain.dataSync()];
    expect(Math.max(...Array.from(b).map(Math.abs))).toBeGreaterThan(1);
    a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(b[i]))));
    tf.dispose([logits, mine, plain]);
  });
});

