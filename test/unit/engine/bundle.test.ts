// Saved model folders: save -> load -> predict equals the in-memory model, saving is byte-stable,
// the manifest describes the model, and bad folders are refused with a clear message.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExpertConfig, type ModelShape, type ResolvedExpertConfig } from '../../../shared/config.ts';
import { disposeBundle, loadBundle, predict } from '../../../electron/engine/bundle/index.ts';
import { predictWithModel, type PredictInput } from '../../../electron/engine/bundle/predict.ts';
import { writeBundle } from '../../../electron/engine/bundle/save.ts';
import { snapshotModel } from '../../../electron/engine/bundle/snapshot.ts';
import { buildAssembly } from '../../../electron/engine/model/assembly-model.ts';
import { createBranchModel } from '../../../electron/engine/model/branch-model.ts';
import { disposeModel, type MultiTaskModel } from '../../../electron/engine/model/multitask-model.ts';
import { taskSpecOf } from '../../../electron/engine/model/task.ts';
import { trainBranch } from '../../../electron/engine/training/branch-trainer.ts';
import { prepareDomain } from '../../../electron/engine/data/domain-data.ts';
import { silentHooks } from '../../../electron/engine/training/hooks.ts';
import { useBackend } from './setup-backend.ts';
import { recommendationDataset, semanticsDataset, syntaxDataset, textureDataset } from './synthetic.ts';

const shapeInput = { dim: 16, hidden: 32, text_buckets: 256, id_buckets: 64, ids: 'hashed' as const, patch: 4, max_tokens: 48, context: 1, word_bigrams: false };
const shape: ModelShape = shapeInput;
const pixels = new Uint8Array(Buffer.from(textureDataset(3).records[1].pixels, 'base64'));
const datasets = [syntaxDataset(60), semanticsDataset(60), textureDataset(30), recommendationDataset(200), recommendationDataset(200, 4, true)];
const inputs: Record<string, PredictInput> = { syn: { text: 'the big dog sees a cat .' }, sem: { text: 'the team scored a goal' }, tex: { pixels }, rec: { user: 'u1', item: 'i4' }, 'rec-implicit': { user: 'u2', item: 'i5' } };

let root: string;
const branches: MultiTaskModel[] = [];
beforeAll(async () => {
  await useBackend();
  root = await mkdtemp(join(tmpdir(), 'mw-bundle-'));
  for (const ds of datasets) {
    const task = taskSpecOf(ds, shape);
    const model = createBranchModel(task, shape, 11);
    const config = ExpertConfig.parse({ dataset: ds.name, epochs: 1, model: shapeInput }) as ResolvedExpertConfig;
    await trainBranch({ config, model, data: prepareDomain(ds, task, shape) }, silentHooks, new AbortController().signal);
    branches.push(model);
  }
});
afterAll(async () => {
  for (const m of branches) disposeModel(m);
  await rm(root, { recursive: true, force: true });
});

