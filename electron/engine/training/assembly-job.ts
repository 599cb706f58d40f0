// The assembly job (BTX "mix"): load the expert bundles, build the MoE (merged encoders, all
// experts, router init, branch heads) or grow a parent assembly by new experts, evaluate the
// baselines (each domain's own expert; a uniform mixture without gate), fine-tune jointly on
// mixed batches, evaluate per domain with routing statistics, and train + evaluate the dense
// baseline on the same batches. Every tensor is released before returning.
import * as tf from '@tensorflow/tfjs';
import type { AssemblyConfig } from '../../../shared/config.ts';
import type { AnyLoadedDataset } from '../datasets/types.ts';
import { readSnapshot } from '../bundle/load.ts';
import { writeBundle } from '../bundle/save.ts';
import { modelFromSnapshot, snapshotModel, type ModelSnapshot } from '../bundle/snapshot.ts';
import { evaluateTask } from '../evaluation/evaluate.ts';
import { buildAssembly, copyHead, growAssembly, type AssembledModel } from '../model/assembly-model.ts';
import { averageEncoders } from '../model/encoders/encoder.ts';
import { createExpertParams } from '../model/expert.ts';
import { mergeRoutingStats, type RoutingStats } from '../model/moe/routing-stats.ts';
import { disposeModel, type MultiTaskModel, type RouterSettings } from '../model/multitask-model.ts';
import { deriveSeed } from '../rng.ts';
import { fitRouter } from '../model/router-fit.ts';
import { addCentroidColumn, centroidRouter, randomRouter, uniformRouter } from '../model/router-init.ts';
import { uniqueName } from '../model/unique-name.ts';
import { domainTokens } from './centroids.ts';
import { prepareDomain, type DomainData } from './domain-data.ts';
import type { TrainHooks } from './hooks.ts';
import { trainMixed } from './mixed-trainer.ts';
import { assemblyParamGroups, disposeGroups } from './param-groups.ts';

export interface AssemblyJob {
  /** A resolved config. The router order is the order of `experts` below. */
  config: AssemblyConfig;
  /** Every expert of the assembly, each a saved expert bundle with its dataset. */
  experts: { runId: number; dir: string; dataset: AnyLoadedDataset }[];
  /** Add-an-expert: a saved assembly bundle; its experts come first in `experts`, in its order. */
  parent?: { dir: string };
}

type DomainMetrics = Record<string, Record<string, number>>;

export interface AssemblyResult {
  /** Dataset name -> metric -> value, on each test split. */
  metrics: { test: DomainMetrics };
  baselines: { expert: DomainMetrics; uniform: DomainMetrics; dense: DomainMetrics };
  /** Test routing: purity per dataset, load per expert, mean router entropy, dropped fraction. */
  routing: { purity: Record<string, number>; load: number[]; entropy: number; dropped: number };
  save: (dir: string) => Promise<void>;
}

