// The routing explorer's engine: for each example of a batch, which expert took each unit
// (word, patch, user/item pair) and with what weight, the prediction, and the prediction each
// single expert would have made in the router's place (counterfactual routing). Over a whole
// split: the examples a filter keeps and the router regret (the share of examples where the
// router is wrong and some single expert is right).
import * as tf from '@tensorflow/tfjs';
import { Buffer } from 'node:buffer';
import { UNCERTAIN_ENTROPY, type ExplainExample, type ExplainFilter, type Explanation, type PredictionValue } from '../../../shared/explore.ts';
import { IMAGE_SIZE, type SplitName } from '../../../shared/domain.ts';
import type { AnyLoadedDataset } from '../datasets/types.ts';
import { planDispatch } from '../model/moe/dispatch-plan.ts';
import type { MoeRouting } from '../model/moe/moe-layer.ts';
import { forward, mixerExperts, type MultiTaskModel } from '../model/multitask-model.ts';
import type { EncoderInput } from '../model/encoders/encoder.ts';
import { headKindOf, type TaskSpec } from '../model/task.ts';
import { buildBatch, type DomainData } from '../data/domain-data.ts';
import { EVAL_BATCH } from './evaluate.ts';
import { singleExpertModel } from './single-expert.ts';

/** One example of a batch as the explorer needs it besides the model input. */
export interface ExampleMeta {
  index: number;
  input: string;
  /** Unit names, one per token the encoder makes for this example. */
  units: string[];
  label: PredictionValue | null;
}

export interface ExplainBatchOptions {
  /** Capacity factor under which `dropped` is computed (the assembly's training setting); null: none dropped. */
  capacityFactor: number | null;
}

/** Head outputs [rows, width] of one forward pass, read back, and the routing (MoE only). */
function run(model: MultiTaskModel, task: number, input: EncoderInput): { out: Float32Array; width: number; routing: MoeRouting | null; tokenSample: Int32Array } {
  const host: { routing: MoeRouting | null; tokenSample: Int32Array } = { routing: null, tokenSample: new Int32Array(0) };
  const out = tf.tidy(() => {
    const r = forward(model, [{ task, input }], { training: false, noiseSeed: 0 });
    host.routing = r.routing;
    host.tokenSample = r.tokenSamples[0];
    return r.outputs[0];
  });
  const data = (out.dataSync() as Float32Array).slice();
  const width = out.shape[1];
  out.dispose();
  return { out: data, width, routing: host.routing, tokenSample: host.tokenSample };
}

function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}

/** Predictions of every example of the batch, in user terms, from head outputs. */
export function decodePredictions(spec: TaskSpec, out: Float32Array, width: number, tokenSample: Int32Array, samples: number): PredictionValue[] {
  const kind = headKindOf(spec);
  if (kind === 'token_softmax') {
    const tags: string[][] = Array.from({ length: samples }, () => []);
    tokenSample.forEach((s, row) => tags[s].push(spec.labels[argmax(out.subarray(row * width, (row + 1) * width))]));
    return tags;
  }
  return Array.from({ length: samples }, (_, s) => {
    const row = out.subarray(s * width, (s + 1) * width);
    if (kind === 'pooled_softmax') return spec.labels[argmax(row)];
    if (kind === 'rating') {
      const r = spec.rating;
      if (r === null) throw new Error(`task ${spec.name} has no rating scale`);
      return Math.min(r.max, Math.max(r.min, r.mean + r.scale * row[0]));
    }
    return 1 / (1 + Math.exp(-row[0]));
  });
}

/**
 * Whether a prediction is right: the same class, every tag the same, a rating within 0.5 of the
 * true one (it rounds to it), an interaction probability >= 0.5 for a positive.
 */
export function isCorrect(spec: TaskSpec, prediction: PredictionValue, label: PredictionValue): boolean {
  if (Array.isArray(prediction) && Array.isArray(label)) return prediction.length === label.length && prediction.every((p, i) => p === label[i]);
  if (typeof prediction === 'number' && typeof label === 'number') return spec.implicit ? prediction >= 0.5 === label >= 0.5 : Math.abs(prediction - label) < 0.5;
  return prediction === label;
}

