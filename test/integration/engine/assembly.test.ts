// Assembly end to end on three small domains of different modalities: retention against each
// domain's own expert, routing purity, baselines, routing hooks, determinism, no leaks; then
// adding a fourth domain's expert to the saved assembly.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssemblyConfig, ExpertConfig, type AssemblyConfigInput } from '../../../shared/config.ts';
import { LOWER_IS_BETTER } from '../../../shared/domain.ts';
import type { AnyLoadedDataset } from '../../../electron/engine/datasets/types.ts';
import type { RoutingStats } from '../../../electron/engine/model/moe/routing-stats.ts';
import { silentHooks, type TrainHooks } from '../../../electron/engine/training/hooks.ts';
import { assemble, trainExpert, type AssemblyJob, type AssemblyResult } from '../../../electron/engine/training/jobs.ts';
import { useBackend } from '../../unit/engine/setup-backend.ts';
import { recommendationDataset, semanticsDataset, syntaxDataset, textureDataset } from '../../unit/engine/synthetic.ts';

const model = { dim: 16, hidden: 32, text_buckets: 512, id_buckets: 128 };
let root: string;
const experts: AssemblyJob['experts'] = [];

/** assembly / expert for higher-is-better metrics, expert / assembly for errors. */
function retention(metric: string, assembly: number, expert: number): number {
  return LOWER_IS_BETTER.has(metric) ? expert / assembly : assembly / expert;
}

beforeAll(async () => {
  await useBackend();
  root = await mkdtemp(join(tmpdir(), 'mw-assembly-'));
  // Test splits of about 120 (semantics) and 60 (texture) samples: one flipped sample must not
  // weigh more than the one point the add-an-expert check allows, or nearly.
  const sets: [AnyLoadedDataset, number][] = [
    [semanticsDataset(1200), 6],
    [textureDataset(600), 10],
    [recommendationDataset(2000), 8],
    [syntaxDataset(200), 5],
  ];
  for (const [i, [ds, epochs]] of sets.entries()) {
    // Patience 5: the ratings expert starts at its biases (zero head) and needs about three
    // epochs of 50 steps to leave them (see branch-training.test.ts).
    const r = await trainExpert({ config: ExpertConfig.parse({ dataset: ds.name, epochs, patience: 5, model }), dataset: ds }, silentHooks, new AbortController().signal);
    const dir = join(root, `expert-${ds.name}`);
    await r.save(dir);
    experts.push({ runId: i + 1, dir, dataset: ds });
  }
}, 120_000);
afterAll(() => rm(root, { recursive: true, force: true }));

const configOf = (ids: number[], extra: Partial<AssemblyConfigInput> = {}): AssemblyConfig => AssemblyConfig.parse({ experts: ids, ...extra });

