// The anchor model (issue 10, after FlexOlmo): a dense multi-task model over one modality's
// domains: one shared encoder -> one dense FFN -> one head per domain. It is trained once; its
// encoder is then frozen and shared by every expert that names the anchor, so those experts live
// in one token space. The sizes that fix an encoder's variables (ENCODER_FIELDS) are the
// anchor's; the rest (text length, bigrams, the expert's hidden width) stay each domain's own.
import type { ModelShape, ModelShapeInput } from '../../../shared/config.ts';
import { MODALITY_OF, type Modality } from '../../../shared/domain.ts';
import type { AnyLoadedDataset } from '../datasets/types.ts';
import { createRng, deriveSeed } from '../rng.ts';
import { validateShape } from './branch-model.ts';
import { dataFacts, deriveShape } from './derive-shape.ts';
import { createEncoder } from './encoders/encoder.ts';
import { createExpertParams } from './expert.ts';
import { createHead } from './heads.ts';
import { idMapper } from './id-vocab.ts';
import type { MultiTaskModel } from './multitask-model.ts';
import { headKindOf, type TaskSpec } from './task.ts';
import { uniqueName } from './unique-name.ts';

/** The shape fields an encoder's variables (or its featurization of ids and patches) depend on. */
export const ENCODER_FIELDS = ['dim', 'text_buckets', 'context', 'patch', 'ids', 'id_buckets'] as const;

/** `own` with the encoder fields of `anchor`: the shape of a domain that uses the anchor's encoder. */
export function withAnchorEncoder(own: ModelShape, anchor: ModelShape): ModelShape {
  const out = { ...own };
  for (const f of ENCODER_FIELDS) (out as Record<string, unknown>)[f] = anchor[f];
  return out;
}

/** The one modality of `datasets`; throws when they mix modalities. */
export function modalityOf(datasets: readonly AnyLoadedDataset[]): Modality {
  if (datasets.length === 0) throw new Error('an anchor needs at least one dataset');
  const modalities = [...new Set(datasets.map((d) => MODALITY_OF[d.kind]))];
  if (modalities.length > 1) throw new Error(`an anchor encodes one modality; its datasets mix ${modalities.join(' and ')} (${datasets.map((d) => `${d.name}: ${d.kind}`).join(', ')}): train one anchor per modality`);
  return modalities[0];
}

/**
 * The anchor's shape and each dataset's. Null fields are derived per dataset (derive-shape.ts);
 * the anchor's encoder sizes are the largest any dataset derives (the most buckets, the widest
 * context), its hidden width the largest any derives (one dense FFN serves them all).
 */
export function anchorShapes(input: ModelShapeInput, datasets: readonly AnyLoadedDataset[]): { shape: ModelShape; tasks: ModelShape[] } {
  const modality = modalityOf(datasets);
  const own = datasets.map((d) => deriveShape(input, dataFacts(d)));
  const max = (f: 'text_buckets' | 'context' | 'hidden' | 'id_buckets'): number => Math.max(...own.map((s) => s[f]));
  const ids = own.some((s) => s.ids === 'hashed') ? 'hashed' : 'exact';
  if (modality === 'interaction' && ids === 'exact' && datasets.length > 1) {
    throw new Error(`an interaction anchor over several datasets (${datasets.map((d) => d.name).join(', ')}) needs hashed ids (model.ids = "hashed" and an id_buckets size): exact ids give each dataset its own rows`);
  }
  const shape: ModelShape = { ...own[0], text_buckets: max('text_buckets'), context: max('context'), hidden: max('hidden'), id_buckets: max('id_buckets'), ids };
  validateShape(shape);
  return { shape, tasks: own.map((s) => withAnchorEncoder(s, shape)) };
}

/** A fresh anchor model over `tasks` (all of one modality), initialized from the seed. */
export function createAnchorModel(tasks: readonly TaskSpec[], shape: ModelShape, seed: number): MultiTaskModel {
  validateShape(shape);
  const modality = tasks[0].modality;
  if (tasks.some((t) => t.modality !== modality)) throw new Error(`an anchor model encodes one modality, got ${tasks.map((t) => t.modality).join(', ')}`);
  // Exact ids: one dataset only (anchorShapes), whose vocabulary gives the encoder its rows.
  const ids = modality === 'interaction' ? idMapper(shape, tasks[0].ids) : null;
  return {
    shape: { ...shape },
    tasks: tasks.map((t) => ({ ...t })),
    encoders: { [modality]: createEncoder(modality, shape, seed, ids) },
    taskEncoder: tasks.map(() => modality),
    mixer: { kind: 'dense', ffn: createExpertParams(shape.dim, shape.hidden, deriveSeed(seed, 'anchor-ffn'), uniqueName('anchor')) },
    heads: tasks.map((t) => createHead(createRng(deriveSeed(seed, 'head', t.name)), headKindOf(t), shape.dim, t.labels.length)),
    expertNames: [],
  };
}
