// The standalone runtime's explain: one typed input (text, pixels or user/item) through a saved
// model, with the expert of every unit and each single expert's prediction. No store, no data set.
import { Buffer } from 'node:buffer';
import type { Explanation } from '../../../shared/explore.ts';
import { explainBatch } from '../evaluation/explain.ts';
import type { MultiTaskModel } from '../model/multitask-model.ts';
import type { Bundle } from './load.ts';
import { toEncoderInput, type PredictInput } from './predict.ts';

export function explain(bundle: Bundle, task: string, input: PredictInput): Explanation {
  return explainWithModel(bundle.model, task, input, null);
}

/** explain() on a live model; `run` is the stored run it came from, if any. */
export function explainWithModel(model: MultiTaskModel, task: string, input: PredictInput, run: number | null): Explanation {
  const index = model.tasks.findIndex((t) => t.name === task);
  if (index < 0) throw new Error(`the model has no task "${task}" (tasks: ${model.tasks.map((t) => t.name).join(', ')})`);
  const spec = model.tasks[index];
  const { encoderInput, tokens } = toEncoderInput(model, spec.modality, input, task);
  const text = 'text' in input ? tokens.join(' ') : 'pixels' in input ? Buffer.from(input.pixels).toString('base64') : `${input.user},${input.item}`;
  // A single example has no batch to compete with for capacity: nothing is dropped.
  const [example] = explainBatch(model, index, encoderInput, [{ index: 0, input: text, units: tokens, label: null }], { capacityFactor: null });
  return {
    run,
    task,
    kind: spec.kind,
    experts: [...model.expertNames],
    own_expert: model.expertNames.includes(task) ? task : null,
    split: null,
    filter: null,
    examples: [example],
    regret: null,
    counts: { examples: 1, errors: 0, fixable: 0, matching: 1 },
  };
}
