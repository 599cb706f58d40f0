// The one API contract between the UI and the engine. Every method's request and response and
// every event is declared here once, with zod; both transports (Electron IPC, serve's HTTP +
// WebSocket) carry exactly these messages, and the receiving side validates each one.
import { z } from 'zod';
import { AssemblyConfig, ExpertConfig, ROUTER_METHODS } from './config.ts';
import { BACKENDS, DOMAIN_KINDS, RUN_KINDS, RUN_STATUSES, SPLITS } from './domain.ts';
import { EXPLAIN_FILTERS, Explanation, Sweep, SweepRequest } from './explore.ts';
import { RouterBenchMethod, RunResult, Selection } from './run-results.ts';

export { RouterBenchMethod, RunResult };

const RunId = z.number().int().positive();
const Kind = z.enum(DOMAIN_KINDS);
const MetricMap = z.record(z.string(), z.number());

export const Info = z.object({
  backend: z.enum(BACKENDS),
  versions: z.object({ node: z.string(), tfjs: z.string(), app: z.string() }),
  home: z.string(),
  /** Why the native backend is not in use, when it is not (shown as a hint). */
  nativeBackendHint: z.string().nullable(),
});

export const Problem = z.object({ file: z.string(), line: z.number().int().nullable(), message: z.string() });

export const DatasetSummary = z.object({
  name: z.string(),
  kind: Kind,
  format: z.string(),
  version: z.string(),
  versions: z.number().int(),
  counts: z.object({ train: z.number().int(), validation: z.number().int(), test: z.number().int() }),
  labels: z.array(z.string()),
  warnings: z.array(z.string()),
  implicit: z.boolean(),
  createdAt: z.string(),
});
export type DatasetSummary = z.infer<typeof DatasetSummary>;

export const DatasetDetail = DatasetSummary.extend({
  stats: z.record(z.string(), z.unknown()),
  /** A few normalized records for a preview (images as base64 RGB at IMAGE_SIZE). */
  preview: z.array(z.record(z.string(), z.unknown())),
  source: z.string(),
  splitSeed: z.number().int(),
});
export type DatasetDetail = z.infer<typeof DatasetDetail>;

export const AddDataset = z
  .object({
    path: z.string().min(1),
    kind: Kind,
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'letters, digits, _ . - (up to 64), starting with a letter or digit'),
    format: z.string().optional(),
    textCol: z.string().optional(),
    labelCol: z.string().optional(),
    implicit: z.boolean().optional(),
    seed: z.number().int().min(0).optional(),
  })
  .strict();
export type AddDataset = z.infer<typeof AddDataset>;

export const AddDatasetResult = z.object({
  dataset: DatasetSummary,
  /** false when identical data was already registered under this name (nothing was written). */
  created: z.boolean(),
});