describe('expert bundles', () => {
  it('load -> predict equals the in-memory model for every kind', async () => {
    for (const model of branches) {
      const name = model.tasks[0].name;
      const dir = join(root, `expert-${name}`);
      await writeBundle(dir, snapshotModel(model, { kind: 'expert', seed: 11 }));
      const bundle = await loadBundle(dir);
      const fromDisk = predict(bundle, name, inputs[name]);
      expect(fromDisk).toEqual(predictWithModel(model, name, inputs[name]));
      expect(fromDisk.routing.experts).toEqual([{ expert: name, weight: 1 }]);
      disposeBundle(bundle);
    }
  });

  it('predictions speak the task: tags, class with scores, rating in scale, probability', () => {
    const [syn, sem, tex, rec, imp] = branches.map((m) => predictWithModel(m, m.tasks[0].name, inputs[m.tasks[0].name]));
    expect((syn.prediction as string[]).length).toBe(7);
    expect(syn.routing.perToken?.map((t) => t.token)).toEqual(['the', 'big', 'dog', 'sees', 'a', 'cat', '.']);
    expect(['food', 'sport', 'tech']).toContain(sem.prediction);
    expect(Object.values(sem.scores ?? {}).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(tex.routing.perToken?.length).toBe(64);
    expect(rec.prediction as number).toBeGreaterThanOrEqual(1);
    expect(rec.prediction as number).toBeLessThanOrEqual(5);
    expect(imp.prediction as number).toBeGreaterThan(0);
    expect(imp.prediction as number).toBeLessThan(1);
    expect(() => predictWithModel(branches[2], 'tex', { text: 'x' })).toThrow('task tex takes { pixels } (32x32x3 RGB bytes)');
    expect(() => predictWithModel(branches[2], 'nope', { text: 'x' })).toThrow('the model has no task "nope" (tasks: tex)');
  });

  it('saving the same weights twice gives byte-identical files, and the manifest describes the model', async () => {
    const snap = snapshotModel(branches[1], { kind: 'expert', seed: 11 });
    await writeBundle(join(root, 'a'), snap);
    await writeBundle(join(root, 'b'), snapshotModel(branches[1], { kind: 'expert', seed: 11 }));
    for (const f of ['weights.bin', 'weights.json', 'model.json']) expect((await readFile(join(root, 'a', f))).equals(await readFile(join(root, 'b', f)))).toBe(true);
    const manifest = JSON.parse(await readFile(join(root, 'a', 'model.json'), 'utf8'));
    expect(manifest).toMatchObject({
      format: 'moe-workbench-model',
      version: 2,
      kind: 'expert',
      shape,
      tasks: [{ name: 'sem', kind: 'semantics', labels: ['food', 'sport', 'tech'], metrics: ['accuracy', 'macro_f1'], encoder: 'text' }],
      router: null,
      text: { hash: 'fnv1a-32-utf8', buckets: 256, maxTokens: 48, ngrams: [3, 4], wordBigrams: false },
      image: { size: 32, patch: 4 },
    });
    const index = JSON.parse(await readFile(join(root, 'a', 'weights.json'), 'utf8')) as { name: string; byteOffset: number; byteLength: number; shape: number[] }[];
    const bin = await readFile(join(root, 'a', 'weights.bin'));
    expect(index[0]).toMatchObject({ name: 'encoder/text/embedding', shape: [256, 16], byteOffset: 0, byteLength: 256 * 16 * 4 });
    const last = index[index.length - 1];
    expect(last.byteOffset + last.byteLength).toBe(bin.length);
    // The bytes are little-endian float32, whatever the machine (the file is copied whole on one).
    const table = snap.weights.find((w) => w.name === 'encoder/text/embedding')!.data;
    for (const i of [0, 1, 777, table.length - 1]) expect(bin.readFloatLE(i * 4)).toBe(table[i]);
  });

  it('refuses a folder that is not a saved model', async () => {
    const dir = join(root, 'bad');
    await writeBundle(dir, snapshotModel(branches[0], { kind: 'expert', seed: 1 }));
    await writeFile(join(dir, 'model.json'), JSON.stringify({ format: 'other' }));
    await expect(loadBundle(dir)).rejects.toThrow('format is "other", expected "moe-workbench-model"');
    await expect(loadBundle(join(root, 'missing'))).rejects.toThrow(/is not a saved model folder: cannot read model.json/);
  });
});

describe('assembly bundles', () => {
  it('an MoE over three modalities predicts the same from disk, with per-token routing', async () => {
    const parts = [branches[1], branches[2], branches[3]];
    const before = tf.memory().numTensors;
    const { model } = buildAssembly(parts, 'merged', { topK: 2, capacityFactor: null, noiseStd: 0, init: 'uniform' });
    if (model.mixer.kind !== 'moe') throw new Error('expected an MoE');
    const router = model.mixer.router;
    tf.tidy(() => router.assign(tf.randomNormal([16, 3], 0, 0.5, 'float32', 3)));
    const dir = join(root, 'assembly');
    await writeBundle(dir, snapshotModel(model, { kind: 'assembly', seed: 3, expertRunIds: [4, 5, 6] }));
    const bundle = await loadBundle(dir);
    expect(bundle.manifest.router).toMatchObject({ top_k: 2, capacity_factor: null, inference: 'dropless' });
    expect(bundle.manifest.experts.map((e) => [e.name, e.runId])).toEqual([['sem', 4], ['tex', 5], ['rec', 6]]);
    for (const name of ['sem', 'tex', 'rec']) {
      const p = predict(bundle, name, inputs[name]);
      expect(p).toEqual(predictWithModel(model, name, inputs[name]));
      expect(p.routing.experts.map((e) => e.expert)).toEqual(['sem', 'tex', 'rec']);
      expect(p.routing.experts.reduce((a, e) => a + e.weight, 0)).toBeCloseTo(1, 5);
      for (const t of p.routing.perToken ?? []) expect(t.weights.filter((w) => w > 0).length).toBeLessThanOrEqual(2);
    }
    disposeBundle(bundle);
    disposeModel(model);
    expect(tf.memory().numTensors).toBe(before);
  });
});
