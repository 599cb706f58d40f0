// Which (token, expert) pairs are computed and in what row order: capacity assignment and
// grouping by expert, as plain typed arrays. The layer turns these into gather indices.

export interface DispatchPlan {
  /** Rows each expert may take; null when dropless. */
  capacity: number | null;
  /** [T*k] 1 where the pair is computed, 0 where capacity dropped it. */
  kept: Uint8Array;
  /** [N] rows each expert computes (= kept pairs routed to it). */
  rowsPerExpert: Int32Array;
  /** [P] token of each dispatched row; rows grouped by expert (0..N-1), token order inside a group. */
  rowToken: Int32Array;
  /** [P] pair index t*k + j of each dispatched row (to fetch its combine weight). */
  rowPair: Int32Array;
}

/**
 * capacity = ceil(capacityFactor * T * k / N). Pairs claim expert slots in priority order:
 * every token's first choice (in token order), then every second choice, and so on, as in
 * GShard; pairs arriving at a full expert are dropped and the token passes through the residual.
 * A null capacityFactor is dropless: every pair is kept.
 */
export function planDispatch(topIndices: Int32Array, tokens: number, experts: number, k: number, capacityFactor: number | null): DispatchPlan {
  if (topIndices.length !== tokens * k) throw new Error(`topIndices has ${topIndices.length} values, expected ${tokens} x ${k}`);
  if (capacityFactor !== null && !(capacityFactor > 0 && Number.isFinite(capacityFactor))) {
    throw new Error(`capacityFactor must be a positive number or null (dropless), got ${capacityFactor}`);
  }
  // The small relative slack keeps float noise (1.1 * 4096 * 2 / 8 = 1126.4000000000001) from adding a slot.
  const capacity = capacityFactor === null ? null : Math.max(1, Math.ceil(((capacityFactor * tokens * k) / experts) * (1 - 1e-12)));
  const kept = new Uint8Array(tokens * k);
  const rowsPerExpert = new Int32Array(experts);
  for (let j = 0; j < k; j++) {
    for (let t = 0; t < tokens; t++) {
      const pair = t * k + j;
      const e = topIndices[pair];
      if (e < 0 || e >= experts) throw new Error(`expert index ${e} out of range [0, ${experts}) at token ${t}`);
      if (capacity !== null && rowsPerExpert[e] >= capacity) continue;
      kept[pair] = 1;
      rowsPerExpert[e]++;
    }
  }
  // Counting sort of kept pairs by expert; scanning pairs in token order keeps token order inside a group.
  const start = new Int32Array(experts + 1);
  for (let e = 0; e < experts; e++) start[e + 1] = start[e] + rowsPerExpert[e];
  const rows = start[experts];
  const rowToken = new Int32Array(rows);
  const rowPair = new Int32Array(rows);
  const next = start.slice(0, experts);
  for (let pair = 0; pair < tokens * k; pair++) {
    if (kept[pair] === 0) continue;
    const r = next[topIndices[pair]]++;
    rowToken[r] = (pair / k) | 0;
    rowPair[r] = pair;
  }
  return { capacity, kept, rowsPerExpert, rowToken, rowPair };
}
