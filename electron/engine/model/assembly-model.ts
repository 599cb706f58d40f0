// Building the MoE model of an assembly from branch models (BTX "mix"): encoders averaged per
// modality (or kept per domain), every branch's expert in one MoE layer, every branch's head;
// and growing a parent assembly by new branches (add an expert). Every variable is a new copy:
// the sources can be disposed afterwards. The router starts at zeros: callers assign its init.
import * as tf from '@tensorflow/tfjs';
import { averageEncoders, encoderVariables, type EncoderParams } from './encoders/encoder.ts';
import type { ExpertParams } from './expert.ts';
import type { HeadParams } from './heads.ts';
import { zerosVariable } from './init.ts';
import type { MultiTaskModel, RouterSettings } from './multitask-model.ts';

export type EncoderMode = 'merged' | 'per_domain';

/** A model plus, per encoder key, the domains its encoder was averaged from. */
export interface AssembledModel {
  model: MultiTaskModel;
  encoderSources: Record<string, string[]>;
}

const copy = (v: tf.Variable): tf.Variable => tf.variable(v, true);

export function copyExpert(e: ExpertParams): ExpertParams {
  return { gamma: copy(e.gamma), beta: copy(e.beta), w1: copy(e.w1), b1: copy(e.b1), w2: copy(e.w2), b2: copy(e.b2) };
}

export function copyHead(h: HeadParams): HeadParams {
  return { w: copy(h.w), b: copy(h.b) };
}

function branchParts(branch: MultiTaskModel): { expert: ExpertParams; encoder: EncoderParams } {
  if (branch.mixer.kind !== 'single' || branch.tasks.length !== 1) throw new Error(`an assembly is built from single-expert branch models, got a ${branch.mixer.kind} model with ${branch.tasks.length} tasks`);
  return { expert: branch.mixer.expert, encoder: branch.encoders[branch.taskEncoder[0]] };
}

/** Tokens of every domain meet in one MoE layer: experts must share the token width D (only that). */
function checkShapes(models: readonly MultiTaskModel[]): void {
  const first = models[0].shape;
  for (const m of models) {
    if (m.shape.dim !== first.dim) {
      throw new Error(`experts must share the token width to be mixed: ${m.tasks[0].name} has dim = ${m.shape.dim}, ${models[0].tasks[0].name} has ${first.dim}; train them with the same --dim`);
    }
  }
  const names = models.flatMap((m) => m.tasks.map((t) => t.name));
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new Error(`dataset ${dup} appears twice among the experts; each domain gets one expert`);
}

/**
 * Encoders of the new model. Merged: one per modality, the average of that modality's sources,
 * each source weighted by how many domains it already stands for (a parent's merged encoder of 2
 * branches counts 2). Per domain: each domain keeps its own (key `${modality}:${domain}`).
 */
function buildEncoders(
  given: { key: string; encoder: EncoderParams; domains: string[] }[],
  mode: EncoderMode,
): { encoders: Record<string, EncoderParams>; taskEncoderOf: Map<string, string>; encoderSources: Record<string, string[]> } {
  const sources = shareIdentical(given);
  const groups = new Map<string, { encoders: EncoderParams[]; weights: number[]; domains: string[] }>();
  for (const s of sources) {
    const key = mode === 'merged' ? s.encoder.modality : s.key;
    const g = groups.get(key) ?? { encoders: [], weights: [], domains: [] };
    g.encoders.push(s.encoder);
    g.weights.push(s.domains.length);
    g.domains.push(...s.domains);
    groups.set(key, g);
  }
  const encoders: Record<string, EncoderParams> = {};
  const taskEncoderOf = new Map<string, string>();
  const encoderSources: Record<string, string[]> = {};
  for (const [key, g] of groups) {
    encoders[key] = averageEncoders(g.encoders, g.weights);
    encoderSources[key] = g.domains;
    for (const d of g.domains) taskEncoderOf.set(d, key);
  }
  return { encoders, taskEncoderOf, encoderSources };
}

/** Two encoders with the same modality, shapes and every value: one encoder (a shared anchor). */
export function sameEncoder(a: EncoderParams, b: EncoderParams): boolean {
  if (a.modality !== b.modality) return false;
  const va = encoderVariables(a);
  const vb = encoderVariables(b);
  const names = Object.keys(va);
  if (names.join() !== Object.keys(vb).join()) return false;
  return names.every((n) => {
    if (va[n].shape.join() !== vb[n].shape.join()) return false;
    const x = va[n].dataSync();
    const y = vb[n].dataSync();
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  });
}

/**
 * Branches trained against one frozen anchor hold byte-identical encoders: they become one source
 * (the anchor itself, never averaged with itself), keyed by the modality when it is the modality's
 * only encoder. Encoders trained apart never coincide and pass through as they are.
 */
function shareIdentical(sources: { key: string; encoder: EncoderParams; domains: string[] }[]): { key: string; encoder: EncoderParams; domains: string[] }[] {
  const out: { key: string; encoder: EncoderParams; domains: string[] }[] = [];
  for (const s of sources) {
    const same = out.find((o) => sameEncoder(o.encoder, s.encoder));
    if (same) same.domains = [...same.domains, ...s.domains];
    else out.push({ ...s, domains: [...s.domains] });
  }
  return out.map((o) => {
    const shared = o.domains.length > 1;
    const alone = out.filter((x) => x.encoder.modality === o.encoder.modality).length === 1;
    return shared && alone ? { ...o, key: o.encoder.modality } : o;
  });
}

