// The engine's job API, as the worker wrapper, CLI and tests call it.
export type { ProgressEvent, TrainHooks } from './hooks.ts';
export { trainExpert, type ExpertJob, type ExpertResult } from './expert-job.ts';
export { assemble, type AssemblyJob, type AssemblyResult } from '../assembly/assembly-job.ts';
export { trainAnchor, type AnchorJob, type AnchorResult } from './anchor-job.ts';
