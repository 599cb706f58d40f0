// Counterfactual routing: the same model with its router replaced by one expert that takes every
// token with weight 1 (x + expertFfn(expert, x)), sharing the model's variables (do not dispose it).
import type { MultiTaskModel } from '../model/multitask-model.ts';

export function singleExpertModel(model: MultiTaskModel, expert: number): MultiTaskModel {
  if (model.mixer.kind !== 'moe' && model.mixer.kind !== 'uniform') throw new Error(`a ${model.mixer.kind} model has no experts to choose from`);
  const chosen = model.mixer.experts[expert];
  if (chosen === undefined) throw new Error(`expert ${expert} is not in the model (${model.mixer.experts.length} experts)`);
  return { ...model, mixer: { kind: 'single', expert: chosen } };
}
