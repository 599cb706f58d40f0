// Domain vocabulary shared by engine, store, hosts and UI: kinds, formats, records, metrics.

export const DOMAIN_KINDS = ['syntax', 'semantics', 'texture', 'recommendation'] as const;
export type DomainKind = (typeof DOMAIN_KINDS)[number];

export type Modality = 'text' | 'image' | 'interaction';
export const MODALITY_OF: Readonly<Record<DomainKind, Modality>> = {
  syntax: 'text',
  semantics: 'text',
  texture: 'image',
  recommendation: 'interaction',
};

/** Input formats per kind; the first is the default when --format is not given and detection fails. */
export const FORMATS_OF = {
  syntax: ['conllu', 'jsonl'],
  semantics: ['csv', 'tsv', 'jsonl'],
  texture: ['folder', 'csv'],
  recommendation: ['csv', 'tsv', 'movielens'],
} as const satisfies Record<DomainKind, readonly string[]>;
export type DatasetFormat = (typeof FORMATS_OF)[DomainKind][number];

/** Images are decoded and resized to this square (RGB) at registration; the model sees only this. */
export const IMAGE_SIZE = 32;

// Normalized records: what a registered dataset version holds, whatever file it came from.
export interface SyntaxRecord { tokens: string[]; tags: string[] }
export interface SemanticsRecord { text: string; label: string }
/** `pixels`: IMAGE_SIZE x IMAGE_SIZE x 3 bytes, row-major RGB, base64. */
export interface TextureRecord { pixels: string; label: string; source: string }
export interface RecommendationRecord { user: string; item: string; rating: number; timestamp?: number }
export interface RecordOf {
  syntax: SyntaxRecord;
  semantics: SemanticsRecord;
  texture: TextureRecord;
  recommendation: RecommendationRecord;
}
export type AnyRecord = RecordOf[DomainKind];

export const SPLITS = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLITS)[number];

export const RUN_KINDS = ['expert', 'assembly', 'replay', 'eval', 'import', 'anchor'] as const;
export type RunKind = (typeof RUN_KINDS)[number];
export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** Test metrics per kind; `higherIsBetter` says how retention is computed (assembly/expert or expert/assembly). */
export const METRICS_OF = {
  syntax: ['accuracy', 'macro_f1'],
  semantics: ['accuracy', 'macro_f1'],
  texture: ['accuracy', 'macro_f1'],
  recommendation: ['rmse', 'mae'],
} as const;
export const IMPLICIT_RECOMMENDATION_METRICS = ['auc', 'hit_rate_10', 'ndcg_10'] as const;
export const LOWER_IS_BETTER: ReadonlySet<string> = new Set(['rmse', 'mae', 'loss']);

/** A validation problem, always tied to a place in the user's input. */
export interface InputProblem {
  file: string;
  /** 1-based line, or null where the place is a whole file or an image. */
  line: number | null;
  message: string;
}
