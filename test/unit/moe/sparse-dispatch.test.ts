// Sparse dispatch computes only the chosen, kept (token, expert) pairs, on both expert paths:
// every call of an expert (per-expert path) and every grouped call (grouped path) is recorded by
// a spy, and the rows each expert received are checked against the routing, row by row.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as expertModule from '../../../electron/engine/model/expert.ts';
import { moeLayer, type ExpertRunPath, type MoeRouting } from '../../../electron/engine/model/moe/moe-layer.ts';
import { planDispatch } from '../../../electron/engine/model/moe/dispatch-plan.ts';
import { selectTopK } from '../../../electron/engine/model/moe/top-k.ts';
import { useBackend } from './backends.ts';

interface ExpertCall {
  params: expertModule.ExpertParams;
  rows: Float32Array;
  shape: number[];
}
const calls: ExpertCall[] = [];
let groupedCalls = 0;

vi.mock('../../../electron/engine/model/expert.ts', async (importOriginal) => {
  const original = await importOriginal<typeof expertModule>();
  return {
    ...original,
    expertFfnNormalized: (p: expertModule.ExpertParams, rows: tf.Tensor2D) => {
      calls.push({ params: p, rows: (rows.dataSync() as Float32Array).slice(), shape: rows.shape });
      return original.expertFfnNormalized(p, rows);
    },
    // One grouped call is recorded as one call per expert with rows, each with its slice of the rows.
    groupedExpertFfnNormalized: (ps: expertModule.ExpertParams[], rows: tf.Tensor2D, rowsPerExpert: Int32Array) => {
      groupedCalls++;
      const all = (rows.dataSync() as Float32Array).slice();
      let start = 0;
      ps.forEach((p, e) => {
        const n = rowsPerExpert[e];
        if (n > 0) calls.push({ params: p, rows: all.slice(start * D, (start + n) * D), shape: [n, rows.shape[1]] });
        start += n;
      });
      return original.groupedExpertFfnNormalized(ps, rows, rowsPerExpert);
    },
  };
});

const D = 6;

function run(tokens: number, experts: number, topK: number, capacityFactor: number | null, routerScale: number, dispatch: ExpertRunPath): { routing: MoeRouting; normalized: Float32Array; params: expertModule.ExpertParams[] } {
  const params = Array.from({ length: experts }, (_, e) => expertModule.createExpertParams(D, 8, e, `sparse-${tokens}-${experts}-${topK}-${capacityFactor}-${dispatch}/e${e}`));
  // Feature 0 is the constant 1 and the last expert's router column is [-50, 0, ...]: its logit
  // is -50 for every token, so (with k < N) it gets no token at all.
  const x = tf.tidy(() => tf.concat([tf.ones([tokens, 1]), tf.randomNormal([tokens, D - 1], 0, 1, 'float32', 3)], 1)) as tf.Tensor2D;
  const w = tf.tidy(() => {
    const keep = tf.tensor1d(Array.from({ length: experts }, (_, e) => (e === experts - 1 ? 0 : 1)));
    const push = tf.oneHot(tf.tensor1d([experts - 1], 'int32'), experts).mul(-50);
    const random = tf.mul(tf.randomNormal([D, experts], 0, routerScale, 'float32', 4), keep);
    return tf.add(random, tf.concat([push, tf.zeros([D - 1, experts])], 0)) as tf.Tensor2D;
  });
  const out = moeLayer(x, w, params, { topK, capacityFactor, noiseStd: 0, training: false, noiseSeed: 0, dispatch });
  expect(out.routing.path).toBe(dispatch);
  const normalized = tf.tidy(() => expertModule.normalizeRows(x).dataSync() as Float32Array).slice();
  tf.dispose([x, w, out.output, out.logits, out.loadBalanceLoss, out.zLoss]);
  const routing = out.routing;
  params.forEach((p) => tf.dispose(expertModule.expertVariables(p)));
  return { routing, normalized, params };
}

/** The rows an expert should see: normalized x of each token that chose it and was kept, in token order. */
function expectedRows(routing: MoeRouting, normalized: Float32Array, expert: number): number[] {
  const rows: number[] = [];
  for (let t = 0; t < routing.tokens; t++) {
    for (let j = 0; j < routing.topK; j++) {
      const pair = t * routing.topK + j;
      if (routing.topIndices[pair] === expert && routing.kept[pair] === 1) rows.push(...normalized.slice(t * D, (t + 1) * D));
    }
  }
  return rows;
}

