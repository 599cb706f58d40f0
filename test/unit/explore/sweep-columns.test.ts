// The sweep views' columns and brushes, and the run charts' families: pure functions of typed
// results, checked on hand-made values.
import { describe, expect, it } from 'vitest';
import type { Sweep } from '../../../shared/explore.ts';
import { passesBrushes, position, sweepColumns } from '../../../renderer/src/explore/sweep-columns.ts';
import { metricFamilies } from '../../../renderer/src/components/metric-families.ts';

const trial = (index: number, top_k: number, cf: number | null, acc: number | null): Sweep['trials'][number] => ({
  id: index + 10,
  index,
  status: acc === null ? 'pending' : 'completed',
  config: { top_k, capacity_factor: cf },
  metrics: acc === null ? {} : { sem: { accuracy: acc } },
  error: null,
});

const sweep: Sweep = {
  id: 9,
  status: 'running',
  experts: [1, 2],
  axes: [{ path: 'top_k', values: [1, 2] }, { path: 'capacity_factor', values: [1, null] }],
  random: null,
  budget_s: null,
  seed: 1,
  trials: [trial(0, 1, 1, 0.8), trial(1, 1, null, 0.9), trial(2, 2, 1, 0.7), trial(3, 2, null, null)],
  best: { sem: 11 },
  best_index: { sem: 1 },
  selection: { sem: { metric: 'accuracy', higher_is_better: true } },
};

describe('sweep columns', () => {
  it('numeric and categorical axes, metrics after the fields, positions on [0, 1]', () => {
    const [k, cf, acc] = sweepColumns(sweep);
    expect([k.key, cf.key, acc.key]).toEqual(['top_k', 'capacity_factor', 'sem/accuracy']);
    expect(k.numeric).toBe(true);
    expect(cf.numeric).toBe(false);
    expect(cf.categories).toEqual(['1', 'null']);
    expect(acc.metric).toEqual({ dataset: 'sem', name: 'accuracy' });
    expect(sweep.trials.map((t) => position(k, k.value(t)))).toEqual([0, 0, 1, 1]);
    expect(sweep.trials.map((t) => position(cf, cf.value(t)))).toEqual([0, 1, 0, 1]);
    const accs = sweep.trials.map((t) => position(acc, acc.value(t)));
    expect(accs[0]).toBeCloseTo(0.5, 12);
    expect(accs.slice(1)).toEqual([1, 0, null]);
  });

  it('brushes keep the trials inside every brushed interval', () => {
    const columns = sweepColumns(sweep);
    const kept = (b: Record<string, [number, number]>) => sweep.trials.filter((t) => passesBrushes(columns, b, t)).map((t) => t.index);
    expect(kept({})).toEqual([0, 1, 2, 3]);
    expect(kept({ top_k: [0.7, 1] })).toEqual([2, 3]);
    expect(kept({ top_k: [0.7, 1], capacity_factor: [0.9, 1] })).toEqual([3]);
    // A trial without the brushed metric is out.
    expect(kept({ 'sem/accuracy': [0.4, 1] })).toEqual([0, 1]);
  });
});

describe('metric families', () => {
  it('one chart per domain, losses and routing apart, bookkeeping left out', () => {
    const s = (label: string) => ({ label, points: [{ step: 1, value: 1 }] });
    const families = metricFamilies(['train/loss', 'train/lb_loss', 'train/routing_entropy', 'validation/sem/accuracy', 'test/sem/accuracy', 'validation/rec/rmse', 'train/samples_per_sec'].map(s));
    expect(families.map((f) => [f.title, f.series.map((x) => x.label)])).toEqual([
      ['Losses', ['train/lb_loss', 'train/loss']],
      ['Routing health', ['train/routing_entropy']],
      ['rec', ['validation rmse']],
      ['sem', ['test accuracy', 'validation accuracy']],
    ]);
  });
});
