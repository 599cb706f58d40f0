// Seeded train/validation/test splits (about 80/10/10), one SPLIT_CODE per record, in record order.
// Deterministic given (records, seed); every split is non-empty from 10 records on.
import { SPLIT_CODE } from './types.ts';
import { createRng, randInt, shuffleInPlace } from '../rng.ts';

const HOLDOUT_SHARE = 0.1;

/** Records held out for validation (and as many for test) out of `n`: 10%, at least one from 3 records on. */
export function holdoutSize(n: number): number {
  return n >= 3 ? Math.max(1, Math.round(n * HOLDOUT_SHARE)) : 0;
}

/** Seeded random split with no structure (syntax, and interactions without timestamps). */
export function randomSplit(count: number, seed: number): Uint8Array {
  const order = Uint32Array.from({ length: count }, (_, i) => i);
  shuffleInPlace(createRng(seed), order);
  const split = new Uint8Array(count).fill(SPLIT_CODE.train);
  const holdout = holdoutSize(count);
  for (let i = 0; i < holdout; i++) split[order[i]] = SPLIT_CODE.test;
  for (let i = holdout; i < 2 * holdout; i++) split[order[i]] = SPLIT_CODE.validation;
  return split;
}

/**
 * Hands out `needed` extra held-out records one per class, in `order`, to classes that keep at least
 * one training record (so every class with two or more samples stays in train).
 */
function distribute(needed: number, order: number[], sizes: number[], taken: number[], extra: number[], start: number): number {
  let position = start;
  let idle = 0;
  while (needed > 0 && idle < order.length) {
    const c = order[position % order.length];
    position++;
    if (sizes[c] - taken[c] >= 2) {
      extra[c]++;
      taken[c]++;
      needed--;
      idle = 0;
    } else {
      idle++;
    }
  }
  return position;
}

/** Stratified split: each class split about 80/10/10, the rounding spread so the totals are 10% too. */
export function stratifiedSplit(labelOf: Uint32Array, classCount: number, seed: number): Uint8Array {
  const random = createRng(seed);
  const members: number[][] = Array.from({ length: classCount }, () => []);
  labelOf.forEach((label, index) => members[label].push(index));
  const sizes = members.map((m) => m.length);
  const test = sizes.map((n) => Math.floor(n * HOLDOUT_SHARE));
  const validation = [...test];
  const taken = test.map((t, c) => t + validation[c]);
  const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
  // Classes with the largest rounding loss get the extra records first; ties in seeded random order.
  const tieBreak = sizes.map(() => randInt(random, 0x7fffffff));
  const loss = (c: number): number => sizes[c] * HOLDOUT_SHARE - Math.floor(sizes[c] * HOLDOUT_SHARE);
  const order = sizes.map((_, c) => c).sort((a, b) => loss(b) - loss(a) || tieBreak[a] - tieBreak[b]);
  const holdout = holdoutSize(labelOf.length);
  const next = distribute(holdout - sum(test), order, sizes, taken, test, 0);
  distribute(holdout - sum(validation), order, sizes, taken, validation, next);

  const split = new Uint8Array(labelOf.length).fill(SPLIT_CODE.train);
  members.forEach((indices, c) => {
    shuffleInPlace(random, indices);
    for (let i = 0; i < test[c]; i++) split[indices[i]] = SPLIT_CODE.test;
    for (let i = test[c]; i < test[c] + validation[c]; i++) split[indices[i]] = SPLIT_CODE.validation;
  });
  return split;
}

/**
 * Temporal split for timestamped interactions: each user's latest interactions (about 10%, at least one
 * from two interactions on) go to test, the ones before to validation (from three on), the rest to train.
 * It uses no randomness: ties in time keep record order.
 */
export function temporalSplit(userOf: Uint32Array, timestamps: Float64Array): Uint8Array {
  const count = userOf.length;
  const order = Uint32Array.from({ length: count }, (_, i) => i).sort((a, b) => userOf[a] - userOf[b] || timestamps[a] - timestamps[b] || a - b);
  const split = new Uint8Array(count).fill(SPLIT_CODE.train);
  for (let start = 0; start < count; ) {
    let end = start;
    while (end < count && userOf[order[end]] === userOf[order[start]]) end++;
    const n = end - start;
    const testCount = n >= 2 ? Math.max(1, Math.round(n * HOLDOUT_SHARE)) : 0;
    const validationCount = n >= 3 ? Math.min(Math.max(1, Math.round(n * HOLDOUT_SHARE)), n - 1 - testCount) : 0;
    for (let i = end - testCount; i < end; i++) split[order[i]] = SPLIT_CODE.test;
    for (let i = end - testCount - validationCount; i < end - testCount; i++) split[order[i]] = SPLIT_CODE.validation;
    start = end;
  }
  fillEmptySplitsWithLatest(split, timestamps);
  return split;
}

/** When users are too short to give a test or validation record (one rating each), hold out the latest overall. */
function fillEmptySplitsWithLatest(split: Uint8Array, timestamps: Float64Array): void {
  if (split.length < 3) return;
  const latestTrain = (): number[] =>
    Array.from(split.keys())
      .filter((i) => split[i] === SPLIT_CODE.train)
      .sort((a, b) => timestamps[b] - timestamps[a] || b - a);
  for (const code of [SPLIT_CODE.test, SPLIT_CODE.validation]) {
    if (split.includes(code)) continue;
    const candidates = latestTrain();
    if (candidates.length >= 2) split[candidates[0]] = code;
  }
}
