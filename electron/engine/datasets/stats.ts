// Statistics shown for a registered version; plain JSON (numbers, strings, objects).
import { SPLIT_CODE } from './types.ts';
import type { DatasetTally } from './tally.ts';

export interface SplitCounts {
  train: number;
  validation: number;
  test: number;
}

export interface Distribution {
  min: number;
  mean: number;
  max: number;
  p95: number;
}

export function countSplits(split: Uint8Array): SplitCounts {
  const counts = { train: 0, validation: 0, test: 0 };
  for (const code of split) {
    if (code === SPLIT_CODE.train) counts.train++;
    else if (code === SPLIT_CODE.validation) counts.validation++;
    else counts.test++;
  }
  return counts;
}

/** min/mean/max and the 95th percentile (nearest rank) of non-negative integers. */
export function distribution(values: Uint32Array): Distribution {
  if (values.length === 0) return { min: 0, mean: 0, max: 0, p95: 0 };
  const sorted = Uint32Array.from(values).sort();
  let total = 0;
  for (const value of sorted) total += value;
  const rank = Math.max(1, Math.ceil(0.95 * sorted.length));
  return { min: sorted[0], mean: round(total / sorted.length), max: sorted[sorted.length - 1], p95: sorted[rank - 1] };
}

function round(value: number, digits = 4): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Labels per split (classification): label -> {train, validation, test}. */
function labelsBySplit(tally: DatasetTally, split: Uint8Array): Record<string, SplitCounts> {
  const perClass = tally.labels.names.map(() => ({ train: 0, validation: 0, test: 0 }));
  const labelOf = tally.labelOf.view();
  split.forEach((code, i) => {
    const counts = perClass[labelOf[i]];
    if (code === SPLIT_CODE.train) counts.train++;
    else if (code === SPLIT_CODE.validation) counts.validation++;
    else counts.test++;
  });
  const out: Record<string, SplitCounts> = {};
  for (const name of [...tally.labels.names].sort()) out[name] = perClass[tally.labels.index.get(name) as number];
  return out;
}

export function datasetStats(tally: DatasetTally, split: Uint8Array): Record<string, unknown> {
  const common = { samples: tally.count, splits: countSplits(split) };
  switch (tally.kind) {
    case 'syntax': {
      const lengths = tally.lengths.view();
      let tokens = 0;
      for (const length of lengths) tokens += length;
      return { ...common, tokens, tagHistogram: tally.labels.histogram(), sentenceLength: distribution(lengths) };
    }
    case 'semantics':
      return { ...common, labelHistogram: tally.labels.histogram(), labelsBySplit: labelsBySplit(tally, split), textLength: distribution(tally.lengths.view()) };
    case 'texture':
      return { ...common, labelHistogram: tally.labels.histogram(), labelsBySplit: labelsBySplit(tally, split), imageSizes: tally.imageSizes.histogram() };
    case 'recommendation': {
      const users = tally.users.names.length;
      const items = tally.items.names.length;
      const timestamps = tally.timestamps.view();
      const timed = tally.allTimestamped();
      let first = Infinity;
      let last = -Infinity;
      if (timed) for (const t of timestamps) [first, last] = [Math.min(first, t), Math.max(last, t)];
      return {
        ...common,
        users,
        items,
        density: users * items === 0 ? 0 : round(tally.count / (users * items), 6),
        ratingHistogram: Object.fromEntries(Object.entries(tally.ratings.histogram()).sort(([a], [b]) => Number(a) - Number(b))),
        ratingsPerUser: distribution(Uint32Array.from(tally.users.counts)),
        ratingsPerItem: distribution(Uint32Array.from(tally.items.counts)),
        timestamps: timed ? { first, last } : null,
        splitBy: timed ? 'time (latest per user to test)' : 'seeded random',
      };
    }
  }
}
