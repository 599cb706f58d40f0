// Router methods (issue 10): closed_form against a reference ridge solve, embedding columns equal
// the domains' mean tokens, gates built from each domain alone, uniform equals the no-gate
// mixture, oracle routes every token to its own expert (purity exactly 1, the experts' own
// predictions); and the assembly job records the method and skips fine-tuning for all but joint.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssemblyConfig, type ModelShape, type RouterConfig } from '../../../shared/config.ts';
import { expertAndUniformBaselines } from '../../../electron/engine/assembly/baselines.ts';
import { CENTROID_SAMPLES, domainTokens } from '../../../electron/engine/assembly/centroids.ts';
import { evaluateAssembly } from '../../../electron/engine/assembly/evaluate-assembly.ts';
import { applyRouterMethod } from '../../../electron/engine/assembly/router-setup.ts';
import { readSnapshot } from '../../../electron/engine/bundle/load.ts';
import { writeBundle } from '../../../electron/engine/bundle/save.ts';
import { snapshotModel } from '../../../electron/engine/bundle/snapshot.ts';
import { buildBatch, prepareDomain, type DomainData } from '../../../electron/engine/data/domain-data.ts';
import type { AnyLoadedDataset } from '../../../electron/engine/datasets/types.ts';
import { evaluateTask } from '../../../electron/engine/evaluation/evaluate.ts';
import { buildAssembly } from '../../../electron/engine/model/assembly-model.ts';
import { createBranchModel } from '../../../electron/engine/model/branch-model.ts';
import { encode } from '../../../electron/engine/model/encoders/encoder.ts';
import { disposeModel, type MultiTaskModel } from '../../../electron/engine/model/multitask-model.ts';
import { GATE_TARGET_PROB, gateRouter, ridgeRouter } from '../../../electron/engine/model/router-methods.ts';
import { taskSpecOf } from '../../../electron/engine/model/task.ts';
import { createRng, normalArray } from '../../../electron/engine/rng.ts';
import { silentHooks } from '../../../electron/engine/training/hooks.ts';
import { assemble } from '../../../electron/engine/training/jobs.ts';
import { useBackend } from './setup-backend.ts';
import { recommendationDataset, semanticsDataset, textureDataset } from './synthetic.ts';

const shape: ModelShape = { dim: 12, hidden: 24, text_buckets: 256, id_buckets: 64, ids: 'exact', patch: 8, max_tokens: 16, context: 1, word_bigrams: false };

/** Reference ridge solve: Gauss-Jordan elimination with partial pivoting on the normal equations. */
function referenceRidge(samples: Float32Array[], dim: number, lambda: number): Float64Array {
  const n = samples.length;
  const a = Array.from({ length: dim }, (_, i) => Array.from({ length: dim + n }, (_, j) => (j === i ? lambda : 0)));
  samples.forEach((x, d) => {
    for (let r = 0; r < x.length / dim; r++) {
      for (let p = 0; p < dim; p++) {
        for (let q = 0; q < dim; q++) a[p][q] += x[r * dim + p] * x[r * dim + q];
        a[p][dim + d] += x[r * dim + p];
      }
    }
  });
  for (let c = 0; c < dim; c++) {
    let pivot = c;
    for (let r = c + 1; r < dim; r++) if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) pivot = r;
    [a[c], a[pivot]] = [a[pivot], a[c]];
    const div = a[c][c];
    for (let j = 0; j < dim + n; j++) a[c][j] /= div;
    for (let r = 0; r < dim; r++) {
      if (r === c) continue;
      const f = a[r][c];
      for (let j = 0; j < dim + n; j++) a[r][j] -= f * a[c][j];
    }
  }
  const w = new Float64Array(dim * n);
  for (let i = 0; i < dim; i++) for (let j = 0; j < n; j++) w[i * n + j] = a[i][dim + j];
  return w;
}

/** Tokens of three domains around different means, [rows, dim] each. */
function syntheticTokens(dim: number, rows: number[]): Float32Array[] {
  const rng = createRng(7);
  return rows.map((r, d) => {
    const x = normalArray(rng, r * dim, 1);
    for (let t = 0; t < r; t++) x[t * dim + (d % dim)] += 3;
    return x;
  });
}

