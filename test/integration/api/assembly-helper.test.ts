// An assembly borrows an idle worker for its dense baseline (api/jobs/runner.ts): its router
// fine-tuning and the dense baseline train at the same time and the result says 2 workers; with
// no idle worker the dense baseline trains in the assembly's own worker, to the same metrics;
// cancelling the assembly ends its helper too, so both workers are free for the next jobs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleRequests } from '../../../electron/api/samples.ts';
import { openWorkbench, type Workbench } from '../../../electron/api/workbench.ts';
import type { AssemblyRunResult } from '../../../shared/run-results.ts';

let wb: Workbench;
let experts: number[];
/** Every progress event: run id, phase, and its order of arrival. */
const progress: { id: number; phase: string }[] = [];

beforeAll(async () => {
  wb = await openWorkbench({ home: mkdtempSync(join(tmpdir(), 'moe-helper-')), parallel: 2 });
  wb.subscribe((event, payload) => {
    if (event === 'run.progress') progress.push(payload as { id: number; phase: string });
  });
  for (const sample of sampleRequests().filter((s) => s.kind === 'recommendation' || s.kind === 'texture')) await wb.handlers['datasets.add'](sample);
  experts = ['ratings', 'textures'].map((dataset) => wb.training.startExpert({ dataset, epochs: 1, seed: 3 }).id);
  for (const id of experts) expect((await wb.training.wait(id)).status).toBe('completed');
}, 120_000);
afterAll(() => wb?.close());

const assemble = (epochs: number) => wb.training.startAssembly({ experts, epochs, seed: 9 }).id;
const resultOf = async (id: number) => {
  const row = await wb.training.wait(id);
  expect(row.status).toBe('completed');
  return row.result as AssemblyRunResult;
};

describe('the dense baseline on a borrowed worker', () => {
  let helped: AssemblyRunResult;

  it('trains beside the router fine-tuning when a worker is idle: both phases report, interleaved', async () => {
    const id = assemble(2);
    helped = await resultOf(id);
    expect(helped.workers).toBe(2);
    const phases = progress.filter((p) => p.id === id).map((p) => p.phase);
    const firstDense = phases.indexOf('dense');
    expect(firstDense).toBeGreaterThanOrEqual(0);
    // Side by side: fine-tuning still reports after the dense baseline has begun.
    expect(phases.lastIndexOf('finetune')).toBeGreaterThan(firstDense);
  }, 120_000);

  it('trains in the assembly\'s own worker when none is idle, to the same metrics', async () => {
    const busy = wb.training.startExpert({ dataset: 'textures', epochs: 30, patience: 30, seed: 4 }).id;
    while (wb.store.runs.get(busy)?.status !== 'running') await new Promise((r) => setTimeout(r, 20));
    const alone = await resultOf(assemble(2));
    expect(alone.workers).toBe(1);
    expect(alone.baselines.dense).toEqual(helped.baselines.dense);
    expect(alone.metrics).toEqual(helped.metrics);
    await wb.dispatch('runs.cancel', { id: busy });
    await wb.training.wait(busy);
  }, 180_000);

  it('cancelling the assembly ends its helper: two new jobs then run at once', async () => {
    const id = assemble(200);
    while (!progress.some((p) => p.id === id && p.phase === 'dense')) await new Promise((r) => setTimeout(r, 20));
    await wb.dispatch('runs.cancel', { id });
    expect((await wb.training.wait(id)).status).toBe('cancelled');
    const next = ['ratings', 'textures'].map((dataset) => wb.training.startExpert({ dataset, epochs: 30, patience: 30, seed: 5 }).id);
    const deadline = Date.now() + 10_000;
    while (!next.every((n) => wb.store.runs.get(n)?.status === 'running') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(next.map((n) => wb.store.runs.get(n)?.status)).toEqual(['running', 'running']);
    for (const n of next) await wb.dispatch('runs.cancel', { id: n });
    for (const n of next) await wb.training.wait(n);
  }, 120_000);
});
