// The assembly job (BTX "mix"): load the expert bundles, build the MoE (merged encoders, all
// experts, router init, branch heads) or grow a parent assembly by new experts, build the router
// by the configured method (router-setup.ts), evaluate the baselines (each domain's own expert; a
// uniform mixture without gate), fine-tune jointly on mixed batches (method joint only), evaluate per domain with routing statistics, and train + evaluate the dense
// baseline on the same batches (on another core when the caller offers one: dense-baseline.ts).
// Every tensor is released before returning.
import type { AssemblyConfig, RouterMethod } from '../../../shared/config.ts';
import type { AnyLoadedDataset } from '../datasets/types.ts';
import { readSnapshot } from '../bundle/load.ts';
import { writeBundle } from '../bundle/save.ts';
import { modelFromSnapshot, snapshotModel, type ModelSnapshot } from '../bundle/snapshot.ts';
import { prepareDomain } from '../data/domain-data.ts';
import { evaluateTask } from '../evaluation/evaluate.ts';
import { buildAssembly, type AssembledModel } from '../model/assembly-model.ts';
import { disposeModel, type MultiTaskModel, type RouterSettings } from '../model/multitask-model.ts';
import type { TrainHooks } from '../training/hooks.ts';
import { denseModel, expertAndUniformBaselines, type DomainMetrics } from './baselines.ts';
import { encodersFrozen, hasDenseBaseline, trainDenseBaseline, type DenseBaselineJob } from './dense-baseline.ts';
import { evaluateAssembly } from './evaluate-assembly.ts';
import { fineTune } from './fine-tune.ts';
import { cacheExpertOutputs } from './expert-output-cache.ts';
import { cacheFrozenTokens } from '../data/token-cache.ts';
import { removeFromAssembly } from './remove-expert.ts';
import { domainRetention } from './retention.ts';
import { assemblyParamGroups, disposeGroups } from './param-groups.ts';
import { applyRouterMethod, growParent, growRouter, initRouter } from './router-setup.ts';

export interface AssemblyJob {
  /** A resolved config. The router order is the order of `experts` below. */
  config: AssemblyConfig;
  /** Every expert of the assembly, each a saved expert bundle with its dataset. */
  experts: { runId: number; dir: string; dataset: AnyLoadedDataset }[];
  /** Add-an-expert: a saved assembly bundle; its experts come first in `experts`, in its order. */
  parent?: { dir: string };
  /**
   * Trains the dense baseline on another core and resolves its test metrics, or null when no core is free (it then trains here, after joint
   * fine-tuning). The metrics are the same either way.
   */
  denseElsewhere?: (dense: DenseBaselineJob) => Promise<DomainMetrics | null>;
}

export interface AssemblyResult {
  /** Dataset name -> metric -> value, on each test split. */
  metrics: { test: DomainMetrics };
  baselines: { expert: DomainMetrics; uniform: DomainMetrics; dense: DomainMetrics };
  /** Dataset name -> test retention of its own expert on its first metric (retention.ts). */
  retention: Record<string, number>;
  /** Test routing: purity per dataset, load per expert, mean router entropy, dropped fraction. */
  routing: { purity: Record<string, number>; load: number[]; entropy: number; dropped: number };
  /** How the router was built: the method and its seconds (joint: init plus joint fine-tuning). */
  router: { method: RouterMethod; build_s: number };
  /** Workers the job trained on: 2 when its dense baseline trained on a helper (denseElsewhere) beside joint fine-tuning. */
  workers: 1 | 2;
  /** Removal only (config.remove): the parent's test metrics on the remaining domains, and the removed domain. */
  before?: DomainMetrics;
  removed?: string;
  save: (dir: string) => Promise<void>;
}

