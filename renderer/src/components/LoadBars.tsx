// Per-expert load: the fraction of top-1 assignments each expert took, next to the uniform
// share 1/N, and its mean router probability.
import type { RoutingSnapshot } from '../../../shared/contract.ts';
import { formatPercent } from '../format.ts';
import { loadFractions, meanProbabilityPerExpert } from './routing-stats.ts';

export function LoadBars({ snapshot }: { snapshot: RoutingSnapshot }) {
  const loads = loadFractions(snapshot);
  const probs = meanProbabilityPerExpert(snapshot);
  const uniform = snapshot.experts.length > 0 ? 1 / snapshot.experts.length : 0;
  return (
    <ul className="load-bars" aria-label="Load per expert">
      {snapshot.experts.map((expert, e) => (
        <li key={expert}>
          <span className="load-name">{expert}</span>
          <span className="load-track" role="meter" aria-valuemin={0} aria-valuemax={1} aria-valuenow={loads[e]} aria-label={`${expert} load`}>
            <span className="load-fill" style={{ width: `${(loads[e] ?? 0) * 100}%` }} />
            <span className="load-uniform" style={{ left: `${uniform * 100}%` }} title="uniform share" />
          </span>
          <span className="load-value">{formatPercent(loads[e])}</span>
          <span className="load-prob muted">p̄ {probs[e]?.toFixed(3)}</span>
        </li>
      ))}
    </ul>
  );
}
