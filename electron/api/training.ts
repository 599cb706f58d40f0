// Starts, follows, cancels and resumes training runs. Each run is written to the store before
// it starts (resolved config, seed, backend, package versions, the dataset versions it uses);
// its worker's reports are recorded as they come; its final state is written once at the end.
import { join } from 'node:path';
import { AnchorConfig, AssemblyConfig, ExpertConfig, type AnchorConfigInput, type AssemblyConfigInput, type ExpertConfigInput } from '../../shared/config.ts';
import { MODALITY_OF, type DomainKind, type Modality } from '../../shared/domain.ts';
import { ApiError } from '../../shared/contract.ts';
import type { DatasetVersionRow, RunRow, Store } from '../store/index.ts';
import { HEARTBEAT_MS } from '../store/runs-repo.ts';
import type { EventBus } from './events.ts';
import type { JobRequest } from './jobs/messages.ts';
import type { JobRunner } from './jobs/runner.ts';
import { datasetCheck, modelCheck, type FileCheck } from './integrity.ts';
import { RunRecorder } from './run-recorder.ts';
import { Tuner, type TuneRequest } from './tuning.ts';

export interface RuntimeFacts { backend: string; versions: Record<string, string> }

export interface StartOptions {
  kind?: 'expert' | 'assembly' | 'replay' | 'anchor';
  replayOf?: number;
  /** Replay: train on exactly these dataset versions (by id) instead of the latest. */
  versionIds?: Record<string, number>;
  /** Lineage: the run this one belongs to (a tuning trial's tuned expert, a sweep's trial); for assemblies it replaces `from`. */
  parentId?: number;
  /** The run's name instead of the default. */
  name?: string;
}

export class Training {
  private readonly store: Store;
  private readonly events: EventBus;
  private readonly runner: JobRunner;
  readonly facts: RuntimeFacts;
  private readonly finished = new Map<number, Promise<RunRow>>();
  /** Runs queued behind another run (experts waiting for their anchor), each with what ends its wait when it is cancelled. */
  private readonly waiting = new Map<number, () => void>();
  private readonly tuner: Tuner;
  /** Refreshes the heartbeat of this process's queued and running runs, whatever the workers report. */
  private readonly heartbeat: NodeJS.Timeout;

  constructor(store: Store, events: EventBus, runner: JobRunner, facts: RuntimeFacts, heartbeatMs = HEARTBEAT_MS) {
    this.store = store;
    this.events = events;
    this.runner = runner;
    this.facts = facts;
    this.tuner = new Tuner(store, events, this);
    this.heartbeat = setInterval(() => {
      try {
        this.store.runs.heartbeatOwned();
      } catch {
        // A busy or closing store: the next beat tries again (the bound for "gone" is 60 beats).
      }
    }, heartbeatMs);
    this.heartbeat.unref();
  }

  /** Stops the heartbeat timer (the workbench's close). */
  close(): void {
    clearInterval(this.heartbeat);
  }

  /** Jobs that train at the same time (one per worker). */
  get parallelism(): number {
    return this.runner.parallelism;
  }

  datasetDir(v: DatasetVersionRow): string {
    return join(this.store.home.root, v.dir);
  }

  runDir(runId: number): string {
    return join(this.store.home.runs, String(runId));
  }

  modelDirOf(run: RunRow): string {
    return join(this.runDir(run.id), 'model');
  }

  private versionFor(name: string, options: StartOptions): DatasetVersionRow {
    if (!options.versionIds) {
      const latest = this.store.datasets.latest(name);
      if (!latest) throw new ApiError('not_found', `no dataset named ${name}; register it with \`datasets add\``);
      return latest;
    }
    const pinned = options.versionIds[name];
    const v = pinned === undefined ? null : this.store.datasets.version(pinned);
    if (!v) throw new ApiError('not_found', `the ${name} dataset version this run used no longer exists`);
    return v;
  }

  startExpert(input: ExpertConfigInput, options: StartOptions = {}): RunRow {
    const config = ExpertConfig.parse(input);
    const version = this.versionFor(config.dataset, options);
    const anchor = config.anchor === null ? null : this.anchorRun(config.anchor, version);
    const run = this.createExpertRun(config, version, options);
    this.launch(run, this.expertJob(run.id, config, version, undefined, anchor ?? undefined), [config.dataset]);
    return run;
  }

