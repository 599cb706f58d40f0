// The dense baseline's training and test evaluation, here or on another core. It depends only on
// the dense model as built before joint fine-tuning (assembled encoders, the branches' heads, a new
// FFN), the prepared data, the frozen tokens and the config, so a worker that receives these
// trains the same numbers on the same batches while the assembly fine-tunes its router on this
// core (assembly-job.ts).
import type { AssemblyConfig } from '../../../shared/config.ts';
import { modelFromSnapshot, type ModelSnapshot } from '../bundle/snapshot.ts';
import type { DomainData } from '../data/domain-data.ts';
import { evaluateTask } from '../evaluation/evaluate.ts';
import { disposeModel, type MultiTaskModel } from '../model/multitask-model.ts';
import type { TrainHooks } from '../training/hooks.ts';
import type { DomainMetrics } from './baselines.ts';
import { fineTune } from './fine-tune.ts';
import { assemblyParamGroups, disposeGroups } from './param-groups.ts';
import type { TokenCache } from '../data/token-cache.ts';

/** The dense baseline as another worker receives it: the untrained dense model, the assembly's prepared data and its frozen tokens. */
export interface DenseBaselineJob {
  config: AssemblyConfig;
  /** The dense model before training (snapshotModel with kind 'anchor', the kind of a dense multi-task model; never written). */
  model: ModelSnapshot;
  /** One per task, in task order. */
  data: DomainData[];
  /** The assembled encoders' tokens (the dense model's encoders are exact copies); absent when they train. */
  tokens?: TokenCache;
}

/** Whether an assembly trains a dense baseline: not a removal (no retraining), not with epochs 0 (nothing to train). */
export function hasDenseBaseline(config: Pick<AssemblyConfig, 'remove' | 'epochs'>): boolean {
  return config.remove === null && config.epochs > 0;
}

/** Whether the assembly's encoders stay frozen through its training, so their tokens can be computed once. */
export function encodersFrozen(config: Pick<AssemblyConfig, 'train' | 'epochs'>): boolean {
  return config.train !== 'all' && config.epochs > 0;
}

/** Trains the dense model on the assembly's mixed batches and returns its test metrics per domain. */
export async function trainDenseBaseline(dense: MultiTaskModel, data: DomainData[], config: AssemblyConfig, tokens: TokenCache | undefined, hooks: TrainHooks, signal: AbortSignal): Promise<DomainMetrics> {
  const groups = assemblyParamGroups(dense, config);
  try {
    await fineTune({ model: dense, data, groups, config, phase: 'dense', prefix: 'dense', ...(tokens ? { tokens } : {}) }, hooks, signal);
  } finally {
    disposeGroups(groups);
  }
  return Object.fromEntries(dense.tasks.map((t, i) => [t.name, evaluateTask(dense, i, data[i], 'test', config.seed).metrics]));
}

/** trainDenseBaseline from a DenseBaselineJob: the same metrics as on the assembly's own worker. */
export async function runDenseBaselineJob(job: DenseBaselineJob, hooks: TrainHooks, signal: AbortSignal): Promise<DomainMetrics> {
  const dense = modelFromSnapshot(job.model.manifest, new Map(job.model.weights.map((w) => [w.name, w])));
  try {
    if (dense.tasks.length !== job.data.length) throw new Error(`the dense baseline has ${dense.tasks.length} tasks for ${job.data.length} prepared domains`);
    return await trainDenseBaseline(dense, job.data, job.config, job.tokens, hooks, signal);
  } finally {
    disposeModel(dense);
  }
}
