// Sweeps: one `eval` run of type `sweep` in the store (the request and its drawn trials in its
// config), each trial an assembly run whose parent is the sweep, started through Training like
// any assembly and run on the worker pool, at most `parallel` at once. The sweep survives its
// process: after a crash it is `interrupted`, and resume keeps every completed trial and runs
// only the others. Its state is always read back from the store (children by trial name).
import { z } from 'zod';
import { ApiError } from '../../shared/contract.ts';
import { LOWER_IS_BETTER } from '../../shared/domain.ts';
import { SweepRequest, SweepRunConfig, type Sweep, type SweepRequestInput, type SweepTrial } from '../../shared/explore.ts';
import type { RunRow, Store } from '../store/index.ts';
import type { EventBus } from './events.ts';
import { planTrials, trialConfigs } from './sweep-plan.ts';
import type { RuntimeFacts, Training } from './training.ts';

const TrialResult = z.object({ metrics: z.object({ test: z.record(z.string(), z.record(z.string(), z.number())) }) });

export const trialName = (sweep: number, index: number): string => `sweep ${sweep} trial ${index}`;

/** What a sweep needs of Training: start an assembly, restart one, wait for one. */
export type TrialRunner = Pick<Training, 'startAssembly' | 'resume' | 'wait'>;

export class Sweeps {
  private readonly store: Store;
  private readonly training: TrialRunner;
  private readonly events: EventBus;
  private readonly facts: RuntimeFacts;
  private readonly parallel: number;
  private readonly active = new Map<number, Promise<Sweep>>();

  constructor(store: Store, training: TrialRunner, events: EventBus, facts: RuntimeFacts, parallel: number) {
    this.store = store;
    this.training = training;
    this.events = events;
    this.facts = facts;
    this.parallel = Math.max(1, parallel);
  }

  start(input: SweepRequestInput): RunRow {
    const request = SweepRequest.parse(input);
    const trials = planTrials(request);
    trialConfigs(request, trials);
    const versionIds = request.experts.flatMap((id) => {
      const run = this.store.runs.get(id);
      if (!run) throw new ApiError('not_found', `no run ${id}`);
      return this.store.runs.datasetsOf(id).map((d) => d.versionId);
    });
    const names = request.experts.flatMap((id) => this.store.runs.datasetsOf(id).map((d) => d.name));
    const config: SweepRunConfig = { type: 'sweep', request, trials };
    const run = this.store.runs.create({
      kind: 'eval',
      name: `sweep of ${names.join(', ')} (${trials.length} trials)`,
      config,
      seed: request.seed,
      backend: this.facts.backend,
      versions: this.facts.versions,
      datasetVersionIds: [...new Set(versionIds)],
    });
    this.drive(run.id);
    return run;
  }

  /** Continues an interrupted, failed or cancelled sweep: completed trials stay, the rest run. */
  resume(id: number): RunRow {
    const run = this.sweepRun(id);
    if (this.active.has(id)) throw new ApiError('conflict', `sweep ${id} is already running`);
    if (!['interrupted', 'cancelled', 'failed'].includes(run.status)) throw new ApiError('conflict', `sweep ${id} is ${run.status}; only interrupted, cancelled or failed sweeps resume`);
    this.drive(id);
    return this.store.runs.get(id)!;
  }

  /** Resolves when the sweep ends (at once for one that is not running here). */
  wait(id: number): Promise<Sweep> {
    return this.active.get(id) ?? Promise.resolve(this.show(id));
  }

  list(): Sweep[] {
    return this.store.runs.list({ kind: 'eval' }).filter((r) => SweepRunConfig.safeParse(r.config).success).map((r) => this.show(r.id));
  }

  isSweep(id: number): boolean {
    const run = this.store.runs.get(id);
    return run !== null && run.kind === 'eval' && SweepRunConfig.safeParse(run.config).success;
  }

  private sweepRun(id: number): RunRow & { sweep: SweepRunConfig } {
    const run = this.store.runs.get(id);
    if (!run) throw new ApiError('not_found', `no run ${id}`);
    const parsed = SweepRunConfig.safeParse(run.config);
    if (run.kind !== 'eval' || !parsed.success) throw new ApiError('invalid_input', `run ${id} is not a sweep`);
    return { ...run, sweep: parsed.data };
  }

