// Starting point of a rating expert: the user and item biases of the classic baseline predictor
// r ~ mu + b_u + b_i (Koren 2008), fitted in closed form by alternating ridge regressions on the
// training split, with the ridge strength chosen on the validation split. The network then learns
// what the biases miss; early stopping keeps it from ending worse than this start.
import { SPLIT_CODE } from '../datasets/types.ts';

/** Ridge strengths tried (in ratings per user or item: a row seen n times shrinks by n / (n + lambda)). */
export const BIAS_LAMBDAS = [1, 3, 5, 10, 25] as const;
/** Alternating sweeps; the biases move by well under 1e-3 after this many on rating data. */
export const BIAS_SWEEPS = 15;

export interface BiasFit {
  /** Bias per user row and item row, in the head's normalized units ((rating - mean) / scale). */
  user: Float32Array;
  item: Float32Array;
  lambda: number;
  validationRmse: number | null;
}

/**
 * `users`/`items`: the row of every record; `ratings` of every record; `split`: SPLIT_CODE per
 * record; `mean`, `scale`: the task's rating normalization. Rows outside the training split keep 0.
 */
export function fitRatingBiases(
  users: Int32Array,
  items: Int32Array,
  ratings: Float32Array,
  split: Uint8Array,
  userRows: number,
  itemRows: number,
  mean: number,
  scale: number,
): BiasFit {
  const train: number[] = [];
  const validation: number[] = [];
  split.forEach((c, i) => {
    if (c === SPLIT_CODE.train) train.push(i);
    else if (c === SPLIT_CODE.validation) validation.push(i);
  });
  const fit = (lambda: number): { user: Float64Array; item: Float64Array } => {
    const bu = new Float64Array(userRows);
    const bi = new Float64Array(itemRows);
    const sum = (rows: number): Float64Array => new Float64Array(rows);
    for (let s = 0; s < BIAS_SWEEPS; s++) {
      const su = sum(userRows);
      const nu = sum(userRows);
      for (const r of train) {
        su[users[r]] += ratings[r] - mean - bi[items[r]];
        nu[users[r]]++;
      }
      for (let u = 0; u < userRows; u++) bu[u] = su[u] / (nu[u] + lambda);
      const si = sum(itemRows);
      const ni = sum(itemRows);
      for (const r of train) {
        si[items[r]] += ratings[r] - mean - bu[users[r]];
        ni[items[r]]++;
      }
      for (let i = 0; i < itemRows; i++) bi[i] = si[i] / (ni[i] + lambda);
    }
    return { user: bu, item: bi };
  };
  const rmseOf = (b: { user: Float64Array; item: Float64Array }): number => {
    let se = 0;
    for (const r of validation) se += (ratings[r] - (mean + b.user[users[r]] + b.item[items[r]])) ** 2;
    return Math.sqrt(se / validation.length);
  };
  let best: { lambda: number; b: ReturnType<typeof fit>; rmse: number | null } | null = null;
  for (const lambda of validation.length > 0 ? BIAS_LAMBDAS : [BIAS_LAMBDAS[2]]) {
    const b = fit(lambda);
    const rmse = validation.length > 0 ? rmseOf(b) : null;
    if (best === null || (rmse !== null && best.rmse !== null && rmse < best.rmse)) best = { lambda, b, rmse };
  }
  const chosen = best!;
  return {
    user: Float32Array.from(chosen.b.user, (v) => v / scale),
    item: Float32Array.from(chosen.b.item, (v) => v / scale),
    lambda: chosen.lambda,
    validationRmse: chosen.rmse,
  };
}
