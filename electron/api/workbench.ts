// One workbench: the store in a home, the training runner, the event bus, and the handlers of
// every contract method. The desktop app, `serve` and the CLI all open one of these; only the
// transport in front of it differs.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { assemblyConfigJsonSchema } from '../../shared/config.ts';
import { ApiError, type ParsedRequestOf } from '../../shared/contract.ts';
import { initBackend, tfjsVersion } from '../engine/compute/backend.ts';
import { describeStoreError } from '../store/database.ts';
import { openStore, type Store } from '../store/index.ts';
import { createDispatcher, type Dispatch, type Handlers } from './dispatcher.ts';
import { EventBus, type EventListener } from './events.ts';
import { sweepStaleTemps } from './fs-atomic.ts';
import { exportRun, importRun } from './handlers/export.ts';
import { predictFromRun } from './handlers/predict.ts';
import { replayVerdict, startReplay } from './handlers/replay.ts';
import { addDataset, removeDataset, showDataset, summaryOf } from './handlers/datasets.ts';
import { compareRuns, getRun, listRuns, metricSeries, routingSnapshots, showRun } from './handlers/runs.ts';
import { JobRunner } from './jobs/runner.ts';
import { createClient } from '../../shared/client.ts';
import { DemoSession } from './demo-session.ts';
import { DEMO_DEFAULT_SEED } from './demo.ts';
import { addBuiltInSamples, DEFAULT_SAMPLES_DIR } from './samples.ts';
import { Training } from './training.ts';
import { RouterBenches } from './router-bench.ts';
import { Sweeps } from './sweeps.ts';
import { explainRun } from './handlers/explain.ts';
import { configDiff } from './handlers/config-diff.ts';
import { availableParallelism } from 'node:os';
import pkg from '../../package.json' with { type: 'json' };

export interface WorkbenchOptions {
  home: string;
  /** The training worker's entry module (differs between plain Node and the Electron bundle). */
  workerEntry?: URL | string;
  /** Workers training at once; default one per core. */
  parallel?: number;
  /** A native file/folder picker, where the host has one (the desktop app). */
  pickPath?: (what: 'file' | 'folder', title?: string) => Promise<string | null>;
  /** The built-in samples (the packaged app keeps them in its resources); default: this checkout's. */
  samplesDir?: string;
}

export interface Workbench {
  store: Store;
  training: Training;
  sweeps: Sweeps;
  routerBenches: RouterBenches;
  events: EventBus;
  dispatch: Dispatch;
  handlers: Handlers;
  subscribe(listener: EventListener): () => void;
  close(): Promise<void>;
}

export const DEFAULT_WORKER_ENTRY = new URL('./jobs/worker.ts', import.meta.url);