  /**
   * Experts against shared anchor encoders (issue 10): per modality of the experts' datasets, one
   * anchor run trained first (on `anchorDatasets` of that modality, else on those experts'
   * datasets, with the first such expert's settings), then each expert against its modality's
   * anchor, frozen. The expert runs are queued at once and start when their anchor completes.
   */
  startAnchored(inputs: ExpertConfigInput[], anchorDatasets: string[] | null): { anchors: RunRow[]; experts: RunRow[] } {
    const configs = inputs.map((i) => ExpertConfig.parse(i));
    const versions = configs.map((c) => this.versionFor(c.dataset, {}));
    const modalityOf = (name: string): Modality => {
      const v = this.store.datasets.latest(name);
      if (!v) throw new ApiError('not_found', `no dataset named ${name}; register it with \`datasets add\``);
      return modalityOfKind(v.kind);
    };
    const modalities = [...new Set(configs.map((c) => modalityOf(c.dataset)))];
    for (const name of anchorDatasets ?? []) {
      if (!modalities.includes(modalityOf(name))) throw new ApiError('invalid_input', `anchor dataset ${name} is ${modalityOf(name)}, but no expert of this request is (${modalities.join(', ')})`);
    }
    const anchors = new Map<Modality, RunRow>();
    for (const modality of modalities) {
      const mine = configs.filter((c) => modalityOf(c.dataset) === modality);
      const named = (anchorDatasets ?? []).filter((n) => modalityOf(n) === modality);
      const first = mine[0];
      const anchorConfig: AnchorConfigInput = {
        datasets: named.length > 0 ? named : mine.map((c) => c.dataset),
        epochs: first.epochs,
        batch_size: first.batch_size,
        learning_rate: first.learning_rate,
        patience: first.patience,
        seed: first.seed,
        l2: first.l2,
        model: first.model,
      };
      anchors.set(modality, this.startAnchor(anchorConfig));
    }
    const experts = configs.map((c, i) => {
      const anchor = anchors.get(modalityOf(c.dataset))!;
      const config = { ...c, anchor: anchor.id };
      const run = this.createExpertRun(config, versions[i], {});
      this.launchAfter(anchor.id, run, () => this.expertJob(run.id, config, versions[i], undefined, this.anchorRun(anchor.id, versions[i])), [c.dataset]);
      return run;
    });
    return { anchors: [...anchors.values()], experts };
  }

