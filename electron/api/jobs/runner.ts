// Runs training jobs on worker threads, one TensorFlow.js instance each, at most one per core
// by default; the rest wait in a queue. Cancel asks the worker to stop between steps and
// terminates it if it has not within a second (its last checkpoint is complete on disk).
// A running assembly may borrow a free worker for its dense baseline (a helper): reserved as the
// assembly starts, only when a worker is free at that moment (so a queued job never waits for a
// helper to start), handed its work later; it ends with its assembly.
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { HelperResult, HostMessage, JobRequest, WorkerMessage } from './messages.ts';

export type JobOutcome =
  | { status: 'completed'; result: Record<string, unknown>; modelDir: string }
  | { status: 'cancelled' }
  | { status: 'failed'; error: string };

export interface JobHandle {
  runId: number;
  done: Promise<JobOutcome>;
  cancel(): void;
}

interface Pending { job: JobRequest; onMessage: (m: WorkerMessage) => void; onStart: () => void; settle: (o: JobOutcome) => void; cancelled: boolean; worker?: Worker; helper?: Worker }

export const CANCEL_GRACE_MS = 1000;

export class JobRunner {
  private readonly workerEntry: URL | string;
  private readonly maxParallel: number;
  private readonly queue: Pending[] = [];
  private running = 0;
  private readonly active = new Map<number, Pending>();

  constructor(workerEntry: URL | string, maxParallel = Math.max(1, availableParallelism())) {
    this.workerEntry = workerEntry;
    this.maxParallel = maxParallel;
  }

  /** Queues a job; onStart fires when a worker takes it. */
  start(job: JobRequest, onMessage: (m: WorkerMessage) => void, onStart: () => void = () => {}): JobHandle {
    let settle!: (o: JobOutcome) => void;
    const done = new Promise<JobOutcome>((resolve) => (settle = resolve));
    const pending: Pending = { job, onMessage, onStart, settle, cancelled: false };
    this.active.set(job.runId, pending);
    this.queue.push(pending);
    this.pump();
    return { runId: job.runId, done, cancel: () => this.cancel(job.runId) };
  }

  /** Jobs that run at the same time. */
  get parallelism(): number {
    return this.maxParallel;
  }

  isActive(runId: number): boolean {
    return this.active.has(runId);
  }

  cancel(runId: number): boolean {
    const p = this.active.get(runId);
    if (!p) return false;
    p.cancelled = true;
    if (!p.worker) {
      this.queue.splice(this.queue.indexOf(p), 1);
      this.finish(p, { status: 'cancelled' });
      return true;
    }
    const worker = p.worker;
    worker.postMessage({ type: 'cancel' } satisfies HostMessage);
    setTimeout(() => void worker.terminate(), CANCEL_GRACE_MS).unref();
    return true;
  }

  async close(): Promise<void> {
    const all = [...this.active.values()];
    this.queue.length = 0;
    await Promise.all(all.map(async (p) => {
      p.cancelled = true;
      await p.helper?.terminate();
      await p.worker?.terminate();
      this.finish(p, { status: 'cancelled' });
    }));
  }

  private pump(): void {
    while (this.running < this.maxParallel && this.queue.length > 0) this.launch(this.queue.shift()!);
  }

  private launch(p: Pending): void {
    this.running++;
    const worker = new Worker(this.workerEntry);
    p.worker = worker;
    p.onStart();
    let outcome: JobOutcome | null = null;
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'done') outcome = { status: 'completed', result: m.result, modelDir: m.modelDir };
      else if (m.type === 'cancelled') outcome = { status: 'cancelled' };
      else if (m.type === 'failed') outcome = { status: 'failed', error: m.error };
      else if (m.type === 'helper') this.lendHelper(p, worker);
      else p.onMessage(m);
      if (outcome) void worker.terminate();
    });
    worker.on('error', (error) => (outcome ??= p.cancelled ? { status: 'cancelled' } : { status: 'failed', error: error.message }));
    worker.on('exit', () => {
      void p.helper?.terminate();
      this.running--;
      this.finish(p, outcome ?? (p.cancelled ? { status: 'cancelled' } : { status: 'failed', error: 'the training worker stopped unexpectedly' }));
      this.pump();
    });
    worker.postMessage({ type: 'start', job: p.job } satisfies HostMessage);
  }

  /** Starts an assembly's helper on a free worker (its progress reported as the assembly's); refused when none is free. */
  private lendHelper(p: Pending, parent: Worker): void {
    let parentGone = false;
    parent.once('exit', () => (parentGone = true));
    const answer = (result: HelperResult): void => {
      if (!parentGone) parent.postMessage({ type: 'helper-result', result } satisfies HostMessage);
    };
    if (this.running >= this.maxParallel || p.cancelled || p.helper) return answer({ status: 'refused' });
    this.running++;
    const helper = new Worker(this.workerEntry);
    p.helper = helper;
    const { port1, port2 } = new MessageChannel();
    helper.postMessage({ type: 'helper-port', port: port2 } satisfies HostMessage, [port2]);
    parent.postMessage({ type: 'helper-port', port: port1 } satisfies HostMessage, [port1]);
    let result: HelperResult | null = null;
    helper.on('message', (m: WorkerMessage) => {
      if (m.type === 'helper-done') result = { status: 'completed', metrics: m.metrics };
      else if (m.type === 'failed') result = { status: 'failed', error: m.error };
      else if (m.type === 'cancelled') result = { status: 'failed', error: 'cancelled' };
      else if (m.type === 'progress' || m.type === 'metrics') p.onMessage(m);
      if (result) void helper.terminate();
    });
    helper.on('error', (error) => (result ??= { status: 'failed', error: error.message }));
    helper.on('exit', () => {
      this.running--;
      p.helper = undefined;
      answer(result ?? { status: 'failed', error: 'the helper worker stopped unexpectedly' });
      this.pump();
    });
  }

  private finish(p: Pending, outcome: JobOutcome): void {
    if (!this.active.has(p.job.runId)) return;
    this.active.delete(p.job.runId);
    p.settle(outcome);
  }
}
