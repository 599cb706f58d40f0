// Messages between the job runner (host thread) and a training worker.
import type { AnchorConfig, AssemblyConfig, ExpertConfig } from '../../../shared/config.ts';
import type { RoutingStats } from '../../engine/model/moe/routing-stats.ts';
import type { FileCheck } from '../integrity.ts';

export interface DatasetRef { name: string; dir: string }

/** `checks`: files the worker verifies against their recorded hashes before it reads them. */
export type JobRequest =
  | { type: 'expert'; runId: number; config: ExpertConfig; dataset: DatasetRef; runDir: string; resumeFrom?: { dir: string; epoch: number }; anchorDir?: string; checks?: FileCheck[] }
  | { type: 'anchor'; runId: number; config: AnchorConfig; datasets: DatasetRef[]; runDir: string; checks?: FileCheck[] }
  | { type: 'assembly'; runId: number; config: AssemblyConfig; experts: { runId: number; dir: string; dataset: DatasetRef }[]; parentDir?: string; runDir: string; checks?: FileCheck[] };

export type WorkerMessage =
  | { type: 'progress'; progress: { phase: string; epoch: number; epochs: number; step: number; steps: number; metrics: Record<string, number>; samplesPerSec: number; etaSec: number | null } }
  | { type: 'metrics'; step: number; values: Record<string, number> }
  | { type: 'routing'; step: number; split: string; domains: string[]; stats: RoutingStats }
  | { type: 'checkpoint'; epoch: number; dir: string }
  | { type: 'done'; result: Record<string, unknown>; modelDir: string }
  | { type: 'cancelled' }
  | { type: 'failed'; error: string };

export type HostMessage = { type: 'start'; job: JobRequest } | { type: 'cancel' };
