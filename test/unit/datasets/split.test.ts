// Splits: deterministic per seed, about 80/10/10, every split non-empty from 10 records, every class in train.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holdoutSize, randomSplit, stratifiedSplit, temporalSplit } from '../../../electron/engine/datasets/split.ts';
import { countSplits } from '../../../electron/engine/datasets/stats.ts';
import { SPLIT_CODE } from '../../../electron/engine/datasets/types.ts';

/** Class sizes (each >= 2, as validation guarantees) -> a label per record, classes interleaved. */
const classSizes = fc.array(fc.integer({ min: 2, max: 40 }), { minLength: 2, maxLength: 12 });

function labelsFrom(sizes: number[]): Uint32Array {
  const labels: number[] = [];
  sizes.forEach((size, c) => labels.push(...Array.from({ length: size }, () => c)));
  return Uint32Array.from(labels);
}

describe('randomSplit', () => {
  it('is deterministic per seed, non-empty from 10 records, and about 10% test', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 3000 }), fc.integer(), (n, seed) => {
        const split = randomSplit(n, seed);
        expect(randomSplit(n, seed)).toEqual(split);
        const counts = countSplits(split);
        expect(counts.test).toBe(holdoutSize(n));
        expect(counts.validation).toBe(holdoutSize(n));
        expect(counts.train).toBe(n - 2 * holdoutSize(n));
        expect(Math.min(counts.train, counts.validation, counts.test)).toBeGreaterThan(0);
      }),
      { numRuns: 100 },
    );
  });

  it('gives different splits for different seeds', () => {
    expect(randomSplit(1000, 1)).not.toEqual(randomSplit(1000, 2));
    // Seeds beyond 32 bits are folded, not truncated.
    expect(randomSplit(1000, 2 ** 32 + 1)).not.toEqual(randomSplit(1000, 1));
  });
});

describe('stratifiedSplit', () => {
  it('keeps every class in train, fills every split from 10 records, and holds out about 10% each', () => {
    fc.assert(
      fc.property(classSizes, fc.integer(), (sizes, seed) => {
        const labels = labelsFrom(sizes);
        const split = stratifiedSplit(labels, sizes.length, seed);
        expect(stratifiedSplit(labels, sizes.length, seed)).toEqual(split);
        const counts = countSplits(split);
        if (labels.length >= 10) expect(Math.min(counts.train, counts.validation, counts.test)).toBeGreaterThan(0);
        expect(counts.test).toBe(holdoutSize(labels.length));
        expect(counts.validation).toBe(holdoutSize(labels.length));
        sizes.forEach((_, c) => {
          const inTrain = split.filter((code, i) => labels[i] === c && code === SPLIT_CODE.train).length;
          expect(inTrain).toBeGreaterThan(0);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('splits each large class close to 80/10/10', () => {
    const labels = labelsFrom([500, 300, 200]);
    const split = stratifiedSplit(labels, 3, 4);
    for (const [c, size] of [[0, 500], [1, 300], [2, 200]]) {
      const test = split.filter((code, i) => labels[i] === c && code === SPLIT_CODE.test).length;
      expect(test).toBe(size / 10);
    }
    expect(stratifiedSplit(labels, 3, 4)).not.toEqual(stratifiedSplit(labels, 3, 5));
  });
});

describe('temporalSplit', () => {
  it("puts each user's latest interactions in test and the ones before in validation", () => {
    // User 0: 20 interactions at times 20..1 (reverse order in the file); user 1: one interaction.
    const userOf = Uint32Array.from([...Array.from({ length: 20 }, () => 0), 1]);
    const timestamps = Float64Array.from([...Array.from({ length: 20 }, (_, i) => 20 - i), 5]);
    const split = temporalSplit(userOf, timestamps);
    expect(Array.from(split.slice(0, 2))).toEqual([SPLIT_CODE.test, SPLIT_CODE.test]);
    expect(Array.from(split.slice(2, 4))).toEqual([SPLIT_CODE.validation, SPLIT_CODE.validation]);
    expect(split.slice(4).every((code) => code === SPLIT_CODE.train)).toBe(true);
  });

  it('still fills test and validation when every user has a single interaction', () => {
    const n = 12;
    const split = temporalSplit(Uint32Array.from({ length: n }, (_, i) => i), Float64Array.from({ length: n }, (_, i) => i * 10));
    expect(split[n - 1]).toBe(SPLIT_CODE.test);
    expect(split[n - 2]).toBe(SPLIT_CODE.validation);
    expect(countSplits(split).train).toBe(n - 2);
  });
});
