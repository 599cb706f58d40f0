// An assembly's test evaluation: each domain's metrics on its test split, and the routing
// statistics of all test tokens merged (purity per domain, load, entropy, dropped fraction).
import type { DomainData } from '../data/domain-data.ts';
import { evaluateTask } from '../evaluation/evaluate.ts';
import { mergeRoutingStats, type RoutingStats } from '../model/moe/routing-stats.ts';
import type { MultiTaskModel } from '../model/multitask-model.ts';
import type { DomainMetrics } from './baselines.ts';

export function evaluateAssembly(model: MultiTaskModel, data: readonly DomainData[], seed: number): { test: DomainMetrics; stats: RoutingStats } {
  const test: DomainMetrics = {};
  const perDomain: RoutingStats[] = [];
  model.tasks.forEach((t, i) => {
    const ev = evaluateTask(model, i, data[i], 'test', seed);
    test[t.name] = ev.metrics;
    if (ev.routing !== null) perDomain.push(ev.routing);
  });
  return { test, stats: mergeRoutingStats(...perDomain) };
}
