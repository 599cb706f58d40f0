// The baselines an assembly is measured against: each domain's own expert, a uniform mixture of
// the assembled experts (no gate), and a dense multi-task model with the MoE's active width
// trained on the same mixed batches.
import type { AssemblyConfig } from '../../../shared/config.ts';
import type { DomainData } from '../data/domain-data.ts';
import { evaluateTask } from '../evaluation/evaluate.ts';
import { copyHead } from '../model/assembly-model.ts';
import { averageEncoders } from '../model/encoders/encoder.ts';
import { createExpertParams } from '../model/expert.ts';
import type { MultiTaskModel } from '../model/multitask-model.ts';
import { uniqueName } from '../model/unique-name.ts';
import { deriveSeed } from '../rng.ts';

export type DomainMetrics = Record<string, Record<string, number>>;

/** Test metrics of each domain's own expert, and of the assembled experts mixed uniformly. */
export function expertAndUniformBaselines(model: MultiTaskModel, branches: readonly MultiTaskModel[], data: readonly DomainData[], seed: number): { expert: DomainMetrics; uniform: DomainMetrics } {
  const domains = model.tasks.map((t) => t.name);
  const expert = Object.fromEntries(branches.map((b, i) => [domains[i], evaluateTask(b, 0, data[i], 'test', seed).metrics]));
  const uniformModel: MultiTaskModel = { ...model, mixer: { kind: 'uniform', experts: model.mixer.kind === 'moe' ? model.mixer.experts : [] } };
  const uniform = Object.fromEntries(domains.map((d, i) => [d, evaluateTask(uniformModel, i, data[i], 'test', seed).metrics]));
  return { expert, uniform };
}

export /**
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

