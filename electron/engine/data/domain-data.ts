// A dataset prepared once for the model: split indices, per-record encoder features (hashed text
// features, decoded pixels, hashed user/item ids) and targets, and batches built from them.
// Implicit recommendation batches add NEGATIVES_PER_POSITIVE seeded random items per positive.
import { Buffer } from 'node:buffer';
import type { ModelShape } from '../../../shared/config.ts';
import type { SplitName } from '../../../shared/domain.ts';
import { SPLIT_CODE, type AnyLoadedDataset } from '../datasets/types.ts';
import type { EncoderInput } from '../model/encoders/encoder.ts';
import { buildImageInput } from '../model/encoders/image-encoder.ts';
import { buildInteractionInput } from '../model/encoders/interaction-encoder.ts';
import { idMapper } from '../model/id-vocab.ts';
import { buildTextInput } from '../model/encoders/text-encoder.ts';
import type { HeadTargets } from '../model/heads.ts';
import { randInt, type Rng } from '../rng.ts';
import type { TaskSpec } from '../model/task.ts';
import { featurizeWords, textSettings, tokenizeText, type TextFeatures } from '../model/text-features.ts';

/** Negative items sampled per positive for implicit feedback; fixed at NCF's value (He et al. 2017 found 3-6 best). */
export const NEGATIVES_PER_POSITIVE = 4;

type Prepared =
  | { modality: 'text'; features: TextFeatures[]; classes: Int32Array[] }
  | { modality: 'image'; pixels: Uint8Array[]; classes: Int32Array }
  | { modality: 'interaction'; users: Int32Array; items: Int32Array; ratings: Float32Array; itemUniverse: Int32Array; positives: Map<number, Set<number>> };

export interface Batch {
  input: EncoderInput;
  targets: HeadTargets;
}

export interface DomainData {
  task: TaskSpec;
  /** Record indices of each split, in record order. */
  splits: Record<SplitName, Int32Array>;
  prepared: Prepared;
  /** Neighbours per side of the text encoder's window (text batches are built for it). */
  context: number;
}

export function prepareDomain(dataset: AnyLoadedDataset, task: TaskSpec, shape: ModelShape): DomainData {
  if (dataset.records.length !== dataset.split.length) throw new Error(`dataset ${dataset.name}: ${dataset.records.length} records but ${dataset.split.length} split codes`);
  const splits = {
    train: indicesWhere(dataset.split, SPLIT_CODE.train),
    validation: indicesWhere(dataset.split, SPLIT_CODE.validation),
    test: indicesWhere(dataset.split, SPLIT_CODE.test),
  };
  if (splits.train.length === 0) throw new Error(`dataset ${dataset.name} has no training records`);
  const labelIndex = new Map(task.labels.map((l, i) => [l, i]));
  const classOf = (label: string): number => {
    const c = labelIndex.get(label);
    if (c === undefined) throw new Error(`dataset ${dataset.name}: label "${label}" is not in its label set`);
    return c;
  };
  const settings = textSettings(shape);
  let prepared: Prepared;
  switch (dataset.kind) {
    case 'syntax':
      dataset.records.forEach((r, i) => {
        if (r.tokens.length === 0) throw new Error(`dataset ${dataset.name}: sentence ${i} has no tokens`);
        if (r.tags.length !== r.tokens.length) throw new Error(`dataset ${dataset.name}: sentence ${i} has ${r.tokens.length} tokens but ${r.tags.length} tags`);
      });
      prepared = {
        modality: 'text',
        features: dataset.records.map((r) => featurizeWords(r.tokens, settings)),
        classes: dataset.records.map((r) => Int32Array.from(r.tags.slice(0, settings.maxTokens), classOf)),
      };
      break;
    case 'semantics':
      prepared = {
        modality: 'text',
        features: dataset.records.map((r) => featurizeWords(tokenizeText(r.text), settings)),
        classes: dataset.records.map((r) => Int32Array.of(classOf(r.label))),
      };
      break;
    case 'texture':
      prepared = {
        modality: 'image',
        pixels: dataset.records.map((r) => new Uint8Array(Buffer.from(r.pixels, 'base64'))),
        classes: Int32Array.from(dataset.records, (r) => classOf(r.label)),
      };
      break;
    case 'recommendation': {
      const ids = idMapper(shape, task.ids);
      const users = Int32Array.from(dataset.records, (r) => ids.user(r.user));
      const items = Int32Array.from(dataset.records, (r) => ids.item(r.item));
      const positives = new Map<number, Set<number>>();
      users.forEach((u, i) => {
        let set = positives.get(u);
        if (set === undefined) positives.set(u, (set = new Set()));
        set.add(items[i]);
      });
      prepared = {
        modality: 'interaction',
        users,
        items,
        ratings: Float32Array.from(dataset.records, (r) => r.rating),
        itemUniverse: Int32Array.from(new Set(items)).sort(),
        positives,
      };
      break;
    }
  }
  return { task, splits, prepared, context: shape.context };
}

function indicesWhere(codes: Uint8Array, code: number): Int32Array {
  const out: number[] = [];
  codes.forEach((c, i) => {
    if (c === code) out.push(i);
  });
  return Int32Array.from(out);
}

/**
 * The batch of the given records. For implicit feedback with an rng (training), each positive is
 * followed by NEGATIVES_PER_POSITIVE items drawn uniformly from the dataset's items that the user
 * has not interacted with (up to 20 redraws, then accepted as they are).
 */
export function buildBatch(data: DomainData, records: ArrayLike<number>, rng: Rng | null): Batch {
  const p = data.prepared;
  const idx = Array.from(records);
  if (p.modality === 'text') {
    const input = buildTextInput(idx.map((i) => p.features[i]), data.context);
    const classes = new Int32Array(input.tokens);
    if (data.task.kind === 'syntax') {
      let o = 0;
      for (const i of idx) {
        classes.set(p.classes[i].subarray(0, p.features[i].words.length), o);
        o += p.features[i].words.length;
      }
      return { input, targets: { classes } };
    }
    return { input, targets: { classes: Int32Array.from(idx, (i) => p.classes[i][0]) } };
  }
  if (p.modality === 'image') {
    return { input: buildImageInput(idx.map((i) => p.pixels[i])), targets: { classes: Int32Array.from(idx, (i) => p.classes[i]) } };
  }
  if (!data.task.implicit || rng === null) {
    const values = Float32Array.from(idx, (i) => p.ratings[i]);
    return { input: buildInteractionInput(Int32Array.from(idx, (i) => p.users[i]), Int32Array.from(idx, (i) => p.items[i])), targets: { values } };
  }
  const per = 1 + NEGATIVES_PER_POSITIVE;
  const users = new Int32Array(idx.length * per);
  const items = new Int32Array(idx.length * per);
  const values = new Float32Array(idx.length * per);
  idx.forEach((r, j) => {
    const u = p.users[r];
    users.fill(u, j * per, (j + 1) * per);
    items[j * per] = p.items[r];
    values[j * per] = 1;
    for (let n = 1; n < per; n++) items[j * per + n] = sampleNegative(p.itemUniverse, p.positives.get(u), rng);
  });
  return { input: buildInteractionInput(users, items), targets: { values } };
}

/** An item (bucket) the user has not interacted with, drawn uniformly (20 redraws at most). */
export function sampleNegative(universe: Int32Array, seen: Set<number> | undefined, rng: Rng): number {
  let item = universe[randInt(rng, universe.length)];
  for (let tries = 0; tries < 20 && seen?.has(item); tries++) item = universe[randInt(rng, universe.length)];
  return item;
}

