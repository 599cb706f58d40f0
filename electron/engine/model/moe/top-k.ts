// Per-token top-k expert choice on the router scores read back from the device. Done in JS
// because the indices are needed on the host anyway to build the dispatch groups.

/**
 * For each of `tokens` rows of `scores` ([tokens * experts], row-major), the `k` experts
 * with the highest score, best first. Ties go to the lower expert index; NaN counts as
 * -Infinity, so every token always gets k distinct experts even if the router diverged.
 */
export function selectTopK(scores: ArrayLike<number>, tokens: number, experts: number, k: number): Int32Array {
  if (!Number.isInteger(k) || k < 1 || k > experts) throw new Error(`topK must be an integer in [1, ${experts}], got ${k}`);
  if (scores.length !== tokens * experts) throw new Error(`scores has ${scores.length} values, expected ${tokens} x ${experts}`);
  const out = new Int32Array(tokens * k);
  const bestVal = new Float64Array(k);
  for (let t = 0; t < tokens; t++) {
    const base = t * k;
    out.fill(-1, base, base + k);
    for (let e = 0; e < experts; e++) {
      let v = scores[t * experts + e];
      if (Number.isNaN(v)) v = -Infinity;
      // Slot where e goes: past every filled slot whose value is >= v (ties keep the earlier expert).
      let pos = k;
      while (pos > 0 && (out[base + pos - 1] === -1 || v > bestVal[pos - 1])) pos--;
      if (pos === k) continue;
      for (let j = k - 1; j > pos; j--) {
        out[base + j] = out[base + j - 1];
        bestVal[j] = bestVal[j - 1];
      }
      out[base + pos] = e;
      bestVal[pos] = v;
    }
  }
  return out;
}
