// Auto-tune through the API: trials are child runs of the tuned expert, the same seed chooses the
// same config, the tuned run records its winner's resolved config (derived sizes included), the
// budget is kept within 10%, and replaying a derived-config expert reproduces it exactly.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkbench, type Workbench } from '../../../electron/api/workbench.ts';
import { chooseTrial } from '../../../electron/engine/training/tune-choice.ts';
import { tuneTrials } from '../../../electron/engine/training/tune-space.ts';
import { semanticsDataset } from '../../unit/engine/synthetic.ts';

let wb: Workbench;
const dir = mkdtempSync(join(tmpdir(), 'moe-tune-'));

beforeAll(async () => {
  wb = await openWorkbench({ home: join(dir, 'home') });
  // 160 short texts of three topics, one in ten made long, so the derived length (95th percentile) is visible.
  const rows = semanticsDataset(160, 5).records.map((r, i) => `${i % 10 === 0 ? `${r.text} ${'and more words '.repeat(20)}` : r.text},${r.label}`);
  writeFileSync(join(dir, 'topics.csv'), `text,label\n${rows.join('\n')}\n`);
  await wb.handlers['datasets.add']({ path: join(dir, 'topics.csv'), kind: 'semantics', name: 'topics', seed: 3 });
});
afterAll(() => wb?.close());

const tune = async (budget: number, trials: number) => {
  const t0 = performance.now();
  const id = wb.training.startTunedExpert({ config: { dataset: 'topics', seed: 5, epochs: 3, patience: 3 }, budgetSec: budget, maxTrials: trials }).id;
  const row = await wb.training.wait(id);
  return { row, seconds: (performance.now() - t0) / 1000 };
};

describe('auto-tune', () => {
  it('the seeded search order is fixed by the seed and starts from the given config', () => {
    expect(tuneTrials(5, 4, 64)).toEqual(tuneTrials(5, 4, 64));
    expect(tuneTrials(5, 4, 64)).not.toEqual(tuneTrials(6, 4, 64));
    expect(new Set(tuneTrials(5, 45, 64).map((t) => JSON.stringify(t))).size).toBe(45);
  });

  let first: Awaited<ReturnType<typeof tune>>;
  it('runs its trials as child runs and keeps the best on validation, or the given config within one standard error', async () => {
    first = await tune(600, 3);
    expect(first.row.status).toBe('completed');
    const t = first.row.result?.tune as { chosen: number; trials: { run: number; status: string; validation: Record<string, number> }[] };
    expect(t.trials).toHaveLength(3);
    expect(wb.store.runs.children(first.row.id).sort()).toEqual(t.trials.map((x) => x.run).sort());
    const n = wb.store.datasets.latest('topics')!.counts.validation;
    expect(t.chosen).toBe(chooseTrial(t.trials, 'accuracy', n)!.run);
    // The tuned run holds the winner's resolved config (derived sizes filled in) and its test metrics.
    const winner = wb.store.runs.get(t.chosen)!;
    expect(first.row.config).toEqual(winner.config);
    expect((first.row.config.model as { max_tokens: number }).max_tokens).toBeGreaterThan(20);
    expect(first.row.result?.metrics).toEqual(winner.result?.metrics);
  }, 900_000);

  it('chooses the same config with the same seed', async () => {
    const again = await tune(600, 3);
    const pick = (r: typeof first) => (r.row.result?.tune as { chosen: number; trials: { run: number }[] }).trials.findIndex((x) => x.run === (r.row.result?.tune as { chosen: number }).chosen);
    expect(pick(again)).toBe(pick(first));
    expect(again.row.config).toEqual(first.row.config);
    expect(again.row.result?.metrics).toEqual(first.row.result?.metrics);
  }, 900_000);

  it('keeps to its budget within 10%', async () => {
    const perTrial = first.seconds / 2; // three trials on two workers
    const budget = Math.max(20, 2.5 * perTrial);
    const limited = await tune(budget, 40);
    expect(limited.row.status).toBe('completed');
    expect(limited.seconds).toBeLessThanOrEqual(budget * 1.1);
    const t = limited.row.result?.tune as { trials: { status: string }[] };
    expect(t.trials.filter((x) => x.status === 'completed').length).toBeGreaterThanOrEqual(1);
  }, 900_000);

  it('a replay of the tuned expert trains its recorded config and gets the same metrics', async () => {
    const replay = await wb.dispatch('runs.replay', { id: first.row.id });
    expect(replay.ok).toBe(true);
    const row = await wb.training.wait((replay as { value: { id: number } }).value.id);
    expect(row.status).toBe('completed');
    expect(row.config).toEqual(first.row.config);
    expect(row.result?.metrics).toEqual(first.row.result?.metrics);
  }, 900_000);
});
