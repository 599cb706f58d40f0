// Removing an expert from a saved assembly (issue 10, FlexOlmo's opt-out): a new assembly without
// that expert, its router column and its head, no retraining. Evaluated on the remaining domains
// before (the parent) and after, with the own-expert and uniform baselines; no dense baseline
// (it would need training, and removal trains nothing).
import { readSnapshot } from '../bundle/load.ts';
import { writeBundle } from '../bundle/save.ts';
import { modelFromSnapshot, snapshotModel } from '../bundle/snapshot.ts';
import { prepareDomain } from '../data/domain-data.ts';
import { evaluateTask } from '../evaluation/evaluate.ts';
import { removeExpert } from '../model/assembly-model.ts';
import { disposeModel, type MultiTaskModel } from '../model/multitask-model.ts';
import type { TrainHooks } from '../training/hooks.ts';
import type { AssemblyJob, AssemblyResult } from './assembly-job.ts';
import { expertAndUniformBaselines, type DomainMetrics } from './baselines.ts';
import { evaluateAssembly } from './evaluate-assembly.ts';
import { domainRetention } from './retention.ts';

/** `job.config.remove` names the expert run to drop from `job.parent`; `job.experts` are the ones that stay, in the parent's order. */
export async function removeFromAssembly(job: AssemblyJob, hooks: TrainHooks, signal: AbortSignal): Promise<AssemblyResult & { before: DomainMetrics; removed: string }> {
  const { config } = job;
  if (config.remove === null || !job.parent) throw new Error('removing an expert needs config.remove and a parent assembly');
  const start = performance.now();
  const snap = await readSnapshot(job.parent.dir);
  if (snap.manifest.kind !== 'assembly') throw new Error(`${job.parent.dir} holds an ${snap.manifest.kind} bundle; the parent must be an assembly`);
  const index = snap.manifest.experts.findIndex((e) => e.runId === config.remove);
  if (index < 0) throw new Error(`expert run ${config.remove} is not in the parent assembly (its experts: ${snap.manifest.experts.map((e) => `${e.name} run ${e.runId ?? '?'}`).join(', ')})`);
  const kept = snap.manifest.experts.filter((_, i) => i !== index);
  if (kept.map((e) => e.runId).join(',') !== job.experts.map((e) => e.runId).join(',')) {
    throw new Error(`the job keeps experts [${job.experts.map((e) => e.runId).join(', ')}] but the parent without run ${config.remove} has [${kept.map((e) => e.runId).join(', ')}]`);
  }
  const owned: MultiTaskModel[] = [];
  try {
    const parent = modelFromSnapshot(snap.manifest, snap.weights);
    owned.push(parent);
    const removed = parent.expertNames[index];
    const model = removeExpert(parent, index);
    owned.push(model);
    const build_s = (performance.now() - start) / 1000;
    const data = model.tasks.map((t, i) => prepareDomain(job.experts[i].dataset, t, t.shape));
    const domains = model.tasks.map((t) => t.name);
    const parentIndex = (d: string): number => parent.tasks.findIndex((t) => t.name === d);
    const before = Object.fromEntries(domains.map((d, i) => [d, evaluateTask(parent, parentIndex(d), data[i], 'test', config.seed).metrics]));
    signal.throwIfAborted();
    const branches: MultiTaskModel[] = [];
    for (const e of job.experts) {
      const b = await readSnapshot(e.dir);
      branches.push(modelFromSnapshot(b.manifest, b.weights));
      owned.push(branches[branches.length - 1]);
    }
    const { expert, uniform } = expertAndUniformBaselines(model, branches, data, config.seed);
    const { test, stats } = evaluateAssembly(model, data, config.seed);
    hooks.routing(0, 'test', domains, stats);
    hooks.metrics(0, Object.fromEntries(domains.flatMap((d) => Object.entries(test[d]).map(([k, v]) => [`test/${d}/${k}`, v]))));
    const snapshot = snapshotModel(model, {
      kind: 'assembly',
      seed: config.seed,
      expertRunIds: kept.map((e) => e.runId),
      encoderSources: Object.fromEntries(snap.manifest.encoders.filter((e) => e.key in model.encoders).map((e) => [e.key, e.sources])),
      metrics: test,
    });
    const method = config.router.method;
    return {
      metrics: { test },
      baselines: { expert, uniform, dense: {} },
      retention: domainRetention(test, expert),
      routing: { purity: Object.fromEntries(domains.map((d, i) => [d, stats.purity[i]])), load: stats.load, entropy: stats.entropy, dropped: stats.droppedFraction },
      router: { method, build_s },
      workers: 1,
      before,
      removed,
      save: (dir) => writeBundle(dir, snapshot),
    };
  } finally {
    for (const m of owned) disposeModel(m);
  }
}