describe('closed-form (ridge) router', () => {
  beforeAll(async () => {
    await useBackend();
  });

  for (const lambda of [0, 0.5, 10]) {
    it(`equals a reference ridge solution to 1e-4 (lambda ${lambda})`, () => {
      const dim = 6;
      const tokens = syntheticTokens(dim, [40, 25, 60]);
      const w = ridgeRouter(tokens, dim, lambda);
      const ref = referenceRidge(tokens, dim, lambda);
      expect(w.length).toBe(dim * 3);
      for (let i = 0; i < w.length; i++) expect(Math.abs(w[i] - ref[i]), `entry ${i}`).toBeLessThan(1e-4);
      // The ridge optimality condition, in tensors: X^T (X W - Y) + lambda W = 0.
      const residual = tf.tidy(() => {
        const x = tf.concat(tokens.map((t) => tf.tensor2d(t, [t.length / dim, dim])));
        const y = tf.concat(tokens.map((t, d) => tf.oneHot(tf.fill([t.length / dim], d, 'int32') as tf.Tensor1D, 3)));
        const wt = tf.tensor2d(w, [dim, 3]);
        return tf.add(tf.matMul(x, tf.sub(tf.matMul(x, wt), y), true, false), tf.mul(wt, lambda)).abs().max().dataSync()[0];
      });
      expect(residual).toBeLessThan(1e-3);
    });
  }

  it('rejects a singular system without a ridge penalty', () => {
    const dim = 4;
    const flat = new Float32Array(10 * dim).map((_, i) => (i % dim === 0 ? 1 : 0));
    expect(() => ridgeRouter([flat, flat], dim, 0)).toThrow(/ridge_lambda/);
  });
});

describe('gate router', () => {
  it('builds each gate from its own domain only, confident on that domain', () => {
    const dim = 5;
    const tokens = syntheticTokens(dim, [30, 30, 30]);
    const all = gateRouter(tokens, dim);
    const two = gateRouter(tokens.slice(0, 2), dim);
    for (let i = 0; i < dim; i++) for (let j = 0; j < 2; j++) expect(all[i * 3 + j]).toBe(two[i * 2 + j]);
    tokens.forEach((x, j) => {
      let mean = 0;
      for (let r = 0; r < 30; r++) {
        let z = 0;
        for (let i = 0; i < dim; i++) z += x[r * dim + i] * all[i * 3 + j];
        mean += 1 / (1 + Math.exp(-z)) / 30;
      }
      expect(mean).toBeCloseTo(GATE_TARGET_PROB, 4);
    });
  });
});

