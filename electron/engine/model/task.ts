// A task is a domain as the model sees it: its kind, label set, rating scale and metric names.
// Computed once from the dataset (train split) and written into bundles.
import { IMPLICIT_RECOMMENDATION_METRICS, LOWER_IS_BETTER, METRICS_OF, MODALITY_OF, type DomainKind, type Modality } from '../../../shared/domain.ts';
import { SPLIT_CODE, type AnyLoadedDataset, type LoadedDataset } from '../datasets/types.ts';
import { idVocabOf, type IdVocab } from './id-vocab.ts';
import type { ModelShape } from '../../../shared/config.ts';

/** Explicit ratings: the head predicts mean + scale * output; predictions are clamped to [min, max]. */
export interface RatingScale {
  mean: number;
  scale: number;
  min: number;
  max: number;
}

export interface TaskSpec {
  /** The dataset name. */
  name: string;
  kind: DomainKind;
  modality: Modality;
  /** Classes or tags (sorted); empty for recommendation. */
  labels: string[];
  implicit: boolean;
  /** Explicit recommendation only. */
  rating: RatingScale | null;
  /** Test metric names, in report order. */
  metrics: string[];
  /** Recommendation with exact ids: the training split's users and items (see id-vocab.ts); else null. */
  ids: IdVocab | null;
  /**
   * The model sizes this task's expert was trained with: its data is featurized with them (text
   * length, buckets, context, ids, patch). Experts of one assembly share only the token width.
   */
  shape: ModelShape;
}

export type HeadKind = 'token_softmax' | 'pooled_softmax' | 'rating' | 'logistic';

export function headKindOf(task: Pick<TaskSpec, 'kind' | 'implicit'>): HeadKind {
  switch (task.kind) {
    case 'syntax':
      return 'token_softmax';
    case 'semantics':
    case 'texture':
      return 'pooled_softmax';
    case 'recommendation':
      return task.implicit ? 'logistic' : 'rating';
  }
}

export function metricNamesOf(kind: DomainKind, implicit: boolean): string[] {
  return kind === 'recommendation' && implicit ? [...IMPLICIT_RECOMMENDATION_METRICS] : [...METRICS_OF[kind]];
}

/** The task of `dataset` for an expert of `shape` (with exact ids, recommendation carries its id vocabulary). */
export function taskSpecOf(dataset: AnyLoadedDataset, shape: ModelShape): TaskSpec {
  const implicit = dataset.kind === 'recommendation' && dataset.implicit;
  if (dataset.kind !== 'recommendation' && dataset.labels.length < 2) {
    throw new Error(`dataset ${dataset.name} has ${dataset.labels.length} label(s); a ${dataset.kind} task needs at least 2`);
  }
  return {
    name: dataset.name,
    kind: dataset.kind,
    modality: MODALITY_OF[dataset.kind],
    labels: dataset.kind === 'recommendation' ? [] : [...dataset.labels],
    implicit,
    rating: dataset.kind === 'recommendation' && !implicit ? ratingScaleOf(dataset as LoadedDataset<'recommendation'>) : null,
    metrics: metricNamesOf(dataset.kind, implicit),
    shape: { ...shape },
    ids: dataset.kind === 'recommendation' && shape.ids === 'exact' ? idVocabOf((dataset as LoadedDataset<'recommendation'>).records.filter((_, i) => dataset.split[i] === SPLIT_CODE.train)) : null,
  };
}

function ratingScaleOf(dataset: LoadedDataset<'recommendation'>): RatingScale {
  const train = dataset.records.filter((_, i) => dataset.split[i] === SPLIT_CODE.train).map((r) => r.rating);
  if (train.length === 0) throw new Error(`dataset ${dataset.name} has no training ratings`);
  const mean = train.reduce((a, b) => a + b, 0) / train.length;
  const variance = train.reduce((a, r) => a + (r - mean) ** 2, 0) / train.length;
  const std = Math.sqrt(variance);
  return { mean, scale: std > 1e-6 ? std : 1, min: train.reduce((a, b) => Math.min(a, b)), max: train.reduce((a, b) => Math.max(a, b)) };
}

/** The metric that early stopping and "best" use: the first test metric (accuracy, rmse or auc). */
export function selectionMetric(task: TaskSpec): { name: string; higherIsBetter: boolean } {
  const name = task.metrics[0];
  return { name, higherIsBetter: !LOWER_IS_BETTER.has(name) };
}