  /** The latest child run of each trial index. */
  private trialRuns(id: number, count: number): (RunRow | null)[] {
    const out: (RunRow | null)[] = new Array(count).fill(null);
    for (const childId of this.store.runs.children(id)) {
      const child = this.store.runs.get(childId);
      const match = child ? /^sweep (\d+) trial (\d+)$/.exec(child.name) : null;
      if (child && match && Number(match[1]) === id && Number(match[2]) < count) out[Number(match[2])] = child;
    }
    return out;
  }

  show(id: number): Sweep {
    const run = this.sweepRun(id);
    const { request, trials } = run.sweep;
    const runs = this.trialRuns(id, trials.length);
    const ended = !['running', 'queued'].includes(run.status) && !this.active.has(id);
    const rows: SweepTrial[] = trials.map((config, index) => {
      const child = runs[index];
      if (!child) return { id: null, index, status: ended && run.status === 'completed' ? 'skipped' : 'pending', config, metrics: {}, error: null };
      const result = child.status === 'completed' ? TrialResult.safeParse(child.result) : null;
      return { id: child.id, index, status: child.status, config, metrics: result?.success ? result.data.metrics.test : {}, error: child.error };
    });
    const { best, best_index, selection } = bestTrials(rows);
    return { id, status: run.status, experts: request.experts, axes: request.axes, random: request.random, budget_s: request.budget_s, seed: request.seed, trials: rows, best, best_index, selection };
  }

  private status(id: number, status: RunRow['status'], error: string | null = null): void {
    this.events.emit('run.status', { id, status, error });
  }

  /** Runs every trial without a completed run, `parallel` at a time, until done or out of budget. */
  private drive(id: number): void {
    const run = this.sweepRun(id);
    const { request, trials } = run.sweep;
    const configs = trialConfigs(request, trials);
    const existing = this.trialRuns(id, trials.length);
    const todo = trials.map((_, i) => i).filter((i) => existing[i]?.status !== 'completed');
    this.store.runs.markRunning(id);
    this.status(id, 'running');
    const deadline = request.budget_s === null ? Infinity : Date.now() + request.budget_s * 1000;
    const startTrial = (i: number): number => {
      const previous = existing[i];
      // A trial cut off by the crash restarts as the same run (an assembly restarts from its experts with its seed).
      if (previous && ['interrupted', 'cancelled', 'failed'].includes(previous.status)) return this.training.resume(previous.id).id;
      return this.training.startAssembly(configs[i], { parentId: id, name: trialName(id, i) }).id;
    };
    // A live sweep keeps its heartbeat fresh while long trials run (else another process would think it dead).
    const beat = setInterval(() => this.store.runs.heartbeat(id), 15_000);
    beat.unref();
    const done = (async () => {
      let next = 0;
      let failure: string | null = null;
      const worker = async (): Promise<void> => {
        while (next < todo.length && Date.now() < deadline && failure === null) {
          const i = todo[next++];
          try {
            await this.training.wait(startTrial(i));
          } catch (error) {
            failure = `trial ${i}: ${(error as Error).message}`;
          }
          this.store.runs.heartbeat(id);
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.parallel, todo.length) }, worker));
      clearInterval(beat);
      const sweep = this.show(id);
      this.store.runs.finish(id, failure ? 'failed' : 'completed', { result: { best: sweep.best, best_index: sweep.best_index, selection: sweep.selection }, ...(failure ? { error: failure } : {}) });
      this.active.delete(id);
      const final = this.show(id);
      this.status(id, final.status, failure);
      return final;
    })();
    this.active.set(id, done);
  }
}

/** Per dataset, the completed trial best on the selection metric (the first metric); ties keep the lower index. */
export function bestTrials(trials: readonly SweepTrial[]): Pick<Sweep, 'best' | 'best_index' | 'selection'> {
  const best: Sweep['best'] = {};
  const best_index: Sweep['best_index'] = {};
  const selection: Sweep['selection'] = {};
  const top = new Map<string, number>();
  for (const t of trials) {
    if (t.status !== 'completed' || t.id === null) continue;
    for (const [dataset, metrics] of Object.entries(t.metrics)) {
      const metric = Object.keys(metrics)[0];
      if (metric === undefined) continue;
      const higher = !LOWER_IS_BETTER.has(metric);
      selection[dataset] ??= { metric, higher_is_better: higher };
      const value = metrics[metric];
      const current = top.get(dataset);
      if (current === undefined || (higher ? value > current : value < current)) {
        top.set(dataset, value);
        best[dataset] = t.id;
        best_index[dataset] = t.index;
      }
    }
  }
  return { best, best_index, selection };
}
