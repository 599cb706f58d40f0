// A training worker: one TensorFlow.js instance, one job. Runs the engine's job function and
// reports through messages; the host writes the store. Checkpoints and the final model are
// written to a temporary folder and renamed, so a killed process never leaves half a folder.
// A worker may also be an assembly's helper: it trains the dense baseline and returns its metrics.
import { parentPort } from 'node:worker_threads';
import { initBackend } from '../../engine/compute/backend.ts';
import { hasDenseBaseline, runDenseBaselineJob, type DenseBaselineJob } from '../../engine/assembly/dense-baseline.ts';
import type { DomainMetrics } from '../../engine/assembly/baselines.ts';
import { loadDataset } from '../../engine/datasets/load.ts';
import { assemble, trainAnchor, trainExpert, type TrainHooks } from '../../engine/training/jobs.ts';
import { describeStorageError } from '../faults.ts';
import { BUNDLE_GUARD, writeAtomically } from '../fs-atomic.ts';
import { verifyFiles } from '../integrity.ts';
import { CheckpointPacer } from './checkpoint-pacer.ts';
import type { HelperRequest, HelperResult, HostMessage, JobRequest, WorkerMessage } from './messages.ts';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');
const post = (m: WorkerMessage) => port.postMessage(m);
const abort = new AbortController();
// Every job needs the backend: it starts loading with the worker (a reserved helper is ready when its work comes).
const backendReady = initBackend();
backendReady.catch(() => undefined);
/** An assembly's helper: refused by the host (none free), or its pending answer. */
const helper: { refused: boolean; answer: ((result: HelperResult) => void) | null } = { refused: false, answer: null };

/** Progress, curves and routing go to the host as they come (a job's and a helper's alike). */
const reports: Omit<TrainHooks, 'checkpoint'> = {
  progress: (progress) => post({ type: 'progress', progress }),
  metrics: (step, values) => post({ type: 'metrics', step, values }),
  routing: (step, split, domains, stats) => post({ type: 'routing', step, split, domains, stats }),
};

/** Checkpoints are written as saved bundles (they hold a model.json), when due (checkpoint-pacer.ts); nothing else is replaced. */
function hooksFor(job: JobRequest): TrainHooks {
  const pacer = new CheckpointPacer();
  return {
    ...reports,
    checkpoint: async (epoch, saveTo) => {
      const dir = `${job.runDir}/checkpoint`;
      if (await pacer.maybeWrite(() => writeAtomically(dir, BUNDLE_GUARD, saveTo, 'checkpoint'))) post({ type: 'checkpoint', epoch, dir });
    },
  };
}

/** Runs the job's engine function; the result carries a `save` that writes its model. */
async function train(job: JobRequest, hooks: TrainHooks): Promise<{ save: (dir: string) => Promise<void> }> {
  if (job.type === 'expert') {
    const dataset = await loadDataset(job.dataset.dir, job.dataset.name);
    return trainExpert({ config: job.config, dataset, resumeFrom: job.resumeFrom, anchorDir: job.anchorDir }, hooks, abort.signal);
  }
  if (job.type === 'anchor') {
    const datasets = [];
    for (const d of job.datasets) datasets.push(await loadDataset(d.dir, d.name));
    return trainAnchor({ config: job.config, datasets }, hooks, abort.signal);
  }
  if (hasDenseBaseline(job.config)) post({ type: 'helper' });
  else helper.refused = true;
  const experts = [];
  for (const e of job.experts) experts.push({ runId: e.runId, dir: e.dir, dataset: await loadDataset(e.dataset.dir, e.dataset.name) });
  const denseElsewhere = (dense: DenseBaselineJob): Promise<DomainMetrics | null> =>
    helper.refused
      ? Promise.resolve(null)
      : new Promise((resolve, reject) => {
          helper.answer = (result) => {
            helper.answer = null;
            if (result.status === 'completed') resolve(result.metrics);
            else if (result.status === 'refused') resolve(null);
            else reject(new Error(`the dense baseline failed on its helper worker: ${result.error}`));
          };
          post({ type: 'helper-job', request: { ...dense, type: 'dense', runId: job.runId } });
        });
  return assemble({ config: job.config, experts, parent: job.parentDir ? { dir: job.parentDir } : undefined, denseElsewhere }, hooks, abort.signal);
}

/** A helper: the dense baseline of an assembly running on another worker. */
async function help(request: HelperRequest): Promise<void> {
  await backendReady;
  const hooks: TrainHooks = { ...reports, checkpoint: () => Promise.reject(new Error('a helper does not checkpoint')) };
  const metrics = await runDenseBaselineJob(request, hooks, abort.signal);
  if (abort.signal.aborted) return post({ type: 'cancelled' });
  post({ type: 'helper-done', metrics });
}

async function run(job: JobRequest): Promise<void> {
  await verifyFiles(job.checks ?? []);
  await backendReady;
  const result = await train(job, hooksFor(job));
  if (abort.signal.aborted) return post({ type: 'cancelled' });
  const modelDir = `${job.runDir}/model`;
  await writeAtomically(modelDir, BUNDLE_GUARD, result.save, 'model');
  const { save: _save, ...plain } = result;
  post({ type: 'done', result: plain as Record<string, unknown>, modelDir });
}

port.on('message', (m: HostMessage) => {
  if (m.type === 'cancel') {
    abort.abort();
    helper.answer?.({ status: 'failed', error: 'cancelled' });
  } else if (m.type === 'helper-result') {
    // Without a pending answer it is the reply to the reservation: none was free.
    if (helper.answer) helper.answer(m.result);
    else helper.refused = true;
  }
  else
    (m.job.type === 'dense' ? help(m.job) : run(m.job)).catch((error: unknown) => {
      if (abort.signal.aborted) post({ type: 'cancelled' });
      else {
        const described = describeStorageError(error, `training run ${m.job.runId}`);
        post({ type: 'failed', error: described instanceof Error ? described.message : String(described) });
      }
    });
});
