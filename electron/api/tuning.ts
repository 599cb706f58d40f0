// Auto-tune of an expert within a time budget. The tuned expert is an ordinary expert run (usable
// in assemblies, replayable); its trials are its child runs, trained on the worker pool. Trial 0 is
// the config as given (data-derived defaults), then the seeded points of tune-space.ts. A trial
// is started only while the mean duration of the finished ones says it can end within the
// budget; whatever still runs at the deadline is cancelled. The trial with the best validation
// score wins, unless it beats trial 0 by no more than one standard error (tune-choice.ts); the
// tuned run takes its resolved config (so a replay trains the winner directly), its result and a
// copy of its model.
import { cp } from 'node:fs/promises';
import { ExpertConfig, type ExpertConfigInput } from '../../shared/config.ts';
import { ApiError } from '../../shared/contract.ts';
import type { DomainKind } from '../../shared/domain.ts';
import { metricNamesOf } from '../engine/model/task.ts';
import { chooseTrial } from '../engine/training/tune-choice.ts';
import { tuneTrials } from '../engine/training/tune-space.ts';
import { DEFAULT_DIM } from '../engine/model/derive-shape.ts';
import type { RunRow, Store } from '../store/index.ts';
import type { EventBus } from './events.ts';
import { BUNDLE_GUARD, writeAtomically } from './fs-atomic.ts';
import { RunRecorder } from './run-recorder.ts';
import type { Training } from './training.ts';

export interface TuneRequest {
  config: ExpertConfigInput;
  /** Wall-clock seconds for all trials together. */
  budgetSec: number;
  /** Most trials (trial 0 included); with a fixed count the choice is the same on every machine. */
  maxTrials: number;
}

export interface TrialSummary {
  run: number;
  status: RunRow['status'];
  overrides: Partial<ExpertConfigInput>;
  validation: Record<string, number> | null;
  seconds: number;
}

function merge(base: ExpertConfigInput, o: Partial<ExpertConfigInput>): ExpertConfigInput {
  return { ...base, ...o, model: { ...(base.model ?? {}), ...(o.model ?? {}) } };
}

export class Tuner {
  private readonly store: Store;
  private readonly events: EventBus;
  private readonly training: Training;
  /** Tuned runs in progress: their trials in flight, and whether the user cancelled. */
  private readonly active = new Map<number, { inFlight: Map<number, Promise<void>>; cancelled: boolean }>();

  constructor(store: Store, events: EventBus, training: Training) {
    this.store = store;
    this.events = events;
    this.training = training;
  }

  /** Creates the tuned expert run at once and tunes in the background; `done` resolves with its final row. */
  start(request: TuneRequest): { run: RunRow; done: Promise<RunRow> } {
    if (!(request.budgetSec > 0)) throw new ApiError('invalid_input', `the tuning budget must be a positive number of seconds, got ${request.budgetSec}`);
    if (!Number.isInteger(request.maxTrials) || request.maxTrials < 1) throw new ApiError('invalid_input', `trials must be a positive integer, got ${request.maxTrials}`);
    const base = ExpertConfig.parse(request.config);
    const version = this.store.datasets.latest(base.dataset);
    if (!version) throw new ApiError('not_found', `no dataset named ${base.dataset}; register it with \`datasets add\``);
    const run = this.store.runs.create({
      kind: 'expert',
      name: `${base.dataset} expert (tuned)`,
      config: { ...base, type: 'expert' },
      seed: base.seed,
      backend: this.training.facts.backend,
      versions: this.training.facts.versions,
      datasetVersionIds: [version.id],
    });
    this.store.runs.markRunning(run.id);
    this.events.emit('run.status', { id: run.id, status: 'running', error: null });
    const done = this.tune(run, request, version.id).catch((error: unknown) => {
      this.store.runs.finish(run.id, 'failed', { error: error instanceof Error ? error.message : String(error) });
      const row = this.store.runs.get(run.id)!;
      this.events.emit('run.status', { id: run.id, status: row.status, error: row.error });
      return row;
    });
    return { run, done };
  }