describe('assembly of text, image and interaction experts', () => {
  let result: AssemblyResult;
  const routing: { step: number; split: string; domains: string[]; stats: RoutingStats }[] = [];
  const logged = new Set<string>();
  let validations = 0;
  const tensorsPerStep: number[] = [];
  let tensorsBefore = 0;

  beforeAll(async () => {
    tensorsBefore = tf.memory().numTensors;
    const hooks: TrainHooks = {
      ...silentHooks,
      metrics: (_s, v) => {
        Object.keys(v).forEach((k) => logged.add(k));
        if (v['validation/sem/accuracy'] !== undefined) validations++;
        if (v['train/loss'] !== undefined) tensorsPerStep.push(tf.memory().numTensors);
      },
      routing: (step, split, domains, stats) => routing.push({ step, split, domains, stats }),
    };
    result = await assemble({ config: configOf([1, 2, 3], { log_every: 10 }), experts: experts.slice(0, 3) }, hooks, new AbortController().signal);
  }, 120_000);

  it('retains >= 0.98 of each domain\'s own expert on every test metric', () => {
    for (const [domain, metrics] of Object.entries(result.metrics.test)) {
      for (const [metric, value] of Object.entries(metrics)) {
        expect(retention(metric, value, result.baselines.expert[domain][metric]), `${domain} ${metric}`).toBeGreaterThanOrEqual(0.98);
      }
    }
  });

  it('routes >= 0.9 of each domain\'s tokens to its own expert', () => {
    for (const domain of ['sem', 'tex', 'rec']) expect(result.routing.purity[domain]).toBeGreaterThanOrEqual(0.9);
    expect(result.routing.load.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(result.routing.dropped).toBe(0);
  });

  it('reports the baselines with the same metrics', () => {
    for (const kind of ['expert', 'uniform', 'dense'] as const) {
      expect(Object.keys(result.baselines[kind])).toEqual(['sem', 'tex', 'rec']);
      for (const d of ['sem', 'tex', 'rec']) expect(Object.keys(result.baselines[kind][d])).toEqual(Object.keys(result.metrics.test[d]));
    }
    // Without a gate, the ratings expert's output is diluted by two unrelated experts.
    expect(result.baselines.uniform.rec.rmse).toBeGreaterThan(result.metrics.test.rec.rmse);
  });

  it('emits training curves and routing statistics', () => {
    for (const key of ['train/loss', 'train/task_loss', 'train/lb_loss', 'train/z_loss', 'dense/loss', 'validation/sem/accuracy', 'test/rec/rmse']) expect(logged.has(key), key).toBe(true);
    // Validated after every epoch, the last one included (no checkpoint follows it).
    expect(validations).toBe(configOf([1, 2, 3]).epochs);
    const train = routing.filter((r) => r.split === 'train');
    expect(train.length).toBeGreaterThan(2);
    expect(train.slice(1).every((r) => r.step % 10 === 0)).toBe(true);
    const test = routing.filter((r) => r.split === 'test');
    expect(test).toHaveLength(1);
    expect(test[0].domains).toEqual(['sem', 'tex', 'rec']);
    expect(test[0].stats.purity).toEqual([result.routing.purity.sem, result.routing.purity.tex, result.routing.purity.rec]);
  });

  it('keeps the tensor count constant over fine-tuning steps and releases every tensor', () => {
    expect(tensorsPerStep.length).toBeGreaterThan(10);
    expect(new Set(tensorsPerStep.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('same seed -> identical results; another seed differs', async () => {
    const small = (seed: number): Promise<AssemblyResult> => assemble({ config: configOf([1, 2], { epochs: 1, steps_per_epoch: 6, seed, noise_std: 0.5 }), experts: experts.slice(0, 2) }, silentHooks, new AbortController().signal);
    const [a, b, c] = [await small(3), await small(3), await small(4)];
    const strip = (r: AssemblyResult) => ({ metrics: r.metrics, baselines: r.baselines, routing: r.routing });
    expect(strip(a)).toEqual(strip(b));
    expect(strip(a).baselines.dense).not.toEqual(strip(c).baselines.dense);
  }, 60_000);

  it('adds an expert: old domains lose <= 1 point, the new one keeps >= 0.95 of its expert', async () => {
    const parentDir = join(root, 'parent');
    await result.save(parentDir);
    const grown = await assemble(
      { config: configOf([1, 2, 3, 4], { from: 10, train: 'gate' }), experts, parent: { dir: parentDir } },
      silentHooks,
      new AbortController().signal,
    );
    expect(Object.keys(grown.metrics.test)).toEqual(['sem', 'tex', 'rec', 'syn']);
    for (const d of ['sem', 'tex']) expect(grown.metrics.test[d].accuracy).toBeGreaterThanOrEqual(result.metrics.test[d].accuracy - 0.01);
    expect(grown.metrics.test.rec.rmse).toBeLessThanOrEqual(result.metrics.test.rec.rmse * 1.01);
    expect(retention('accuracy', grown.metrics.test.syn.accuracy, grown.baselines.expert.syn.accuracy)).toBeGreaterThanOrEqual(0.95);
    expect(grown.routing.load).toHaveLength(4);
    await expect(assemble({ config: configOf([1, 2]), experts: experts.slice(0, 2), parent: { dir: parentDir } }, silentHooks, new AbortController().signal)).rejects.toThrow(
      'the parent assembly already has 3 experts; the job lists 2, so none is new',
    );
  }, 120_000);
});
