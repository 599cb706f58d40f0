// The sparse MoE layer against the dense reference: outputs, auxiliary losses and gradients
// (w.r.t. x, router and every expert parameter) for the same routing, on wasm and cpu, on both
// expert paths (grouped and per-expert), and the two paths against each other.
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createExpertParams, expertVariables, type ExpertParams } from '../../../electron/engine/model/expert.ts';
import { allExpertOutputs, chooseDispatchPath, moeLayer, type MoeOptions, type MoeOutput, type MoeRouting } from '../../../electron/engine/model/moe/moe-layer.ts';
import { TEST_BACKENDS, useBackend, worstRatio } from './backends.ts';
import { denseReference, type DenseOutput } from './dense-reference.ts';

const T = 24;
const D = 8;
const H = 16;
const N = 4;

interface Fixture {
  x: tf.Variable;
  w: tf.Variable;
  experts: ExpertParams[];
  probe: tf.Tensor2D;
  vars: tf.Variable[];
}

let made = 0;
function fixture(routerScale: number): Fixture {
  const tag = `moe-test-${made++}`;
  const x = tf.variable(tf.randomNormal([T, D], 0, 1, 'float32', 11), true, `${tag}/x`);
  const w = tf.variable(tf.randomNormal([D, N], 0, routerScale, 'float32', 12), true, `${tag}/w`);
  const experts = Array.from({ length: N }, (_, e) => createExpertParams(D, H, 100 + 7 * e, `${tag}/e${e}`));
  // Biases and LayerNorm parameters start at 0/1; move them so their gradients are exercised in general position.
  experts.forEach((p, e) => {
    for (const [i, v] of [p.gamma, p.beta, p.b1, p.b2].entries()) {
      tf.tidy(() => v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.3, 'float32', 200 + 10 * e + i))));
    }
  });
  const probe = tf.randomNormal([T, D], 0, 1, 'float32', 13) as tf.Tensor2D;
  return { x, w, experts, probe, vars: [x, w, ...experts.flatMap(expertVariables)] };
}

/** A scalar that depends on every output, so the gradients compare whole tensors. */
function objective(o: MoeOutput | DenseOutput, probe: tf.Tensor2D): tf.Scalar {
  return tf.addN([tf.sum(tf.mul(o.output, probe)), tf.mul(o.loadBalanceLoss, 0.3), tf.mul(o.zLoss, 0.7)]) as tf.Scalar;
}

interface Measured {
  output: Float32Array;
  lb: number;
  z: number;
  grads: Float32Array[];
}

function measure(f: () => MoeOutput | DenseOutput, fx: Fixture): Measured {
  let output = new Float32Array();
  let lb = 0;
  let z = 0;
  const { value, grads } = tf.variableGrads(() => {
    const o = f();
    output = (o.output.dataSync() as Float32Array).slice();
    lb = o.loadBalanceLoss.dataSync()[0];
    z = o.zLoss.dataSync()[0];
    return objective(o, fx.probe);
  }, fx.vars);
  const g = fx.vars.map((v) => (grads[v.name].dataSync() as Float32Array).slice());
  tf.dispose([value, ...Object.values(grads)]);
  return { output, lb, z, grads: g };
}

function compare(fx: Fixture, opts: MoeOptions): MoeRouting {
  let routing: MoeRouting | undefined;
  const sparse = measure(() => {
    const o = moeLayer(fx.x as tf.Tensor2D, fx.w as tf.Tensor2D, fx.experts, opts);
    routing = o.routing;
    return o;
  }, fx);
  if (routing === undefined) throw new Error('no routing');
  const r = routing;
  const dense = measure(() => denseReference(fx.x as tf.Tensor2D, fx.w as tf.Tensor2D, fx.experts, r), fx);
  // float32, values of order 1: everything to 1e-5 absolute (the worst seen is 1.4e-6).
  expect(worstRatio(sparse.output, dense.output, 1e-5, 0)).toBeLessThanOrEqual(1);
  expect(Math.abs(sparse.lb - dense.lb)).toBeLessThanOrEqual(1e-5);
  expect(Math.abs(sparse.z - dense.z)).toBeLessThanOrEqual(1e-5);
  fx.vars.forEach((v, i) => {
    expect(worstRatio(sparse.grads[i], dense.grads[i], 1e-5, 0), `gradient of ${v.name}`).toBeLessThanOrEqual(1);
  });
  // The router and x must actually receive gradient (not vacuously equal zeros).
  expect(Math.max(...sparse.grads[1].map(Math.abs))).toBeGreaterThan(1e-3);
  expect(Math.max(...sparse.grads[0].map(Math.abs))).toBeGreaterThan(1e-3);
  return r;
}

function countDropped(r: MoeRouting): number {
  return r.kept.reduce((a, b) => a + (b === 0 ? 1 : 0), 0);
}

const CASES = TEST_BACKENDS.flatMap((backend) => (['grouped', 'per-expert'] as const).map((dispatch) => [backend, dispatch] as const));

