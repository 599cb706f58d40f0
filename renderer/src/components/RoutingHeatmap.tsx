// The domain x expert routing grid of one snapshot. Each cell shows the stored value (counts or
// mean probability); its colour is the domain's share, so rows of different sizes compare.
import { useId } from 'react';
import type { RoutingSnapshot } from '../../../shared/contract.ts';
import { formatNumber, formatPercent } from '../format.ts';
import { MEASURE_LABELS, rowShares, type RoutingMeasure } from './routing-stats.ts';

function cellColor(share: number): string {
  // White to deep blue; text turns white past the middle for contrast.
  const lightness = 97 - share * 62;
  return `hsl(217 80% ${lightness}%)`;
}

export function RoutingHeatmap({ snapshot, measure, onMeasureChange }: { snapshot: RoutingSnapshot; measure: RoutingMeasure; onMeasureChange?: (m: RoutingMeasure) => void }) {
  const selectId = useId();
  const grid = snapshot[measure];
  const shares = measure === 'meanProb' ? grid : rowShares(grid);
  return (
    <div className="heatmap">
      <div className="heatmap-meta">
        <span>
          step <strong data-testid="heatmap-step">{snapshot.step}</strong> · split <strong data-testid="heatmap-split">{snapshot.split}</strong>
        </span>
        {onMeasureChange && (
          <span className="inline-field">
            <label htmlFor={selectId}>Show</label>
            <select id={selectId} value={measure} onChange={(e) => onMeasureChange(e.target.value as RoutingMeasure)}>
              {(Object.keys(MEASURE_LABELS) as RoutingMeasure[]).map((m) => (
                <option key={m} value={m}>
                  {MEASURE_LABELS[m]}
                </option>
              ))}
            </select>
          </span>
        )}
      </div>
      <div className="table-scroll">
        <table className="heatmap-table" aria-label={`Routing heatmap, ${MEASURE_LABELS[measure]}, domains by experts`}>
          <thead>
            <tr>
              <th scope="col">domain \ expert</th>
              {snapshot.experts.map((expert) => (
                <th key={expert} scope="col">
                  {expert}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {snapshot.domains.map((domain, d) => (
              <tr key={domain}>
                <th scope="row">{domain}</th>
                {snapshot.experts.map((expert, e) => {
                  const value = grid[d]?.[e] ?? 0;
                  const share = shares[d]?.[e] ?? 0;
                  return (
                    <td
                      key={expert}
                      className="heat-cell"
                      style={{ background: cellColor(Math.min(1, Math.max(0, share))), color: share > 0.55 ? '#fff' : '#111827' }}
                      data-domain={domain}
                      data-expert={expert}
                      data-value={value}
                      title={`${domain} → ${expert}: ${formatNumber(value)} (${formatPercent(share)} of the domain)`}
                    >
                      {measure === 'meanProb' ? value.toFixed(3) : formatNumber(value)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
