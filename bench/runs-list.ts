// runs-list: listing runs must not scan raw metric points. A store with 1,000 runs and
// 1,000,000 metric points; median time of `runs list` (goal < 50 ms).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listRuns } from '../electron/api/handlers/runs.ts';
import { openStore } from '../electron/store/index.ts';
import { median, registerBench } from './registry.ts';

const RUNS = 1000;
const POINTS_PER_RUN = 1000;

registerBench({
  name: 'runs-list',
  description: 'runs list on a store with 1,000 runs and 1,000,000 metric points',
  async run(emit) {
    const home = mkdtempSync(join(tmpdir(), 'bench-runs-'));
    const store = openStore(home);
    try {
      const t0 = performance.now();
      for (let r = 0; r < RUNS; r++) {
        const run = store.runs.create({ kind: 'expert', name: `run ${r}`, config: { type: 'expert', dataset: 'd' }, seed: r, backend: 'wasm', versions: {}, datasetVersionIds: [] });
        for (let s = 0; s < POINTS_PER_RUN / 4; s++) store.metrics.log(run.id, s, { 'train/loss': 1 / (s + 1), 'train/accuracy': s / 250, 'validation/loss': 1.1 / (s + 1), 'validation/accuracy': s / 260 });
        store.metrics.flush();
        store.runs.finish(run.id, 'completed', { result: { metrics: { test: { accuracy: 0.9 } } } });
      }
      const fillSeconds = (performance.now() - t0) / 1000;
      const times: number[] = [];
      let listed = 0;
      for (let i = 0; i < 15; i++) {
        const t = performance.now();
        listed = listRuns(store, {}).length;
        times.push(performance.now() - t);
      }
      emit({ bench: 'runs-list', runs: listed, metric_points: RUNS * POINTS_PER_RUN, list_ms: Number(median(times.slice(3)).toFixed(2)), fill_seconds: Number(fillSeconds.toFixed(1)), points_per_second_logged: Math.round((RUNS * POINTS_PER_RUN) / fillSeconds), goal_ms: 50 });
    } finally {
      store.close();
      rmSync(home, { recursive: true, force: true });
    }
  },
});