describe.each(CASES)('moeLayer on %s, %s path, equals the dense computation of the same routing', (backend, dispatch) => {
  let fx: Fixture;
  beforeAll(async () => {
    await useBackend(backend);
  });
  afterEach(() => {
    tf.dispose([...fx.vars, fx.probe]);
  });

  for (const topK of [1, 2]) {
    it(`top-${topK}, dropless`, () => {
      fx = fixture(0.5);
      const r = compare(fx, { topK, capacityFactor: null, noiseStd: 0, training: true, noiseSeed: 0, dispatch });
      expect(r.path).toBe(dispatch);
      expect(countDropped(r)).toBe(0);
      expect(r.rowsPerExpert.reduce((a, b) => a + b, 0)).toBe(T * topK);
    });

    it(`top-${topK}, with capacity dropping`, () => {
      // A skewed router and capacity ceil(0.75 * 24 * k / 4) = 5k rows force drops.
      fx = fixture(2);
      const r = compare(fx, { topK, capacityFactor: 0.75, noiseStd: 0, training: true, noiseSeed: 0, dispatch });
      expect(countDropped(r)).toBeGreaterThan(0);
      for (const rows of r.rowsPerExpert) expect(rows).toBeLessThanOrEqual(Math.ceil((0.75 * T * topK) / N));
    });
  }

  it('top-2 with selection noise (the reference reuses the noisy choice)', () => {
    fx = fixture(0.5);
    compare(fx, { topK: 2, capacityFactor: 1, noiseStd: 1, training: true, noiseSeed: 5, dispatch });
  });
});

describe.each(TEST_BACKENDS)('grouped and per-expert paths on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  function gradsOf(fx: Fixture, opts: MoeOptions): { output: Float32Array; routing: MoeRouting; grads: Map<string, Float32Array> } {
    let routing: MoeRouting | undefined;
    let output = new Float32Array();
    const { value, grads } = tf.variableGrads(() => {
      const o = moeLayer(fx.x as tf.Tensor2D, fx.w as tf.Tensor2D, fx.experts, opts);
      routing = o.routing;
      output = (o.output.dataSync() as Float32Array).slice();
      return objective(o, fx.probe);
    }, fx.vars);
    const out = new Map(Object.entries(grads).map(([name, g]) => [name, (g.dataSync() as Float32Array).slice()]));
    tf.dispose([value, ...Object.values(grads)]);
    return { output, routing: routing as MoeRouting, grads: out };
  }

  it('give the same outputs and gradients to 1e-5; an expert without rows gets no gradient on either', () => {
    const fx = fixture(0.5);
    // Feature 0 set to 1 and expert 3's router column to [-50, 0, ...]: with k = 2 of 4 it is never chosen.
    tf.tidy(() => {
      fx.x.assign(tf.concat([tf.ones([T, 1]), tf.slice(fx.x, [0, 1], [T, D - 1])], 1));
      const column3 = tf.reshape(tf.oneHot(tf.tensor1d([3], 'int32'), N), [1, N]);
      fx.w.assign(tf.add(tf.mul(fx.w, tf.sub(1, column3)), tf.concat([tf.mul(column3, -50), tf.zeros([D - 1, N])], 0)));
    });
    const opts: MoeOptions = { topK: 2, capacityFactor: 0.75, noiseStd: 0, training: true, noiseSeed: 0 };
    const grouped = gradsOf(fx, { ...opts, dispatch: 'grouped' });
    const perExpert = gradsOf(fx, { ...opts, dispatch: 'per-expert' });
    expect([grouped.routing.path, perExpert.routing.path]).toEqual(['grouped', 'per-expert']);
    expect(grouped.routing.rowsPerExpert[3]).toBe(0);
    expect(countDropped(grouped.routing)).toBeGreaterThan(0);
    expect(Array.from(grouped.routing.kept)).toEqual(Array.from(perExpert.routing.kept));
    expect(worstRatio(grouped.output, perExpert.output, 1e-5, 0)).toBeLessThanOrEqual(1);
    const names = [...grouped.grads.keys()].sort();
    expect(names).toEqual([...perExpert.grads.keys()].sort());
    expect(names.some((n) => n.includes('/e3/'))).toBe(false);
    expect(names.filter((n) => n.includes('/e0/'))).toHaveLength(6);
    for (const name of names) expect(worstRatio(grouped.grads.get(name)!, perExpert.grads.get(name)!, 1e-5, 0), name).toBeLessThanOrEqual(1);
    tf.dispose([...fx.vars, fx.probe]);
  });

  it('given expert outputs: the same outputs and router gradient as running the experts, dropped pairs included; nothing reaches the experts', () => {
    for (const topK of [1, 2]) {
      const fx = fixture(2);
      const opts: MoeOptions = { topK, capacityFactor: 0.75, noiseStd: 0, training: true, noiseSeed: 0 };
      const given = allExpertOutputs(fx.experts, fx.x as tf.Tensor2D);
      const ran = gradsOf(fx, opts);
      const picked = gradsOf(fx, { ...opts, expertOutputs: given });
      expect(picked.routing.path).toBe('precomputed');
      expect(countDropped(picked.routing)).toBeGreaterThan(0);
      expect(Array.from(picked.routing.kept)).toEqual(Array.from(ran.routing.kept));
      expect(worstRatio(picked.output, ran.output, 1e-5, 0)).toBeLessThanOrEqual(1);
      const router = picked.grads.get(fx.w.name)!;
      expect(Math.max(...router.map(Math.abs))).toBeGreaterThan(1e-3);
      expect(worstRatio(router, ran.grads.get(fx.w.name)!, 1e-5, 0)).toBeLessThanOrEqual(1);
      expect([...picked.grads.keys()].filter((n) => n.includes('/e'))).toEqual([]);
      expect(() => moeLayer(fx.x as tf.Tensor2D, fx.w as tf.Tensor2D, fx.experts, { ...opts, expertOutputs: tf.slice(given, 0, T) as tf.Tensor2D })).toThrow(/expertOutputs must be \[96, 8\]/);
      tf.dispose([given, ...fx.vars, fx.probe]);
    }
  });

  it('auto picks grouped where the backend has the grouped kernels, per expert for one expert or very uneven padded loads', () => {
    expect(chooseDispatchPath([5, 0, 0], true)).toBe('per-expert');
    expect(chooseDispatchPath([5, 1, 0], true)).toBe('grouped');
    expect(chooseDispatchPath([10, 9, 11], false)).toBe('grouped');
    expect(chooseDispatchPath([100, 2, 3, 1], false)).toBe('per-expert');
    const fx = fixture(0.5);
    const r = moeLayer(fx.x as tf.Tensor2D, fx.w as tf.Tensor2D, fx.experts, { topK: 2, capacityFactor: null, noiseStd: 0, training: false, noiseSeed: 0 });
    expect(r.routing.path).toBe(chooseDispatchPath(r.routing.rowsPerExpert, backend === 'wasm'));
    tf.dispose([r.output, r.logits, r.loadBalanceLoss, r.zLoss, ...fx.vars, fx.probe]);
  });
});

