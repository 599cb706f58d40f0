// Evaluation of one task of a model on one split: batched inference (no noise, dropless), the
// task's metrics, the confusion matrix for pooled classifiers, and the routing of every token.
import * as tf from '@tensorflow/tfjs';
import type { SplitName } from '../../../shared/domain.ts';
import type { MoeRouting } from '../model/moe/moe-layer.ts';
import { mergeRoutingStats, routingStats, type RoutingStats } from '../model/moe/routing-stats.ts';
import { forward, type MultiTaskModel } from '../model/multitask-model.ts';
import { createRng, deriveSeed } from '../rng.ts';
import { headKindOf } from '../model/task.ts';
import { buildBatch, sampleNegative, type DomainData } from '../data/domain-data.ts';
import { buildInteractionInput } from '../model/encoders/interaction-encoder.ts';
import type { EncoderInput } from '../model/encoders/encoder.ts';
import { accuracy, confusionMatrix, macroF1, mae, rankingMetrics, rmse } from './metrics.ts';

/** Negatives ranked against each test positive (implicit feedback). */
export const RANKING_NEGATIVES = 99;
/** Samples per inference batch. */
export const EVAL_BATCH = 64;

export interface TaskEvaluation {
  metrics: Record<string, number>;
  confusion?: { labels: string[]; matrix: number[][] };
  /** MoE models: routing statistics of every evaluated token (all counted as this task's domain); null otherwise. */
  routing: RoutingStats | null;
}

/** Head outputs [rows, width] of one batch of one task (inference mode), read back, with the batch's routing. */
export function infer(model: MultiTaskModel, task: number, input: EncoderInput): { out: Float32Array; width: number; routing: MoeRouting | null } {
  const host: { routing: MoeRouting | null } = { routing: null };
  const out = tf.tidy(() => {
    const r = forward(model, [{ task, input }], { training: false, noiseSeed: 0 });
    host.routing = r.routing;
    return r.outputs[0];
  });
  const data = (out.dataSync() as Float32Array).slice();
  const width = out.shape[1];
  out.dispose();
  return { out: data, width, routing: host.routing };
}

function argmaxRows(out: Float32Array, width: number): Int32Array {
  const rows = out.length / width;
  const pred = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < width; c++) if (out[r * width + c] > out[r * width + best]) best = c;
    pred[r] = best;
  }
  return pred;
}

/**
 * Metrics of `model`'s task `task` on `split` of `data`. `seed` fixes the ranking negatives of
 * implicit feedback (the same seed gives every model the same negatives). An empty split gives
 * metrics of 0.
 */
export function evaluateTask(model: MultiTaskModel, task: number, data: DomainData, split: SplitName, seed: number, batchSize = EVAL_BATCH): TaskEvaluation {
  const spec = model.tasks[task];
  const records = data.splits[split];
  const stats: RoutingStats[] = [];
  const keep = (r: MoeRouting | null): void => {
    if (r !== null) stats.push(routingStats(r, new Int32Array(r.tokens).fill(task), model.tasks.length));
  };
  const merged = (): RoutingStats | null => (stats.length === 0 ? null : mergeRoutingStats(...stats));
  const kind = headKindOf(spec);

  if (kind === 'logistic') {
    const p = data.prepared;
    if (p.modality !== 'interaction') throw new Error('implicit feedback needs interaction data');
    const rng = createRng(deriveSeed(seed, 'ranking', spec.name, split));
    const per = 1 + RANKING_NEGATIVES;
    const positives: number[] = [];
    const negatives: Float32Array[] = [];
    const chunk = Math.max(1, Math.floor(1024 / per));
    for (let start = 0; start < records.length; start += chunk) {
      const ids = records.subarray(start, start + chunk);
      const users = new Int32Array(ids.length * per);
      const items = new Int32Array(ids.length * per);
      ids.forEach((r, j) => {
        users.fill(p.users[r], j * per, (j + 1) * per);
        items[j * per] = p.items[r];
        for (let n = 1; n < per; n++) items[j * per + n] = sampleNegative(p.itemUniverse, p.positives.get(p.users[r]), rng);
      });
      const { out, routing } = infer(model, task, buildInteractionInput(users, items));
      keep(routing);
      for (let j = 0; j < ids.length; j++) {
        positives.push(out[j * per]);
        negatives.push(out.slice(j * per + 1, (j + 1) * per));
      }
    }
    return { metrics: rankingMetrics(positives, negatives), routing: merged() };
  }

  const truth: number[] = [];
  const pred: number[] = [];
  for (let start = 0; start < records.length; start += batchSize) {
    const batch = buildBatch(data, records.subarray(start, start + batchSize), null);
    const { out, width, routing } = infer(model, task, batch.input);
    keep(routing);
    if ('classes' in batch.targets) {
      truth.push(...batch.targets.classes);
      pred.push(...argmaxRows(out, width));
    } else {
      const r = spec.rating;
      if (r === null) throw new Error(`task ${spec.name} has no rating scale`);
      truth.push(...batch.targets.values);
      for (const v of out) pred.push(Math.min(r.max, Math.max(r.min, r.mean + r.scale * v)));
    }
  }
  if (kind === 'rating') return { metrics: { rmse: rmse(truth, pred), mae: mae(truth, pred) }, routing: merged() };
  const classes = spec.labels.length;
  const metrics = { accuracy: accuracy(truth, pred), macro_f1: macroF1(truth, pred, classes) };
  const confusion = kind === 'pooled_softmax' ? { labels: [...spec.labels], matrix: confusionMatrix(truth, pred, classes) } : undefined;
  return { metrics, ...(confusion ? { confusion } : {}), routing: merged() };
}
