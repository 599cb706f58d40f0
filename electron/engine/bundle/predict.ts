// One prediction from a model: the task's output in user terms (tag list, class with scores,
// rating, or interaction probability) and how the gate routed the sample's tokens.
import { IMAGE_SIZE } from '../../../shared/domain.ts';
import { buildImageInput } from '../model/encoders/image-encoder.ts';
import { buildInteractionInput } from '../model/encoders/interaction-encoder.ts';
import { idMapper } from '../model/id-vocab.ts';
import { buildTextInput } from '../model/encoders/text-encoder.ts';
import type { EncoderInput } from '../model/encoders/encoder.ts';
import type { MoeRouting } from '../model/moe/moe-layer.ts';
import type { MultiTaskModel } from '../model/multitask-model.ts';
import { headKindOf } from '../model/task.ts';
import { featurizeWords, textSettings, tokenizeText } from '../model/text-features.ts';
import { infer } from '../evaluation/evaluate.ts';
import type { Bundle } from './load.ts';

export type PredictInput = { text: string } | { pixels: Uint8Array } | { user: string; item: string };

export interface PredictionResult {
  task: string;
  /** Tags per word (syntax), class (semantics, texture), rating (explicit) or P(interaction) (implicit). */
  prediction: string | number | string[];
  /** Class probabilities (semantics, texture). */
  scores?: Record<string, number>;
  routing: {
    /** Mean gate weight of each expert over the sample's tokens. */
    experts: { expert: string; weight: number }[];
    /** Per word (text), patch (image) or pair (interaction): the gate weight of every expert. */
    perToken?: { token: string; weights: number[] }[];
  };
}

export function predict(bundle: Bundle, task: string, input: PredictInput): PredictionResult {
  return predictWithModel(bundle.model, task, input);
}

/** predict() on a live model (a bundle's, or one still training). */
export function predictWithModel(model: MultiTaskModel, task: string, input: PredictInput): PredictionResult {
  const index = model.tasks.findIndex((t) => t.name === task);
  if (index < 0) throw new Error(`the model has no task "${task}" (tasks: ${model.tasks.map((t) => t.name).join(', ')})`);
  const spec = model.tasks[index];
  const { encoderInput, tokens } = toEncoderInput(model, spec.modality, input, task);
  const { out, width, routing } = infer(model, index, encoderInput);
  const kind = headKindOf(spec);
  let prediction: PredictionResult['prediction'];
  let scores: Record<string, number> | undefined;
  if (kind === 'token_softmax') {
    prediction = tokens.map((_, r) => spec.labels[argmax(out.subarray(r * width, (r + 1) * width))]);
  } else if (kind === 'pooled_softmax') {
    const p = softmax(out.subarray(0, width));
    scores = Object.fromEntries(spec.labels.map((l, c) => [l, p[c]]));
    prediction = spec.labels[argmax(p)];
  } else if (kind === 'rating') {
    const r = spec.rating;
    if (r === null) throw new Error(`task ${task} has no rating scale`);
    prediction = Math.min(r.max, Math.max(r.min, r.mean + r.scale * out[0]));
  } else {
    prediction = 1 / (1 + Math.exp(-out[0]));
  }
  return { task, prediction, ...(scores ? { scores } : {}), routing: routingOf(model, tokens, routing) };
}

export function toEncoderInput(model: MultiTaskModel, modality: string, input: PredictInput, task: string): { encoderInput: EncoderInput; tokens: string[] } {
  const s = (model.tasks.find((t) => t.name === task) ?? model.tasks[0]).shape;
  if (modality === 'text') {
    if (!('text' in input)) throw new Error(`task ${task} takes { text }`);
    const f = featurizeWords(tokenizeText(input.text), textSettings(s));
    return { encoderInput: buildTextInput([f], s.context), tokens: f.words };
  }
  if (modality === 'image') {
    if (!('pixels' in input)) throw new Error(`task ${task} takes { pixels } (${IMAGE_SIZE}x${IMAGE_SIZE}x3 RGB bytes)`);
    const grid = IMAGE_SIZE / s.patch;
    const tokens = Array.from({ length: grid * grid }, (_, i) => `patch ${Math.floor(i / grid)},${i % grid}`);
    return { encoderInput: buildImageInput([input.pixels]), tokens };
  }
  if (!('user' in input)) throw new Error(`task ${task} takes { user, item }`);
  return {
    encoderInput: ((ids) => buildInteractionInput(Int32Array.of(ids.user(input.user)), Int32Array.of(ids.item(input.item))))(idMapper(s, model.tasks.find((t) => t.name === task)?.ids ?? null)),
    tokens: [`${input.user} x ${input.item}`],
  };
}

function routingOf(model: MultiTaskModel, tokens: string[], routing: MoeRouting | null): PredictionResult['routing'] {
  const names = model.expertNames;
  if (routing === null) {
    return { experts: names.map((expert) => ({ expert, weight: 1 })), perToken: tokens.map((token) => ({ token, weights: [1] })) };
  }
  const perToken = tokens.map((token, t) => {
    const weights = new Array<number>(routing.experts).fill(0);
    for (let j = 0; j < routing.topK; j++) {
      const pair = t * routing.topK + j;
      if (routing.kept[pair] === 1) weights[routing.topIndices[pair]] += routing.topWeights[pair];
    }
    return { token, weights };
  });
  const experts = names.map((expert, e) => ({ expert, weight: perToken.reduce((a, p) => a + p.weights[e], 0) / Math.max(1, perToken.length) }));
  return { experts, perToken };
}

function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}

function softmax(v: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < v.length; i++) max = Math.max(max, v[i]);
  const e = Array.from(v, (x) => Math.exp(x - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}
