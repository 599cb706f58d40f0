// The domain x expert routing grid of one snapshot. Each cell shows the stored value (counts or
// mean probability); its colour is the domain's share, so rows of different sizes compare.
import { useId } from 'react';
import type { RoutingSnapshot } from '../../../shared/contract.ts';
import { formatNumber, formatPercent } from '../format.ts';
import { HeatCell } from './HeatCell.tsx';
import { MatrixTable } from './MatrixTable.tsx';
import { MEASURE_LABELS, rowShares, type RoutingMeasure } from './routing-stats.ts';

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
      <MatrixTable
        className="heatmap-table"
        label={`Routing heatmap, ${MEASURE_LABELS[measure]}, domains by experts`}
        corner="domain \ expert"
        columns={snapshot.experts}
        rows={snapshot.domains}
        cells={(d, domain) =>
          snapshot.experts.map((expert, e) => {
            const value = grid[d]?.[e] ?? 0;
            const share = shares[d]?.[e] ?? 0;
            return (
              <HeatCell
                key={expert}
                shade={share}
                data-domain={domain}
                data-expert={expert}
                data-value={value}
                title={`${domain} → ${expert}: ${formatNumber(value)} (${formatPercent(share)} of the domain)`}
              >
                {measure === 'meanProb' ? value.toFixed(3) : formatNumber(value)}
              </HeatCell>
            );
          })
        }
      />
    </div>
  );
}
