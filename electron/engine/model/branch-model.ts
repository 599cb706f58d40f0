// Factory of a branch model: the encoder of the task's modality (initialized from the seed and
// modality only, the same for every branch), one expert (initialized from the seed only, as BTX
// branches all start from one seed model) and the task's head (seeded by task name).
import type { ModelShape } from '../../../shared/config.ts';
import { IMAGE_SIZE } from '../../../shared/domain.ts';
import { createEncoder } from './encoders/encoder.ts';
import { idMapper } from './id-vocab.ts';
import { createExpertParams } from './expert.ts';
import { createHead } from './heads.ts';
import type { MultiTaskModel } from './multitask-model.ts';
import { createRng, deriveSeed } from '../rng.ts';
import { headKindOf, type TaskSpec } from './task.ts';
import { uniqueName } from './unique-name.ts';

/** Throws a precise message for the first bad field of a model shape. */
export function validateShape(shape: ModelShape): void {
  const positive = (name: 'dim' | 'hidden' | 'text_buckets' | 'id_buckets' | 'patch' | 'max_tokens'): void => {
    const v = shape[name];
    if (!Number.isInteger(v) || v < 1) throw new Error(`model.${name} must be a positive integer, got ${v}`);
  };
  for (const name of ['dim', 'hidden', 'text_buckets', 'id_buckets', 'patch', 'max_tokens'] as const) positive(name);
  if (!Number.isInteger(shape.context) || shape.context < 0) throw new Error(`model.context must be a non-negative integer, got ${shape.context}`);
  if (shape.ids !== 'exact' && shape.ids !== 'hashed') throw new Error(`model.ids must be exact or hashed, got ${String(shape.ids)}`);
  if (IMAGE_SIZE % shape.patch !== 0) throw new Error(`model.patch must divide the image size ${IMAGE_SIZE}, got ${shape.patch}`);
}

export function createBranchModel(task: TaskSpec, shape: ModelShape, seed: number): MultiTaskModel {
  validateShape(shape);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`seed must be a non-negative integer, got ${seed}`);
  const head = createHead(createRng(deriveSeed(seed, 'head', task.name)), headKindOf(task), shape.dim, task.labels.length);
  return {
    shape,
    tasks: [task],
    encoders: { [task.modality]: createEncoder(task.modality, shape, seed, task.modality === 'interaction' ? idMapper(shape, task.ids) : null) },
    taskEncoder: [task.modality],
    mixer: { kind: 'single', expert: createExpertParams(shape.dim, shape.hidden, deriveSeed(seed, 'expert'), uniqueName('expert')) },
    heads: [head],
    expertNames: [task.name],
  };
}
