// A real store in a temporary home with one completed run whose model folder is on disk, written
// without training (a model.json and a weights file), plus helpers that snapshot a folder tree
// byte for byte.
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { EventBus } from '../../../electron/api/events.ts';
import { hashTree } from '../../../electron/api/fs-atomic.ts';
import { DEFAULT_WORKER_ENTRY } from '../../../electron/api/workbench.ts';
import { JobRunner } from '../../../electron/api/jobs/runner.ts';
import { Training } from '../../../electron/api/training.ts';
import { openStore, type Store } from '../../../electron/store/index.ts';

export function tempDir(prefix = 'moe-safety-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface Fixture { home: string; store: Store; training: Training; runId: number; modelDir: string }

/** Opens a store in a new home and records one completed expert run with a model folder. */
export async function homeWithCompletedRun(): Promise<Fixture> {
  const home = tempDir('moe-home-');
  const store = openStore(home);
  const training = new Training(store, new EventBus(), new JobRunner(DEFAULT_WORKER_ENTRY, 1), { backend: 'wasm', versions: {} });
  const run = store.runs.create({ kind: 'expert', name: 'fixture expert', config: { type: 'expert', dataset: 'd' }, seed: 1, backend: 'wasm', versions: {}, datasetVersionIds: [] });
  const modelDir = training.modelDirOf(run);
  mkdirSync(modelDir, { recursive: true });
  writeFileSync(join(modelDir, 'model.json'), `${JSON.stringify({ format: 'fixture', tasks: [] })}\n`);
  writeFileSync(join(modelDir, 'weights.bin'), Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]));
  const files = await hashTree(modelDir, home);
  store.artifacts.replace(run.id, 'model', files.map((f) => ({ kind: 'model', ...f })));
  store.runs.finish(run.id, 'completed', { result: { metrics: { accuracy: 1 } } });
  return { home, store, training, runId: run.id, modelDir };
}

/** Every entry under dir: path -> file bytes (base64), link target, or 'dir', with modes. */
export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const st = lstatSync(full);
      const key = relative(dir, full);
      if (st.isSymbolicLink()) out[key] = `link:${readlinkSync(full)}`;
      else if (st.isDirectory()) {
        out[key] = `dir:${st.mode}`;
        walk(full);
      } else out[key] = `file:${st.mode}:${readFileSync(full).toString('base64')}`;
    }
  };
  walk(dir);
  return out;
}

/** A folder a user cares about: files, a sub-folder, and a manifest.json that is not an export's. */
export function userFolder(withManifest: unknown = undefined): string {
  const dir = tempDir('moe-user-');
  writeFileSync(join(dir, 'notes.txt'), 'my notes\n');
  mkdirSync(join(dir, 'photos'));
  writeFileSync(join(dir, 'photos', 'cat.png'), Buffer.from([137, 80, 78, 71]));
  if (withManifest !== undefined) writeFileSync(join(dir, 'manifest.json'), typeof withManifest === 'string' ? withManifest : JSON.stringify(withManifest));
  return dir;
}