  /** An anchor run (the shared encoder of one modality), trained on its datasets. */
  startAnchor(input: AnchorConfigInput, options: StartOptions = {}): RunRow {
    const parsed = AnchorConfig.safeParse(input);
    if (!parsed.success) throw new ApiError('invalid_input', `anchor config: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const config = parsed.data;
    const versions = config.datasets.map((d) => this.versionFor(d, options));
    const modalities = [...new Set(versions.map((v) => modalityOfKind(v.kind)))];
    if (modalities.length > 1) throw new ApiError('invalid_input', `an anchor encodes one modality; [${config.datasets.join(', ')}] mix ${modalities.join(' and ')}`);
    const run = this.store.runs.create({
      kind: options.kind ?? 'anchor',
      name: `${modalities[0]} anchor of ${config.datasets.join(', ')}`,
      config: { ...config, type: 'anchor' },
      seed: config.seed,
      backend: this.facts.backend,
      versions: this.facts.versions,
      parentId: options.parentId ?? null,
      replayOf: options.replayOf ?? null,
      datasetVersionIds: versions.map((v) => v.id),
    });
    this.launch(run, this.anchorJob(run.id, config, versions), config.datasets);
    return run;
  }

  private anchorJob(runId: number, config: AnchorConfig, versions: DatasetVersionRow[]): JobRequest {
    const checks = versions.map((v) => datasetCheck(this.store, v)).filter((c): c is FileCheck => c !== null);
    return { type: 'anchor', runId, config, datasets: versions.map((v) => ({ name: v.name, dir: this.datasetDir(v) })), runDir: this.runDir(runId), checks };
  }

  /** The anchor run an expert names: a completed anchor of the expert's modality. */
  private anchorRun(id: number, version: DatasetVersionRow): { run: RunRow; dir: string } {
    const run = this.store.runs.get(id);
    if (!run) throw new ApiError('not_found', `no anchor run ${id}`);
    if (run.config.type !== 'anchor') throw new ApiError('invalid_input', `run ${id} is a ${String(run.config.type ?? run.kind)} run, not an anchor`);
    if (run.status !== 'completed') throw new ApiError('invalid_input', `anchor run ${id} is ${run.status}; an expert trains against a completed anchor`);
    const modalities = new Set(this.store.runs.datasetsOf(id).map((u) => this.store.datasets.version(u.versionId)).filter((v) => v !== null).map((v) => modalityOfKind(v.kind)));
    if (modalities.size > 0 && !modalities.has(modalityOfKind(version.kind))) throw new ApiError('invalid_input', `anchor run ${id} encodes ${[...modalities].join(', ')}, not ${modalityOfKind(version.kind)} (dataset ${version.name})`);
    return { run, dir: this.modelDirOf(run) };
  }

  private createExpertRun(config: ExpertConfig, version: DatasetVersionRow, options: StartOptions): RunRow {
    return this.store.runs.create({
      kind: options.kind ?? 'expert',
      name: `${config.dataset} expert`,
      config: { ...config, type: 'expert' },
      seed: config.seed,
      backend: this.facts.backend,
      versions: this.facts.versions,
      // Lineage: an expert trained against an anchor is a child of the anchor run.
      parentId: options.parentId ?? config.anchor,
      replayOf: options.replayOf ?? null,
      datasetVersionIds: [version.id],
    });
  }

  /** An expert tuned within a time budget (tuning.ts): its trials are child runs; `wait` covers it. */
  startTunedExpert(request: TuneRequest): RunRow {
    const { run, done } = this.tuner.start(request);
    this.finished.set(run.id, done.finally(() => this.finished.delete(run.id)));
    return run;
  }

  private expertJob(runId: number, config: ExpertConfig, version: DatasetVersionRow, resumeFrom?: { dir: string; epoch: number }, anchor?: { run: RunRow; dir: string }): JobRequest {
    const checks = [datasetCheck(this.store, version), anchor ? modelCheck(this.store, anchor.run.id) : null].filter((c): c is FileCheck => c !== null);
    return { type: 'expert', runId, config, dataset: { name: config.dataset, dir: this.datasetDir(version) }, runDir: this.runDir(runId), resumeFrom, ...(anchor ? { anchorDir: anchor.dir } : {}), checks };
  }

  private assemblyJob(runId: number, config: AssemblyConfig, slots: ReturnType<Training['expertSlot']>[], parentDir: string | undefined): JobRequest {
    return {
      type: 'assembly',
      runId,
      config,
      experts: slots.map((s) => ({ runId: s.run.id, dir: this.modelDirOf(s.run), dataset: { name: s.version.name, dir: this.datasetDir(s.version) } })),
      parentDir,
      runDir: this.runDir(runId),
      checks: slots.flatMap((s) => [modelCheck(this.store, s.run.id), datasetCheck(this.store, s.version)]).filter((c): c is FileCheck => c !== null),
    };
  }

  /** The completed expert run behind an assembly slot, with its dataset version. */
  private expertSlot(id: number, options: StartOptions) {
    const run = this.store.runs.get(id);
    if (!run) throw new ApiError('not_found', `no run ${id}`);
    const isExpert = run.kind === 'expert' || (run.kind === 'replay' && run.config.type === 'expert') || (run.kind === 'import' && run.config.type === 'expert');
    if (!isExpert) throw new ApiError('invalid_input', `run ${id} is a ${run.kind} run, not an expert`);
    if (run.status !== 'completed') throw new ApiError('invalid_input', `expert run ${id} is ${run.status}; only completed experts can be assembled`);
    const used = this.store.runs.datasetsOf(id)[0];
    if (!used) throw new ApiError('invalid_input', `expert run ${id} has no dataset recorded`);
    const version = options.versionIds?.[used.name] !== undefined ? this.store.datasets.version(options.versionIds[used.name]) : this.store.datasets.version(used.versionId);
    if (!version) throw new ApiError('not_found', `the dataset version expert run ${id} trained on no longer exists`);
    return { run, version };
  }

  startAssembly(input: AssemblyConfigInput, options: StartOptions = {}): RunRow {
    let config = AssemblyConfig.parse(input);
    let parentDir: string | undefined;
    let ids = config.experts;
    if (config.from !== null) {
      const parent = this.store.runs.get(config.from);
      if (!parent || parent.status !== 'completed' || parent.config.type !== 'assembly') throw new ApiError('invalid_input', `run ${config.from} is not a completed assembly`);
      parentDir = this.modelDirOf(parent);
      const parentExperts = parent.config.experts as number[];
      if (config.remove !== null) {
        // Removal: the parent's experts but the removed one, in its order; the parent's router method.
        if (!parentExperts.includes(config.remove)) throw new ApiError('invalid_input', `expert run ${config.remove} is not in assembly ${config.from} (experts ${parentExperts.join(', ')})`);
        ids = parentExperts.filter((e) => e !== config.remove);
        if (ids.length === 0) throw new ApiError('invalid_input', `assembly ${config.from} has only expert ${config.remove}; an assembly keeps at least one`);
        if (config.experts.join(',') !== ids.join(',')) throw new ApiError('invalid_input', `removing ${config.remove} from assembly ${config.from} keeps experts [${ids.join(', ')}], but the request lists [${config.experts.join(', ')}]`);
        const parentConfig = AssemblyConfig.safeParse(stripType(parent.config));
        if (parentConfig.success) config = { ...config, router: parentConfig.data.router, top_k: Math.min(parentConfig.data.top_k, ids.length) };
      } else ids = [...parentExperts, ...config.experts.filter((e) => !parentExperts.includes(e))];
    }
    if (config.top_k > ids.length) throw new ApiError('invalid_input', `top_k (${config.top_k}) cannot exceed the number of experts (${ids.length})`);
    const slots = ids.map((id) => this.expertSlot(id, options));
    const names = slots.map((s) => s.version.name);
    if (new Set(names).size !== names.length) throw new ApiError('invalid_input', `two experts share a dataset (${names.join(', ')}); an assembly has one expert per domain`);
    const resolved = { ...config, experts: ids, type: 'assembly' };
    const run = this.store.runs.create({
      kind: options.kind ?? 'assembly',
      name: options.name ?? `assembly of ${names.join(', ')}`,
      config: resolved,
      seed: config.seed,
      backend: this.facts.backend,
      versions: this.facts.versions,
      parentId: options.parentId ?? config.from,
      replayOf: options.replayOf ?? null,
      datasetVersionIds: slots.map((s) => s.version.id),
    });
    this.launch(run, this.assemblyJob(run.id, { ...config, experts: ids }, slots, parentDir), names);
    return run;
  }

  /** Continues an interrupted (or cancelled, or failed) expert run from its last checkpoint. */
  resume(id: number): RunRow {
    const run = this.store.runs.get(id);
    if (!run) throw new ApiError('not_found', `no run ${id}`);
    if (this.runner.isActive(id)) throw new ApiError('conflict', `run ${id} is already running in this process`);
    if (run.status === 'queued' || run.status === 'running') {
      const gone = this.store.runs.ownerGone(run);
      const beat = run.heartbeatAt ? `${Math.round((Date.now() - Date.parse(run.heartbeatAt)) / 1000)} s ago` : 'never';
      if (gone === null) throw new ApiError('conflict', `run ${id} is ${run.status} in another process (pid ${run.ownerPid}, last heartbeat ${beat}); wait for it to finish, or cancel it there, before resuming`);
      this.store.runs.recoverInterrupted();
    }
    const current = this.store.runs.get(id)!;
    if (!['interrupted', 'cancelled', 'failed'].includes(current.status)) throw new ApiError('conflict', `run ${id} is ${current.status}; only interrupted, cancelled or failed runs resume`);
    // The run continues on exactly the dataset versions it started with.
    const versionIds = Object.fromEntries(this.store.runs.datasetsOf(id).map((u) => [u.name, u.versionId]));
    let job: JobRequest;
    let names: string[];
    if (run.config.type === 'expert') {
      const config = ExpertConfig.parse(stripType(run.config));
      const version = this.versionFor(config.dataset, { versionIds });
      job = this.expertJob(id, config, version, current.checkpoint ?? undefined, config.anchor === null ? undefined : this.anchorRun(config.anchor, version));
      names = [config.dataset];
    } else if (run.config.type === 'anchor') {
      // An anchor restarts from its datasets with the same config and seed (as an assembly does).
      const config = AnchorConfig.parse(stripType(run.config));
      job = this.anchorJob(id, config, config.datasets.map((d) => this.versionFor(d, { versionIds })));
      names = config.datasets;
    } else {
      // An assembly has no per-epoch resume: it restarts from its experts with the same config and seed.
      const config = AssemblyConfig.parse(stripType(run.config));
      const slots = config.experts.map((e) => this.expertSlot(e, { versionIds }));
      const parent = config.from !== null ? this.store.runs.get(config.from) : null;
      job = this.assemblyJob(id, config, slots, parent ? this.modelDirOf(parent) : undefined);
      names = slots.map((s) => s.version.name);
    }
    // Take the run over atomically: of two processes resuming it at once, exactly one gets it.
    if (!this.store.runs.claim(id)) throw new ApiError('conflict', `run ${id} was just taken over by another process; see \`runs show ${id}\``);
    this.launch(current, job, names);
    return this.store.runs.get(id)!;
  }