export async function assemble(job: AssemblyJob, hooks: TrainHooks, signal: AbortSignal): Promise<AssemblyResult> {
  const { config } = job;
  if (job.experts.length === 0) throw new Error('an assembly needs at least one expert');
  const ids = job.experts.map((e) => e.runId);
  if (!job.parent && ids.join(',') !== config.experts.join(',')) throw new Error(`the config lists experts [${config.experts.join(', ')}] but the job holds [${ids.join(', ')}]`);
  const owned: MultiTaskModel[] = [];
  const own = (m: MultiTaskModel): MultiTaskModel => {
    owned.push(m);
    return m;
  };
  try {
    const branches: MultiTaskModel[] = [];
    for (const e of job.experts) {
      const snap = await readSnapshot(e.dir);
      if (snap.manifest.kind !== 'expert') throw new Error(`${e.dir} holds an ${snap.manifest.kind} bundle; expected an expert (run ${e.runId})`);
      const branch = own(modelFromSnapshot(snap.manifest, snap.weights));
      if (branch.tasks[0].name !== e.dataset.name) throw new Error(`expert run ${e.runId} was trained on ${branch.tasks[0].name}, but the job pairs it with dataset ${e.dataset.name}`);
      branches.push(branch);
    }
    const data = branches.map((b, i) => prepareDomain(job.experts[i].dataset, b.tasks[0], b.tasks[0].shape));
    const settings: RouterSettings = { topK: config.top_k, capacityFactor: config.capacity_factor, noiseStd: config.noise_std, init: config.router_init };
    const assembled = job.parent ? await grow(job, branches, data, settings) : initAssembly(buildAssembly(branches, config.encoders, settings), data, config.seed);
    const model = own(assembled.model);
    const domains = model.tasks.map((t) => t.name);
    signal.throwIfAborted();

    // Baselines that use the components as assembled, before fine-tuning changes them.
    const expert = Object.fromEntries(branches.map((b, i) => [domains[i], evaluateTask(b, 0, data[i], 'test', config.seed).metrics]));
    const uniformModel: MultiTaskModel = { ...model, mixer: { kind: 'uniform', experts: model.mixer.kind === 'moe' ? model.mixer.experts : [] } };
    const uniform = Object.fromEntries(domains.map((d, i) => [d, evaluateTask(uniformModel, i, data[i], 'test', config.seed).metrics]));
    const dense = own(denseModel(model, branches, config));
    signal.throwIfAborted();

    const groups = assemblyParamGroups(model, config);
    let steps = 0;
    try {
      const r = await trainMixed(
        {
          model,
          data,
          groups,
          config,
          phase: 'finetune',
          prefix: 'train',
          onEpoch: async (epoch, step) => {
            const values: Record<string, number> = {};
            domains.forEach((d, i) => {
              for (const [k, v] of Object.entries(evaluateTask(model, i, data[i], 'validation', config.seed).metrics)) values[`validation/${d}/${k}`] = v;
            });
            hooks.metrics(step, values);
            const snap = snapshotModel(model, manifestMeta(job, config, assembled));
            await hooks.checkpoint(epoch, (dir) => writeBundle(dir, snap));
          },
        },
        hooks,
        signal,
      );
      steps = r.steps;
    } finally {
      disposeGroups(groups);
    }

    const test: DomainMetrics = {};
    const perDomain: RoutingStats[] = [];
    domains.forEach((d, i) => {
      const ev = evaluateTask(model, i, data[i], 'test', config.seed);
      test[d] = ev.metrics;
      if (ev.routing !== null) perDomain.push(ev.routing);
    });
    const stats = mergeRoutingStats(...perDomain);
    hooks.routing(steps, 'test', domains, stats);
    hooks.metrics(steps, Object.fromEntries(domains.flatMap((d) => Object.entries(test[d]).map(([k, v]) => [`test/${d}/${k}`, v]))));
    const snapshot: ModelSnapshot = snapshotModel(model, { ...manifestMeta(job, config, assembled), metrics: test });

    const denseGroups = assemblyParamGroups(dense, config);
    try {
      await trainMixed({ model: dense, data, groups: denseGroups, config, phase: 'dense', prefix: 'dense' }, hooks, signal);
    } finally {
      disposeGroups(denseGroups);
    }
    const denseMetrics = Object.fromEntries(domains.map((d, i) => [d, evaluateTask(dense, i, data[i], 'test', config.seed).metrics]));

    return {
      metrics: { test },
      baselines: { expert, uniform, dense: denseMetrics },
      routing: { purity: Object.fromEntries(domains.map((d, i) => [d, stats.purity[i]])), load: stats.load, entropy: stats.entropy, dropped: stats.droppedFraction },
      save: (dir) => writeBundle(dir, snapshot),
    };
  } finally {
    for (const m of owned) disposeModel(m);
  }
}

function manifestMeta(job: AssemblyJob, config: AssemblyConfig, assembled: AssembledModel) {
  return { kind: 'assembly' as const, seed: config.seed, expertRunIds: job.experts.map((e) => e.runId), encoderSources: assembled.encoderSources };
}

/**
 * Assigns the configured router init. centroid: columns from each domain's mean token under the
 * assembled encoders (router-init.ts), calibrated on the domains' tokens (router-fit.ts).
 */