export async function openWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  const { backend, nativeHint } = await initBackend();
  const store = openStore(options.home);
  store.runs.recoverInterrupted();
  // Temporary folders of killed processes (a checkpoint, model or registration cut short).
  const runDirs = await readdir(store.home.runs).then((ids) => ids.map((id) => join(store.home.runs, id)), () => []);
  await sweepStaleTemps([store.home.tmp, store.home.datasets, ...runDirs]);
  const events = new EventBus();
  const runner = new JobRunner(options.workerEntry ?? DEFAULT_WORKER_ENTRY, options.parallel);
  const versions = { node: process.versions.node, tfjs: tfjsVersion(), app: pkg.version };
  const training = new Training(store, events, runner, { backend, versions: { ...versions, backend } });
  const sweeps = new Sweeps(store, training, events, { backend, versions: { ...versions, backend } }, options.parallel ?? availableParallelism());
  const routerBenches = new RouterBenches(store, training, events, { backend, versions: { ...versions, backend } });
  const samplesDir = options.samplesDir ?? DEFAULT_SAMPLES_DIR;
  let dispatch: Dispatch | null = null;
  const self = createClient({ invoke: (m, r) => dispatch!(m, r), subscribe: (l) => events.subscribe(l) });
  const demo = new DemoSession({ client: self, training, events, samplesDir });

  const handlers: Handlers = {
    info: () => ({ backend, versions, home: store.home.root, nativeBackendHint: nativeHint }),
    'datasets.add': (req) => addDataset(store, req),
    'datasets.list': () => store.datasets.list().map(summaryOf),
    'datasets.show': ({ name }) => showDataset(store, name),
    'datasets.remove': ({ name, force }) => removeDataset(store, name, force ?? false),
    'runs.trainExpert': (config) => ({ id: training.startExpert(config).id }),
    'runs.trainAnchored': (r) => {
      const started = training.startAnchored(r.experts, r.anchor_datasets);
      return { anchors: started.anchors.map((a) => a.id), experts: started.experts.map((e) => e.id) };
    },
    'runs.tuneExpert': (r) => ({ id: training.startTunedExpert({ config: r.config, budgetSec: r.budget_s, maxTrials: r.trials }).id }),
    'runs.assemble': (config) => ({ id: training.startAssembly(config).id }),
    'runs.cancel': ({ id }) => (getRun(store, id), { cancelled: training.cancel(id) }),
    'runs.resume': ({ id }) => {
      if (routerBenches.isBench(id)) throw new ApiError('unsupported', `run ${id} is a router bench; start a new one (its children are ordinary assembly runs, each resumable)`);
      return { id: sweeps.isSweep(id) ? sweeps.resume(id).id : training.resume(id).id };
    },
    'runs.list': (filter) => listRuns(store, filter),
    'runs.show': ({ id }) => showRun(store, id),
    'runs.compare': ({ a, b }) => compareRuns(store, a, b),
    'runs.metrics': ({ id, keys }) => metricSeries(store, id, keys),
    'runs.routing': ({ id, split }) => (getRun(store, id), routingSnapshots(store.metrics.routingRows(id, split))),
    'runs.replay': async ({ id, useCurrentData }) => ({ id: (await startReplay(store, training, id, useCurrentData ?? false)).id }),
    'runs.replayVerdict': ({ id }) => replayVerdict(store, id),
    'runs.export': ({ id, dir, force }) => exportRun(store, training, id, dir, force ?? false),
    'runs.import': ({ dir }) => importRun(store, training, dir, { backend, versions }),
    predict: (req: ParsedRequestOf<'predict'>) => predictFromRun(store, training, req),
    'dialogs.pick': async ({ what, title }) => ({ path: options.pickPath ? await options.pickPath(what, title) : null }),
    'config.schema': () => assemblyConfigJsonSchema(),
    explain: (req) => explainRun(store, training, req),
    'sweeps.start': (req) => ({ id: sweeps.start(req).id }),
    'sweeps.show': ({ id }) => sweeps.show(id),
    'sweeps.list': () => sweeps.list(),
    'sweeps.resume': ({ id }) => ({ id: sweeps.resume(id).id }),
    'routerBench.start': (req) => ({ id: routerBenches.start(req).id }),
    'routerBench.show': ({ id }) => routerBenches.show(id),
    'runs.configDiff': ({ ids }) => configDiff(store, ids),
    'samples.add': async () => ({ datasets: (await addBuiltInSamples((req) => self.call('datasets.add', req), samplesDir)).map((r) => r.dataset) }),
    'demo.start': ({ seed, epochs }) => demo.start({ seed: seed ?? DEMO_DEFAULT_SEED, epochs }),
    'demo.status': () => demo.status(),
  };
  dispatch = createDispatcher(handlers, (error) => describeStoreError(store.home.database, error));

  return {
    store,
    training,
    sweeps,
    routerBenches,
    events,
    handlers,
    dispatch,
    subscribe: (listener) => events.subscribe(listener),
    async close() {
      training.close();
      await runner.close();
      await demo.settled();
      store.close();
    },
  };
}

export { ApiError };
