// The frozen experts' outputs cached for joint fine-tuning: the rows of any batch of training
// records are every expert's output on those records' tokens, and a forward pass that picks
// them (with the uncached rating domain's experts run in the pass) gives the outputs and router
// gradient of one that runs the experts. Nothing leaks.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelShape } from '../../../shared/config.ts';
import { cachedExpertOutputs, cacheExpertOutputs } from '../../../electron/engine/assembly/expert-output-cache.ts';
import { cachedTokens, cacheFrozenTokens } from '../../../electron/engine/data/token-cache.ts';
import { buildBatch, prepareDomain, type DomainData } from '../../../electron/engine/data/domain-data.ts';
import { buildAssembly } from '../../../electron/engine/model/assembly-model.ts';
import { createBranchModel } from '../../../electron/engine/model/branch-model.ts';
import { allExpertOutputs } from '../../../electron/engine/model/moe/moe-layer.ts';
import { disposeModel, forward, type MultiTaskModel, type TaskBatch } from '../../../electron/engine/model/multitask-model.ts';
import { taskSpecOf } from '../../../electron/engine/model/task.ts';
import { createRng } from '../../../electron/engine/rng.ts';
import { useBackend } from './setup-backend.ts';
import { recommendationDataset, semanticsDataset, textureDataset } from './synthetic.ts';

const shape: ModelShape = { dim: 12, hidden: 24, text_buckets: 256, id_buckets: 64, ids: 'exact', patch: 8, max_tokens: 16, context: 1, word_bigrams: false };

describe('expert output cache', () => {
  const datasets = [semanticsDataset(150), textureDataset(90), recommendationDataset(300)];
  let branches: MultiTaskModel[] = [];
  let model: MultiTaskModel;
  let data: DomainData[];

  beforeAll(async () => {
    await useBackend();
    branches = datasets.map((ds, i) => createBranchModel(taskSpecOf(ds, shape), shape, 3 + i));
    data = branches.map((b, i) => prepareDomain(datasets[i], b.tasks[0], shape));
    model = buildAssembly(branches, 'per_domain', { topK: 2, capacityFactor: null, noiseStd: 0, init: 'random' }).model;
  });
  afterAll(() => {
    [...branches, model].forEach(disposeModel);
  });

  it("a batch's cached rows are every expert's output on its cached tokens; ratings are left to the batch", () => {
    const tokens = cacheFrozenTokens(model, data);
    const cache = cacheExpertOutputs(model, tokens)!;
    expect(cache.experts).toBe(3);
    expect(cache.domains.map((d) => d !== null)).toEqual([true, true, false]);
    const before = tf.memory().numTensors;
    for (const task of [0, 1]) {
      const train = data[task].splits.train;
      const records = [train[5], train[1], train[train.length - 1], train[5]];
      const x = cachedTokens(tokens, task, records)!;
      const rows = cachedExpertOutputs(cache, task, records)!;
      const expected = allExpertOutputs(model.mixer.kind === 'moe' ? model.mixer.experts : [], x);
      expect(rows.shape).toEqual([x.shape[0] * 3, shape.dim]);
      expect(Array.from(rows.dataSync())).toEqual(Array.from(expected.dataSync()));
      tf.dispose([x, rows, expected]);
    }
    expect(cachedExpertOutputs(cache, 2, [data[2].splits.train[0]])).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a forward pass that picks the cached rows equals one that runs the experts: outputs and router gradient', () => {
    const tokens = cacheFrozenTokens(model, data);
    const cache = cacheExpertOutputs(model, tokens)!;
    const negatives = createRng(9);
    const parts = data.map((d, task) => {
      const records = d.splits.train.subarray(0, 6);
      return { task, records, input: buildBatch(d, records, negatives).input };
    });
    if (model.mixer.kind !== 'moe') throw new Error('expected an MoE');
    const router = model.mixer.router;
    const before = tf.memory().numTensors;
    const run = (given: boolean): { outputs: Float32Array[]; grad: Float32Array; path: string } => {
      let outputs: Float32Array[] = [];
      let path = '';
      const { value, grads } = tf.variableGrads(() => {
        const batch: TaskBatch[] = parts.map((p) => ({
          task: p.task,
          input: p.input,
          tokens: cachedTokens(tokens, p.task, p.records) ?? undefined,
          expertOutputs: (given && cachedExpertOutputs(cache, p.task, p.records)) || undefined,
        }));
        const r = forward(model, batch, { training: true, noiseSeed: 1 });
        outputs = r.outputs.map((o) => (o.dataSync() as Float32Array).slice());
        path = r.routing!.path;
        return tf.addN(r.outputs.map((o) => tf.sum(tf.square(o)))) as tf.Scalar;
      }, [router]);
      const grad = (grads[router.name].dataSync() as Float32Array).slice();
      tf.dispose([value, ...Object.values(grads)]);
      return { outputs, grad, path };
    };
    const ran = run(false);
    const picked = run(true);
    expect([ran.path, picked.path]).toEqual([expect.stringMatching(/grouped|per-expert/), 'precomputed']);
    ran.outputs.forEach((o, i) => o.forEach((v, j) => expect(Math.abs(picked.outputs[i][j] - v)).toBeLessThan(1e-5)));
    expect(Math.max(...ran.grad.map(Math.abs))).toBeGreaterThan(1e-3);
    ran.grad.forEach((g, j) => expect(Math.abs(picked.grad[j] - g)).toBeLessThan(1e-5));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is not built for a model without an MoE, and given rows are refused with token dropout', () => {
    const tokens = cacheFrozenTokens(branches[0], [data[0]]);
    expect(cacheExpertOutputs(branches[0], tokens)).toBeNull();
    const cache = cacheExpertOutputs(model, cacheFrozenTokens(model, data))!;
    const records = data[0].splits.train.subarray(0, 2);
    const part: TaskBatch = { task: 0, input: buildBatch(data[0], records, null).input, expertOutputs: cachedExpertOutputs(cache, 0, records)! };
    expect(() => tf.tidy(() => void forward(model, [part], { training: true, noiseSeed: 0, dropout: { rate: 0.1, seed: 1 } }))).toThrow(/dropout/);
    expect(() => tf.tidy(() => void forward(branches[0], [part], { training: false, noiseSeed: 0 }))).toThrow(/single mixer/);
    part.expertOutputs!.dispose();
  });
});
