// Routing statistics per domain and expert, from the routing the MoE layer read back: what
// the UI plots and the run records keep. Plain arithmetic on typed arrays, no tensors.
import type { MoeRouting } from './moe-layer.ts';

export interface RoutingStats {
  /** [domain][expert] number of tokens whose top-1 choice is the expert. */
  top1: number[][];
  /** [domain][expert] number of (token, expert) choices among the top-k, kept or dropped. */
  topk: number[][];
  /** [domain][expert] mean router probability (noise-free) over the domain's tokens. */
  meanProb: number[][];
  /** [domain] fraction of the domain's chosen pairs dropped by capacity. */
  dropped: number[];
  /** [expert] fraction of all tokens whose top-1 is the expert. */
  load: number[];
  /** Mean router entropy over tokens, in nats (ln N when uniform). */
  entropy: number;
  /** Fraction of all chosen pairs dropped by capacity. */
  droppedFraction: number;
  /** [domain] share of the domain's tokens whose top-1 is expert number `domain` (0 if that expert does not exist). */
  purity: number[];
}

/**
 * Statistics of one routing; `domainOfToken[t]` in [0, numDomains). Means and fractions of a
 * domain without tokens are 0.
 */
export function routingStats(routing: MoeRouting, domainOfToken: Int32Array, numDomains: number): RoutingStats {
  const { tokens, experts, topK } = routing;
  if (domainOfToken.length !== tokens) throw new Error(`domainOfToken has ${domainOfToken.length} entries for ${tokens} tokens`);
  const zeros = (): number[][] => Array.from({ length: numDomains }, () => new Array<number>(experts).fill(0));
  const top1 = zeros();
  const topk = zeros();
  const probSum = zeros();
  const droppedPairs = new Array<number>(numDomains).fill(0);
  let entropySum = 0;
  for (let t = 0; t < tokens; t++) {
    const d = domainOfToken[t];
    if (!(d >= 0 && d < numDomains)) throw new Error(`token ${t} has domain ${d}, outside [0, ${numDomains})`);
    top1[d][routing.topIndices[t * topK]] += 1;
    for (let j = 0; j < topK; j++) {
      topk[d][routing.topIndices[t * topK + j]] += 1;
      if (routing.kept[t * topK + j] === 0) droppedPairs[d] += 1;
    }
    for (let e = 0; e < experts; e++) {
      const p = routing.probs[t * experts + e];
      probSum[d][e] += p;
      if (p > 0) entropySum -= p * Math.log(p);
    }
  }
  return finish(top1, topk, probSum, droppedPairs, entropySum, topK);
}

/**
 * Statistics of several routings taken as one (e.g. the batches of an evaluation): counts add,
 * means are weighted by tokens, fractions by pairs. Exact: merging the stats of two batches
 * equals the stats of the two batches together.
 */
export function mergeRoutingStats(...parts: RoutingStats[]): RoutingStats {
  if (parts.length === 0) throw new Error('mergeRoutingStats needs at least one RoutingStats');
  const domains = parts[0].top1.length;
  const experts = parts[0].load.length;
  if (parts.some((p) => p.top1.length !== domains || p.load.length !== experts)) throw new Error('cannot merge routing stats of different domain or expert counts');
  const topK = inferTopK(parts);
  const zeros = (): number[][] => Array.from({ length: domains }, () => new Array<number>(experts).fill(0));
  const top1 = zeros();
  const topk = zeros();
  const probSum = zeros();
  const droppedPairs = new Array<number>(domains).fill(0);
  let entropySum = 0;
  for (const p of parts) {
    for (let d = 0; d < domains; d++) {
      const tokens = sum(p.top1[d]);
      const pairs = sum(p.topk[d]);
      for (let e = 0; e < experts; e++) {
        top1[d][e] += p.top1[d][e];
        topk[d][e] += p.topk[d][e];
        probSum[d][e] += p.meanProb[d][e] * tokens;
      }
      droppedPairs[d] += p.dropped[d] * pairs;
    }
    entropySum += p.entropy * sum(p.top1.map(sum));
  }
  return finish(top1, topk, probSum, droppedPairs, entropySum, topK);
}

function finish(top1: number[][], topk: number[][], probSum: number[][], droppedPairs: number[], entropySum: number, topK: number): RoutingStats {
  const domains = top1.length;
  const experts = domains > 0 ? top1[0].length : 0;
  const domainTokens = top1.map(sum);
  const tokens = sum(domainTokens);
  const pairs = tokens * topK;
  const share = (a: number, b: number): number => (b > 0 ? a / b : 0);
  const load = new Array<number>(experts).fill(0);
  for (let e = 0; e < experts; e++) for (let d = 0; d < domains; d++) load[e] += top1[d][e];
  return {
    top1,
    topk,
    meanProb: probSum.map((row, d) => row.map((s) => share(s, domainTokens[d]))),
    dropped: droppedPairs.map((n, d) => share(n, domainTokens[d] * topK)),
    load: load.map((n) => share(n, tokens)),
    entropy: share(entropySum, tokens),
    droppedFraction: share(sum(droppedPairs), pairs),
    purity: top1.map((row, d) => share(d < experts ? row[d] : 0, domainTokens[d])),
  };
}

/** k from the counts: every token has one top-1 and k top-k entries. */
function inferTopK(parts: readonly RoutingStats[]): number {
  const tokens = parts.reduce((a, p) => a + sum(p.top1.map(sum)), 0);
  const pairs = parts.reduce((a, p) => a + sum(p.topk.map(sum)), 0);
  return tokens > 0 ? Math.round(pairs / tokens) : 1;
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
