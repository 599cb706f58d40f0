// routingStats and mergeRoutingStats on a hand-made routing, numbers worked out by hand.
import { describe, expect, it } from 'vitest';
import type { MoeRouting } from '../../../electron/engine/model/moe/moe-layer.ts';
import { mergeRoutingStats, routingStats } from '../../../electron/engine/model/moe/routing-stats.ts';

// 4 tokens, 3 experts, k = 2; tokens 0-1 are domain 0, tokens 2-3 domain 1.
//   t0 (d0): choices [0, 1], both kept,      probs [0.5, 0.3, 0.2]
//   t1 (d0): choices [0, 2], second dropped, probs [0.6, 0.1, 0.3]
//   t2 (d1): choices [1, 0], first dropped,  probs [0.2, 0.7, 0.1]
//   t3 (d1): choices [2, 1], both kept,      probs [1.0, 0.0, 0.0] (degenerate on purpose: entropy 0)
const routing: MoeRouting = {
  tokens: 4,
  experts: 3,
  topK: 2,
  topIndices: Int32Array.from([0, 1, 0, 2, 1, 0, 2, 1]),
  topWeights: Float32Array.from([0.625, 0.375, 0.6667, 0.3333, 0.7778, 0.2222, 0.5, 0.5]),
  kept: Uint8Array.from([1, 1, 1, 0, 0, 1, 1, 1]),
  probs: Float32Array.from([0.5, 0.3, 0.2, 0.6, 0.1, 0.3, 0.2, 0.7, 0.1, 1, 0, 0]),
  rowsPerExpert: Int32Array.from([2, 2, 2]),
  path: 'grouped',
};
const domains = Int32Array.from([0, 0, 1, 1]);

const h = (ps: number[]): number => -ps.filter((p) => p > 0).reduce((a, p) => a + p * Math.log(p), 0);

describe('routingStats', () => {
  it('counts, means, fractions, entropy and purity of a hand-made routing', () => {
    const s = routingStats(routing, domains, 2);
    expect(s.top1).toEqual([[2, 0, 0], [0, 1, 1]]);
    expect(s.topk).toEqual([[2, 1, 1], [1, 2, 1]]);
    expect(s.meanProb[0].map((v) => +v.toFixed(6))).toEqual([0.55, 0.2, 0.25]);
    expect(s.meanProb[1].map((v) => +v.toFixed(6))).toEqual([0.6, 0.35, 0.05]);
    expect(s.dropped).toEqual([0.25, 0.25]);
    expect(s.droppedFraction).toBe(0.25);
    expect(s.load).toEqual([0.5, 0.25, 0.25]);
    // Entropies: t0 1.0296530, t1 0.8979457, t2 0.8018186, t3 0 -> mean 0.6823543
    expect(s.entropy).toBeCloseTo((h([0.5, 0.3, 0.2]) + h([0.6, 0.1, 0.3]) + h([0.2, 0.7, 0.1])) / 4, 6);
    expect(s.entropy).toBeCloseTo(0.6823543, 6);
    // Domain 0: both tokens' top-1 is expert 0; domain 1: one of two tokens on expert 1.
    expect(s.purity).toEqual([1, 0.5]);
  });

  it('a domain without tokens and a domain without an expert of its index give 0, not NaN', () => {
    const s = routingStats(routing, domains, 4);
    expect(s.meanProb[2]).toEqual([0, 0, 0]);
    expect(s.dropped[3]).toBe(0);
    expect(s.purity).toEqual([1, 0.5, 0, 0]);
    expect(() => routingStats(routing, Int32Array.from([0, 0, 1, 2]), 2)).toThrow('token 3 has domain 2, outside [0, 2)');
  });

  it('merging the stats of two halves equals the stats of the whole', () => {
    const half = (from: number): MoeRouting => ({
      tokens: 2,
      experts: 3,
      topK: 2,
      topIndices: routing.topIndices.slice(from * 2, from * 2 + 4),
      topWeights: routing.topWeights.slice(from * 2, from * 2 + 4),
      kept: routing.kept.slice(from * 2, from * 2 + 4),
      probs: routing.probs.slice(from * 3, from * 3 + 6),
      rowsPerExpert: new Int32Array(3),
      path: 'per-expert',
    });
    // Halves [t0, t1] and [t2, t3] each hold one domain: the merge must weight by tokens and pairs.
    const merged = mergeRoutingStats(routingStats(half(0), domains.slice(0, 2), 2), routingStats(half(2), domains.slice(2), 2));
    const whole = routingStats(routing, domains, 2);
    expect(merged.top1).toEqual(whole.top1);
    expect(merged.topk).toEqual(whole.topk);
    expect(merged.load).toEqual(whole.load);
    expect(merged.purity).toEqual(whole.purity);
    expect(merged.dropped).toEqual(whole.dropped);
    expect(merged.droppedFraction).toBeCloseTo(whole.droppedFraction, 12);
    expect(merged.entropy).toBeCloseTo(whole.entropy, 12);
    merged.meanProb.forEach((row, d) => row.forEach((v, e) => expect(v).toBeCloseTo(whole.meanProb[d][e], 12)));
  });
});
