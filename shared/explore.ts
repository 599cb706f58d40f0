// Schemas of the routing explorer and of sweeps: what the engine returns, what the API carries,
// what the CLI prints with --json and what the UI draws. One definition for all of them.
import { z } from 'zod';
import { DOMAIN_KINDS, RUN_STATUSES, SPLITS } from './domain.ts';

const RunId = z.number().int().positive();

// ---------------------------------------------------------------------------------------------
// Routing explorer

/**
 * Example filters: `misclassified` (the router's prediction is wrong), `routed-away` (the
 * example's top-1 expert, the one most of its units have as first choice, is not its domain's own),
 * `dropped` (a unit would lose a chosen expert to the assembly's capacity limit, computed per
 * inference batch as in training), `uncertain` (mean normalized router entropy >= UNCERTAIN_ENTROPY).
 */
export const EXPLAIN_FILTERS = ['misclassified', 'routed-away', 'dropped', 'uncertain'] as const;
export type ExplainFilter = (typeof EXPLAIN_FILTERS)[number];

/** Mean router entropy over an example's units, divided by ln(experts), at or above which it counts as uncertain. */
export const UNCERTAIN_ENTROPY = 0.5;

/** A task's output in user terms: a class, a tag per word, a rating or an interaction probability. */
export const PredictionValue = z.union([z.string(), z.number(), z.array(z.string())]);
export type PredictionValue = z.infer<typeof PredictionValue>;

export const ExpertWeight = z.object({ expert: z.string(), weight: z.number() });

export const ExplainUnit = z.object({
  /** The word, `patch ROW,COL`, or `USER x ITEM`. */
  unit: z.string(),
  /** The chosen experts with their combine weights, best first (top-k). */
  experts: z.array(ExpertWeight),
  /** First choice. */
  top1: z.string(),
  /** Router entropy over all experts, divided by ln(experts) (0 with one expert). */
  entropy: z.number(),
  /** A chosen expert of this unit would be over capacity (training-time capacity factor). */
  dropped: z.boolean(),
});
export type ExplainUnit = z.infer<typeof ExplainUnit>;

export const ExplainExample = z.object({
  /** Record index in the dataset (split examples), or 0 for a typed input. */
  index: z.number().int().min(0),
  /** Text (words joined by spaces), `user,item`, or an image as base64 RGB bytes (IMAGE_SIZE square). */
  input: z.string(),
  label: PredictionValue.nullable(),
  prediction: PredictionValue,
  /** null for a typed input (no label). */
  correct: z.boolean().nullable(),
  /** The expert most units have as first choice (ties: lower router index). */
  top1: z.string(),
  routed_away: z.boolean(),
  dropped: z.boolean(),
  entropy: z.number(),
  units: z.array(ExplainUnit),
  /** The prediction with each single expert in place of the router (every unit to that expert, weight 1). */
  counterfactual: z.record(z.string(), PredictionValue),
  /** Per expert: whether its counterfactual is correct (null without a label). */
  counterfactual_correct: z.record(z.string(), z.boolean().nullable()),
});
export type ExplainExample = z.infer<typeof ExplainExample>;

export const Explanation = z.object({
  run: RunId.nullable(),
  task: z.string(),
  kind: z.enum(DOMAIN_KINDS),
  /** Router order. */
  experts: z.array(z.string()),
  /** The task's own expert (its domain), or null when the model has none of that name. */
  own_expert: z.string().nullable(),
  split: z.enum(SPLITS).nullable(),
  filter: z.enum(EXPLAIN_FILTERS).nullable(),
  /** Examples matching the filter, in record order, at most `limit`. */
  examples: z.array(ExplainExample),
  /** Over every example of the split: the share where the router is wrong and some single expert is right. null for a typed input. */
  regret: z.number().nullable(),
  counts: z.object({
    /** Examples explained (the whole split). */
    examples: z.number().int(),
    errors: z.number().int(),
    /** Errors some single expert would have fixed. */
    fixable: z.number().int(),
    /** Examples matching the filter (before the limit). */
    matching: z.number().int(),
  }),
});
export type Explanation = z.infer<typeof Explanation>;

// ---------------------------------------------------------------------------------------------
// Sweeps

/** A value a swept config field takes. */
export const SweepValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);
export type SweepValue = z.infer<typeof SweepValue>;

/** Dotted path into the assembly config, e.g. `top_k`, `lr_multipliers.heads`, `router.method`. */
const ConfigPath = z.string().regex(/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/, 'a config path like top_k or router.method');

export const SweepAxis = z.union([
  z.object({ path: ConfigPath, values: z.array(SweepValue).min(1) }).strict(),
  /** Random search only: a uniform draw in [min, max] (whole numbers when integer). */
  z.object({ path: ConfigPath, min: z.number(), max: z.number(), integer: z.boolean().default(false) }).strict(),
]);
export type SweepAxis = z.infer<typeof SweepAxis>;