function initAssembly(assembled: AssembledModel, data: readonly DomainData[], seed: number): AssembledModel {
  const { model } = assembled;
  if (model.mixer.kind !== 'moe') throw new Error('unreachable: an assembly has an MoE mixer');
  const { dim } = model.shape;
  const n = model.expertNames.length;
  const init = model.mixer.settings.init;
  let w: Float32Array;
  if (init === 'random') w = randomRouter(dim, n, deriveSeed(seed, 'router'));
  else if (init === 'uniform') w = uniformRouter(dim, n);
  else {
    const tokens = data.map((d, i) => domainTokens(model, i, d));
    w = fitRouter(centroidRouter(tokens.map((t) => t.mean)), dim, tokens.map((t) => t.sample));
  }
  const router = model.mixer.router;
  tf.tidy(() => router.assign(tf.tensor2d(w, [dim, n])));
  return assembled;
}

/**
 * Add-an-expert: the parent assembly grown by the experts after its own; each new router column
 * by centroid, calibrated with the parent's columns held fixed.
 */
async function grow(job: AssemblyJob, branches: MultiTaskModel[], data: DomainData[], settings: RouterSettings): Promise<AssembledModel> {
  const parentDir = (job.parent as { dir: string }).dir;
  const snap = await readSnapshot(parentDir);
  if (snap.manifest.kind !== 'assembly') throw new Error(`${parentDir} holds an ${snap.manifest.kind} bundle; the parent must be an assembly`);
  const parentNames = snap.manifest.experts.map((e) => e.name);
  const m = parentNames.length;
  if (job.experts.length <= m) throw new Error(`the parent assembly already has ${m} experts; the job lists ${job.experts.length}, so none is new`);
  parentNames.forEach((name, i) => {
    if (job.experts[i].dataset.name !== name) throw new Error(`expert ${i} of the parent is ${name}, but the job lists ${job.experts[i].dataset.name} there (the parent's experts come first, in its order)`);
  });
  const parent = modelFromSnapshot(snap.manifest, snap.weights);
  let assembled: AssembledModel;
  try {
    const sources = Object.fromEntries(snap.manifest.encoders.map((e) => [e.key, e.sources]));
    assembled = growAssembly(parent, sources, branches.slice(m), job.config.encoders, settings);
  } finally {
    disposeModel(parent);
  }
  const { model } = assembled;
  if (model.mixer.kind !== 'moe') throw new Error('unreachable: an assembly has an MoE mixer');
  const { dim } = model.shape;
  const total = model.expertNames.length;
  const tokens = data.map((d, i) => domainTokens(model, i, d));
  const full = model.mixer.router.dataSync() as Float32Array;
  let w: Float32Array = new Float32Array(dim * m);
  for (let i = 0; i < dim; i++) for (let j = 0; j < m; j++) w[i * m + j] = full[i * total + j];
  for (let n = m; n < total; n++) w = addCentroidColumn(w, n, tokens.slice(0, n).map((t) => t.mean), tokens[n].mean);
  w = fitRouter(w, dim, tokens.map((t) => t.sample), m);
  const router = model.mixer.router;
  tf.tidy(() => router.assign(tf.tensor2d(w, [dim, total])));
  return assembled;
}

/**
 * The dense multi-task baseline: the assembly's (merged) encoders and the branches' heads as
 * they are before fine-tuning, one FFN of hidden top_k * H (the MoE's active width) from the seed.
 */
function denseModel(model: MultiTaskModel, branches: readonly MultiTaskModel[], config: AssemblyConfig): MultiTaskModel {
  if (branches.length !== model.tasks.length) throw new Error(`dense baseline: ${branches.length} branches for ${model.tasks.length} tasks`);
  const { dim } = model.shape;
  // The MoE's active width: top_k experts of (on average) the branches' hidden width.
  const hidden = Math.round(branches.reduce((a, b) => a + b.tasks[0].shape.hidden, 0) / branches.length);
  return {
    shape: { ...model.shape },
    tasks: model.tasks.map((t) => ({ ...t })),
    encoders: Object.fromEntries(Object.entries(model.encoders).map(([k, e]) => [k, averageEncoders([e])])),
    taskEncoder: [...model.taskEncoder],
    mixer: { kind: 'dense', ffn: createExpertParams(dim, config.top_k * hidden, deriveSeed(config.seed, 'dense'), uniqueName('dense')) },
    heads: branches.map((b) => copyHead(b.heads[0])),
    expertNames: ['dense'],
  };
}

