// Model sizes derived from the data: what a config leaves null is computed here from the dataset's
// training split when a run starts, and the run records the result (so a replay is exact).
// Explicit config values always win. The rules and their bounds are documented on ModelShapeInput.
import type { ExpertConfig, ModelShape, ModelShapeInput, ResolvedExpertConfig } from '../../../shared/config.ts';
import { SPLIT_CODE, type AnyLoadedDataset } from '../datasets/types.ts';
import { tokenizeText } from './text-features.ts';

/** Token width when the config leaves it null (see ModelShapeInput.dim). */
export const DEFAULT_DIM = 64;

/** Above this many distinct users + items, ids are hashed (the tables would outgrow memory). */
export const EXACT_ID_LIMIT = 1 << 20;

/** What the derivation reads from a dataset; computed once from the training split. */
export interface DataFacts {
  kind: AnyLoadedDataset['kind'];
  trainSamples: number;
  /** Text kinds: 95th percentile (nearest rank) of words per training text, and distinct lower-cased words. */
  lengthP95: number;
  distinctWords: number;
  /** Recommendation: distinct users plus distinct items in the training split. */
  distinctIds: number;
}

export function dataFacts(dataset: AnyLoadedDataset): DataFacts {
  const train = dataset.records.filter((_, i) => dataset.split[i] === SPLIT_CODE.train);
  const facts: DataFacts = { kind: dataset.kind, trainSamples: train.length, lengthP95: 0, distinctWords: 0, distinctIds: 0 };
  if (dataset.kind === 'syntax' || dataset.kind === 'semantics') {
    const words = new Set<string>();
    const lengths = (train as AnyLoadedDataset['records']).map((r) => {
      const tokens = 'tokens' in r ? r.tokens : tokenizeText((r as { text: string }).text);
      for (const w of tokens) words.add(w.toLowerCase());
      return tokens.length;
    });
    lengths.sort((a, b) => a - b);
    facts.lengthP95 = lengths.length === 0 ? 0 : lengths[Math.max(0, Math.ceil(0.95 * lengths.length) - 1)];
    facts.distinctWords = words.size;
  }
  if (dataset.kind === 'recommendation') {
    const users = new Set<string>();
    const items = new Set<string>();
    for (const r of train as { user: string; item: string }[]) {
      users.add(r.user);
      items.add(r.item);
    }
    facts.distinctIds = users.size + items.size;
  }
  return facts;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function nextPowerOfTwo(v: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1, v)));
}

export function deriveShape(input: ModelShapeInput, facts: DataFacts): ModelShape {
  // The token width D is not derived: experts can only be mixed when they share it.
  const dim = input.dim ?? DEFAULT_DIM;
  return {
    dim,
    hidden: input.hidden ?? (facts.trainSamples < 20000 ? 2 : 4) * dim,
    // Words plus their n-grams and bigrams: about 8 buckets per distinct word keeps collisions rare.
    text_buckets: input.text_buckets ?? clamp(nextPowerOfTwo(8 * facts.distinctWords), 4096, 65536),
    id_buckets: input.id_buckets ?? EXACT_ID_LIMIT,
    ids: input.ids ?? (facts.distinctIds <= EXACT_ID_LIMIT ? 'exact' : 'hashed'),
    patch: input.patch ?? 4,
    max_tokens: input.max_tokens ?? (facts.lengthP95 > 0 ? clamp(facts.lengthP95, 16, 128) : 48),
    context: input.context ?? 2,
    word_bigrams: input.word_bigrams ?? facts.kind === 'semantics',
  };
}

/** Token dropout when the config leaves it null: text models memorize their words; see ExpertConfig.dropout. */
export function deriveDropout(kind: AnyLoadedDataset['kind']): number {
  return kind === 'syntax' || kind === 'semantics' ? TEXT_DROPOUT : 0;
}

/** Measured on SpamAssassin and Brown tagging (ExpertConfig.dropout); on ratings it blurred routing. */
export const TEXT_DROPOUT = 0.2;

export function resolveExpertConfig(config: ExpertConfig, dataset: AnyLoadedDataset): ResolvedExpertConfig {
  return { ...config, dropout: config.dropout ?? deriveDropout(dataset.kind), model: deriveShape(config.model, dataFacts(dataset)) };
}
