// The one model shape behind every network here: per-task encoders -> one token mixer -> per-task
// heads. A branch (expert) model is one task with a single expert; an assembly is many tasks with
// the sparse MoE layer; the baselines swap the mixer (uniform mixture, dense FFN).
// A batch may hold several tasks: their tokens are concatenated, mixed together, split back.
import * as tf from '@tensorflow/tfjs';
import type { ModelShape } from '../../../shared/config.ts';
import { encode, encoderVariables, lookupTables, tokenSamples, type EncoderInput, type EncoderParams } from './encoders/encoder.ts';
import { expertFfn, expertVariables, type ExpertParams } from './expert.ts';
import { headForward, type HeadParams } from './heads.ts';
import { interactionBias, interactionPenalty, type InteractionEncoderParams, type InteractionInput } from './encoders/interaction-encoder.ts';
import { allExpertOutputs, moeLayer, type MoeRouting } from './moe/moe-layer.ts';
import { headKindOf, type TaskSpec } from './task.ts';
import { createRng, uniformArray } from '../rng.ts';

/** Router options of an assembly (AssemblyConfig's top_k, capacity_factor, noise_std, router_init). */
export interface RouterSettings {
  topK: number;
  /** Applies while training only; evaluation and prediction are dropless (see forward). */
  capacityFactor: number | null;
  noiseStd: number;
  init: 'random' | 'uniform' | 'centroid';
  /** Oracle routing (router method 'oracle'): each token goes to its own task's expert, weight 1; the router weights are unused. */
  oracle?: boolean;
}

export type Mixer =
  /** A branch: x + expertFfn(expert, x). */
  | { kind: 'single'; expert: ExpertParams }
  /** The assembly: sparse top-k MoE with router weights [D, N]. */
  | { kind: 'moe'; router: tf.Variable; experts: ExpertParams[]; settings: RouterSettings }
  /** Baseline: x + (1/N) sum_i expertFfn_i(x), no gate. */
  | { kind: 'uniform'; experts: ExpertParams[] }
  /** Baseline: x + ffn(x) with one wide FFN. */
  | { kind: 'dense'; ffn: ExpertParams };

export interface MultiTaskModel {
  shape: ModelShape;
  tasks: TaskSpec[];
  /** Encoders by key: the modality when merged, `${modality}:${task name}` when kept per domain. */
  encoders: Record<string, EncoderParams>;
  /** Encoder key of each task. */
  taskEncoder: string[];
  mixer: Mixer;
  /** One head per task. */
  heads: HeadParams[];
  /** Name of each expert (its domain), in mixer order. */
  expertNames: string[];
}

/** One task's share of a batch. */
export interface TaskBatch {
  task: number;
  input: EncoderInput;
  /** The part's encoder output when the caller already holds it (frozen encoders: data/token-cache.ts). */
  tokens?: tf.Tensor2D;
  /**
   * MoE only: [tokens * N, D] every expert's output on each of the part's tokens (allExpertOutputs),
   * when the caller holds them (frozen experts on cached tokens: assembly/expert-output-cache.ts).
   * When any part has them, the experts run on the others' tokens here and the layer picks rows.
   */
  expertOutputs?: tf.Tensor2D;
}

export interface ForwardOptions {
  training: boolean;
  /** Seed of the router noise of this call (vary per step). */
  noiseSeed: number;
  /** Training only: share of the encoders' token features zeroed (inverted dropout), and the seed of this call's mask. */
  dropout?: { rate: number; seed: number };
}

export interface ForwardResult {
  /** Head output of each part, in part order. */
  outputs: tf.Tensor2D[];
  /** Sample of each token of each part. */
  tokenSamples: Int32Array[];
  /** Interaction parts only: the biased-MF L2 penalty of the rows the batch touched (summed over parts); else null. */
  penalty: tf.Scalar | null;
  /** MoE only: unweighted auxiliary losses and the routing of all tokens (parts concatenated). */
  loadBalanceLoss: tf.Scalar | null;
  zLoss: tf.Scalar | null;
  routing: MoeRouting | null;
}

/**
 * Encoders -> mixer -> heads. Tensors returned are the caller's to dispose (use inside tf.tidy or
 * tf.variableGrads). The MoE is dropless outside training, so a sample's prediction does not
 * depend on what else is in its batch.
 */
