// The biased-MF parts of a rating expert against hand-computed references: the closed-form bias
// fit (a direct solve of the same ridge problem), the bias term and L2 penalty with their
// gradients, and the untrained model predicting exactly the fitted biases.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelShape } from '../../../shared/config.ts';
import { SPLIT_CODE } from '../../../electron/engine/datasets/types.ts';
import { BIAS_LAMBDAS, fitRatingBiases } from '../../../electron/engine/model/bias-init.ts';
import { createBranchModel } from '../../../electron/engine/model/branch-model.ts';
import { buildInteractionInput, interactionBias, interactionPenalty, type InteractionEncoderParams } from '../../../electron/engine/model/encoders/interaction-encoder.ts';
import { disposeModel, forward } from '../../../electron/engine/model/multitask-model.ts';
import type { TaskSpec } from '../../../electron/engine/model/task.ts';
import { useBackend } from './setup-backend.ts';

beforeAll(useBackend);

// 3 users x 3 items, ratings 1-5; rows 0..2 are users/items, all in the training split.
const users = Int32Array.of(0, 0, 1, 1, 2, 2, 0);
const items = Int32Array.of(0, 1, 0, 2, 1, 2, 2);
const ratings = Float32Array.of(5, 3, 4, 1, 2, 2, 4);

/**
 * Over the first `records`: minimizes sum (r - mean - b_u - b_i)^2 + lambda (|b_u|^2 + |b_i|^2) by
 * solving its normal equations. Returns the 3 user biases, then the 3 item biases.
 */
function ridgeBiases(records: number, mean: number, lambda: number): number[] {
  const n = 6;
  const a = Array.from({ length: n }, (_, i) => Array.from({ length: n + 1 }, (_, j) => (i === j ? lambda : 0)));
  for (let k = 0; k < records; k++) {
    const [u, i] = [users[k], 3 + items[k]];
    for (const [p, q] of [[u, u], [u, i], [i, u], [i, i]]) a[p][q] += 1;
    a[u][n] += ratings[k] - mean;
    a[i][n] += ratings[k] - mean;
  }
  // Gauss-Jordan elimination (the matrix is symmetric positive definite: no pivoting needed).
  for (let c = 0; c < n; c++) {
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let j = c; j <= n; j++) a[r][j] -= f * a[c][j];
    }
  }
  return a.map((row, i) => row[n] / a[i][i]);
}

