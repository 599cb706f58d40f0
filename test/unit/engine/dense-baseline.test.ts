// The assembly's dense baseline trained elsewhere (from a copy of what a helper worker receives:
// the untrained dense model's snapshot, the prepared data and the frozen tokens) gives the same metrics as trained on the assembly's own
// worker; refused, it trains here; a helper's failure fails the assembly.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssemblyConfig, type ModelShape } from '../../../shared/config.ts';
import { runDenseBaselineJob } from '../../../electron/engine/assembly/dense-baseline.ts';
import { writeBundle } from '../../../electron/engine/bundle/save.ts';
import { snapshotModel } from '../../../electron/engine/bundle/snapshot.ts';
import type { AnyLoadedDataset } from '../../../electron/engine/datasets/types.ts';
import { createBranchModel } from '../../../electron/engine/model/branch-model.ts';
import { disposeModel } from '../../../electron/engine/model/multitask-model.ts';
import { taskSpecOf } from '../../../electron/engine/model/task.ts';
import { silentHooks } from '../../../electron/engine/training/hooks.ts';
import { assemble, type AssemblyJob } from '../../../electron/engine/training/jobs.ts';
import { useBackend } from './setup-backend.ts';
import { recommendationDataset, semanticsDataset, textureDataset } from './synthetic.ts';

const shape: ModelShape = { dim: 12, hidden: 24, text_buckets: 256, id_buckets: 64, ids: 'exact', patch: 8, max_tokens: 16, context: 1, word_bigrams: false };

describe('dense baseline on another worker', () => {
  const datasets: AnyLoadedDataset[] = [semanticsDataset(160), textureDataset(90), recommendationDataset(300)];
  let root: string;
  let experts: AssemblyJob['experts'];

  beforeAll(async () => {
    await useBackend();
    root = await mkdtemp(join(tmpdir(), 'mw-dense-'));
    experts = [];
    for (const [i, ds] of datasets.entries()) {
      const branch = createBranchModel(taskSpecOf(ds, shape), shape, 21 + i);
      const dir = join(root, `expert-${i}`);
      await writeBundle(dir, snapshotModel(branch, { kind: 'expert', seed: 1 }));
      disposeModel(branch);
      experts.push({ runId: i + 1, dir, dataset: ds });
    }
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  for (const train of ['gate+heads', 'all'] as const) {
    it(`trained from the snapshot it is handed, the same metrics as trained here (train ${train})`, async () => {
      const config = AssemblyConfig.parse({ experts: [1, 2, 3], epochs: 2, steps_per_epoch: 4, train });
      const signal = new AbortController().signal;
      const here = await assemble({ config, experts }, silentHooks, signal);
      let handed = 0;
      const away = await assemble(
        {
          config,
          experts,
          denseElsewhere: (dense) => {
            handed++;
            return runDenseBaselineJob(structuredClone(dense), silentHooks, signal);
          },
        },
        silentHooks,
        signal,
      );
      expect(handed).toBe(1);
      expect([here.workers, away.workers]).toEqual([1, 2]);
      expect(Object.keys(away.baselines.dense)).toEqual(datasets.map((d) => d.name));
      expect(away.baselines.dense).toEqual(here.baselines.dense);
      expect(away.metrics).toEqual(here.metrics);
    }, 60_000);
  }

  it('refused, trains here; a failure elsewhere fails the assembly', async () => {
    const config = AssemblyConfig.parse({ experts: [1, 2, 3], epochs: 1, steps_per_epoch: 2 });
    const signal = new AbortController().signal;
    const refused = await assemble({ config, experts, denseElsewhere: () => Promise.resolve(null) }, silentHooks, signal);
    expect(refused.workers).toBe(1);
    expect(Object.keys(refused.baselines.dense)).toHaveLength(3);
    await expect(assemble({ config, experts, denseElsewhere: () => Promise.reject(new Error('helper ran out of memory')) }, silentHooks, signal)).rejects.toThrow(/helper ran out of memory/);
  }, 60_000);
});