export function forward(model: MultiTaskModel, parts: readonly TaskBatch[], opts: ForwardOptions): ForwardResult {
  if (parts.length === 0) throw new Error('forward needs at least one task batch');
  const samples = parts.map((p) => tokenSamples(p.input, model.tasks[p.task].shape.patch));
  const tokens = parts.map((p) => {
    const key = model.taskEncoder[p.task];
    if (key === undefined) throw new Error(`task ${p.task} is not in the model (${model.tasks.length} tasks)`);
    return p.tokens ?? encode(model.encoders[key], p.input);
  });
  const x = dropTokenFeatures(tokens.length === 1 ? tokens[0] : (tf.concat(tokens, 0) as tf.Tensor2D), opts);
  const forced = model.mixer.kind === 'moe' && model.mixer.settings.oracle === true ? taskOfTokens(parts, samples) : undefined;
  const mixed = mix(model.mixer, x, opts, forced, givenExpertOutputs(model.mixer, parts, tokens, opts));
  const sizes = samples.map((s) => s.length);
  const pieces = parts.length === 1 ? [mixed.output] : tf.split(mixed.output, sizes, 0);
  const outputs = parts.map((p, i) => {
    const out = headForward(headKindOf(model.tasks[p.task]), model.heads[p.task], pieces[i] as tf.Tensor2D, samples[i], p.input.samples);
    if (p.input.modality !== 'interaction') return out;
    // Biased MF: the user and item biases of the task's own encoder join the head's output.
    return tf.add(out, interactionBias(model.encoders[model.taskEncoder[p.task]].params as InteractionEncoderParams, p.input)) as tf.Tensor2D;
  });
  const penalties = parts.filter((p) => p.input.modality === 'interaction').map((p) => interactionPenalty(model.encoders[model.taskEncoder[p.task]].params as InteractionEncoderParams, p.input as InteractionInput));
  const penalty = penalties.length === 0 ? null : penalties.length === 1 ? penalties[0] : (tf.addN(penalties) as tf.Scalar);
  return { outputs, tokenSamples: samples, penalty, loadBalanceLoss: mixed.loadBalanceLoss, zLoss: mixed.zLoss, routing: mixed.routing };
}

/**
 * Inverted dropout on the encoders' tokens while training. The mask is drawn on the host from the
 * call's seed, so that every backend draws the same one and a replay is exact.
 */
export function dropTokenFeatures(x: tf.Tensor2D, opts: ForwardOptions): tf.Tensor2D {
  if (!opts.training || opts.dropout === undefined || opts.dropout.rate === 0) return x;
  const { rate, seed } = opts.dropout;
  const u = uniformArray(createRng(seed), x.size, 1);
  const keep = 1 / (1 - rate);
  const mask = u.map((v) => ((v + 1) / 2 >= rate ? keep : 0));
  return tf.mul(x, tf.tensor2d(mask, x.shape)) as tf.Tensor2D;
}

/** The parts' given expert outputs, parts concatenated (the experts run where a part has none); undefined when no part has them. */
function givenExpertOutputs(mixer: Mixer, parts: readonly TaskBatch[], tokens: readonly tf.Tensor2D[], opts: ForwardOptions): tf.Tensor2D | undefined {
  if (parts.every((p) => p.expertOutputs === undefined)) return undefined;
  if (mixer.kind !== 'moe') throw new Error(`expert outputs were given to a ${mixer.kind} mixer; only the MoE picks them`);
  // The given outputs are of the tokens as encoded: dropout would change the tokens under them.
  if (opts.training && opts.dropout !== undefined && opts.dropout.rate > 0) throw new Error('expert outputs cannot be given with token dropout');
  const all = parts.map((p, i) => p.expertOutputs ?? allExpertOutputs(mixer.experts, tokens[i]));
  return all.length === 1 ? all[0] : (tf.concat(all, 0) as tf.Tensor2D);
}

/** Task of every token, parts concatenated: under oracle routing, also its expert. */
function taskOfTokens(parts: readonly TaskBatch[], samples: readonly Int32Array[]): Int32Array {
  const out = new Int32Array(samples.reduce((a, s) => a + s.length, 0));
  let o = 0;
  parts.forEach((p, i) => {
    out.fill(p.task, o, o + samples[i].length);
    o += samples[i].length;
  });
  return out;
}