/** Explains every example of one batch of task `task`. */
export function explainBatch(model: MultiTaskModel, task: number, input: EncoderInput, metas: readonly ExampleMeta[], opts: ExplainBatchOptions): ExplainExample[] {
  const spec = model.tasks[task];
  const names = model.expertNames;
  const n = names.length;
  const routed = run(model, task, input);
  if (routed.tokenSample.length !== metas.reduce((a, m) => a + m.units.length, 0)) {
    throw new Error(`the encoder made ${routed.tokenSample.length} tokens for ${metas.length} examples, the examples name ${metas.reduce((a, m) => a + m.units.length, 0)} units`);
  }
  const predictions = decodePredictions(spec, routed.out, routed.width, routed.tokenSample, metas.length);
  const counterfactuals = mixerExperts(model.mixer).map((_, e) => {
    if (model.mixer.kind === 'single') return predictions;
    const single = singleExpertModel(model, e);
    const r = run(single, task, input);
    return decodePredictions(spec, r.out, r.width, r.tokenSample, metas.length);
  });
  const routing = routed.routing;
  const plan = routing && opts.capacityFactor !== null ? planDispatch(routing.topIndices, routing.tokens, routing.experts, routing.topK, opts.capacityFactor) : null;
  const logN = Math.log(n);

  let token = 0;
  return metas.map((meta, s) => {
    const units = meta.units.map((unit) => {
      const t = token++;
      // No gate: a branch's one expert takes everything; a uniform mixture weighs every expert 1/N.
      if (routing === null) {
        if (model.mixer.kind === 'uniform') return { unit, experts: names.map((expert) => ({ expert, weight: 1 / n })), top1: names[0], entropy: n > 1 ? 1 : 0, dropped: false };
        return { unit, experts: [{ expert: names[0], weight: 1 }], top1: names[0], entropy: 0, dropped: false };
      }
      const k = routing.topK;
      const experts = Array.from({ length: k }, (_, j) => ({ expert: names[routing.topIndices[t * k + j]], weight: routing.topWeights[t * k + j] }));
      let h = 0;
      for (let e = 0; e < n; e++) {
        const p = routing.probs[t * n + e];
        if (p > 0) h -= p * Math.log(p);
      }
      let dropped = false;
      if (plan) for (let j = 0; j < k; j++) if (plan.kept[t * k + j] === 0) dropped = true;
      return { unit, experts, top1: experts[0].expert, entropy: n > 1 ? h / logN : 0, dropped };
    });
    const votes = new Array<number>(n).fill(0);
    for (const u of units) votes[names.indexOf(u.top1)]++;
    const top1 = names[argmax(votes)];
    const prediction = predictions[s];
    const counterfactual = Object.fromEntries(names.map((name, e) => [name, counterfactuals[e][s]]));
    const label = meta.label;
    return {
      index: meta.index,
      input: meta.input,
      label,
      prediction,
      correct: label === null ? null : isCorrect(spec, prediction, label),
      top1,
      routed_away: names.includes(spec.name) && top1 !== spec.name,
      dropped: units.some((u) => u.dropped),
      entropy: units.reduce((a, u) => a + u.entropy, 0) / Math.max(1, units.length),
      units,
      counterfactual,
      counterfactual_correct: Object.fromEntries(names.map((name) => [name, label === null ? null : isCorrect(spec, counterfactual[name], label)])),
    };
  });
}

export function matchesFilter(example: ExplainExample, filter: ExplainFilter | null): boolean {
  switch (filter) {
    case null:
      return true;
    case 'misclassified':
      return example.correct === false;
    case 'routed-away':
      return example.routed_away;
    case 'dropped':
      return example.dropped;
    case 'uncertain':
      return example.entropy >= UNCERTAIN_ENTROPY;
  }
}

/** Units, input and label of records of a prepared domain (`dataset`: the records it was prepared from). */
function metasOf(data: DomainData, dataset: AnyLoadedDataset, records: Int32Array, patch: number): ExampleMeta[] {
  const p = data.prepared;
  const spec = data.task;
  return Array.from(records, (r) => {
    if (p.modality === 'text') {
      const words = p.features[r].words;
      const label: PredictionValue = spec.kind === 'syntax' ? Array.from(p.classes[r].subarray(0, words.length), (c) => spec.labels[c]) : spec.labels[p.classes[r][0]];
      return { index: r, input: words.join(' '), units: [...words], label };
    }
    if (p.modality === 'image') {
      const grid = IMAGE_SIZE / patch;
      return { index: r, input: Buffer.from(p.pixels[r]).toString('base64'), units: Array.from({ length: grid * grid }, (_, i) => `patch ${Math.floor(i / grid)},${i % grid}`), label: spec.labels[p.classes[r]] };
    }
    if (dataset.kind !== 'recommendation') throw new Error(`dataset ${dataset.name} is ${dataset.kind}, its task is recommendation`);
    const rec = dataset.records[r];
    return { index: r, input: `${rec.user},${rec.item}`, units: [`${rec.user} x ${rec.item}`], label: p.ratings[r] };
  });
}

export interface ExplainSplitOptions {
  split: SplitName;
  filter: ExplainFilter | null;
  /** Most examples returned (the regret still covers the whole split). */
  limit: number;
  capacityFactor: number | null;
  run: number | null;
}

/** Explains every example of a split (in batches), keeping the filter's matches up to the limit. */
export function explainSplit(model: MultiTaskModel, task: number, data: DomainData, dataset: AnyLoadedDataset, opts: ExplainSplitOptions): Explanation {
  const spec = model.tasks[task];
  const records = data.splits[opts.split];
  const kept: ExplainExample[] = [];
  let errors = 0;
  let fixable = 0;
  let matching = 0;
  for (let start = 0; start < records.length; start += EVAL_BATCH) {
    const ids = records.subarray(start, start + EVAL_BATCH);
    const batch = buildBatch(data, ids, null);
    for (const ex of explainBatch(model, task, batch.input, metasOf(data, dataset, ids, model.shape.patch), opts)) {
      if (ex.correct === false) {
        errors++;
        if (Object.values(ex.counterfactual_correct).some((c) => c === true)) fixable++;
      }
      if (!matchesFilter(ex, opts.filter)) continue;
      matching++;
      if (kept.length < opts.limit) kept.push(ex);
    }
  }
  return {
    run: opts.run,
    task: spec.name,
    kind: spec.kind,
    experts: [...model.expertNames],
    own_expert: model.expertNames.includes(spec.name) ? spec.name : null,
    split: opts.split,
    filter: opts.filter,
    examples: kept,
    regret: records.length === 0 ? 0 : fixable / records.length,
    counts: { examples: records.length, errors, fixable, matching },
  };
}