  cancel(id: number): boolean {
    const trials = this.tuner.trialsOf(id);
    if (trials !== null) return trials.map((t) => this.runner.cancel(t)).some(Boolean);
    const endWait = this.waiting.get(id);
    if (endWait) {
      // Not started yet: it ends here, and launchAfter's gate, seeing it gone from `waiting`, never starts it.
      this.waiting.delete(id);
      this.store.runs.finish(id, 'cancelled', { error: 'cancelled by the user' });
      this.events.emit('run.status', { id, status: 'cancelled', error: 'cancelled by the user' });
      endWait();
      return true;
    }
    return this.runner.cancel(id);
  }

  /** Resolves when the run ends (immediately for a run that is not active). */
  wait(id: number): Promise<RunRow> {
    const pending = this.finished.get(id);
    if (pending) return pending;
    const run = this.store.runs.get(id);
    if (!run) return Promise.reject(new ApiError('not_found', `no run ${id}`));
    return Promise.resolve(run);
  }

  /**
   * Launches `run` once run `first` has ended (an expert waiting for its anchor); when `first` did
   * not complete, `run` fails with the reason and never starts; a run cancelled while it waits
   * never starts either. `wait(run)` covers all three.
   */
  private launchAfter(first: number, run: RunRow, job: () => JobRequest, expertNames: string[]): void {
    const cancelled = new Promise<null>((resolve) => this.waiting.set(run.id, () => resolve(null)));
    const gate = Promise.race([this.wait(first), cancelled]).then((before): Promise<RunRow> | RunRow => {
      if (before === null || !this.waiting.delete(run.id)) {
        this.finished.delete(run.id);
        return this.store.runs.get(run.id)!;
      }
      if (before.status === 'completed') {
        try {
          this.launch(run, job(), expertNames);
          return this.wait(run.id);
        } catch (error) {
          this.store.runs.finish(run.id, 'failed', { error: (error as Error).message });
        }
      } else this.store.runs.finish(run.id, 'failed', { error: `its anchor run ${first} ${before.status}${before.error ? `: ${before.error}` : ''}` });
      const row = this.store.runs.get(run.id)!;
      this.events.emit('run.status', { id: run.id, status: row.status, error: row.error });
      this.finished.delete(run.id);
      return row;
    });
    this.finished.set(run.id, gate);
  }