function mix(mixer: Mixer, x: tf.Tensor2D, opts: ForwardOptions, forced?: Int32Array, expertOutputs?: tf.Tensor2D): { output: tf.Tensor2D; loadBalanceLoss: tf.Scalar | null; zLoss: tf.Scalar | null; routing: MoeRouting | null } {
  switch (mixer.kind) {
    case 'single':
      return { output: tf.add(x, expertFfn(mixer.expert, x)), loadBalanceLoss: null, zLoss: null, routing: null };
    case 'dense':
      return { output: tf.add(x, expertFfn(mixer.ffn, x)), loadBalanceLoss: null, zLoss: null, routing: null };
    case 'uniform': {
      const outs = mixer.experts.map((e) => expertFfn(e, x));
      return { output: tf.add(x, tf.div(tf.addN(outs), mixer.experts.length)), loadBalanceLoss: null, zLoss: null, routing: null };
    }
    case 'moe': {
      const s = mixer.settings;
      const out = moeLayer(x, mixer.router as tf.Tensor2D, mixer.experts, {
        topK: s.topK,
        capacityFactor: opts.training ? s.capacityFactor : null,
        noiseStd: s.noiseStd,
        training: opts.training,
        noiseSeed: opts.noiseSeed,
        ...(forced !== undefined ? { forced } : {}),
        ...(expertOutputs !== undefined ? { expertOutputs } : {}),
      });
      out.logits.dispose();
      return { output: out.output, loadBalanceLoss: out.loadBalanceLoss, zLoss: out.zLoss, routing: out.routing };
    }
  }
}

/** A named group of variables: one encoder, expert, head, the router or the dense FFN. */
export interface Component {
  /** 'encoder/<key>', 'expert/<i>', 'router', 'head/<i>', 'dense'. */
  name: string;
  kind: 'encoder' | 'expert' | 'router' | 'head' | 'dense';
  variables: Record<string, tf.Variable>;
}

/** Every component in a fixed order (encoders by key order, experts, router, heads). */
export function components(model: MultiTaskModel): Component[] {
  const out: Component[] = Object.entries(model.encoders).map(([key, e]) => ({ name: `encoder/${key}`, kind: 'encoder', variables: encoderVariables(e) }));
  const expertVars = (e: ExpertParams): Record<string, tf.Variable> => ({ ...e }) as unknown as Record<string, tf.Variable>;
  const m = model.mixer;
  if (m.kind === 'single') out.push({ name: 'expert/0', kind: 'expert', variables: expertVars(m.expert) });
  if (m.kind === 'moe' || m.kind === 'uniform') m.experts.forEach((e, i) => out.push({ name: `expert/${i}`, kind: 'expert', variables: expertVars(e) }));
  if (m.kind === 'moe') out.push({ name: 'router', kind: 'router', variables: { w: m.router } });
  if (m.kind === 'dense') out.push({ name: 'dense', kind: 'dense', variables: expertVars(m.ffn) });
  model.heads.forEach((h, i) => out.push({ name: `head/${i}`, kind: 'head', variables: { w: h.w, b: h.b } }));
  return out;
}

/** All variables of the model, by `${component}/${param}`. */
export function namedVariables(model: MultiTaskModel): [string, tf.Variable][] {
  return components(model).flatMap((c) => Object.entries(c.variables).map(([k, v]) => [`${c.name}/${k}`, v] as [string, tf.Variable]));
}

/** Names of the model's lookup tables (encoder.ts lookupTables), for the optimizer's lazy rows. */
export function lookupTableNames(model: MultiTaskModel): Set<string> {
  return new Set(Object.values(model.encoders).flatMap((e) => lookupTables(e).map((v) => v.name)));
}

/** Expert variables in expert.ts order, for callers that want the expert list. */
export function mixerExperts(mixer: Mixer): ExpertParams[] {
  if (mixer.kind === 'single') return [mixer.expert];
  if (mixer.kind === 'moe' || mixer.kind === 'uniform') return mixer.experts;
  return [mixer.ffn];
}

/** Disposes every variable (shared variables are disposed once). */
export function disposeModel(model: MultiTaskModel): void {
  const seen = new Set<tf.Variable>();
  for (const [, v] of namedVariables(model)) seen.add(v);
  for (const e of mixerExperts(model.mixer)) for (const v of expertVariables(e)) seen.add(v);
  for (const v of seen) if (!v.isDisposed) v.dispose();
}
