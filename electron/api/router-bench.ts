// Router bench (issue 10): the same experts assembled under several router methods, stored as one
// `eval` run of type `router-bench` (the resolved request in its config) with an ordinary assembly
// run per method as its child (named `router-bench <id> <method>`). Its state is read back from
// the store: per method the child's test metrics, retention and purity (as the engine recorded
// them), build seconds; per dataset the best deployable method and each method's distance from
// oracle on the dataset's selection metric.
import { z } from 'zod';
import { ROUTER_METHODS, type RouterMethod } from '../../shared/config.ts';
import { ApiError, RouterBenchRequest, RouterBenchRunConfig, type RouterBench, type RouterBenchMethod } from '../../shared/contract.ts';
import { LOWER_IS_BETTER } from '../../shared/domain.ts';
import type { RunRow, Store } from '../store/index.ts';
import type { EventBus } from './events.ts';
import type { RuntimeFacts, Training } from './training.ts';

const ChildResult = z.object({
  metrics: z.object({ test: z.record(z.string(), z.record(z.string(), z.number())) }),
  retention: z.record(z.string(), z.number()),
  routing: z.object({ purity: z.record(z.string(), z.number()), entropy: z.number(), load: z.array(z.number()) }),
  router: z.object({ method: z.enum(ROUTER_METHODS), build_s: z.number() }),
});

export const benchChildName = (bench: number, method: RouterMethod): string => `router-bench ${bench} ${method}`;

export type BenchRunner = Pick<Training, 'startAssembly' | 'wait'>;

export class RouterBenches {
  private readonly store: Store;
  private readonly training: BenchRunner;
  private readonly events: EventBus;
  private readonly facts: RuntimeFacts;
  private readonly active = new Map<number, Promise<RouterBench>>();

  constructor(store: Store, training: BenchRunner, events: EventBus, facts: RuntimeFacts) {
    this.store = store;
    this.training = training;
    this.events = events;
    this.facts = facts;
  }

  start(input: z.input<typeof RouterBenchRequest>): RunRow {
    const request = RouterBenchRequest.parse(input);
    const names = request.experts.flatMap((id) => {
      if (!this.store.runs.get(id)) throw new ApiError('not_found', `no run ${id}`);
      return this.store.runs.datasetsOf(id).map((d) => d.name);
    });
    const versionIds = request.experts.flatMap((id) => this.store.runs.datasetsOf(id).map((d) => d.versionId));
    const config: RouterBenchRunConfig = {
      type: 'router-bench',
      experts: request.experts,
      methods: request.methods ?? [...ROUTER_METHODS],
      top_k: request.top_k ?? Math.min(2, request.experts.length),
      epochs: request.epochs ?? null,
      seed: request.seed ?? 42,
    };
    if (config.top_k > config.experts.length) throw new ApiError('invalid_input', `top_k (${config.top_k}) cannot exceed the number of experts (${config.experts.length})`);
    const run = this.store.runs.create({
      kind: 'eval',
      name: `router bench of ${names.join(', ')} (${config.methods.length} methods)`,
      config,
      seed: config.seed,
      backend: this.facts.backend,
      versions: this.facts.versions,
      datasetVersionIds: [...new Set(versionIds)],
    });
    let children: { method: RouterMethod; id: number }[];
    try {
      children = config.methods.map((method) => ({ method, id: this.startChild(run.id, config, method) }));
    } catch (error) {
      // The experts are checked by the first child's start (the same for every child).
      this.store.runs.finish(run.id, 'failed', { error: (error as Error).message });
      throw error;
    }
    this.drive(run.id, children);
    return run;
  }

  wait(id: number): Promise<RouterBench> {
    return this.active.get(id) ?? Promise.resolve(this.show(id));
  }

  isBench(id: number): boolean {
    const run = this.store.runs.get(id);
    return run !== null && run.kind === 'eval' && RouterBenchRunConfig.safeParse(run.config).success;
  }

