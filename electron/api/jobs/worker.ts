// A training worker: one TensorFlow.js instance, one job. Runs the engine's job function and
// reports through messages; the host writes the store. Checkpoints and the final model are
// written to a temporary folder and renamed, so a killed process never leaves half a folder.
// A worker may also be an assembly's helper: it trains the dense baseline and returns its metrics.
import { parentPort, type MessagePort } from 'node:worker_threads';
import { initBackend } from '../../engine/compute/backend.ts';
import { hasDenseBaseline, runDenseBaselineJob, type DenseBaselineJob } from '../../engine/assembly/dense-baseline.ts';
import type { DomainMetrics } from '../../engine/assembly/baselines.ts';
import { loadDataset } from '../../engine/datasets/load.ts';
import { assemble, trainAnchor, trainExpert, type TrainHooks } from '../../engine/training/jobs.ts';
import { describeStorageError } from '../faults.ts';
import { BUNDLE_GUARD, writeAtomically } from '../fs-atomic.ts';
import { verifyFiles } from '../integrity.ts';
import { CheckpointPacer } from './checkpoint-pacer.ts';
import type { HelperPortMessage, HelperRequest, HelperResult, HostMessage, JobRequest, WorkerMessage } from './messages.ts';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');
const post = (m: WorkerMessage) => port.postMessage(m);
const abort = new AbortController();
// Every job needs the backend: it starts loading with the worker (a reserved helper is ready when its work comes).
const backendReady = initBackend();
backendReady.catch(() => undefined);
/**
 * An assembly's helper: the reservation's answer (`channel`: the channel to the helper, null when
 * none was free or it is gone, undefined until the host answers), and the pending result once the
 * work is handed over.
 */
const helper: { channel: MessagePort | null | undefined; answered: () => void; answer: ((result: HelperResult) => void) | null } = {
  channel: null,
  answered: () => undefined,
  answer: null,
};

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
  if (hasDenseBaseline(job.config)) {
    helper.channel = undefined;
    post({ type: 'helper' });
  }
  const experts = [];
  for (const e of job.experts) experts.push({ runId: e.runId, dir: e.dir, dataset: await loadDataset(e.dataset.dir, e.dataset.name) });
  // The host's answer comes while the datasets load, so the work is handed over at once, not after
  // the assembly's next await (its router and caches are built without one).
  const denseElsewhere = async (dense: DenseBaselineJob): Promise<DomainMetrics | null> => {
    if (helper.channel === undefined) await new Promise<void>((resolve) => (helper.answered = resolve));
    const channel = helper.channel;
    if (!channel) return null;
    return new Promise((resolve, reject) => {
      helper.answer = (result) => {
        helper.answer = null;
        channel.close();
        if (result.status === 'completed') resolve(result.metrics);
        else if (result.status === 'refused') resolve(null);
        else reject(new Error(`the dense baseline failed on its helper worker: ${result.error}`));
      };
      // The model's snapshot is made for the helper alone: its weights move, not copied.
      const weights = dense.model.weights.map((w) => w.data.buffer).filter((b) => b instanceof ArrayBuffer);
      channel.postMessage({ type: 'start', job: { ...dense, type: 'dense', runId: job.runId } } satisfies HelperPortMessage, weights);
    });
  };
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
    // Without a pending answer: none was free, or the helper ended before it had work.
    if (helper.answer) helper.answer(m.result);
    else {
      helper.channel = null;
      helper.answered();
    }
  } else if (m.type === 'helper-port') {
    // An assembly's end: its helper is reserved. A helper's end: its work comes on it.
    if (helper.channel === undefined) {
      helper.channel = m.port;
      helper.answered();
    } else
      m.port.once('message', (work: HelperPortMessage) => {
        m.port.close();
        start(work.job);
      });
  } else start(m.job);
});

function start(job: JobRequest | HelperRequest): void {
  (job.type === 'dense' ? help(job) : run(job)).catch((error: unknown) => {
    if (abort.signal.aborted) post({ type: 'cancelled' });
    else {
      const described = describeStorageError(error, `training run ${job.runId}`);
      post({ type: 'failed', error: described instanceof Error ? described.message : String(described) });
    }
  });
}
