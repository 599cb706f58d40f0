// Figures derived from one routing snapshot, for the heatmap and the load bars. Pure functions
// of the stored numbers: what the UI shows can always be traced back to the database.
import type { RoutingSnapshot } from '../../../shared/contract.ts';

export type RoutingMeasure = 'top1' | 'topk' | 'meanProb';

export const MEASURE_LABELS: Readonly<Record<RoutingMeasure, string>> = {
  top1: 'top-1 token counts',
  topk: 'top-k token counts',
  meanProb: 'mean router probability',
};

/** Each row divided by its sum (a domain's share of tokens per expert); zero rows stay zero. */
export function rowShares(grid: number[][]): number[][] {
  return grid.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (total > 0 ? v / total : 0));
  });
}

/** Fraction of all top-1 assignments that each expert received (f_i of the load-balancing loss). */
export function loadFractions(snapshot: RoutingSnapshot): number[] {
  const columns = snapshot.experts.map((_, e) => snapshot.top1.reduce((sum, row) => sum + (row[e] ?? 0), 0));
  const total = columns.reduce((a, b) => a + b, 0);
  return columns.map((c) => (total > 0 ? c / total : 0));
}

/** Mean router probability per expert over domains, weighted by each domain's token count. */
export function meanProbabilityPerExpert(snapshot: RoutingSnapshot): number[] {
  const weights = snapshot.top1.map((row) => row.reduce((a, b) => a + b, 0));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  return snapshot.experts.map((_, e) => {
    if (totalWeight === 0) return snapshot.meanProb.reduce((s, row) => s + (row[e] ?? 0), 0) / Math.max(1, snapshot.meanProb.length);
    return snapshot.meanProb.reduce((s, row, d) => s + (row[e] ?? 0) * weights[d]!, 0) / totalWeight;
  });
}

/** Share of each domain's tokens whose top-1 expert is that domain's own (same position). */
export function routingPurity(snapshot: RoutingSnapshot): (number | null)[] {
  return snapshot.domains.map((domain, d) => {
    const e = snapshot.experts.indexOf(domain);
    const row = snapshot.top1[d] ?? [];
    const total = row.reduce((a, b) => a + b, 0);
    const own = e >= 0 ? row[e] : row[d];
    return total > 0 && own !== undefined ? own / total : null;
  });
}

export function totalDropped(snapshot: RoutingSnapshot): number {
  return snapshot.dropped.reduce((a, b) => a + b, 0);
}

/** The last snapshot at or before `step` (playback), or the first one when none is that early. */
export function snapshotAt(snapshots: RoutingSnapshot[], step: number): RoutingSnapshot | null {
  let best: RoutingSnapshot | null = null;
  for (const s of snapshots) if (s.step <= step && (!best || s.step >= best.step)) best = s;
  return best ?? snapshots[0] ?? null;
}
