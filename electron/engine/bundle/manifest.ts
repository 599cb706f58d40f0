// model.json: everything a runtime needs besides the weights: format and version, kind, the
// ModelShape, the tasks (labels, metric names, rating scale), the experts, router settings,
// tokenizer and image preprocessing settings, and the component list (each component's
// variables live in weights.bin as `${component}/${param}`).
import type { ModelShape } from '../../../shared/config.ts';
import { IMAGE_SIZE, type DomainKind, type Modality } from '../../../shared/domain.ts';
import { IMAGE_NORMALIZATION } from '../model/encoders/image-encoder.ts';
import { HASH_NAME } from '../model/hash.ts';
import { components, type Component, type MultiTaskModel, type RouterSettings } from '../model/multitask-model.ts';
import type { RatingScale } from '../model/task.ts';
import type { IdVocab } from '../model/id-vocab.ts';
import { textSettings, type TextSettings } from '../model/text-features.ts';

export const BUNDLE_FORMAT = 'moe-workbench-model';
// 2: data-derived shapes (context window, word bigrams, exact ids with each task's id vocabulary, biases).
export const BUNDLE_VERSION = 2;

export interface ManifestTask {
  name: string;
  kind: DomainKind;
  modality: Modality;
  labels: string[];
  implicit: boolean;
  metrics: string[];
  rating: RatingScale | null;
  /** Exact ids: the users and items that have rows (see id-vocab.ts). */
  ids: IdVocab | null;
  /** The sizes this task's data is featurized with (text, image and id settings below are the first task's). */
  shape: ModelShape;
  /** Encoder key (component `encoder/<key>`). */
  encoder: string;
  /** Head component. */
  head: string;
}

/** expert: one branch; assembly: the MoE; anchor: the dense multi-task model behind a shared encoder. */
export type BundleKind = 'expert' | 'assembly' | 'anchor';

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  version: typeof BUNDLE_VERSION;
  kind: BundleKind;
  shape: ModelShape;
  seed: number;
  tasks: ManifestTask[];
  /** In router order; `runId` is the expert run each came from (null for an expert bundle itself). */
  experts: { name: string; component: string; runId: number | null }[];
  router: { top_k: number; capacity_factor: number | null; noise_std: number; init: RouterSettings['init']; component: string; inference: 'dropless'; /** Oracle routing (each token to its own task's expert); absent otherwise. */ oracle?: true } | null;
  encoders: { key: string; modality: Modality; component: string; sources: string[] }[];
  text: TextSettings;
  image: { size: number; channels: 3; patch: number; normalization: typeof IMAGE_NORMALIZATION };
  interaction: { ids: ModelShape['ids']; hash: typeof HASH_NAME; id_buckets: number; user_prefix: 'u:'; item_prefix: 'i:' };
  components: { name: string; kind: Component['kind']; params: string[] }[];
  /** Test metrics per task when known at save time. */
  metrics: Record<string, Record<string, number>> | null;
  /** An expert trained against a frozen anchor encoder: the anchor run (lineage); absent otherwise. */
  anchor?: number;
}

export interface ManifestMeta {
  kind: BundleKind;
  /** Experts only: the anchor run whose encoder the expert was trained against. */
  anchorRunId?: number | null;
  seed: number;
  /** Expert run id per expert (assemblies). */
  expertRunIds?: (number | null)[];
  /** Domains each encoder was merged from (defaults to the tasks using it). */
  encoderSources?: Record<string, string[]>;
  metrics?: Record<string, Record<string, number>>;
}

export function buildManifest(model: MultiTaskModel, meta: ManifestMeta): BundleManifest {
  const s = model.shape;
  const m = model.mixer;
  if (meta.kind === 'expert' && m.kind !== 'single') throw new Error(`an expert bundle holds a single-expert model, not a ${m.kind} mixer`);
  if (meta.kind === 'assembly' && m.kind !== 'moe') throw new Error(`an assembly bundle holds an MoE model, not a ${m.kind} mixer`);
  if (meta.kind === 'anchor' && m.kind !== 'dense') throw new Error(`an anchor bundle holds a dense multi-task model, not a ${m.kind} mixer`);
  return {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    kind: meta.kind,
    shape: { ...s },
    seed: meta.seed,
    tasks: model.tasks.map((t, i) => ({
      name: t.name,
      kind: t.kind,
      modality: t.modality,
      labels: [...t.labels],
      implicit: t.implicit,
      metrics: [...t.metrics],
      rating: t.rating === null ? null : { ...t.rating },
      ids: t.ids,
      shape: { ...t.shape },
      encoder: model.taskEncoder[i],
      head: `head/${i}`,
    })),
    // An anchor's dense FFN is the `dense` component, not an expert.
    experts: m.kind === 'dense' ? [] : model.expertNames.map((name, i) => ({ name, component: `expert/${i}`, runId: meta.expertRunIds?.[i] ?? null })),
    router:
      m.kind === 'moe'
        ? { top_k: m.settings.topK, capacity_factor: m.settings.capacityFactor, noise_std: m.settings.noiseStd, init: m.settings.init, component: 'router', inference: 'dropless', ...(m.settings.oracle === true ? { oracle: true as const } : {}) }
        : null,
    encoders: Object.entries(model.encoders).map(([key, e]) => ({
      key,
      modality: e.modality,
      component: `encoder/${key}`,
      sources: meta.encoderSources?.[key] ?? model.tasks.filter((_, i) => model.taskEncoder[i] === key).map((t) => t.name),
    })),
    text: textSettings(s),
    image: { size: IMAGE_SIZE, channels: 3, patch: s.patch, normalization: IMAGE_NORMALIZATION },
    interaction: { ids: s.ids, hash: HASH_NAME, id_buckets: s.id_buckets, user_prefix: 'u:', item_prefix: 'i:' },
    components: components(model).map((c) => ({ name: c.name, kind: c.kind, params: Object.keys(c.variables) })),
    metrics: meta.metrics ?? null,
    ...(meta.anchorRunId != null ? { anchor: meta.anchorRunId } : {}),
  };
}

/** Throws a precise message when `value` is not a manifest this version reads. */
export function checkManifest(value: unknown, where: string): BundleManifest {
  const m = value as Partial<BundleManifest> | null;
  if (m === null || typeof m !== 'object') throw new Error(`${where}: not a JSON object`);
  if (m.format !== BUNDLE_FORMAT) throw new Error(`${where}: format is ${JSON.stringify(m.format)}, expected "${BUNDLE_FORMAT}"`);
  if (m.version !== BUNDLE_VERSION) throw new Error(`${where}: version ${String(m.version)} is not supported (this build reads version ${BUNDLE_VERSION})`);
  if (m.kind !== 'expert' && m.kind !== 'assembly' && m.kind !== 'anchor') throw new Error(`${where}: kind must be expert, assembly or anchor, got ${JSON.stringify(m.kind)}`);
  for (const field of ['shape', 'tasks', 'experts', 'encoders', 'components'] as const) {
    if (m[field] === undefined || m[field] === null) throw new Error(`${where}: missing "${field}"`);
  }
  return m as BundleManifest;
}
