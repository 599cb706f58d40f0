// Retention: how much of a domain's own expert an assembly keeps, on the domain's selection
// metric (its first): assembly / expert for higher-is-better metrics, expert / assembly for
// errors (rmse, mae). The one place it is computed; results carry it (AssemblyResult.retention).
import { LOWER_IS_BETTER } from '../../../shared/domain.ts';
import type { DomainMetrics } from './baselines.ts';

/** Retention as a ratio; 1 when both are 0, Infinity when only the denominator is. */
export function retentionOf(metric: string, assembly: number, expert: number): number {
  const [num, den] = LOWER_IS_BETTER.has(metric) ? [expert, assembly] : [assembly, expert];
  if (den === 0) return num === 0 ? 1 : Infinity;
  return num / den;
}

/** Per domain, retention on the first metric the domain reports (a domain whose ratio is infinite is left out: JSON has no Infinity). */
export function domainRetention(assembly: DomainMetrics, expert: DomainMetrics): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [domain, metrics] of Object.entries(assembly)) {
    const metric = Object.keys(metrics)[0];
    const own = expert[domain]?.[metric];
    if (metric === undefined || own === undefined) continue;
    const r = retentionOf(metric, metrics[metric], own);
    if (Number.isFinite(r)) out[domain] = r;
  }
  return out;
}