describe('router methods on an assembled model', () => {
  const datasets: AnyLoadedDataset[] = [semanticsDataset(240), textureDataset(120), recommendationDataset(400)];
  const branches: MultiTaskModel[] = [];
  let data: DomainData[];
  let root: string;

  beforeAll(async () => {
    await useBackend();
    root = await mkdtemp(join(tmpdir(), 'mw-router-methods-'));
    datasets.forEach((ds, i) => branches.push(createBranchModel(taskSpecOf(ds, shape), shape, 11 + i)));
    data = branches.map((b, i) => prepareDomain(datasets[i], b.tasks[0], shape));
  });
  afterAll(async () => {
    branches.forEach(disposeModel);
    await rm(root, { recursive: true, force: true });
  });

  /** The assembly of the branches with `router` applied (top_k as given). */
  function assembled(router: RouterConfig, topK = 2): MultiTaskModel {
    const a = buildAssembly(branches, 'per_domain', { topK, capacityFactor: null, noiseStd: 0, init: 'centroid' });
    return applyRouterMethod(a, data, router).model;
  }

  it('embedding: column i is domain i\'s mean token under the assembled encoder', () => {
    const model = assembled({ method: 'embedding', ridge_lambda: 1 });
    if (model.mixer.kind !== 'moe') throw new Error('expected an MoE');
    const w = model.mixer.router.dataSync() as Float32Array;
    const n = 3;
    data.forEach((d, j) => {
      // All of the first CENTROID_SAMPLES training records in one batch, averaged in float64.
      const batch = buildBatch(d, d.splits.train.subarray(0, CENTROID_SAMPLES), null);
      const tokens = tf.tidy(() => encode(model.encoders[model.taskEncoder[j]], batch.input));
      const x = tokens.dataSync() as Float32Array;
      const rows = tokens.shape[0];
      tokens.dispose();
      for (let i = 0; i < shape.dim; i++) {
        let s = 0;
        for (let r = 0; r < rows; r++) s += x[r * shape.dim + i];
        expect(Math.abs(w[i * n + j] - s / rows), `${datasets[j].name} dim ${i}`).toBeLessThan(1e-5);
      }
    });
    disposeModel(model);
  });

  it('closed_form: the router is the ridge solution on the domains\' tokens', () => {
    const model = assembled({ method: 'closed_form', ridge_lambda: 2 });
    if (model.mixer.kind !== 'moe') throw new Error('expected an MoE');
    const w = model.mixer.router.dataSync() as Float32Array;
    const ref = referenceRidge(data.map((d, i) => domainTokens(model, i, d).sample), shape.dim, 2);
    for (let i = 0; i < w.length; i++) expect(Math.abs(w[i] - ref[i])).toBeLessThan(1e-4);
    disposeModel(model);
  });

  it('oracle: purity exactly 1, and each domain gets exactly its own expert\'s predictions', () => {
    const model = assembled({ method: 'oracle', ridge_lambda: 1 });
    const { test, stats } = evaluateAssembly(model, data, 1);
    expect(stats.purity).toEqual([1, 1, 1]);
    expect(stats.entropy).toBe(0);
    branches.forEach((b, i) => {
      const own = evaluateTask(b, 0, data[i], 'test', 1).metrics;
      for (const [k, v] of Object.entries(own)) expect(test[b.tasks[0].name][k], `${b.tasks[0].name} ${k}`).toBeCloseTo(v, 5);
    });
    // Without the override the same (zero) router does not route by domain.
    if (model.mixer.kind !== 'moe') throw new Error('expected an MoE');
    model.mixer.settings = { ...model.mixer.settings, oracle: false };
    expect(evaluateAssembly(model, data, 1).stats.purity).not.toEqual([1, 1, 1]);
    disposeModel(model);
  });

  it('uniform with top_k = N equals the mixture without a gate', () => {
    const model = assembled({ method: 'uniform', ridge_lambda: 1 }, 3);
    if (model.mixer.kind !== 'moe') throw new Error('expected an MoE');
    expect(Array.from(model.mixer.router.dataSync()).every((v) => v === 0)).toBe(true);
    const { uniform } = expertAndUniformBaselines(model, branches, data, 1);
    const { test } = evaluateAssembly(model, data, 1);
    for (const [d, metrics] of Object.entries(uniform)) for (const [k, v] of Object.entries(metrics)) expect(test[d][k], `${d} ${k}`).toBeCloseTo(v, 5);
    disposeModel(model);
  });

  it('the assembly job records the method, fine-tunes only joint, and saves the oracle routing', async () => {
    const experts = await Promise.all(
      branches.map(async (b, i) => {
        const dir = join(root, `expert-${i}`);
        await writeBundle(dir, snapshotModel(b, { kind: 'expert', seed: 1 }));
        return { runId: i + 1, dir, dataset: datasets[i] };
      }),
    );
    const run = async (method: RouterConfig['method']) => {
      const keys = new Set<string>();
      const result = await assemble(
        { config: AssemblyConfig.parse({ experts: [1, 2, 3], epochs: 1, steps_per_epoch: 2, router: { method } }), experts },
        { ...silentHooks, metrics: (_s, v) => Object.keys(v).forEach((k) => keys.add(k)) },
        new AbortController().signal,
      );
      return { result, keys };
    };
    const joint = await run('joint');
    expect(joint.result.router.method).toBe('joint');
    expect(joint.keys.has('train/task_loss')).toBe(true);
    const oracle = await run('oracle');
    expect(oracle.result.router.method).toBe('oracle');
    expect(oracle.result.router.build_s).toBeGreaterThanOrEqual(0);
    expect(oracle.keys.has('train/task_loss')).toBe(false);
    expect(oracle.keys.has('dense/loss')).toBe(true);
    expect(Object.values(oracle.result.routing.purity)).toEqual([1, 1, 1]);
    const dir = join(root, 'oracle');
    await oracle.result.save(dir);
    expect((await readSnapshot(dir)).manifest.router?.oracle).toBe(true);
  }, 60_000);
});