  /** The trials in flight of a tuned run being tuned (cancelling it cancels them and starts no more); null for any other run. */
  trialsOf(id: number): number[] | null {
    const a = this.active.get(id);
    if (a === undefined) return null;
    a.cancelled = true;
    return [...a.inFlight.keys()];
  }

  private async tune(parent: RunRow, request: TuneRequest, versionId: number): Promise<RunRow> {
    const base = ExpertConfig.parse(request.config);
    const version = this.store.datasets.version(versionId)!;
    // The metric early stopping uses: the first of the task's metrics (accuracy, rmse or auc).
    const select = metricNamesOf(version.kind as DomainKind, version.implicit)[0];
    const candidates: Partial<ExpertConfigInput>[] = [{}, ...tuneTrials(base.seed, request.maxTrials - 1, base.model.dim ?? DEFAULT_DIM)];
    const started = Date.now();
    const deadline = started + request.budgetSec * 1000;
    const trials: TrialSummary[] = [];
    const inFlight = new Map<number, Promise<void>>();
    const state = { inFlight, cancelled: false };
    this.active.set(parent.id, state);
    const durations: number[] = [];
    const pinned = { versionIds: { [base.dataset]: versionId } };
    const timer = setTimeout(() => inFlight.forEach((_, id) => this.training.cancel(id)), Math.max(0, deadline - Date.now()));
    try {
      let next = 0;
      while (next < candidates.length || inFlight.size > 0) {
        const mean = durations.length === 0 ? 0 : durations.reduce((a, b) => a + b, 0) / durations.length;
        while (!state.cancelled && next < candidates.length && inFlight.size < this.training.parallelism && Date.now() + mean < deadline) {
          const overrides = candidates[next++];
          const child = this.training.startExpert(merge(base, overrides), { ...pinned, parentId: parent.id });
          const t0 = Date.now();
          const summary: TrialSummary = { run: child.id, status: 'queued', overrides, validation: null, seconds: 0 };
          trials.push(summary);
          inFlight.set(
            child.id,
            this.training.wait(child.id).then((row) => {
              summary.status = row.status;
              summary.seconds = (Date.now() - t0) / 1000;
              const metrics = (row.result?.metrics as { validation?: Record<string, number> } | undefined)?.validation;
              summary.validation = metrics ?? null;
              if (row.status === 'completed') durations.push(Date.now() - t0);
              inFlight.delete(child.id);
            }),
          );
        }
        if (inFlight.size === 0) break;
        await Promise.race(inFlight.values());
      }
    } finally {
      clearTimeout(timer);
      this.active.delete(parent.id);
    }
    if (state.cancelled) {
      this.store.runs.finish(parent.id, 'cancelled', { error: 'cancelled by the user', result: { tune: { budget_s: request.budgetSec, trials } } });
      this.events.emit('run.status', { id: parent.id, status: 'cancelled', error: 'cancelled by the user' });
      return this.store.runs.get(parent.id)!;
    }
    const best = chooseTrial(trials, select, version.counts.validation);
    if (best === null) throw new Error(`no trial finished within the ${request.budgetSec} s budget; give tuning more time (--budget)`);
    const winner = this.store.runs.get(best.run)!;
    await writeAtomically(this.training.modelDirOf(parent), BUNDLE_GUARD, (tmp) => cp(this.training.modelDirOf(winner), tmp, { recursive: true }), 'model');
    await new RunRecorder(this.store, this.events, parent.id, [base.dataset]).recordModel(this.training.modelDirOf(parent));
    const tune = { budget_s: request.budgetSec, seconds: (Date.now() - started) / 1000, selected_by: `validation ${select}, the given config unless beaten by more than one standard error`, chosen: best.run, trials };
    this.store.runs.finish(parent.id, 'completed', { result: { ...winner.result, tune }, config: winner.config });
    const row = this.store.runs.get(parent.id)!;
    this.events.emit('run.status', { id: parent.id, status: row.status, error: row.error });
    return row;
  }
}