  show(id: number): RouterBench {
    const run = this.store.runs.get(id);
    if (!run) throw new ApiError('not_found', `no run ${id}`);
    const parsed = RouterBenchRunConfig.safeParse(run.config);
    if (run.kind !== 'eval' || !parsed.success) throw new ApiError('invalid_input', `run ${id} is not a router bench`);
    const bench = parsed.data;
    const byName = new Map<string, RunRow>();
    for (const childId of this.store.runs.children(id)) {
      const child = this.store.runs.get(childId);
      if (child) byName.set(child.name, child);
    }
    const rows = bench.methods.map((method) => {
      const child = byName.get(benchChildName(id, method)) ?? null;
      const result = child?.status === 'completed' ? ChildResult.safeParse(child.result) : null;
      const row: RouterBenchMethod = {
        run: child?.id ?? null,
        status: child?.status ?? 'pending',
        metrics: result?.success ? result.data.metrics.test : {},
        retention: result?.success ? result.data.retention : {},
        purity: result?.success ? result.data.routing.purity : {},
        entropy: result?.success ? result.data.routing.entropy : null,
        load: result?.success ? result.data.routing.load : [],
        build_s: result?.success ? result.data.router.build_s : null,
        from_oracle: {},
        error: child?.error ?? (result && !result.success ? 'the run\'s result lacks router-bench fields' : null),
      };
      return [method, row] as const;
    });
    return { id, status: run.status, experts: bench.experts, ...summarize(rows) };
  }

  private startChild(benchId: number, config: RouterBenchRunConfig, method: RouterMethod): number {
    return this.training.startAssembly(
      { experts: config.experts, top_k: config.top_k, seed: config.seed, router: { method }, ...(config.epochs !== null ? { epochs: config.epochs } : {}) },
      { parentId: benchId, name: benchChildName(benchId, method) },
    ).id;
  }

  private drive(id: number, children: { method: RouterMethod; id: number }[]): void {
    this.store.runs.markRunning(id);
    this.events.emit('run.status', { id, status: 'running', error: null });
    const beat = setInterval(() => this.store.runs.heartbeat(id), 15_000);
    beat.unref();
    const done = (async () => {
      const ended = await Promise.all(children.map((c) => this.training.wait(c.id).then((row) => ({ method: c.method, row }))));
      clearInterval(beat);
      const failed = ended.filter((e) => e.row.status !== 'completed');
      const error = failed.length === 0 ? null : failed.map((f) => `${f.method}: ${f.row.status}${f.row.error ? ` (${f.row.error})` : ''}`).join('; ');
      const summary = this.show(id);
      this.store.runs.finish(id, error === null ? 'completed' : 'failed', { result: { methods: summary.methods, best: summary.best, selection: summary.selection }, ...(error !== null ? { error } : {}) });
      this.active.delete(id);
      this.events.emit('run.status', { id, status: error === null ? 'completed' : 'failed', error });
      return this.show(id);
    })();
    this.active.set(id, done);
  }
}

/**
 * Best deployable method per dataset on its selection metric (the first metric; oracle is the
 * reference, not a candidate; ties keep the earlier method), and every method's distance from
 * oracle (value minus oracle's value) where oracle completed.
 */
export function summarize(rows: readonly (readonly [RouterMethod, RouterBenchMethod])[]): Pick<RouterBench, 'methods' | 'best' | 'selection'> {
  const selection: RouterBench['selection'] = {};
  for (const [, r] of rows) {
    for (const [dataset, metrics] of Object.entries(r.metrics)) {
      const metric = Object.keys(metrics)[0];
      if (metric !== undefined) selection[dataset] ??= { metric, higher_is_better: !LOWER_IS_BETTER.has(metric) };
    }
  }
  const best: RouterBench['best'] = {};
  const top = new Map<string, number>();
  const oracle = rows.find(([m]) => m === 'oracle')?.[1];
  const methods: RouterBench['methods'] = {};
  for (const [method, r] of rows) {
    const fromOracle: Record<string, number> = {};
    for (const [dataset, { metric, higher_is_better }] of Object.entries(selection)) {
      const value = r.metrics[dataset]?.[metric];
      if (value === undefined) continue;
      const reference = oracle?.metrics[dataset]?.[metric];
      if (reference !== undefined) fromOracle[dataset] = value - reference;
      if (method === 'oracle') continue;
      const current = top.get(dataset);
      if (current === undefined || (higher_is_better ? value > current : value < current)) {
        top.set(dataset, value);
        best[dataset] = method;
      }
    }
    methods[method] = { ...r, from_oracle: fromOracle };
  }
  return { methods, best, selection };
}