export const SweepRequest = z
  .object({
    experts: z.array(RunId).min(1),
    axes: z.array(SweepAxis).min(1),
    /** null: the full grid; N: N random draws (each axis: one of its values, or uniform in its range). */
    random: z.number().int().min(1).max(1000).nullable().default(null),
    /** Seconds after which no new trial starts (running ones finish); null: no limit. */
    budget_s: z.number().positive().nullable().default(null),
    /** Seed of the random draws and of every trial (config seed). */
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
  })
  .strict()
  .superRefine((r, ctx) => {
    const paths = r.axes.map((a) => a.path);
    const dup = paths.find((p, i) => paths.indexOf(p) !== i);
    if (dup !== undefined) ctx.addIssue({ code: 'custom', path: ['axes'], message: `config path ${dup} is swept twice` });
    if (r.random === null && r.axes.some((a) => !('values' in a))) ctx.addIssue({ code: 'custom', path: ['axes'], message: 'a grid sweep takes value lists; ranges need random search' });
    for (const a of r.axes) if ('min' in a && !(a.min <= a.max)) ctx.addIssue({ code: 'custom', path: ['axes'], message: `${a.path}: min must not exceed max` });
  });
export type SweepRequest = z.infer<typeof SweepRequest>;
export type SweepRequestInput = z.input<typeof SweepRequest>;

export const SWEEP_TRIAL_STATUSES = [...RUN_STATUSES, 'pending', 'skipped'] as const;

export const SweepTrial = z.object({
  /** The trial's child run, null until it starts. */
  id: RunId.nullable(),
  index: z.number().int().min(0),
  status: z.enum(SWEEP_TRIAL_STATUSES),
  /** The swept fields' values, by config path. */
  config: z.record(z.string(), SweepValue),
  /** Test metrics per dataset (empty until completed). */
  metrics: z.record(z.string(), z.record(z.string(), z.number())),
  error: z.string().nullable(),
});
export type SweepTrial = z.infer<typeof SweepTrial>;

export const Sweep = z.object({
  id: RunId,
  status: z.enum(RUN_STATUSES),
  experts: z.array(RunId),
  axes: z.array(SweepAxis),
  random: z.number().int().nullable(),
  budget_s: z.number().nullable(),
  seed: z.number().int(),
  trials: z.array(SweepTrial),
  /** Per dataset: the trial (run id) best on its selection metric (ties: lower trial index). */
  best: z.record(z.string(), RunId),
  /** Per dataset: the best trial's index, the same for every sweep with this request. */
  best_index: z.record(z.string(), z.number().int()),
  /** Per dataset: the selection metric and its direction. */
  selection: z.record(z.string(), z.object({ metric: z.string(), higher_is_better: z.boolean() })),
});
export type Sweep = z.infer<typeof Sweep>;

/** What a sweep run stores as its config (kind `eval`, type `sweep`). */
export const SweepRunConfig = z.object({
  type: z.literal('sweep'),
  request: SweepRequest,
  /** The swept values of every trial, in trial order (drawn once at the start). */
  trials: z.array(z.record(z.string(), SweepValue)),
});
export type SweepRunConfig = z.infer<typeof SweepRunConfig>;

/** A --grid spec (or the UI's field) that does not parse. */
export class SweepSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SweepSpecError';
  }
}

/** `null`, `true`/`false`, a number, or else the text itself. */
export function parseSweepValue(text: string): SweepValue {
  const t = text.trim();
  if (t === 'null') return null;
  if (t === 'true' || t === 'false') return t === 'true';
  if (t !== '' && Number.isFinite(Number(t))) return Number(t);
  return t;
}

/** FIELD=V1,V2,... (choices) or, for random search, FIELD=MIN..MAX (whole numbers when both are). */
export function parseGrid(spec: string, random: boolean): SweepAxis {
  const eq = spec.indexOf('=');
  if (eq <= 0 || eq === spec.length - 1) throw new SweepSpecError(`--grid takes FIELD=V1,V2,... got "${spec}"`);
  const path = spec.slice(0, eq).trim();
  const rest = spec.slice(eq + 1);
  const range = /^\s*(-?[\d.e+-]+)\s*\.\.\s*(-?[\d.e+-]+)\s*$/.exec(rest);
  if (range) {
    if (!random) throw new SweepSpecError(`--grid ${path}=${rest}: ranges need --random N`);
    const [min, max] = [Number(range[1]), Number(range[2])];
    if (!Number.isFinite(min) || !Number.isFinite(max)) throw new SweepSpecError(`--grid ${path}: bad range ${rest}`);
    return { path, min, max, integer: Number.isInteger(min) && Number.isInteger(max) && !range[1].includes('.') && !range[2].includes('.') };
  }
  return { path, values: rest.split(',').map(parseSweepValue) };
}

