// Removing an expert from a saved assembly: the new assembly drops that expert, its router column,
// head and (per-domain) encoder and keeps everything else as it was; no training; the remaining
// domains' metrics before and after are reported, and under oracle routing they do not move.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssemblyConfig, type ModelShape, type RouterMethod } from '../../../shared/config.ts';
import { readSnapshot } from '../../../electron/engine/bundle/load.ts';
import { writeBundle } from '../../../electron/engine/bundle/save.ts';
import { modelFromSnapshot, snapshotModel } from '../../../electron/engine/bundle/snapshot.ts';
import type { AnyLoadedDataset } from '../../../electron/engine/datasets/types.ts';
import { createBranchModel } from '../../../electron/engine/model/branch-model.ts';
import { disposeModel, type MultiTaskModel } from '../../../electron/engine/model/multitask-model.ts';
import { taskSpecOf } from '../../../electron/engine/model/task.ts';
import { silentHooks } from '../../../electron/engine/training/hooks.ts';
import { assemble, type AssemblyJob } from '../../../electron/engine/training/jobs.ts';
import { useBackend } from './setup-backend.ts';
import { recommendationDataset, semanticsDataset, textureDataset } from './synthetic.ts';

const shape: ModelShape = { dim: 12, hidden: 24, text_buckets: 256, id_buckets: 64, ids: 'exact', patch: 8, max_tokens: 16, context: 1, word_bigrams: false };
const datasets: AnyLoadedDataset[] = [semanticsDataset(240), textureDataset(120), recommendationDataset(400)];
let root: string;
const experts: AssemblyJob['experts'] = [];

beforeAll(async () => {
  await useBackend();
  root = await mkdtemp(join(tmpdir(), 'mw-remove-'));
  for (const [i, ds] of datasets.entries()) {
    const b = createBranchModel(taskSpecOf(ds, shape), shape, 21 + i);
    const dir = join(root, `expert-${i}`);
    await writeBundle(dir, snapshotModel(b, { kind: 'expert', seed: 1 }));
    disposeModel(b);
    experts.push({ runId: i + 1, dir, dataset: ds });
  }
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function parentAssembly(method: RouterMethod): Promise<string> {
  const r = await assemble({ config: AssemblyConfig.parse({ experts: [1, 2, 3], epochs: 1, steps_per_epoch: 2, router: { method } }), experts }, silentHooks, new AbortController().signal);
  const dir = join(root, `parent-${method}`);
  await r.save(dir);
  return dir;
}

async function load(dir: string): Promise<MultiTaskModel> {
  const s = await readSnapshot(dir);
  return modelFromSnapshot(s.manifest, s.weights);
}

const removal = (parentDir: string, remove: number, keep: number[]) =>
  assemble({ config: AssemblyConfig.parse({ experts: keep, from: 99, remove }), experts: keep.map((id) => experts.find((e) => e.runId === id)!), parent: { dir: parentDir } }, silentHooks, new AbortController().signal);

describe('removing an expert', () => {
  it('drops the expert, its router column, head and encoder; keeps the rest exactly', async () => {
    const parentDir = await parentAssembly('embedding');
    const r = await removal(parentDir, 2, [1, 3]);
    expect(r.removed).toBe('tex');
    expect(Object.keys(r.metrics.test)).toEqual(['sem', 'rec']);
    expect(Object.keys(r.before ?? {})).toEqual(['sem', 'rec']);
    expect(r.baselines.dense).toEqual({});
    expect(r.router.build_s).toBeLessThan(5);
    const dir = join(root, 'removed');
    await r.save(dir);
    const [parent, child] = [await load(parentDir), await load(dir)];
    if (parent.mixer.kind !== 'moe' || child.mixer.kind !== 'moe') throw new Error('expected MoE models');
    expect(child.expertNames).toEqual(['sem', 'rec']);
    expect(Object.keys(child.encoders).sort()).toEqual(Object.keys(parent.encoders).filter((k) => !k.endsWith(':tex')).sort());
    const pw = parent.mixer.router.arraySync() as number[][];
    expect(child.mixer.router.arraySync()).toEqual(pw.map((row) => [row[0], row[2]]));
    expect(child.heads[1].w.arraySync()).toEqual(parent.heads[2].w.arraySync());
    expect(child.mixer.experts[1].w1.arraySync()).toEqual(parent.mixer.experts[2].w1.arraySync());
    expect(child.mixer.settings.topK).toBe(2);
    expect((await readSnapshot(dir)).manifest.experts.map((e) => e.runId)).toEqual([1, 3]);
    disposeModel(parent);
    disposeModel(child);
  }, 60_000);

  it('under oracle routing the remaining domains do not move at all', async () => {
    const r = await removal(await parentAssembly('oracle'), 1, [2, 3]);
    expect(r.removed).toBe('sem');
    expect(r.metrics.test).toEqual(r.before);
    expect(Object.values(r.routing.purity)).toEqual([1, 1]);
  }, 60_000);

  it('refuses an expert the parent does not have, and a keep list that does not match', async () => {
    const parentDir = join(root, 'parent-embedding');
    await expect(removal(parentDir, 7, [1, 2, 3])).rejects.toThrow(/not in the parent/);
    await expect(removal(parentDir, 2, [3, 1])).rejects.toThrow(/keeps experts/);
  });
});
