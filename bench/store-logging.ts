// store-logging: how much slower assembly fine-tuning runs when every step's metrics and routing
// statistics are recorded in the store (through the same RunRecorder the app uses), against
// hooks that drop everything. Runs alternate; medians compared (goal <= 3%).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '../electron/api/events.ts';
import { RunRecorder } from '../electron/api/run-recorder.ts';
import { initBackend } from '../electron/engine/compute/backend.ts';
import { assemble, type TrainHooks } from '../electron/engine/training/jobs.ts';
import { openStore } from '../electron/store/index.ts';
import { assemblyJob } from './lib/assembly-fixture.ts';
import { silentHooks } from './lib/samples.ts';
import { median, registerBench } from './registry.ts';

registerBench({
  name: 'store-logging',
  description: 'assembly training slowdown with metrics and routing statistics stored every step vs none',
  async run(emit) {
    const { backend } = await initBackend();
    const job = await assemblyJob(['texture', 'recommendation'], { log_every: 1, epochs: 1 });
    const store = openStore(mkdtempSync(join(tmpdir(), 'bench-logging-')));
    const signal = new AbortController().signal;
    let steps = 0;
    const recordingHooks = (runId: number): TrainHooks => {
      const recorder = new RunRecorder(store, new EventBus(), runId, job.experts.map((e) => e.dataset.name));
      return {
        progress: (progress) => void recorder.onMessage({ type: 'progress', progress }),
        metrics: (step, values) => {
          steps = Math.max(steps, step);
          void recorder.onMessage({ type: 'metrics', step, values });
        },
        routing: (step, split, domains, stats) => void recorder.onMessage({ type: 'routing', step, split, domains, stats }),
        checkpoint: async () => {},
      };
    };
    const none: number[] = [];
    const logged: number[] = [];
    for (let i = 0; i < 4; i++) {
      let t = performance.now();
      await assemble(job, silentHooks, signal);
      none.push(performance.now() - t);
      const run = store.runs.create({ kind: 'assembly', name: 'bench', config: {}, seed: 1, backend, versions: {}, datasetVersionIds: [] });
      store.runs.markRunning(run.id);
      t = performance.now();
      await assemble(job, recordingHooks(run.id), signal);
      store.metrics.flush();
      logged.push(performance.now() - t);
    }
    const routingRows = (store.db.prepare('SELECT COUNT(*) AS n FROM routing_stats').get() as { n: number }).n;
    const points = (store.db.prepare('SELECT COUNT(*) AS n FROM metrics').get() as { n: number }).n;
    store.close();
    const a = median(none.slice(1));
    const b = median(logged.slice(1));
    emit({
      bench: 'store-logging', backend, steps_per_run: steps, metric_points_per_run: points / 4, routing_rows_per_run: routingRows / 4,
      none_ms: Math.round(a), logged_ms: Math.round(b), slowdown_pct: Number(((b / a - 1) * 100).toFixed(2)), goal_pct: 3,
    });
  },
});
