// Test metrics from plain arrays: classification (accuracy, macro-F1, confusion matrix),
// regression (RMSE, MAE) and ranking of one positive among sampled negatives (AUC, HR@10, NDCG@10).

export function accuracy(truth: ArrayLike<number>, pred: ArrayLike<number>): number {
  if (truth.length !== pred.length) throw new Error(`accuracy: ${truth.length} targets but ${pred.length} predictions`);
  if (truth.length === 0) return 0;
  let hit = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === pred[i]) hit++;
  return hit / truth.length;
}

/** matrix[t][p] = count of rows with true class t predicted as p. */
export function confusionMatrix(truth: ArrayLike<number>, pred: ArrayLike<number>, classes: number): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < truth.length; i++) m[truth[i]][pred[i]]++;
  return m;
}

/**
 * Unweighted mean of per-class F1 over the classes that occur in the targets or the predictions
 * (as scikit-learn's f1_score(average='macro') with its default labels); F1 = 0 where P + R = 0.
 */
export function macroF1(truth: ArrayLike<number>, pred: ArrayLike<number>, classes: number): number {
  const m = confusionMatrix(truth, pred, classes);
  let sum = 0;
  let present = 0;
  for (let c = 0; c < classes; c++) {
    const tp = m[c][c];
    let actual = 0;
    let predicted = 0;
    for (let o = 0; o < classes; o++) {
      actual += m[c][o];
      predicted += m[o][c];
    }
    if (actual === 0 && predicted === 0) continue;
    present++;
    sum += (2 * tp) / (actual + predicted);
  }
  return present === 0 ? 0 : sum / present;
}

export function rmse(truth: ArrayLike<number>, pred: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < truth.length; i++) s += (truth[i] - pred[i]) ** 2;
  return truth.length === 0 ? 0 : Math.sqrt(s / truth.length);
}

export function mae(truth: ArrayLike<number>, pred: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < truth.length; i++) s += Math.abs(truth[i] - pred[i]);
  return truth.length === 0 ? 0 : s / truth.length;
}

/**
 * Ranking of each positive against its own sampled negatives (leave-one-out protocol of NCF):
 * AUC = share of negatives scored below the positive (ties count half), HR@10 = positive in the
 * top 10, NDCG@10 = 1 / log2(rank + 2) when it is (rank 0-based, ties counted against the positive).
 */
export function rankingMetrics(positiveScores: ArrayLike<number>, negativeScores: ArrayLike<number>[]): { auc: number; hit_rate_10: number; ndcg_10: number } {
  if (positiveScores.length !== negativeScores.length) throw new Error(`ranking: ${positiveScores.length} positives but ${negativeScores.length} negative lists`);
  const n = positiveScores.length;
  if (n === 0) return { auc: 0, hit_rate_10: 0, ndcg_10: 0 };
  let auc = 0;
  let hits = 0;
  let ndcg = 0;
  for (let i = 0; i < n; i++) {
    const pos = positiveScores[i];
    const negs = negativeScores[i];
    let below = 0;
    let ties = 0;
    for (let j = 0; j < negs.length; j++) {
      if (negs[j] < pos) below++;
      else if (negs[j] === pos) ties++;
    }
    auc += negs.length === 0 ? 1 : (below + ties / 2) / negs.length;
    const rank = negs.length - below;
    if (rank < 10) {
      hits++;
      ndcg += 1 / Math.log2(rank + 2);
    }
  }
  return { auc: auc / n, hit_rate_10: hits / n, ndcg_10: ndcg / n };
}