export const RunSummary = z.object({
  id: RunId,
  kind: z.enum(RUN_KINDS),
  status: z.enum(RUN_STATUSES),
  name: z.string(),
  datasets: z.array(z.string()),
  seed: z.number().int(),
  backend: z.string(),
  parent: RunId.nullable(),
  replayOf: RunId.nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  latest: MetricMap,
  error: z.string().nullable(),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const RunDetail = RunSummary.extend({
  config: z.record(z.string(), z.unknown()),
  versions: z.record(z.string(), z.string()),
  datasetVersions: z.array(z.object({ name: z.string(), version: z.string() })),
  /** The stored result, tagged by the kind of run (run-results.ts); null until the run ends. */
  result: RunResult.nullable(),
  /** An assembly's experts in router order, each with its dataset (empty for other runs). */
  experts: z.array(z.object({ run: RunId, dataset: z.string() })),
  artifacts: z.array(z.object({ kind: z.string(), path: z.string(), sha256: z.string(), bytes: z.number().int() })),
  children: z.array(RunId),
});
export type RunDetail = z.infer<typeof RunDetail>;

export const MetricSeries = z.object({
  key: z.string(),
  points: z.array(z.object({ step: z.number().int(), value: z.number().nullable() })),
});

/** Routing statistics of one (step, split): a domain x expert grid plus per-expert figures. */
export const RoutingSnapshot = z.object({
  step: z.number().int(),
  split: z.string(),
  domains: z.array(z.string()),
  experts: z.array(z.string()),
  top1: z.array(z.array(z.number())),
  topk: z.array(z.array(z.number())),
  meanProb: z.array(z.array(z.number())),
  dropped: z.array(z.number()),
});
export type RoutingSnapshot = z.infer<typeof RoutingSnapshot>;

export const Comparison = z.object({
  a: RunId,
  b: RunId,
  configDiff: z.array(z.object({ path: z.string(), a: z.unknown(), b: z.unknown() })),
  metrics: z.array(z.object({ key: z.string(), a: z.number().nullable(), b: z.number().nullable(), diff: z.number().nullable() })),
});

export const ReplayResult = z.object({
  id: RunId,
  replay_of: RunId,
  status: z.enum(RUN_STATUSES),
  reproduced: z.boolean(),
  max_abs_diff: z.number(),
  backend_same: z.boolean(),
});

export const PredictInput = z.union([
  z.object({ text: z.string().min(1) }),
  z.object({ pixels: z.string().min(1) }).describe('IMAGE_SIZE x IMAGE_SIZE x 3 RGB bytes, base64'),
  z.object({ imagePath: z.string().min(1) }),
  z.object({ user: z.string().min(1), item: z.string().min(1) }),
]);

export const Prediction = z.object({
  task: z.string(),
  prediction: z.union([z.string(), z.number(), z.array(z.string())]),
  scores: z.record(z.string(), z.number()).optional(),
  routing: z.object({
    experts: z.array(z.object({ expert: z.string(), weight: z.number() })),
    /** Per token (text) or per patch (image): the gate weights over experts. */
    perToken: z.array(z.object({ token: z.string(), weights: z.array(z.number()) })).optional(),
  }),
});

// The first run: the built-in samples in one call, and `demo` (the CLI's whole pipeline) run by
// the workbench with its progress as events. The state is one document, sent whole each time.
export const DEMO_PHASES = ['register', 'experts', 'assembly', 'export', 'predict', 'replay', 'done'] as const;
export const DemoRow = z.object({
  domain: z.string(),
  metric: z.string(),
  expert: z.number().nullable(),
  assembly: z.number().nullable(),
  uniform: z.number().nullable(),
  dense: z.number().nullable(),
  retention: z.number().nullable(),
  purity: z.number().nullable(),
});
export type DemoRow = z.infer<typeof DemoRow>;
/** What `moe-workbench demo --json` prints. */
export const DemoResult = z.object({
  backend: z.enum(BACKENDS),
  experts: z.array(RunId),
  assembly: RunId,
  export: z.string(),
  replay: ReplayResult,
  predictions: z.array(z.object({ task: z.string(), prediction: Prediction.shape.prediction, same_as_app: z.boolean() })),
  summary: z.array(DemoRow),
  seconds: z.record(z.string(), z.number()),
});
export type DemoResult = z.infer<typeof DemoResult>;
export const DemoState = z.object({
  status: z.enum(['idle', 'running', 'completed', 'failed']),
  phase: z.enum(DEMO_PHASES).nullable(),
  /** The last thing the demo did, in words. */
  message: z.string(),
  seed: z.number().int().nullable(),
  /** The runs the demo started, with their latest progress. */
  runs: z.array(z.object({ id: RunId, label: z.string(), status: z.enum(RUN_STATUSES), epoch: z.number().int(), epochs: z.number().int(), step: z.number().int(), steps: z.number().int() })),
  result: DemoResult.nullable(),
  error: z.string().nullable(),
});
export type DemoState = z.infer<typeof DemoState>;

const empty = z.object({}).strict();
const byRun = z.object({ id: RunId }).strict();

function method<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) {
  return { request, response };
}

// ---- Routing explorer, sweeps, curves compared (issue 12); schemas in explore.ts ----
const ExplainRequest = z
  .object({
    id: RunId,
    task: z.string().min(1),
    /** A typed input (text, image, user/item) ... */
    input: PredictInput.optional(),
    /** ... or the examples of a split of the task's dataset version the run used. */
    split: z.enum(SPLITS).optional(),
    filter: z.enum(EXPLAIN_FILTERS).optional(),
    /** Most examples returned; default 50. */
    limit: z.number().int().min(1).max(100_000).optional(),
  })
  .strict()
  .refine((r) => (r.input === undefined) !== (r.split === undefined), { message: 'give either input or split' })
  .refine((r) => r.split !== undefined || (r.filter === undefined && r.limit === undefined), { message: 'filter and limit apply to a split' });

export const ConfigDifference = z.object({
  path: z.string(),
  /** Each run's value as JSON text, in request order (`undefined` where a run lacks the field). */
  values: z.array(z.string()),
});

const exploreMethods = {
  explain: method(ExplainRequest, Explanation),
  'sweeps.start': method(SweepRequest, z.object({ id: RunId })),
  'sweeps.show': method(z.object({ id: RunId }).strict(), Sweep),
  'sweeps.list': method(z.object({}).strict(), z.array(Sweep)),
  /** Finishes an interrupted sweep: completed trials are kept, only the others run. */
  'sweeps.resume': method(z.object({ id: RunId }).strict(), z.object({ id: RunId })),
  /** Config fields that differ among 2-8 runs (for curves compared). */
  'runs.configDiff': method(z.object({ ids: z.array(RunId).min(2).max(8) }).strict(), z.array(ConfigDifference)),
} as const;
// ---- end of issue 12 block ----

// ---- Router bench (issue 10): the same experts under every router method, one parent run ----
export const RouterBenchRequest = z
  .object({
    experts: z.array(RunId).min(1).describe('Expert run ids, one per domain, in router order.'),
    /** Default: all six. */
    methods: z.array(z.enum(ROUTER_METHODS)).min(1).optional(),
    top_k: z.number().int().min(1).max(64).optional().describe('Experts per token for every method (default: 2, at most the number of experts).'),
    epochs: z.number().int().min(0).max(1000).optional().describe('Joint fine-tuning passes of the joint method (and the dense baseline of each child).'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  })
  .strict()
  .refine((r) => new Set(r.methods ?? []).size === (r.methods ?? []).length, { message: 'each method may appear only once' });
export type RouterBenchRequest = z.infer<typeof RouterBenchRequest>;

/** The parent run's config (`type: 'router-bench'`): the request resolved. */
export const RouterBenchRunConfig = z.object({
  type: z.literal('router-bench'),
  experts: z.array(RunId).min(1),
  methods: z.array(z.enum(ROUTER_METHODS)).min(1),
  top_k: z.number().int(),
  epochs: z.number().int().nullable(),
  seed: z.number().int(),
});
export type RouterBenchRunConfig = z.infer<typeof RouterBenchRunConfig>;

// One method's row (RouterBenchMethod) lives in run-results.ts: the parent run stores the rows as its result.

export const RouterBench = z.object({
  id: RunId,
  status: z.enum(RUN_STATUSES),
  experts: z.array(RunId),
  methods: z.record(z.string(), RouterBenchMethod),
  /** Dataset -> the deployable method (oracle excluded) best on the selection metric; ties keep the earlier method. */
  best: z.record(z.string(), z.enum(ROUTER_METHODS)),
  /** Dataset -> the metric `best` and `from_oracle` use (the dataset's first). */
  selection: Selection,
});
export type RouterBench = z.infer<typeof RouterBench>;

const routerBenchMethods = {
  'routerBench.start': method(RouterBenchRequest, z.object({ id: RunId })),
  'routerBench.show': method(byRun, RouterBench),
} as const;
// ---- end of router bench block ----

export const methods = {
  info: method(empty, Info),
  'datasets.add': method(AddDataset, AddDatasetResult),
  'datasets.list': method(empty, z.array(DatasetSummary)),
  'datasets.show': method(z.object({ name: z.string().min(1) }).strict(), DatasetDetail),
  'datasets.remove': method(z.object({ name: z.string().min(1), force: z.boolean().optional() }).strict(), z.object({ removed: z.boolean() })),
  'runs.trainExpert': method(ExpertConfig, z.object({ id: RunId })),
  /** An expert tuned within a time budget: a seeded search whose trials are child runs of the returned run. */
  'runs.tuneExpert': method(
    z
      .object({
        config: ExpertConfig,
        budget_s: z.number().positive().max(7 * 24 * 3600).describe('Wall-clock seconds for all trials together.'),
        trials: z.number().int().min(1).max(46).default(8).describe('Most trials, the defaults included; a fixed count gives the same choice on every machine.'),
      })
      .strict(),
    z.object({ id: RunId }),
  ),
  /**
   * Experts against shared anchor encoders (issue 10): one anchor run per modality of the experts'
   * datasets, trained first (on anchor_datasets of that modality, else on those experts' datasets),
   * then each expert against its modality's anchor, frozen. Expert runs start when their anchor completes.
   */
  'runs.trainAnchored': method(
    z
      .object({
        experts: z.array(ExpertConfig).min(1),
        anchor_datasets: z.array(z.string().min(1)).min(1).nullable().default(null).describe('Datasets the anchors are trained on (per modality); null: the experts\' own.'),
      })
      .strict(),
    z.object({ anchors: z.array(RunId), experts: z.array(RunId) }),
  ),
  'runs.assemble': method(AssemblyConfig, z.object({ id: RunId })),
  'runs.cancel': method(byRun, z.object({ cancelled: z.boolean() })),
  'runs.resume': method(byRun, z.object({ id: RunId })),
  'runs.list': method(
    z.object({ kind: z.enum(RUN_KINDS).optional(), status: z.enum(RUN_STATUSES).optional(), dataset: z.string().optional() }).strict(),
    z.array(RunSummary),
  ),
  'runs.show': method(byRun, RunDetail),
  'runs.compare': method(z.object({ a: RunId, b: RunId }).strict(), Comparison),
  'runs.metrics': method(z.object({ id: RunId, keys: z.array(z.string()).optional() }).strict(), z.array(MetricSeries)),
  'runs.routing': method(z.object({ id: RunId, split: z.enum([...SPLITS, 'mixed']).optional() }).strict(), z.array(RoutingSnapshot)),
  'runs.replay': method(z.object({ id: RunId, useCurrentData: z.boolean().optional() }).strict(), z.object({ id: RunId })),
  'runs.replayVerdict': method(byRun, ReplayResult),
  'runs.export': method(z.object({ id: RunId, dir: z.string().min(1), force: z.boolean().optional() }).strict(), z.object({ dir: z.string(), files: z.array(z.string()) })),
  'runs.import': method(z.object({ dir: z.string().min(1) }).strict(), z.object({ id: RunId })),
  predict: method(z.object({ id: RunId, task: z.string().min(1), input: PredictInput }).strict(), Prediction),
  /** Native dialogs exist only on the desktop; serve answers null and the UI asks for a typed path. */
  'dialogs.pick': method(z.object({ what: z.enum(['file', 'folder']), title: z.string().optional() }).strict(), z.object({ path: z.string().nullable() })),
  'config.schema': method(empty, z.record(z.string(), z.unknown())),
  ...exploreMethods,
  ...routerBenchMethods,
  /** Registers the four built-in samples (an identical one already registered is left alone). */
  'samples.add': method(empty, z.object({ datasets: z.array(DatasetSummary) })),
  /** Starts `demo` in the workbench; progress comes as `demo.progress`. Refused while one runs. */
  'demo.start': method(z.object({ seed: z.number().int().min(0).optional(), epochs: z.number().int().positive().optional() }).strict(), DemoState),
  'demo.status': method(empty, DemoState),
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type RequestOf<M extends MethodName> = z.input<Methods[M]['request']>;
export type ParsedRequestOf<M extends MethodName> = z.output<Methods[M]['request']>;
export type ResponseOf<M extends MethodName> = z.output<Methods[M]['response']>;

export const ProgressEvent = z.object({
  id: RunId,
  phase: z.string(),
  epoch: z.number().int(),
  epochs: z.number().int(),
  step: z.number().int(),
  steps: z.number().int(),
  metrics: MetricMap,
  samplesPerSec: z.number(),
  etaSec: z.number().nullable(),
});

export const events = {
  'run.progress': ProgressEvent,
  'run.routing': RoutingSnapshot.extend({ id: RunId }),
  'run.status': z.object({ id: RunId, status: z.enum(RUN_STATUSES), error: z.string().nullable() }),
  /** A desktop menu command for the UI to act on. */
  'ui.command': z.object({ command: z.enum(['add-dataset', 'import-model', 'export-run']) }),
  'demo.progress': DemoState,
} as const;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventOf<E extends EventName> = z.output<Events[E]>;

// Wire format: every answer is an envelope, so a structured error survives any transport.
export const API_ERROR_CODES = ['invalid_request', 'invalid_input', 'not_found', 'conflict', 'unsupported', 'failed'] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];
export const WireError = z.object({
  code: z.enum(API_ERROR_CODES),
  message: z.string(),
  problems: z.array(Problem).optional(),
});
export type WireError = z.infer<typeof WireError>;
export type Envelope = { ok: true; value: unknown } | { ok: false; error: WireError };

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly problems: z.infer<typeof Problem>[] | undefined;
  constructor(code: ApiErrorCode, message: string, problems?: z.infer<typeof Problem>[]) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.problems = problems;
  }
  toWire(): WireError {
    return this.problems ? { code: this.code, message: this.message, problems: this.problems } : { code: this.code, message: this.message };
  }
}

/** Shortens a zod error to one line per issue: `path: message`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}
