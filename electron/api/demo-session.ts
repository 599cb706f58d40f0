// The demo as the UI runs it: one at a time per workbench, in the background, its state kept
// here (so a page opened later picks it up with `demo.status`) and sent whole as a
// `demo.progress` event at every phase and, at most every PROGRESS_INTERVAL_MS, as its runs train.
import type { ApiClient } from '../../shared/client.ts';
import { ApiError, type DEMO_PHASES, type DemoState, type EventOf } from '../../shared/contract.ts';
import { runDemo, type DemoOptions } from './demo.ts';
import type { EventBus } from './events.ts';
import type { Training } from './training.ts';

export type DemoPhase = (typeof DEMO_PHASES)[number];

export const PROGRESS_INTERVAL_MS = 250;

export const IDLE_DEMO: DemoState = { status: 'idle', phase: null, message: 'The demo has not run in this session.', seed: null, runs: [], result: null, error: null };

export class DemoSession {
  private state: DemoState = IDLE_DEMO;
  private pending: ReturnType<typeof setTimeout> | null = null;
  private finished: Promise<void> = Promise.resolve();
  private readonly client: ApiClient;
  private readonly training: Training;
  private readonly events: EventBus;
  private readonly samplesDir: string | undefined;

  constructor(deps: { client: ApiClient; training: Training; events: EventBus; samplesDir?: string }) {
    this.client = deps.client;
    this.training = deps.training;
    this.events = deps.events;
    this.samplesDir = deps.samplesDir;
    this.events.on('run.progress', (p) => this.onProgress(p));
    this.events.on('run.status', (s) => this.onStatus(s));
  }

  status(): DemoState {
    return this.state;
  }

  /** Resolves when the demo in progress (if any) has ended. */
  settled(): Promise<void> {
    return this.finished;
  }

  start(options: Omit<DemoOptions, 'samplesDir'>): DemoState {
    if (this.state.status === 'running') throw new ApiError('conflict', 'the demo is already running');
    this.set({ status: 'running', phase: 'register', message: 'Starting', seed: options.seed, runs: [], result: null, error: null }, true);
    this.finished = runDemo(
      {
        client: this.client,
        wait: async (ids) => {
          await Promise.all(ids.map((id) => this.training.wait(id)));
          return Promise.all(ids.map((id) => this.client.call('runs.show', { id })));
        },
        phase: (phase, message, runs = []) => {
          const started = runs.map((r) => ({ ...r, status: 'queued' as const, epoch: 0, epochs: 0, step: 0, steps: 0 }));
          this.set({ ...this.state, phase, message, runs: [...this.state.runs, ...started] }, true);
        },
      },
      { ...options, samplesDir: this.samplesDir },
    ).then(
      (result) => this.set({ ...this.state, status: 'completed', phase: 'done', message: `Done in ${result.seconds.total?.toFixed(1) ?? '?'} s`, result }, true),
      (error: unknown) => this.set({ ...this.state, status: 'failed', message: 'The demo failed', error: error instanceof Error ? error.message : String(error) }, true),
    );
    return this.state;
  }

  private onProgress(p: EventOf<'run.progress'>): void {
    if (!this.state.runs.some((r) => r.id === p.id)) return;
    this.set({ ...this.state, runs: this.state.runs.map((r) => (r.id === p.id ? { ...r, status: 'running', epoch: p.epoch, epochs: p.epochs, step: p.step, steps: p.steps } : r)) }, false);
  }

  private onStatus(s: EventOf<'run.status'>): void {
    if (!this.state.runs.some((r) => r.id === s.id)) return;
    this.set({ ...this.state, runs: this.state.runs.map((r) => (r.id === s.id ? { ...r, status: s.status } : r)) }, true);
  }

  /** Phase changes and run status go out at once; training progress at most every interval. */
  private set(next: DemoState, now: boolean): void {
    this.state = next;
    if (now) {
      if (this.pending) clearTimeout(this.pending);
      this.pending = null;
      this.events.emit('demo.progress', this.state);
    } else if (!this.pending) {
      this.pending = setTimeout(() => {
        this.pending = null;
        this.events.emit('demo.progress', this.state);
      }, PROGRESS_INTERVAL_MS);
      this.pending.unref();
    }
  }
}