  private launch(run: RunRow, job: JobRequest, expertNames: string[]): void {
    const recorder = new RunRecorder(this.store, this.events, run.id, expertNames);
    const status = (s: RunRow['status'], error: string | null = null) => this.events.emit('run.status', { id: run.id, status: s, error });
    status('queued');
    const handle = this.runner.start(
      job,
      (m) => void recorder.onMessage(m).catch((e: unknown) => status('running', `recording failed: ${(e as Error).message}`)),
      () => {
        this.store.runs.markRunning(run.id);
        status('running');
      },
    );
    const finished = handle.done.then(async (outcome) => {
      recorder.flush();
      if (outcome.status === 'completed') {
        await recorder.recordModel(outcome.modelDir);
        // An expert's result carries its config with the sizes derived from the data: the run keeps that one.
        const { config: resolved, ...result } = outcome.result;
        const config = resolved !== null && typeof resolved === 'object' ? { ...(resolved as Record<string, unknown>), type: run.config.type } : undefined;
        this.store.runs.finish(run.id, 'completed', { result, ...(config ? { config } : {}) });
      } else if (outcome.status === 'cancelled') {
        this.store.runs.finish(run.id, 'cancelled', { error: 'cancelled by the user' });
      } else {
        this.store.runs.finish(run.id, 'failed', { error: outcome.error });
      }
      const row = this.store.runs.get(run.id)!;
      status(row.status, row.error);
      this.finished.delete(run.id);
      return row;
    });
    this.finished.set(run.id, finished);
  }
}

/** A dataset version row keeps its kind as text; registration only writes the four kinds. */
function modalityOfKind(kind: string): Modality {
  return MODALITY_OF[kind as DomainKind];
}

export function stripType(config: Record<string, unknown>): Record<string, unknown> {
  const { type: _type, ...rest } = config;
  return rest;
}