/** The assembly of `branches` (router order = branch order), router zeros. */
export function buildAssembly(branches: readonly MultiTaskModel[], mode: EncoderMode, settings: RouterSettings): AssembledModel {
  if (branches.length === 0) throw new Error('an assembly needs at least one expert');
  checkShapes(branches);
  if (!Number.isInteger(settings.topK) || settings.topK < 1 || settings.topK > branches.length) {
    throw new Error(`top_k must be an integer in [1, ${branches.length}] for ${branches.length} experts, got ${settings.topK}`);
  }
  const parts = branches.map(branchParts);
  const { encoders, taskEncoderOf, encoderSources } = buildEncoders(
    branches.map((b, i) => ({ key: `${parts[i].encoder.modality}:${b.tasks[0].name}`, encoder: parts[i].encoder, domains: [b.tasks[0].name] })),
    mode,
  );
  const shape = { ...branches[0].shape };
  const tasks = branches.map((b) => ({ ...b.tasks[0] }));
  return {
    model: {
      shape,
      tasks,
      encoders,
      taskEncoder: tasks.map((t) => taskEncoderOf.get(t.name) as string),
      mixer: { kind: 'moe', router: zerosVariable([shape.dim, branches.length]), experts: parts.map((p) => copyExpert(p.expert)), settings: { ...settings } },
      heads: branches.map((b) => copyHead(b.heads[0])),
      expertNames: tasks.map((t) => t.name),
    },
    encoderSources,
  };
}

/**
 * A parent assembly grown by new branches: the parent's experts, heads and router columns first
 * (the new columns zero), router settings from the new config, then the new ones. Encoders: see buildEncoders (a merged
 * modality the parent already has is re-averaged with the new branch, weighted by domain counts).
 */
export function growAssembly(parent: MultiTaskModel, parentSources: Record<string, string[]>, branches: readonly MultiTaskModel[], mode: EncoderMode, settings: RouterSettings): AssembledModel {
  if (parent.mixer.kind !== 'moe') throw new Error(`the parent must be an MoE assembly, got a ${parent.mixer.kind} model`);
  if (branches.length === 0) throw new Error('adding experts needs at least one new expert');
  checkShapes([parent, ...branches]);
  const parts = branches.map(branchParts);
  const n = parent.expertNames.length + branches.length;
  if (!Number.isInteger(settings.topK) || settings.topK < 1 || settings.topK > n) throw new Error(`top_k must be an integer in [1, ${n}] for ${n} experts, got ${settings.topK}`);
  const { encoders, taskEncoderOf, encoderSources } = buildEncoders(
    [
      ...Object.entries(parent.encoders).map(([key, encoder]) => ({ key, encoder, domains: parentSources[key] ?? parent.tasks.filter((_, i) => parent.taskEncoder[i] === key).map((t) => t.name) })),
      ...branches.map((b, i) => ({ key: `${parts[i].encoder.modality}:${b.tasks[0].name}`, encoder: parts[i].encoder, domains: [b.tasks[0].name] })),
    ],
    mode,
  );
  const parentRouter = parent.mixer.router;
  const tasks = [...parent.tasks, ...branches.map((b) => b.tasks[0])].map((t) => ({ ...t }));
  const router = tf.tidy(() => tf.variable(tf.concat([parentRouter, tf.zeros([parent.shape.dim, branches.length])], 1), true));
  return {
    model: {
      shape: { ...parent.shape },
      tasks,
      encoders,
      taskEncoder: tasks.map((t) => taskEncoderOf.get(t.name) as string),
      mixer: { kind: 'moe', router, experts: [...parent.mixer.experts.map(copyExpert), ...parts.map((p) => copyExpert(p.expert))], settings: { ...settings } },
      heads: [...parent.heads.map(copyHead), ...branches.map((b) => copyHead(b.heads[0]))],
      expertNames: tasks.map((t) => t.name),
    },
    encoderSources,
  };
}

/**
 * The assembly without expert `index`: its expert, router column, head and task go (FlexOlmo's
 * opt-out); an encoder no remaining task uses goes too (a merged encoder stays as averaged).
 * top_k shrinks to the experts left when it exceeds them. Every variable is a new copy.
 */
export function removeExpert(parent: MultiTaskModel, index: number): MultiTaskModel {
  if (parent.mixer.kind !== 'moe') throw new Error(`the parent must be an MoE assembly, got a ${parent.mixer.kind} model`);
  const n = parent.expertNames.length;
  if (!Number.isInteger(index) || index < 0 || index >= n) throw new Error(`expert index ${index} is outside [0, ${n})`);
  if (n < 2) throw new Error('an assembly needs at least one expert: cannot remove its only one');
  if (parent.tasks.length !== n) throw new Error(`the parent has ${parent.tasks.length} tasks for ${n} experts; removal needs one task per expert`);
  const keep = Array.from({ length: n }, (_, i) => i).filter((i) => i !== index);
  const taskEncoder = keep.map((i) => parent.taskEncoder[i]);
  const encoders = Object.fromEntries(Object.entries(parent.encoders).filter(([key]) => taskEncoder.includes(key)).map(([key, e]) => [key, averageEncoders([e])]));
  const parentRouter = parent.mixer.router;
  const router = tf.tidy(() => tf.variable(tf.gather(parentRouter, tf.tensor1d(keep, 'int32'), 1), true));
  const settings = { ...parent.mixer.settings, topK: Math.min(parent.mixer.settings.topK, keep.length) };
  return {
    shape: { ...parent.shape },
    tasks: keep.map((i) => ({ ...parent.tasks[i] })),
    encoders,
    taskEncoder,
    mixer: { kind: 'moe', router, experts: keep.map((i) => copyExpert((parent.mixer as { experts: ExpertParams[] }).experts[i])), settings },
    heads: keep.map((i) => copyHead(parent.heads[i])),
    expertNames: keep.map((i) => parent.expertNames[i]),
  };
}