describe('biased matrix factorization', () => {
  it('the closed-form bias fit equals a direct ridge solve, in the head units', () => {
    const split = new Uint8Array(users.length).fill(SPLIT_CODE.train);
    const mean = 3;
    const scale = 2;
    const fit = fitRatingBiases(users, items, ratings, split, 3, 3, mean, scale);
    // No validation split: the middle strength is used.
    expect(fit.lambda).toBe(BIAS_LAMBDAS[2]);
    expect(fit.validationRmse).toBeNull();
    const ref = ridgeBiases(users.length, mean, fit.lambda);
    [...fit.user, ...fit.item].forEach((b, i) => expect(b).toBeCloseTo(ref[i] / scale, 4));
    // Without the fit the biases would all be 0; the data pulls user 0 (ratings 5, 3, 4) up.
    expect(fit.user[0]).toBeGreaterThan(0.05);
  });

  it('the ridge strength is chosen on the validation split', () => {
    const split = new Uint8Array(users.length).fill(SPLIT_CODE.train);
    split[6] = SPLIT_CODE.validation;
    const fit = fitRatingBiases(users, items, ratings, split, 3, 3, 3, 1);
    // One validation record: its RMSE is its absolute error under each strength's training fit.
    const rmse = (lambda: number): number => {
      const b = ridgeBiases(6, 3, lambda);
      return Math.abs(ratings[6] - (3 + b[users[6]] + b[3 + items[6]]));
    };
    const best = [...BIAS_LAMBDAS].sort((x, y) => rmse(x) - rmse(y))[0];
    expect(fit.lambda).toBe(best);
    expect(fit.validationRmse).toBeCloseTo(rmse(best), 4);
  });

  it('b_u + b_i and the L2 penalty, with their gradients, equal hand-computed values', () => {
    const p: InteractionEncoderParams = {
      user: tf.variable(tf.tensor2d([[1, 2], [0, -1]])),
      item: tf.variable(tf.tensor2d([[0.5, 0], [1, 1], [-2, 0]])),
      w: tf.variable(tf.zeros([6, 2])),
      b: tf.variable(tf.zeros([2])),
      user_bias: tf.variable(tf.tensor2d([[0.3], [-0.1]])),
      item_bias: tf.variable(tf.tensor2d([[0.2], [0], [0.5]])),
    };
    const before = tf.memory().numTensors;
    const input = buildInteractionInput(Int32Array.of(0, 1, 0), Int32Array.of(2, 0, 0));
    const bias = interactionBias(p, input);
    expect(Array.from(bias.dataSync())).toEqual([0.3 + 0.5, -0.1 + 0.2, 0.3 + 0.2].map(Math.fround));
    // Penalty: mean over the 3 pairs of |p_u|^2 + |q_i|^2 + b_u^2 + b_i^2.
    const pen = interactionPenalty(p, input);
    const hand = (5 + 4 + 0.09 + 0.25 + (1 + 0.25 + 0.01 + 0.04) + (5 + 0.25 + 0.09 + 0.04)) / 3;
    expect(pen.dataSync()[0]).toBeCloseTo(hand, 5);
    tf.dispose([bias, pen]);
    // d(sum of outputs)/d bias = how often each row occurs; d penalty/d p_u = 2 p_u * count / 3.
    const { grads, value } = tf.variableGrads(() => tf.add(tf.sum(interactionBias(p, input)), interactionPenalty(p, input)) as tf.Scalar, [p.user, p.user_bias, p.item_bias]);
    expect(Array.from(grads[p.user.name].dataSync())).toEqual([1, 2, 0, -1].map((v, i) => Math.fround((2 * v * (i < 2 ? 2 : 1)) / 3)).map((g) => expect.closeTo(g, 6)));
    const ub = grads[p.user_bias.name].dataSync();
    expect(ub[0]).toBeCloseTo(2 + (2 * 0.3 * 2) / 3, 5);
    expect(ub[1]).toBeCloseTo(1 + (2 * -0.1) / 3, 5);
    const ib = grads[p.item_bias.name].dataSync();
    expect(ib[0]).toBeCloseTo(2 + (2 * 0.2 * 2) / 3, 5);
    expect(ib[1]).toBeCloseTo(0, 6);
    expect(ib[2]).toBeCloseTo(1 + (2 * 0.5) / 3, 5);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(p));
  });

  it('an untrained rating model predicts exactly its biases: the head starts at zero', () => {
    const shape: ModelShape = { dim: 8, hidden: 16, text_buckets: 128, id_buckets: 8, ids: 'hashed', patch: 4, max_tokens: 16, context: 0, word_bigrams: false };
    const task: TaskSpec = { name: 'r', kind: 'recommendation', modality: 'interaction', labels: [], implicit: false, rating: { mean: 3, scale: 1, min: 1, max: 5 }, metrics: ['rmse', 'mae'], ids: null, shape };
    const model = createBranchModel(task, shape, 7);
    const enc = model.encoders.interaction.params as InteractionEncoderParams;
    enc.user_bias.assign(tf.tensor2d(Array.from({ length: 8 }, (_, i) => [i / 10]), [8, 1]));
    enc.item_bias.assign(tf.tensor2d(Array.from({ length: 8 }, (_, i) => [-i / 20]), [8, 1]));
    const input = buildInteractionInput(Int32Array.of(1, 5, 7), Int32Array.of(2, 0, 6));
    const r = forward(model, [{ task: 0, input }], { training: false, noiseSeed: 0 });
    expect(Array.from(r.outputs[0].dataSync())).toEqual([0.1 - 0.1, 0.5 - 0, 0.7 - 0.3].map((v) => expect.closeTo(v, 6)));
    tf.dispose([...r.outputs, ...(r.penalty ? [r.penalty] : [])]);
    disposeModel(model);
  });
});