describe('noisy top-k and determinism', () => {
  let fx: Fixture;
  beforeAll(async () => {
    await useBackend('wasm');
    fx = fixture(0.5);
  });
  afterAll(() => {
    tf.dispose([...fx.vars, fx.probe]);
  });

  function forward(opts: MoeOptions): { output: number[]; routing: MoeRouting } {
    const o = moeLayer(fx.x as tf.Tensor2D, fx.w as tf.Tensor2D, fx.experts, opts);
    const output = Array.from(o.output.dataSync());
    tf.dispose([o.output, o.logits, o.loadBalanceLoss, o.zLoss]);
    return { output, routing: o.routing };
  }
  const base: MoeOptions = { topK: 2, capacityFactor: 1, noiseStd: 2, training: true, noiseSeed: 9 };

  it('the same inputs and noise seed give bit-identical outputs and routing', () => {
    const a = forward(base);
    const b = forward(base);
    expect(a.output).toEqual(b.output);
    expect(Array.from(a.routing.topIndices)).toEqual(Array.from(b.routing.topIndices));
    expect(Array.from(a.routing.kept)).toEqual(Array.from(b.routing.kept));
  });

  it('noise changes the choice, not the reported probabilities; it is off outside training', () => {
    const clean = forward({ ...base, noiseStd: 0 });
    const noisy = forward(base);
    const otherSeed = forward({ ...base, noiseSeed: 10 });
    const evaluation = forward({ ...base, training: false });
    expect(Array.from(noisy.routing.probs)).toEqual(Array.from(clean.routing.probs));
    expect(Array.from(noisy.routing.topIndices)).not.toEqual(Array.from(clean.routing.topIndices));
    expect(Array.from(otherSeed.routing.topIndices)).not.toEqual(Array.from(noisy.routing.topIndices));
    expect(evaluation.output).toEqual(clean.output);
    // Weights come from the clean probabilities of whichever experts were chosen.
    const r = noisy.routing;
    for (let t = 0; t < T; t++) {
      const [e0, e1] = [r.topIndices[2 * t], r.topIndices[2 * t + 1]];
      const total = r.probs[t * N + e0] + r.probs[t * N + e1];
      expect(r.topWeights[2 * t]).toBeCloseTo(r.probs[t * N + e0] / total, 6);
    }
  });

  it('refuses inconsistent arguments with a precise message', () => {
    const x = fx.x as tf.Tensor2D;
    const w = fx.w as tf.Tensor2D;
    expect(() => moeLayer(x, w, fx.experts.slice(0, 3), base)).toThrow('routerW must be [8, 3] for x width 8 and 3 experts, got [8, 4]');
    expect(() => moeLayer(x, w, fx.experts, { ...base, topK: 5 })).toThrow('topK must be an integer in [1, 4], got 5');
    expect(() => moeLayer(x, w, fx.experts, { ...base, capacityFactor: -1 })).toThrow('capacityFactor must be a positive number or null (dropless), got -1');
    expect(() => moeLayer(x, w, fx.experts, { ...base, noiseStd: -0.1 })).toThrow('noiseStd must be >= 0, got -0.1');
  });
});
