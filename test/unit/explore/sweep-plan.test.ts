// Sweep planning: the grid is the full product (first axis slowest), random draws follow the seed,
// values land at their config paths, and every trial is checked by the AssemblyConfig schema, so a
// path the schema does not know (router.method before it exists) is refused with its message.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/contract.ts';
import { SweepRequest } from '../../../shared/explore.ts';
import { planTrials, trialConfigs, trialInput } from '../../../electron/api/sweep-plan.ts';
import { bestTrials } from '../../../electron/api/sweeps.ts';
import { parseGrid } from '../../../shared/explore.ts';

describe('sweep plan', () => {
  it('grid: the full product in axis order', () => {
    const r = SweepRequest.parse({ experts: [1, 2], axes: [parseGrid('top_k=1,2', false), parseGrid('capacity_factor=1,1.25,null', false)] });
    const trials = planTrials(r);
    expect(trials).toEqual([
      { top_k: 1, capacity_factor: 1 },
      { top_k: 1, capacity_factor: 1.25 },
      { top_k: 1, capacity_factor: null },
      { top_k: 2, capacity_factor: 1 },
      { top_k: 2, capacity_factor: 1.25 },
      { top_k: 2, capacity_factor: null },
    ]);
    const configs = trialConfigs(r, trials);
    expect(configs.map((c) => [c.top_k, c.capacity_factor, c.seed])).toEqual(trials.map((t) => [t.top_k, t.capacity_factor, 42]));
  });

  it('random: N seeded draws from choices and ranges, the same for the same seed', () => {
    const axes = [parseGrid('learning_rate=0.0005..0.005', true), parseGrid('epochs=1..3', true), parseGrid('router_init=random,centroid', true)];
    const plan = (seed: number) => planTrials(SweepRequest.parse({ experts: [1, 2], axes, random: 12, seed }));
    const a = plan(3);
    expect(a).toHaveLength(12);
    expect(plan(3)).toEqual(a);
    expect(plan(4)).not.toEqual(a);
    for (const t of a) {
      expect(t.learning_rate as number).toBeGreaterThanOrEqual(0.0005);
      expect(t.learning_rate as number).toBeLessThanOrEqual(0.005);
      expect([1, 2, 3]).toContain(t.epochs);
      expect(['random', 'centroid']).toContain(t.router_init);
    }
    expect(new Set(a.map((t) => t.epochs)).size).toBeGreaterThan(1);
  });

  it('nested paths, and schema errors name the trial and the field', () => {
    const r = SweepRequest.parse({ experts: [1, 2], axes: [{ path: 'lr_multipliers.heads', values: [0.5] }, { path: 'router.method', values: ['joint', 'oracle'] }] });
    expect(trialInput(r, { 'lr_multipliers.heads': 0.5, 'router.method': 'joint' })).toEqual({ experts: [1, 2], seed: 42, lr_multipliers: { heads: 0.5 }, router: { method: 'joint' } });
    // router.method is a config field (issue 10): every trial resolves, other router fields at their defaults.
    expect(trialConfigs(r, planTrials(r)).map((c) => c.router)).toEqual([{ method: 'joint', ridge_lambda: 1 }, { method: 'oracle', ridge_lambda: 1 }]);
    // A value the schema refuses: its own refusal, naming the trial and the field.
    const unknown = SweepRequest.parse({ experts: [1, 2], axes: [{ path: 'router.method', values: ['joint', 'best'] }] });
    expect(() => trialConfigs(unknown, planTrials(unknown))).toThrow(ApiError);
    expect(() => trialConfigs(unknown, planTrials(unknown))).toThrow(/trial 1 .*router/);
    const bad = SweepRequest.parse({ experts: [1, 2], axes: [parseGrid('top_k=1,3', false)] });
    expect(() => trialConfigs(bad, planTrials(bad))).toThrow(/trial 1 .*top_k/);
    expect(SweepRequest.safeParse({ experts: [1], axes: [parseGrid('top_k=1..2', true)] }).success).toBe(false);
  });

  it('best per dataset follows each metric direction; ties keep the lower trial index', () => {
    const t = (index: number, acc: number, rmse: number) => ({ id: 10 + index, index, status: 'completed' as const, config: {}, metrics: { sem: { accuracy: acc, macro_f1: 0 }, rec: { rmse, mae: 0 } }, error: null });
    const best = bestTrials([t(0, 0.8, 1.1), t(1, 0.9, 1.0), t(2, 0.9, 0.9), { ...t(3, 1, 0.1), status: 'failed' as const }]);
    expect(best.best_index).toEqual({ sem: 1, rec: 2 });
    expect(best.best).toEqual({ sem: 11, rec: 12 });
    expect(best.selection).toEqual({ sem: { metric: 'accuracy', higher_is_better: true }, rec: { metric: 'rmse', higher_is_better: false } });
  });
});
