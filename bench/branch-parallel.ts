// branch-parallel: two experts trained one after the other (one worker) vs at once (two worker
// threads, one TensorFlow.js each), through the same workbench the app and CLI use
// (goal: speed-up >= 1.8 on 2 cores). Eight epochs each (the default allows 12), so that each
// worker's fixed start-up (tfjs, dataset load) weighs as it does in real training.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWorkbench } from '../electron/api/workbench.ts';
import { sampleRequests } from '../electron/api/samples.ts';
import { registerBench } from './registry.ts';

async function trainTwo(parallel: number): Promise<number> {
  const wb = await openWorkbench({ home: mkdtempSync(join(tmpdir(), 'bench-parallel-')), parallel });
  try {
    const sample = sampleRequests().find((s) => s.kind === 'semantics')!;
    await wb.handlers['datasets.add'](sample);
    const t = performance.now();
    const runs = [1, 2].map((seed) => wb.training.startExpert({ dataset: sample.name, epochs: 8, patience: 8, seed }));
    const done = await Promise.all(runs.map((r) => wb.training.wait(r.id)));
    if (done.some((r) => r.status !== 'completed')) throw new Error(`a run did not complete: ${done.map((r) => r.error).join('; ')}`);
    return (performance.now() - t) / 1000;
  } finally {
    await wb.close();
  }
}

registerBench({
  name: 'branch-parallel',
  description: 'two experts trained one after the other vs in parallel on worker threads',
  async run(emit) {
    const sequential = await trainTwo(1);
    const parallel = await trainTwo(2);
    emit({ bench: 'branch-parallel', experts: 2, sequential_s: Number(sequential.toFixed(2)), parallel_s: Number(parallel.toFixed(2)), speedup: Number((sequential / parallel).toFixed(2)), goal_speedup: 1.8 });
  },
});
