// Plain-JS pieces checked against hand-computed values: the hash, text features, metrics,
// router inits and the mixed-batch sampler.
import { describe, expect, it } from 'vitest';
import { accuracy, confusionMatrix, macroF1, mae, rankingMetrics, rmse } from '../../../electron/engine/evaluation/metrics.ts';
import { fnv1a32 } from '../../../electron/engine/model/hash.ts';
import { addCentroidColumn, centroidRouter } from '../../../electron/engine/model/router-init.ts';
import { featurizeWords, textSettings, tokenizeText, wordFeatureIds, wordShape } from '../../../electron/engine/model/text-features.ts';
import { createMixedSampler, temperatureProbabilities } from '../../../electron/engine/assembly/mixed-sampler.ts';

describe('feature hashing', () => {
  it('FNV-1a 32 reference values', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });
  it('a word is its own id, its shape, then the 3- and 4-grams of <word>, case-folded', () => {
    const s = textSettings({ text_buckets: 1000, max_tokens: 48, word_bigrams: false });
    const ids = wordFeatureIds('Cat', s);
    expect(ids.length).toBe(1 + 1 + 3 + 2); // shape + <ca cat at> + <cat cat>
    expect(ids[0]).toBe(fnv1a32('w:cat') % 1000);
    expect(ids[1]).toBe(fnv1a32('s:Xx') % 1000);
    expect(ids[2]).toBe(fnv1a32('<ca') % 1000);
    // Only the shape feature tells Cat from cat.
    expect(Array.from(wordFeatureIds('cat', s)).filter((_, i) => i !== 1)).toEqual(Array.from(ids).filter((_, i) => i !== 1));
    expect(wordFeatureIds('cat', s)[1]).toBe(fnv1a32('s:x') % 1000);
  });
  it('word shapes collapse repeats; bigrams join the previous word when asked', () => {
    expect(['McDonald', '1990s', 'U.S.', 'ok', 'élan', 'Ünal'].map(wordShape)).toEqual(['XxXx', 'dx', 'X.X.', 'x', 'x', 'Xx']);
    const on = textSettings({ text_buckets: 1000, max_tokens: 48, word_bigrams: true });
    const f = featurizeWords(['New', 'York'], on);
    expect(f.features[0].length).toBe(wordFeatureIds('New', on).length);
    expect(f.features[1][f.features[1].length - 1]).toBe(fnv1a32('b:new york') % 1000);
    expect(featurizeWords(['New', 'York'], { ...on, wordBigrams: false }).features[1].length).toBe(f.features[1].length - 1);
  });
  it('tokenizer keeps words, numbers, contractions and punctuation marks', () => {
    expect(tokenizeText("Don't stop: 42 dogs!")).toEqual(["Don't", 'stop', ':', '42', 'dogs', '!']);
  });
});

describe('metrics', () => {
  const truth = [0, 0, 1, 1, 2, 2];
  const pred = [0, 1, 1, 1, 2, 0];
  it('accuracy, confusion and macro-F1', () => {
    expect(accuracy(truth, pred)).toBeCloseTo(4 / 6, 12);
    expect(confusionMatrix(truth, pred, 3)).toEqual([[1, 1, 0], [0, 2, 0], [1, 0, 1]]);
    // F1: class 0 = 2*1/(2+2) = 0.5, class 1 = 2*2/(2+3) = 0.8, class 2 = 2*1/(2+1) = 2/3
    expect(macroF1(truth, pred, 3)).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 12);
    // A class absent from targets and predictions does not count.
    expect(macroF1([0, 1], [0, 1], 3)).toBe(1);
  });
  it('rmse and mae', () => {
    expect(rmse([1, 2, 3], [1, 4, 3])).toBeCloseTo(Math.sqrt(4 / 3), 12);
    expect(mae([1, 2, 3], [2, 4, 3])).toBeCloseTo(1, 12);
  });
  it('ranking against sampled negatives', () => {
    const r = rankingMetrics([0.9, 0.1], [Float32Array.of(0.5, 0.95, 0.2), Float32Array.from({ length: 12 }, (_, i) => 0.2 + i / 100)]);
    // First positive: rank 1 (one negative above), AUC 2/3; second: rank 12 (all 12 above), AUC 0.
    expect(r.auc).toBeCloseTo((2 / 3 + 0) / 2, 12);
    expect(r.hit_rate_10).toBe(0.5);
    expect(r.ndcg_10).toBeCloseTo(1 / Math.log2(3) / 2, 12);
  });
});

describe('router init', () => {
  const logits = (w: Float32Array, x: number[], n: number): number[] => Array.from({ length: n }, (_, j) => x.reduce((a, v, i) => a + v * w[i * n + j], 0));
  it('centroid columns make each centroid prefer its own expert with p >= 0.9', () => {
    const c = [Float32Array.of(1, 0.2, 0), Float32Array.of(0.1, 1, 0.3), Float32Array.of(0.3, 0.3, 1)];
    const w = centroidRouter(c);
    c.forEach((x, i) => {
      const l = logits(w, Array.from(x), 3);
      const p = l.map((v) => Math.exp(v) / l.reduce((a, u) => a + Math.exp(u), 0));
      expect(p.indexOf(Math.max(...p))).toBe(i);
      expect(p[i]).toBeGreaterThanOrEqual(0.9 - 1e-6);
    });
  });
  it('a new centroid column keeps the old columns and wins at the new centroid', () => {
    const old = centroidRouter([Float32Array.of(1, 0, 0), Float32Array.of(0, 1, 0)]);
    const w = addCentroidColumn(old, 2, [Float32Array.of(1, 0, 0), Float32Array.of(0, 1, 0)], Float32Array.of(0, 0, 1));
    for (let i = 0; i < 3; i++) for (let j = 0; j < 2; j++) expect(w[i * 3 + j]).toBe(old[i * 2 + j]);
    const l = logits(w, [0, 0, 1], 3);
    expect(l.indexOf(Math.max(...l))).toBe(2);
  });
});

describe('mixed sampler', () => {
  it('temperature sampling p_d ~ n_d^(1/T)', () => {
    const p = temperatureProbabilities([100, 400], 2);
    expect(p[0]).toBeCloseTo(10 / 30, 12);
    expect(temperatureProbabilities([100, 400], 1)[1]).toBeCloseTo(0.8, 12);
  });
  it('is seeded, fills whole batches, and mixes domains', () => {
    const a = createMixedSampler([50, 200, 20], 16, 2, 9);
    const b = createMixedSampler([50, 200, 20], 16, 2, 9);
    const counts = [0, 0, 0];
    for (let s = 0; s < 50; s++) {
      const x = a.next();
      expect(JSON.stringify(x.map((p) => [p.domain, Array.from(p.rows)]))).toBe(JSON.stringify(b.next().map((p) => [p.domain, Array.from(p.rows)])));
      expect(x.reduce((n, p) => n + p.rows.length, 0)).toBe(16);
      for (const p of x) counts[p.domain] += p.rows.length;
    }
    const expected = temperatureProbabilities([50, 200, 20], 2).map((q) => q * 800);
    counts.forEach((c, d) => expect(Math.abs(c - expected[d])).toBeLessThan(0.2 * expected[d] + 10));
  });
});
