// Cancel through the API stops a training worker within about a second and keeps the last
// checkpoint; resume continues the cancelled run to completion; events arrive in order.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleRequests } from '../../../electron/api/samples.ts';
import { openWorkbench, type Workbench } from '../../../electron/api/workbench.ts';

let wb: Workbench;
afterAll(() => wb?.close());

describe('cancel and resume through the API', () => {
  it('cancels within a second of asking, keeps the checkpoint, and resumes to completion', async () => {
    wb = await openWorkbench({ home: mkdtempSync(join(tmpdir(), 'moe-cancel-')) });
    const sample = sampleRequests().find((s) => s.kind === 'semantics')!;
    await wb.dispatch('datasets.add', sample);
    const statuses: string[] = [];
    wb.subscribe((event, payload) => {
      if (event === 'run.status') statuses.push((payload as { status: string }).status);
    });
    const started = await wb.dispatch('runs.trainExpert', { dataset: sample.name, epochs: 5, patience: 5 });
    expect(started.ok).toBe(true);
    const id = (started as { value: { id: number } }).value.id;
    // Wait for the first checkpoint, then cancel.
    while (wb.store.runs.get(id)?.checkpoint === null) await new Promise((r) => setTimeout(r, 50));
    const asked = performance.now();
    expect(await wb.dispatch('runs.cancel', { id })).toEqual({ ok: true, value: { cancelled: true } });
    const ended = await wb.training.wait(id);
    expect(performance.now() - asked).toBeLessThan(1500);
    expect(ended.status).toBe('cancelled');
    expect(ended.checkpoint?.epoch).toBeGreaterThanOrEqual(1);
    expect(statuses).toEqual(['queued', 'running', 'cancelled']);

    const resumed = await wb.dispatch('runs.resume', { id });
    expect(resumed).toEqual({ ok: true, value: { id } });
    const done = await wb.training.wait(id);
    expect(done.status).toBe('completed');
    expect((done.result as { epochsRun: number }).epochsRun).toBeGreaterThan(ended.checkpoint!.epoch);
  }, 300_000);

  it('cancels an expert still waiting for its anchor: it ends at once and never starts, the anchor trains on', async () => {
    const sample = sampleRequests().find((s) => s.kind === 'semantics')!;
    const statuses = new Map<number, string[]>();
    const unsubscribe = wb.subscribe((event, payload) => {
      if (event !== 'run.status') return;
      const { id, status } = payload as { id: number; status: string };
      statuses.set(id, [...(statuses.get(id) ?? []), status]);
    });
    const started = await wb.dispatch('runs.trainAnchored', { experts: [{ dataset: sample.name, epochs: 1 }], anchor_datasets: null });
    expect(started.ok).toBe(true);
    const { anchors, experts } = (started as { value: { anchors: number[]; experts: number[] } }).value;
    expect(await wb.dispatch('runs.cancel', { id: experts[0] })).toEqual({ ok: true, value: { cancelled: true } });
    const expert = await wb.training.wait(experts[0]);
    expect(expert.status).toBe('cancelled');
    expect(wb.store.runs.get(anchors[0])!.status).not.toBe('completed');
    const anchor = await wb.training.wait(anchors[0]);
    expect(anchor.status).toBe('completed');
    // Still cancelled once its anchor completed: it never started.
    expect(wb.store.runs.get(experts[0])!.status).toBe('cancelled');
    expect(statuses.get(experts[0])).toEqual(['cancelled']);
    // A second cancel finds nothing to stop.
    expect(await wb.dispatch('runs.cancel', { id: experts[0] })).toEqual({ ok: true, value: { cancelled: false } });
    unsubscribe();
  }, 300_000);

  it('refuses to resume a completed run and to cancel an unknown one', async () => {
    const list = await wb.dispatch('runs.list', {});
    const completed = (list as { value: { id: number; status: string }[] }).value.find((r) => r.status === 'completed')!;
    expect(await wb.dispatch('runs.resume', { id: completed.id })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await wb.dispatch('runs.cancel', { id: 999 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