describe.each(['grouped', 'per-expert'] as const)('sparse dispatch, %s path', (dispatch) => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  beforeEach(() => {
    calls.length = 0;
    groupedCalls = 0;
  });

  for (const [topK, capacityFactor] of [[1, null], [2, null], [2, 0.5]] as const) {
    it(`each expert computes exactly its chosen, kept tokens (top-${topK}, capacity ${capacityFactor ?? 'dropless'})`, () => {
      const { routing, normalized, params } = run(40, 8, topK, capacityFactor, 1.5, dispatch);
      // The grouped path runs every expert in one call; the per-expert path never makes one.
      expect(groupedCalls).toBe(dispatch === 'grouped' ? 1 : 0);
      const keptPairs = routing.kept.reduce((a, b) => a + b, 0);
      expect(routing.rowsPerExpert.reduce((a, b) => a + b, 0)).toBe(keptPairs);
      if (capacityFactor !== null) expect(keptPairs).toBeLessThan(40 * topK);
      // One call per expert that has rows, none for the others.
      const called = calls.map((c) => params.indexOf(c.params));
      expect(called).toEqual(params.map((_, e) => e).filter((e) => routing.rowsPerExpert[e] > 0));
      expect(routing.rowsPerExpert[7]).toBe(0);
      for (const c of calls) {
        const e = params.indexOf(c.params);
        expect(c.shape).toEqual([routing.rowsPerExpert[e], D]);
        expect(Array.from(c.rows)).toEqual(expectedRows(routing, normalized, e));
      }
    });
  }

  it('work grows with k, not with the number of experts', () => {
    for (const experts of [4, 16, 32]) {
      calls.length = 0;
      const { routing } = run(64, experts, 2, null, 1, dispatch);
      const rows = calls.reduce((a, c) => a + c.shape[0], 0);
      expect({ experts, rows }).toEqual({ experts, rows: 64 * 2 });
      expect(routing.rowsPerExpert.reduce((a, b) => a + b, 0)).toBe(64 * 2);
    }
  });
});

describe('top-k selection and capacity assignment', () => {
  it('picks the k best per token, best first, ties to the lower index, NaN last', () => {
    const scores = Float32Array.from([0.1, 0.5, 0.5, 0.2, NaN, 3, NaN, 1]);
    expect(Array.from(selectTopK(scores, 2, 4, 2))).toEqual([1, 2, 1, 3]);
    expect(Array.from(selectTopK(Float32Array.from([NaN, NaN, NaN]), 1, 3, 2))).toEqual([0, 1]);
    expect(() => selectTopK(scores, 2, 4, 5)).toThrow('topK must be an integer in [1, 4], got 5');
  });

  it('fills capacity with all first choices (token order) before any second choice', () => {
    // 4 tokens, 2 experts, k = 2, capacity = ceil(0.5 * 4 * 2 / 2) = 2 rows per expert.
    // First choices: t0->0, t1->0, t2->0, t3->1; second choices: t0->1, t1->1, t2->1, t3->0.
    const top = Int32Array.from([0, 1, 0, 1, 0, 1, 1, 0]);
    const plan = planDispatch(top, 4, 2, 2, 0.5);
    expect(plan.capacity).toBe(2);
    // Expert 0 takes t0, t1 (first choices); t2's first choice is dropped; expert 1 takes t3 first,
    // then t0's second choice; everything after is dropped.
    expect(Array.from(plan.kept)).toEqual([1, 1, 1, 0, 0, 0, 1, 0]);
    expect(Array.from(plan.rowsPerExpert)).toEqual([2, 2]);
    // Rows grouped by expert, token order inside a group.
    expect(Array.from(plan.rowToken)).toEqual([0, 1, 0, 3]);
    expect(Array.from(plan.rowPair)).toEqual([0, 2, 1, 6]);
  });

  it('dropless keeps every pair; capacity ignores float noise; bad factors are refused', () => {
    const top = Int32Array.from([1, 1, 1, 1]);
    expect(Array.from(planDispatch(top, 4, 2, 1, null).kept)).toEqual([1, 1, 1, 1]);
    expect(planDispatch(new Int32Array(4096 * 2), 4096, 8, 2, 1.1).capacity).toBe(1127);
    expect(() => planDispatch(top, 4, 2, 1, 0)).toThrow('capacityFactor must be a positive number or null (dropless), got 0');
  });
});
