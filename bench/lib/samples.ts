// Loads a built-in sample as the engine sees it (prepared into a temporary folder), and a
// silent set of training hooks, for benches that drive the engine in-process.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainKind } from '../../shared/domain.ts';
import { loadDataset } from '../../electron/engine/datasets/load.ts';
import { prepareDataset } from '../../electron/engine/datasets/prepare.ts';
import type { AnyLoadedDataset } from '../../electron/engine/datasets/types.ts';
import type { TrainHooks } from '../../electron/engine/training/jobs.ts';
import { BUILT_IN_SAMPLES, DEFAULT_SAMPLES_DIR } from '../../electron/api/samples.ts';

export async function loadSample(kind: DomainKind): Promise<AnyLoadedDataset> {
  const sample = BUILT_IN_SAMPLES.find((s) => s.kind === kind)!;
  const dir = mkdtempSync(join(tmpdir(), `bench-${kind}-`));
  const r = await prepareDataset(join(DEFAULT_SAMPLES_DIR, sample.file), { kind, seed: 42 }, dir);
  if (!r.ok) throw new Error(`sample ${kind} did not prepare: ${JSON.stringify(r.problems.slice(0, 2))}`);
  return loadDataset(dir, sample.name);
}

export const silentHooks: TrainHooks = {
  progress: () => {},
  metrics: () => {},
  routing: () => {},
  checkpoint: async () => {},
};