export async function assemble(job: AssemblyJob, hooks: TrainHooks, signal: AbortSignal): Promise<AssemblyResult> {
  const { config } = job;
  if (config.remove !== null) return removeFromAssembly(job, hooks, signal);
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
    const method = config.router.method;
    let buildStart = performance.now();
    const grown = job.parent ? await growParent({ ...job, parent: job.parent }, branches, settings) : null;
    const base = grown ?? buildAssembly(branches, config.encoders, settings);
    const model = own(base.model);
    const domains = model.tasks.map((t) => t.name);
    let buildMs = performance.now() - buildStart;
    signal.throwIfAborted();

    // The encoders and heads are final here (router init and methods set only the router).
    // Unless config.train is 'all', every encoder stays as assembled through joint training and
    // the dense baseline (whose encoders are exact copies): their tokens are computed once, when
    // there is any training to use them. The dense baseline is handed to another worker first,
    // when one is offered, so that it trains while the router is built and fine-tuned here.
    const tokens = encodersFrozen(config) ? cacheFrozenTokens(model, data) : undefined;
    const dense = own(denseModel(model, branches, config));
    const away = startDenseElsewhere(job, () => ({ config, model: snapshotModel(dense, { kind: 'anchor', seed: config.seed }), data, ...(tokens ? { tokens } : {}) }));

    // A fresh assembly gets the configured init only when joint training starts from it; the other
    // methods replace the router anyway (growing keeps the parent's columns before that).
    buildStart = performance.now();
    const initial = grown ? growRouter(grown, data, grown.parentExperts) : method === 'joint' ? initRouter(base, data, config.seed) : base;
    const assembled = applyRouterMethod(initial, data, config.router);
    buildMs += performance.now() - buildStart;
    signal.throwIfAborted();

    // Baselines that use the components as assembled, before fine-tuning changes them.
    const { expert, uniform } = expertAndUniformBaselines(model, branches, data, config.seed);
    signal.throwIfAborted();

    // Only joint trains the router (and the parts config.train names); the other methods are
    // built from the experts' tokens and keep every component as assembled.
    let steps = 0;
    if (method === 'joint') {
      const tuneStart = performance.now();
      const groups = assemblyParamGroups(model, config);
      try {
        const expertOutputs = tokens ? cacheExpertOutputs(model, tokens) : null;
        const r = await fineTune(
          {
            model,
            data,
            groups,
            config,
            phase: 'finetune',
            prefix: 'train',
            ...(tokens ? { tokens } : {}),
            // Experts are frozen whenever the encoders are (only 'all' trains either).
            ...(expertOutputs ? { expertOutputs } : {}),
            onEpoch: async (epoch, step, last) => {
              const values: Record<string, number> = {};
              domains.forEach((d, i) => {
                for (const [k, v] of Object.entries(evaluateTask(model, i, data[i], 'validation', config.seed).metrics)) values[`validation/${d}/${k}`] = v;
              });
              hooks.metrics(step, values);
              // Read when written (see TrainHooks.checkpoint); none after the last epoch (trainer.ts).
              if (!last) await hooks.checkpoint(epoch, (dir) => writeBundle(dir, snapshotModel(model, manifestMeta(job, config, assembled))));
            },
          },
          hooks,
          signal,
        );
        steps = r.steps;
      } finally {
        disposeGroups(groups);
      }
      buildMs += performance.now() - tuneStart;
    }

    const { test, stats } = evaluateAssembly(model, data, config.seed);
    hooks.routing(steps, 'test', domains, stats);
    hooks.metrics(steps, Object.fromEntries(domains.flatMap((d) => Object.entries(test[d]).map(([k, v]) => [`test/${d}/${k}`, v]))));
    const snapshot: ModelSnapshot = snapshotModel(model, { ...manifestMeta(job, config, assembled), metrics: test });

    const elsewhere = await away;
    if ('error' in elsewhere) throw elsewhere.error;
    const denseMetrics = elsewhere.metrics ?? (await trainDenseBaseline(dense, data, config, tokens, hooks, signal));

    return {
      metrics: { test },
      baselines: { expert, uniform, dense: denseMetrics },
      retention: domainRetention(test, expert),
      routing: { purity: Object.fromEntries(domains.map((d, i) => [d, stats.purity[i]])), load: stats.load, entropy: stats.entropy, dropped: stats.droppedFraction },
      router: { method, build_s: buildMs / 1000 },
      workers: elsewhere.metrics === null ? 1 : 2,
      save: (dir) => writeBundle(dir, snapshot),
    };
  } finally {
    for (const m of owned) disposeModel(m);
  }
}

/** The dense baseline handed to job.denseElsewhere (when there is one to train), its failure kept as a value until awaited. */
function startDenseElsewhere(job: AssemblyJob, dense: () => DenseBaselineJob): Promise<{ metrics: DomainMetrics | null } | { error: unknown }> {
  if (!job.denseElsewhere || !hasDenseBaseline(job.config)) return Promise.resolve({ metrics: null });
  return job.denseElsewhere(dense()).then(
    (metrics) => ({ metrics }),
    (error: unknown) => ({ error }),
  );
}

function manifestMeta(job: AssemblyJob, config: AssemblyConfig, assembled: AssembledModel) {
  return { kind: 'assembly' as const, seed: config.seed, expertRunIds: job.experts.map((e) => e.runId), encoderSources: assembled.encoderSources };
}

