// The routing explorer over a stored run: a typed input, or the examples of a split of the
// dataset version the run was trained on. The model comes from the same cache as predict.
import { ApiError, type ParsedRequestOf } from '../../../shared/contract.ts';
import type { Explanation } from '../../../shared/explore.ts';
import { explainWithModel } from '../../engine/bundle/index.ts';
import { loadDataset } from '../../engine/datasets/load.ts';
import { explainSplit } from '../../engine/evaluation/explain.ts';
import { prepareDomain } from '../../engine/data/domain-data.ts';
import type { Store } from '../../store/index.ts';
import type { Training } from '../training.ts';
import { bundleFor, toModelInput } from './predict.ts';
import { getRun } from './runs.ts';

export const DEFAULT_EXPLAIN_LIMIT = 50;

export async function explainRun(store: Store, training: Training, req: ParsedRequestOf<'explain'>): Promise<Explanation> {
  const run = getRun(store, req.id);
  if (run.status !== 'completed') throw new ApiError('invalid_input', `run ${req.id} is ${run.status}; only completed runs can be explained`);
  const { model } = await bundleFor(training.modelDirOf(run));
  const task = model.tasks.findIndex((t) => t.name === req.task);
  if (task < 0) throw new ApiError('invalid_input', `run ${req.id} has no task "${req.task}" (tasks: ${model.tasks.map((t) => t.name).join(', ')})`);
  if (req.input !== undefined) {
    try {
      return explainWithModel(model, req.task, await toModelInput(req.input), run.id);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError('invalid_input', (error as Error).message);
    }
  }
  const used = store.runs.datasetsOf(run.id).find((u) => u.name === req.task);
  const version = used ? store.datasets.version(used.versionId) : null;
  if (!version) throw new ApiError('not_found', `run ${req.id} has no stored data for ${req.task} (an imported model?); explain a typed input instead`);
  const dataset = await loadDataset(training.datasetDir(version), req.task);
  const data = prepareDomain(dataset, model.tasks[task], model.shape);
  const capacityFactor = model.mixer.kind === 'moe' ? model.mixer.settings.capacityFactor : null;
  return explainSplit(model, task, data, dataset, { split: req.split ?? 'test', filter: req.filter ?? null, limit: req.limit ?? DEFAULT_EXPLAIN_LIMIT, capacityFactor, run: run.id });
}
