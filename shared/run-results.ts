// What a finished run stored as its result, one schema per kind of run, as `runs.show` sends it:
// tagged with `type` so the UI narrows on it instead of re-parsing records by hand. The engine
// stores results untagged (runs.finish); electron/api/handlers/run-result.ts tags and checks them.
import { z } from 'zod';
import { ROUTER_METHODS } from './config.ts';
import { RUN_STATUSES } from './domain.ts';

const RunId = z.number().int().positive();

/** A metric value; null where the engine produced no number (JSON stores NaN as null). */
const MetricValue = z.number().nullable();
/** Metric name -> value. */
export const MetricValues = z.record(z.string(), MetricValue);
export type MetricValues = z.infer<typeof MetricValues>;
/** Dataset name -> metric name -> value. */
export const DomainMetrics = z.record(z.string(), MetricValues);
export type DomainMetrics = z.infer<typeof DomainMetrics>;

/** Per dataset: the metric that picks the best (its first) and which way is better. */
export const Selection = z.record(z.string(), z.object({ metric: z.string(), higher_is_better: z.boolean() }));

export const Confusion = z.object({
  labels: z.array(z.string()),
  /** Rows: true label; columns: predicted label. */
  matrix: z.array(z.array(z.number())),
  /** Per cell, a few example inputs that landed there (no run stores these yet). */
  examples: z.array(z.array(z.array(z.string()))).optional(),
});
export type Confusion = z.infer<typeof Confusion>;

/** One trial of an auto-tuned expert (electron/api/tuning.ts). */
export const TuneTrial = z.object({
  run: RunId,
  status: z.enum(RUN_STATUSES),
  /** The config fields this trial changed (tune-space.ts); empty for the defaults. */
  overrides: z.object({ learning_rate: z.number(), epochs: z.number().int(), batch_size: z.number().int(), model: z.object({ dim: z.number().int(), hidden: z.number().int() }).partial() }).partial(),
  validation: MetricValues.nullable(),
  seconds: z.number(),
});

export const ExpertRunResult = z.object({
  type: z.literal('expert'),
  /** Absent only for a tuning cancelled before it chose a trial. */
  metrics: z.object({ test: MetricValues, validation: MetricValues }).optional(),
  epochsRun: z.number().int().optional(),
  bestEpoch: z.number().int().optional(),
  confusion: Confusion.optional(),
  /** An auto-tuned expert: the trials, and the one chosen (absent when cancelled). */
  tune: z
    .object({
      budget_s: z.number(),
      seconds: z.number().optional(),
      selected_by: z.string().optional(),
      chosen: RunId.optional(),
      trials: z.array(TuneTrial),
    })
    .optional(),
});
export type ExpertRunResult = z.infer<typeof ExpertRunResult>;

export const AssemblyRunResult = z.object({
  type: z.literal('assembly'),
  metrics: z.object({ test: DomainMetrics }),
  /** The same test splits under the domain's own expert, a uniform mix and a dense multi-task model (empty after a removal). */
  baselines: z.object({ expert: DomainMetrics, uniform: DomainMetrics, dense: DomainMetrics }),
  /** Dataset -> retention of its own expert on its first metric, as the engine computed it (retention.ts); absent in runs older than issue 10. */
  retention: z.record(z.string(), z.number()).optional(),
  routing: z.object({
    /** Dataset -> share of its test tokens whose top-1 expert is its own. */
    purity: z.record(z.string(), z.number()),
    /** Share of all test tokens whose top-1 is each expert, in router order. */
    load: z.array(z.number()),
    /** Mean router entropy, in nats. */
    entropy: z.number(),
    dropped: z.number(),
  }),
  /** How the router was built; absent in runs older than issue 10. */
  router: z.object({ method: z.enum(ROUTER_METHODS), build_s: z.number() }).optional(),
  /** Workers the job trained on: 2 when its dense baseline trained on a second worker beside joint fine-tuning; absent in older runs. */
  workers: z.number().int().min(1).optional(),
  /** A removal: the parent's test metrics on the remaining domains ... */
  before: DomainMetrics.optional(),
  /** ... and the dataset whose expert was removed. */
  removed: z.string().optional(),
});
export type AssemblyRunResult = z.infer<typeof AssemblyRunResult>;

export const RouterBenchMethod = z.object({
  /** The child assembly run (null before it starts). */
  run: RunId.nullable(),
  status: z.enum([...RUN_STATUSES, 'pending']),
  /** Dataset -> metric -> test value. */
  metrics: z.record(z.string(), z.record(z.string(), z.number())),
  /** Dataset -> retention of its own expert on its first metric (computed by the engine). */
  retention: z.record(z.string(), z.number()),
  /** Dataset -> share of its test tokens whose top-1 expert is its own. */
  purity: z.record(z.string(), z.number()),
  /** Mean router entropy over all test tokens, in nats (null until the child completes). */
  entropy: z.number().nullable(),
  /** Share of all test tokens whose top-1 is each expert, in router order (empty until the child completes). */
  load: z.array(z.number()),
  /** Seconds to build the router (joint: init plus fine-tuning); null until the child completes. */
  build_s: z.number().nullable(),
  /** Dataset -> this method's value minus oracle's, on the selection metric (absent without a completed oracle). */
  from_oracle: z.record(z.string(), z.number()),
  error: z.string().nullable(),
});
export type RouterBenchMethod = z.infer<typeof RouterBenchMethod>;

/** A router bench's parent run (electron/api/router-bench.ts): each method's row, the best per dataset. */
export const RouterBenchRunResult = z.object({
  type: z.literal('router-bench'),
  methods: z.record(z.string(), RouterBenchMethod),
  best: z.record(z.string(), z.enum(ROUTER_METHODS)),
  selection: Selection,
});

/** A sweep's parent run (electron/api/sweeps.ts): the best trial per dataset. */
export const SweepRunResult = z.object({
  type: z.literal('sweep'),
  best: z.record(z.string(), RunId),
  best_index: z.record(z.string(), z.number().int()),
  selection: Selection,
});

/** A model imported from an export folder: the source run's test metrics, per dataset. */
/** A shared anchor encoder's run: its own heads' metrics per dataset, for reference (experts use only its encoder). */
export const AnchorRunResult = z.object({
  type: z.literal('anchor'),
  modality: z.enum(['text', 'image', 'interaction']),
  metrics: z.object({ test: DomainMetrics, validation: MetricValues }),
  epochsRun: z.number().int(),
  bestEpoch: z.number().int(),
});
export type AnchorRunResult = z.infer<typeof AnchorRunResult>;

export const ImportRunResult = z.object({
  type: z.literal('import'),
  source_run: z.number().int(),
  datasets: z.array(z.object({ name: z.string(), version: z.string() })),
  test: DomainMetrics,
});

/** A stored result that matches none of the above (a run from an unknown version): its numbers, and why. */
export const UnreadableRunResult = z.object({
  type: z.literal('unreadable'),
  reason: z.string(),
  /** Every number in the stored result, by dotted path. */
  values: z.array(z.tuple([z.string(), z.number()])),
});

export const RunResult = z.discriminatedUnion('type', [ExpertRunResult, AnchorRunResult, AssemblyRunResult, RouterBenchRunResult, SweepRunResult, ImportRunResult, UnreadableRunResult]);
export type RunResult = z.infer<typeof RunResult>;
export type RunResultType = RunResult['type'];
