// Messages between the job runner (host thread) and a training worker.
import type { AnchorConfig, AssemblyConfig, ExpertConfig } from '../../../shared/config.ts';
import type { DomainMetrics } from '../../engine/assembly/baselines.ts';
import type { DenseBaselineJob } from '../../engine/assembly/dense-baseline.ts';
import type { RoutingStats } from '../../engine/model/moe/routing-stats.ts';
import type { MessagePort } from 'node:worker_threads';
import type { FileCheck } from '../integrity.ts';

export interface DatasetRef { name: string; dir: string }

/** `checks`: files the worker verifies against their recorded hashes before it reads them. */
export type JobRequest =
  | { type: 'expert'; runId: number; config: ExpertConfig; dataset: DatasetRef; runDir: string; resumeFrom?: { dir: string; epoch: number }; anchorDir?: string; checks?: FileCheck[] }
  | { type: 'anchor'; runId: number; config: AnchorConfig; datasets: DatasetRef[]; runDir: string; checks?: FileCheck[] }
  | { type: 'assembly'; runId: number; config: AssemblyConfig; experts: { runId: number; dir: string; dataset: DatasetRef }[]; parentDir?: string; runDir: string; checks?: FileCheck[] };

/** An assembly's dense baseline on a second worker (assembly-job.ts denseElsewhere); runId is the assembly's. */
export type HelperRequest = DenseBaselineJob & { type: 'dense'; runId: number };

export type WorkerMessage =
  | { type: 'progress'; progress: { phase: string; epoch: number; epochs: number; step: number; steps: number; metrics: Record<string, number>; samplesPerSec: number; etaSec: number | null } }
  | { type: 'metrics'; step: number; values: Record<string, number> }
  | { type: 'routing'; step: number; split: string; domains: string[]; stats: RoutingStats }
  | { type: 'checkpoint'; epoch: number; dir: string }
  | { type: 'done'; result: Record<string, unknown>; modelDir: string }
  | { type: 'cancelled' }
  | { type: 'failed'; error: string }
  /**
   * An assembly reserves a second worker for its dense baseline as it starts, so the helper loads
   * while the assembly sets up: answered by 'helper-port' (a channel to the helper, on which the
   * assembly hands it the work when ready: HelperPortMessage) or 'helper-result' refused (none free).
   */
  | { type: 'helper' }
  /** A helper's result: the dense baseline's test metrics. */
  | { type: 'helper-done'; metrics: DomainMetrics };

/** The answer to 'helper': the metrics, refused (no worker free: the assembly trains it itself), or the helper's failure. */
export type HelperResult = { status: 'completed'; metrics: DomainMetrics } | { status: 'refused' } | { status: 'failed'; error: string };

/**
 * 'helper-port': one end of a channel between an assembly and its helper, to each. The work goes
 * straight from one worker to the other: relayed through the host, its prepared data and tokens
 * were copied twice more, by the host thread both training workers compete with (about 1.3 s).
 */
export type HostMessage = { type: 'start'; job: JobRequest } | { type: 'cancel' } | { type: 'helper-result'; result: HelperResult } | { type: 'helper-port'; port: MessagePort };

/** What an assembly sends its helper over their channel (the helper's result comes back through the host). */
export interface HelperPortMessage { type: 'start'; job: HelperRequest }
