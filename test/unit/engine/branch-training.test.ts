// Branch (expert) training on small learnable datasets: it learns, it is deterministic, it leaks
// no tensors, it stops on cancel, and it resumes from a checkpoint.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExpertConfig, type ExpertConfigInput } from '../../../shared/config.ts';
import type { AnyLoadedDataset } from '../../../electron/engine/datasets/types.ts';
import { silentHooks, type TrainHooks } from '../../../electron/engine/training/hooks.ts';
import { trainExpert, type ExpertResult } from '../../../electron/engine/training/jobs.ts';
import { useBackend } from './setup-backend.ts';
import { recommendationDataset, semanticsDataset, syntaxDataset, textureDataset } from './synthetic.ts';

let root: string;
beforeAll(async () => {
  await useBackend();
  root = await mkdtemp(join(tmpdir(), 'mw-branch-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const small = { dim: 16, hidden: 32, text_buckets: 512, id_buckets: 128 };
const config = (dataset: string, extra: Partial<ExpertConfigInput> = {}): ExpertConfig => ExpertConfig.parse({ dataset, epochs: 6, model: small, ...extra });
const run = (ds: AnyLoadedDataset, extra: Partial<ExpertConfigInput> = {}, hooks: TrainHooks = silentHooks, signal = new AbortController().signal): Promise<ExpertResult> =>
  trainExpert({ config: config(ds.name, extra), dataset: ds }, hooks, signal);

/** RMSE of predicting the training mean for every test rating. */
function meanPredictorRmse(ds: AnyLoadedDataset): number {
  const rec = ds.records as { rating: number }[];
  const train = rec.filter((_, i) => ds.split[i] === 0).map((r) => r.rating);
  const test = rec.filter((_, i) => ds.split[i] === 2).map((r) => r.rating);
  const m = train.reduce((a, b) => a + b, 0) / train.length;
  return Math.sqrt(test.reduce((a, r) => a + (r - m) ** 2, 0) / test.length);
}

describe('branch training beats chance', () => {
  it('syntax (5 tags): token accuracy', async () => {
    const r = await run(syntaxDataset());
    expect(r.metrics.test.accuracy).toBeGreaterThan(0.9);
    expect(r.metrics.test.macro_f1).toBeGreaterThan(0.8);
    expect(r.confusion).toBeUndefined();
  });
  it('semantics (3 classes): accuracy and a confusion matrix', async () => {
    const r = await run(semanticsDataset());
    expect(r.metrics.test.accuracy).toBeGreaterThan(0.8);
    expect(r.confusion?.labels).toEqual(['food', 'sport', 'tech']);
    expect(r.confusion?.matrix.flat().reduce((a, b) => a + b, 0)).toBe(semanticsDataset().split.filter((c) => c === 2).length);
  });
  it('texture (3 classes): accuracy', async () => {
    const r = await run(textureDataset(), { epochs: 10 });
    expect(r.metrics.test.accuracy).toBeGreaterThan(0.75);
  });
  it('explicit ratings: RMSE well under the mean predictor', async () => {
    const ds = recommendationDataset(2000);
    // The rating head starts at zero (the model starts at its biases), and on these 50 steps per
    // epoch the taste groups take about three epochs to show: patience 3 stops at the start by a
    // hair (it did so once Adam updated the id tables lazily); what is checked here is that it learns.
    const r = await run(ds, { epochs: 8, patience: 5 });
    expect(Object.keys(r.metrics.test)).toEqual(['rmse', 'mae']);
    expect(r.metrics.test.rmse).toBeLessThan(0.75 * meanPredictorRmse(ds));
  }, 30_000);
  it('implicit feedback: AUC, HR@10, NDCG@10 against 99 sampled negatives', async () => {
    const r = await run(recommendationDataset(900, 4, true), { epochs: 8 });
    expect(Object.keys(r.metrics.test)).toEqual(['auc', 'hit_rate_10', 'ndcg_10']);
    expect(r.metrics.test.auc).toBeGreaterThan(0.85);
    expect(r.metrics.test.hit_rate_10).toBeGreaterThan(0.3); // chance: 10 / 100
  }, 30_000);
});

describe('determinism and memory', () => {
  it('same seed -> identical losses and metrics; another seed differs', async () => {
    const ds = semanticsDataset(120);
    const losses = async (seed: number): Promise<{ curve: number[]; r: ExpertResult }> => {
      const curve: number[] = [];
      const r = await run(ds, { epochs: 2, seed }, { ...silentHooks, metrics: (_s, v) => void (v['train/loss'] !== undefined && curve.push(v['train/loss'])) });
      return { curve, r };
    };
    const [a, b, c] = [await losses(5), await losses(5), await losses(6)];
    expect(a.curve).toEqual(b.curve);
    expect(a.r.metrics).toEqual(b.r.metrics);
    expect(a.curve).not.toEqual(c.curve);
  });

  it('tf.memory().numTensors is the same after every training step', async () => {
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    await run(textureDataset(60), { epochs: 2, batch_size: 8 }, { ...silentHooks, metrics: (_s, v) => void (v['train/loss'] !== undefined && counts.push(tf.memory().numTensors)) });
    // Adam creates its moments on the first step; from then on, nothing accumulates.
    expect(counts.length).toBeGreaterThan(8);
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('checkpoints, cancel and resume', () => {
  it('cancel stops within a second and keeps the last checkpoint', async () => {
    const controller = new AbortController();
    const saved: number[] = [];
    let abortedAt = 0;
    const hooks: TrainHooks = {
      ...silentHooks,
      checkpoint: async (epoch, saveTo) => {
        await saveTo(join(root, `cancel-${epoch}`));
        saved.push(epoch);
        if (epoch === 1) {
          setTimeout(() => {
            abortedAt = performance.now();
            controller.abort();
          }, 50);
        }
      },
    };
    const error = await run(recommendationDataset(4000), { epochs: 50, batch_size: 16 }, hooks, controller.signal).catch((e: unknown) => e);
    const stoppedAfter = performance.now() - abortedAt;
    expect((error as Error).name).toBe('AbortError');
    expect(stoppedAfter).toBeLessThan(1000);
    expect(saved[0]).toBe(1);
    expect(saved.length).toBeLessThanOrEqual(2);
  }, 30_000);

  it('resume from a checkpoint continues with the next epoch', async () => {
    const ds = syntaxDataset(120);
    const steps: number[] = [];
    const dirs = new Map<number, string>();
    const hooks: TrainHooks = {
      ...silentHooks,
      checkpoint: async (epoch, saveTo) => {
        const dir = join(root, `resume-${epoch}`);
        await saveTo(dir);
        dirs.set(epoch, dir);
      },
    };
    const full = await run(ds, { epochs: 4, patience: 10 }, hooks);
    expect(full.epochsRun).toBe(4);
    // Offered after each epoch but the last (the job writes its model then).
    expect([...dirs.keys()]).toEqual([1, 2, 3]);
    const resumed = await trainExpert(
      { config: config(ds.name, { epochs: 4, patience: 10 }), dataset: ds, resumeFrom: { dir: dirs.get(2) as string, epoch: 2 } },
      { ...silentHooks, metrics: (s, v) => void (v['train/loss'] !== undefined && steps.push(s)) },
      new AbortController().signal,
    );
    const perEpoch = Math.ceil(ds.split.filter((c) => c === 0).length / 32);
    expect(steps[0]).toBe(2 * perEpoch + 1);
    expect(steps.length).toBe(2 * perEpoch);
    expect(resumed.epochsRun).toBe(4);
    expect(resumed.metrics.test.accuracy).toBeGreaterThan(0.9);
    // The checkpoint carries Adam's moments: the resumed run ends exactly where the full one did.
    expect(existsSync(join(dirs.get(2) as string, 'optimizer.bin'))).toBe(true);
    expect(resumed.metrics).toEqual(full.metrics);
    expect(resumed.bestEpoch).toBe(full.bestEpoch);
    await expect(trainExpert({ config: config(ds.name), dataset: ds, resumeFrom: { dir: dirs.get(2) as string, epoch: 3 } }, silentHooks, new AbortController().signal)).rejects.toThrow(
      /holds epoch 2, not 3/,
    );
  }, 30_000);
});
